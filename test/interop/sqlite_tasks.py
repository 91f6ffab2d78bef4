"""flytekit's own SQLite3Task (flytekit 1.16.24), run by the real pyflyte-execute against the database
test/sqlite-tables.test.ts makes, to compare its tables with flytekit-ts's.

`python sqlite_tasks.py template <task> <db> <out.pb>` writes the task's TaskTemplate (as
`pyflyte register` would) and prints its container args as JSON: pyflyte-execute is then started
with them, as Flyte starts a SQLite3Task (its executor reads the query and the database from the
template, not from this module).

`python sqlite_tasks.py compare <flytekit uri> <flytekit-ts uri> [column ...]` reads both Parquet
folders with pandas (the columns given: a declared projection, as flytekit's readers apply it),
fails unless the DataFrames are equal (values, dtypes, nulls), and prints the frame as JSON.
"""

import json
import sys
import typing
from collections import OrderedDict

ALL = "select * from v order by id"
EMPTY = "select id, s, r from v where id < 0"
MIXED = "select c from mixed"


def tasks() -> typing.Dict[str, typing.Tuple[str, typing.Any]]:
    """name: (query, output_schema_type); None is flytekit's default, FlyteSchema. (flytekit is
    imported here, not at the top: `compare` needs only pandas, and flytekit takes seconds to load.)"""
    from typing_extensions import Annotated

    from flytekit import kwtypes
    from flytekit.types.schema import FlyteSchema
    from flytekit.types.structured import StructuredDataset

    declared = kwtypes(s=str, id=int, r=float, big=int)
    return {
        "schema_all": (ALL, None),
        "dataset_all": (ALL, StructuredDataset),
        "schema_declared": (ALL, FlyteSchema[declared]),
        "dataset_declared": (ALL, Annotated[StructuredDataset, declared]),
        "dataset_empty": (EMPTY, StructuredDataset),
        "dataset_mixed": (MIXED, StructuredDataset),
    }


def make_task(name: str, db: str):
    from flytekit.extras.sqlite3.task import SQLite3Config, SQLite3Task

    query, output = tasks()[name]
    return SQLite3Task(
        f"sqlite_tables.{name}",
        query_template=query,
        task_config=SQLite3Config(uri=db),
        output_schema_type=output,
        container_image="ghcr.io/flyteorg/flytekit:py3.11-1.16.24",
    )


def write_template(name: str, db: str, out: str) -> None:
    from flytekit.configuration import ImageConfig, SerializationSettings
    from flytekit.tools.translator import get_serializable

    settings = SerializationSettings(project="p", domain="d", version="v1", image_config=ImageConfig.auto(img_name="docker.io/xyz:1"))
    template = get_serializable(OrderedDict(), settings, make_task(name, db)).template
    with open(out, "wb") as f:
        f.write(template.to_flyte_idl().SerializeToString())
    print(json.dumps(list(template.container.args)))


def cell(v: typing.Any) -> typing.Any:
    """A value as JSON: NaN and None as null, bytes as hex, infinities and timestamps as text."""
    import math

    import pandas as pd

    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, bytes):
        return {"hex": v.hex()}
    if isinstance(v, float) and math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    if hasattr(v, "item"):
        v = v.item()
    # JSON's readers take numbers as doubles: an integer past 2^53 as its digits.
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2**53:
        return str(v)
    return v


def compare(theirs: str, ours: str, columns: typing.List[str]) -> None:
    import pandas as pd

    read = lambda uri: pd.read_parquet(uri, columns=columns or None)  # noqa: E731
    a, b = read(theirs), read(ours)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    print(
        json.dumps(
            {
                "columns": list(a.columns),
                "dtypes": [str(t) for t in a.dtypes],
                "rows": [[cell(v) for v in row] for row in a.itertuples(index=False, name=None)],
            }
        )
    )


def main(command, *args):
    if command == "template":
        write_template(*args)
    elif command == "compare":
        compare(args[0], args[1], list(args[2:]))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    import clean_exit  # pyarrow can abort at teardown after the work is done

    clean_exit.run(main, *sys.argv[1:])
