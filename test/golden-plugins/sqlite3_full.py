import datetime

from flytekit import Resources, Secret, kwtypes
from flytekit.core.base_task import TaskMetadata
from flytekit.extras.sqlite3.task import SQLite3Config, SQLite3Task
from flytekit.types.schema import FlyteSchema

sql_full = SQLite3Task(
    name="sqlite3_full.sql_full",
    query_template="""
        select TrackId, Name
        from tracks
        where Name like '{{ .inputs.pattern }}'
        limit {{.inputs.limit}}
    """,
    inputs=kwtypes(limit=int, pattern=str),
    output_schema_type=FlyteSchema[kwtypes(TrackId=int, Name=str)],
    task_config=SQLite3Config(uri="s3://bucket/chinook.db"),
    container_image="docker.io/my-sqlite-image:v9",
    requests=Resources(cpu="500m"),
    limits=Resources(mem="1Gi"),
    secret_requests=[Secret(group="db", key="password")],
    metadata=TaskMetadata(retries=2, timeout=datetime.timedelta(minutes=5)),
)
