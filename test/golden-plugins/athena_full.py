from flytekitplugins.athena import AthenaConfig, AthenaTask

from flytekit import kwtypes
from flytekit.types.schema import FlyteSchema

athena_full = AthenaTask(
    name="athena_full.athena_full",
    inputs=kwtypes(ds=str),
    task_config=AthenaConfig(database="mnist", catalog="my_catalog", workgroup="my_wg"),
    query_template="""
        insert overwrite directory '{{ .rawOutputDataPrefix }}' stored as parquet
        select *
        from blah
        where ds = '{{ .Inputs.ds }}'
    """,
    output_schema_type=FlyteSchema,
)
