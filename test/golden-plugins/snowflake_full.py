from flytekitplugins.snowflake import SnowflakeConfig, SnowflakeTask

from flytekit import StructuredDataset, kwtypes

sf_full = SnowflakeTask(
    name="snowflake_full.sf_full",
    inputs=kwtypes(ds=str),
    task_config=SnowflakeConfig(
        account="snowflake",
        user="my_user",
        warehouse="my_warehouse",
        schema="my_schema",
        database="my_database",
    ),
    query_template="""
            insert overwrite directory '{{ .rawOutputDataPrefix }}' stored as parquet
            select *
            from my_table
            where ds = '{{ .Inputs.ds }}'
        """,
    output_schema_type=StructuredDataset,
)
