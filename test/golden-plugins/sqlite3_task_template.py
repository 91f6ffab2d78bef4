# Serialized via the `task_template` property (serialize_to_model with
# PythonCustomizedContainerTask.SERIALIZE_SETTINGS) -- this is the template the local
# ExecutableTemplateShimTask path hands to SQLite3TaskExecutor; NOT via get_serializable.
from flytekit import kwtypes
from flytekit.extras.sqlite3.task import SQLite3Config, SQLite3Task

sql_tt = SQLite3Task(
    "sqlite3_task_template.sql_tt",
    query_template="select TrackId, Name from tracks limit {{.inputs.limit}}",
    inputs=kwtypes(limit=int),
    task_config=SQLite3Config(uri="https://example.org/chinook.zip", compressed=True),
)
