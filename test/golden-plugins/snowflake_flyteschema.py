from flytekitplugins.snowflake import SnowflakeConfig, SnowflakeTask

from flytekit.types.schema import FlyteSchema

sf_schema = SnowflakeTask(
    name="snowflake_flyteschema.sf_schema",
    task_config=SnowflakeConfig(
        account="TEST-ACCOUNT", user="FLYTE", database="FLYTE", schema="PUBLIC", warehouse="COMPUTE_WH"
    ),
    query_template="select 1\n",
    output_schema_type=FlyteSchema,
)
