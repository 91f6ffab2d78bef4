from flytekitplugins.bigquery import BigQueryConfig, BigQueryTask

bq_min = BigQueryTask(
    name="bigquery_minimal.bq_min",
    query_template="""
        SELECT 1
    """,
    task_config=BigQueryConfig(ProjectID="flyte-project"),
)
