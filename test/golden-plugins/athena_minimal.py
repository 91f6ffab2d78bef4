from flytekitplugins.athena import AthenaTask

athena_min = AthenaTask(
    name="athena_minimal.athena_min",
    query_template="select 1",
)
