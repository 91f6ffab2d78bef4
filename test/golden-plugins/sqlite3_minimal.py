from flytekit.extras.sqlite3.task import SQLite3Config, SQLite3Task

sql_min = SQLite3Task(
    "sqlite3_minimal.sql_min",
    query_template="select * from tracks",
    task_config=SQLite3Config(uri="https://example.org/chinook.zip", compressed=True),
)
