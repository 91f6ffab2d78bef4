"""Python tasks of the table interop tests (test/tables-interop.test.ts, test/tables-cluster-s3.test.ts),
run by the real pyflyte-execute (flytekit 1.16.24 with pandas 2.3.3 and pyarrow 26).

`produce` returns one pandas DataFrame (`frame()`) under each declaration flytekit has for a table:
`pd.DataFrame`, `StructuredDataset`, `Annotated[StructuredDataset, columns]`, the same as CSV, a
typed `FlyteSchema`, an untyped `FlyteSchema` written as two part files, and a `pa.Table` (the only
way flytekit writes nanoseconds: pandas' encoder coerces timestamps to microseconds and refuses to
truncate, see `refuses_nanoseconds`). test/support/table-tasks.ts reads them and writes them anew
under the same names and declarations; `views` reads either set and says exactly what it read, as
pandas (dtypes and values) and as pyarrow (Arrow types and values), in one JSON document, so a test
compares what Python wrote with what TypeScript wrote as Python sees them.

Values are written in one form on both sides (test/support/table-tasks.ts writes the Arrow view the
same way): an integer as its decimal text, a float as a number or "NaN", "Infinity", "-Infinity",
"-0"; a null as null; a timestamp (Arrow) as its integer in the column's unit; a date (Arrow) as its
days since 1970; pandas' own markers as "NaT" and "NA"; a pandas Timestamp as "ts:<isoformat>" and
a Python date as "date:<isoformat>".
"""

import datetime
import json
import math
import os
import tempfile
import typing

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from typing_extensions import Annotated

from flytekit import FlyteContextManager, kwtypes, task
from flytekit.types.schema import FlyteSchema
from flytekit.types.structured import StructuredDataset

# The declared columns, as test/support/table-tasks.ts declares them too.
TYPED = kwtypes(id=int, score=float, name=str, flag=bool, at_us=datetime.datetime)
CSV_COLUMNS = kwtypes(id=int, score=float, name=str, flag=bool, at=datetime.datetime)
SCHEMA_COLUMNS = kwtypes(id=int, score=float, name=str, flag=bool, at_us=datetime.datetime)
NARROW = kwtypes(name=str, id=int)


def frame() -> pd.DataFrame:
    """The table every declaration holds: each column kind of the issue, nulls in most."""
    return pd.DataFrame(
        {
            # 2**62 + 1 has no exact float64: it must stay an int64 on the way.
            "id": np.array([1, -2, 2**62 + 1, 0], dtype="int64"),
            # pandas writes a NaN of a float64 column as a null (pyarrow's from_pandas).
            "score": np.array([1.5, np.nan, -0.0, 1e300], dtype="float64"),
            "name": ["a", None, "\u00fc \u2713", ""],
            "flag": np.array([True, False, True, False]),
            # A bool column with None is object in pandas, a nullable bool in Arrow.
            "maybe": [True, None, False, None],
            "at_us": pd.array(
                [np.datetime64("2024-05-01T12:00:00.123456", "us"), np.datetime64("1969-12-31T23:59:59.999999", "us"), np.datetime64("NaT", "us"), np.datetime64("2262-04-12T00:00:00", "us")],
                dtype="datetime64[us]",
            ),
            # Nanosecond dtype, whole microseconds: what flytekit's pandas encoder accepts.
            "at_ns": pd.array(
                [np.datetime64("2024-05-01T12:00:00.000001", "ns"), np.datetime64("NaT", "ns"), np.datetime64("1970-01-01T00:00:00", "ns"), np.datetime64("2000-02-29T23:59:59.999999", "ns")],
                dtype="datetime64[ns]",
            ),
            "at_utc": pd.to_datetime(["2024-05-01T12:00:00.5Z", "2024-05-01T00:00:00Z", None, "1900-01-01T00:00:00Z"], utc=True, format="ISO8601"),
            "day": [datetime.date(2024, 5, 1), None, datetime.date(1969, 12, 31), datetime.date(2000, 2, 29)],
            # A nullable integer: pandas keeps Int64 through its own metadata in the file.
            "count": pd.array([1, None, 3, -4], dtype="Int64"),
        }
    )


def csv_frame() -> pd.DataFrame:
    """What CSV holds: text, so only the declared kinds; a null is an empty field."""
    return pd.DataFrame(
        {
            "id": np.array([1, -2, 2**62 + 1], dtype="int64"),
            "score": np.array([1.5, np.nan, -0.25], dtype="float64"),
            "name": ["a", None, "b, \"quoted\""],
            "flag": np.array([True, False, True]),
            "at": pd.array([np.datetime64("2024-05-01T12:00:00.123456", "us"), np.datetime64("1969-12-31T23:59:59", "us"), np.datetime64("NaT", "us")], dtype="datetime64[us]"),
        }
    )


def exact_table() -> pa.Table:
    """What only Arrow says: a NaN beside a null, nanoseconds below the microsecond."""
    return pa.table(
        {
            "f": pa.array([1.0, float("nan"), None, float("-inf")], type=pa.float64()),
            "ns": pa.array([1714564800123456789, -1, None, 0], type=pa.timestamp("ns")),
            "ns_utc": pa.array([1714564800123456789, 1, 2, None], type=pa.timestamp("ns", tz="UTC")),
            "ms": pa.array([1714564800123, None, 0, -1], type=pa.timestamp("ms")),
            "i32": pa.array([1, None, -(2**31), 2**31 - 1], type=pa.int32()),
            "big": pa.array([2**63 - 1, -(2**63), None, 9007199254740993], type=pa.int64()),
            "s": pa.array(["x", None, "", "\u00e9"], type=pa.string()),
        }
    )


Tables = typing.NamedTuple(
    "Tables",
    [
        ("plain", pd.DataFrame),
        ("wrapped", StructuredDataset),
        ("typed", Annotated[StructuredDataset, TYPED]),
        ("csv", Annotated[StructuredDataset, CSV_COLUMNS, "csv"]),
        ("schema", FlyteSchema[SCHEMA_COLUMNS]),
        ("parts", FlyteSchema),
        ("exact", pa.Table),
    ],
)


@task
def produce() -> Tables:
    df = frame()
    parts = FlyteSchema()
    # Two part files, 00000 and 00001, as flytekit's schema writer names them.
    parts.open().write(df.iloc[:2], df.iloc[2:])
    return Tables(
        plain=df,
        wrapped=StructuredDataset(dataframe=df),
        typed=StructuredDataset(dataframe=df),
        csv=StructuredDataset(dataframe=csv_frame()),
        schema=df,
        parts=parts,
        exact=exact_table(),
    )


@task
def refuses_nanoseconds() -> pd.DataFrame:
    """flytekit's pandas encoder (coerce_timestamps="us", allow_truncated_timestamps=False) fails here."""
    return pd.DataFrame({"at": pd.to_datetime(["2024-05-01T12:00:00.123456789"], format="ISO8601")})


# ---- what Python sees --------------------------------------------------------------------------


def _value(v: typing.Any) -> typing.Any:
    if v is None:
        return None
    if v is pd.NaT:
        return "NaT"
    if v is pd.NA:
        return "NA"
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if math.isnan(f):
            return "NaN"
        if math.isinf(f):
            return "Infinity" if f > 0 else "-Infinity"
        if f == 0 and math.copysign(1.0, f) < 0:
            return "-0"
        return f
    if isinstance(v, pd.Timestamp):
        return "ts:" + v.isoformat()
    if isinstance(v, datetime.datetime):
        return "datetime:" + v.isoformat()
    if isinstance(v, datetime.date):
        return "date:" + v.isoformat()
    if isinstance(v, str):
        return v
    return f"{type(v).__name__}:{v!r}"


def pandas_view(df: pd.DataFrame) -> dict:
    """A DataFrame as pandas holds it: each column's dtype and values, and the index."""
    return {
        "rows": len(df),
        "index": {"kind": type(df.index).__name__, "values": [_value(i) for i in df.index.tolist()]},
        "columns": [{"name": str(name), "dtype": str(df[name].dtype), "values": [_value(v) for v in df[name].tolist()]} for name in df.columns],
    }


def _arrow_values(column: pa.ChunkedArray) -> list:
    t = column.type
    if pa.types.is_timestamp(t) or pa.types.is_date64(t) or pa.types.is_duration(t) or pa.types.is_time64(t):
        return [_value(v) for v in pc.cast(column, pa.int64()).to_pylist()]
    if pa.types.is_date32(t) or pa.types.is_time32(t):
        return [_value(v) for v in pc.cast(column, pa.int32()).to_pylist()]
    return [_value(v) for v in column.to_pylist()]


def arrow_view(table: pa.Table) -> dict:
    """A table as Arrow holds it: each column's type (pyarrow's name) and values, and the schema's metadata keys."""
    return {
        "rows": table.num_rows,
        "metadata": sorted(k.decode() for k in (table.schema.metadata or {}).keys()),
        "columns": [{"name": f.name, "type": str(f.type), "values": _arrow_values(table.column(i))} for i, f in enumerate(table.schema)],
    }


def part_files(folder: str) -> typing.List[str]:
    """The part files of a dataset folder, as flytekit's readers list them (no hidden files), in order."""
    return sorted(n for n in os.listdir(folder) if not n.startswith(".") and os.path.isfile(os.path.join(folder, n)))


def _read_parts(uri: str, columns: typing.Optional[typing.List[str]] = None) -> pa.Table:
    """Every part file of a Parquet dataset at `uri` (local or in the store), read by pyarrow itself."""
    local = tempfile.mkdtemp()
    FlyteContextManager.current_context().file_access.get_data(uri, local, is_multipart=True)
    tables = [pq.read_table(os.path.join(local, n), columns=columns) for n in part_files(local)]
    return pa.concat_tables(tables) if tables else pa.table({})


def _dataset_views(sd: StructuredDataset) -> dict:
    columns = [c.name for c in sd.metadata.structured_dataset_type.columns] or None
    view = {"pandas": pandas_view(sd.open(pd.DataFrame).all())}
    if sd.file_format == "parquet":
        view["arrow"] = arrow_view(_read_parts(sd.literal.uri, columns))
    return view


def _schema_views(schema: FlyteSchema) -> dict:
    df = schema.open().all()
    local = schema.local_path
    columns = list(schema.columns().keys()) or None
    tables = [pq.read_table(os.path.join(local, n), columns=columns) for n in part_files(local)]
    return {"pandas": pandas_view(df), "arrow": arrow_view(pa.concat_tables(tables)), "parts": part_files(local)}


@task
def views(
    plain: StructuredDataset,
    wrapped: StructuredDataset,
    typed: Annotated[StructuredDataset, TYPED],
    csv: Annotated[StructuredDataset, CSV_COLUMNS, "csv"],
    schema: FlyteSchema[SCHEMA_COLUMNS],
    parts: FlyteSchema,
    exact: StructuredDataset,
) -> str:
    """Each table as flytekit reads it for its declaration (pandas), and its part files as pyarrow reads them."""
    seen = {
        "plain": _dataset_views(plain),
        "wrapped": _dataset_views(wrapped),
        "typed": _dataset_views(typed),
        "csv": _dataset_views(csv),
        "schema": _schema_views(schema),
        "parts": _schema_views(parts),
        "exact": _dataset_views(exact),
    }
    return json.dumps(seen, sort_keys=True)


@task
def narrow(df: Annotated[pd.DataFrame, NARROW]) -> str:
    """A declared subset of a wider table: flytekit reads only these columns, in this order."""
    return json.dumps(pandas_view(df), sort_keys=True)


@task
def frame_view(df: pd.DataFrame) -> str:
    """A table read as a plain DataFrame (the decoder of its literal's format)."""
    return json.dumps(pandas_view(df), sort_keys=True)


@task
def schema_view(s: FlyteSchema) -> str:
    """A FlyteSchema read by flytekit's pandas schema reader (every part file)."""
    return json.dumps(_schema_views(s), sort_keys=True)


# ---- for the streaming test: a big Parquet file, written and checked by pyarrow alone ------------


def write_numbers(path: str, rows: int, row_group: int = 65536) -> dict:
    """`rows` rows of int64, float64, string, bool and timestamp[us], in row groups of `row_group`."""
    writer = None
    step = 1 << 20
    arrow_bytes = 0
    try:
        for start in range(0, rows, step):
            n = min(step, rows - start)
            ids = np.arange(start, start + n, dtype="int64")
            batch = pa.table(
                {
                    "id": ids,
                    "x": ids.astype("float64") * 0.5,
                    "s": pc.binary_join_element_wise("row-", pc.cast(pa.array(ids), pa.string()), ""),
                    "b": ids % 3 == 0,
                    "at": pa.array(ids * 1000, type=pa.timestamp("us")),
                }
            )
            arrow_bytes += batch.nbytes
            if writer is None:
                writer = pq.ParquetWriter(path, batch.schema)
            writer.write_table(batch, row_group_size=row_group)
    finally:
        if writer is not None:
            writer.close()
    meta = pq.ParquetFile(path).metadata
    return {"rows": meta.num_rows, "row_groups": meta.num_row_groups, "bytes": os.path.getsize(path), "arrow_bytes": arrow_bytes}


def check_numbers(folder: str) -> dict:
    """What a streamed copy of `write_numbers`' table holds, read file by file, batch by batch (never whole)."""
    rows = 0
    id_sum = 0
    x_sum = 0.0
    b_count = 0
    s_bytes = 0
    in_order = True
    expected_next = 0
    schema = None
    for name in part_files(folder):
        f = pq.ParquetFile(os.path.join(folder, name))
        schema = str(f.schema_arrow)
        for batch in f.iter_batches(batch_size=1 << 16):
            ids = batch.column("id")
            n = batch.num_rows
            first = ids[0].as_py() if n else expected_next
            if first != expected_next or not pc.all(pc.equal(ids, pa.array(np.arange(first, first + n, dtype="int64")))).as_py():
                in_order = False
            expected_next = first + n
            rows += n
            id_sum += pc.sum(ids).as_py() or 0
            x_sum += pc.sum(batch.column("x")).as_py() or 0.0
            b_count += pc.sum(pc.cast(batch.column("b"), pa.int64())).as_py() or 0
            s_bytes += pc.sum(pc.binary_length(batch.column("s"))).as_py() or 0
    return {"rows": rows, "id_sum": str(id_sum), "x_sum": x_sum, "b_count": b_count, "s_bytes": s_bytes, "in_order": in_order, "schema": schema}


# ---- for the bad-input tests: dataset folders that cannot be read as they say ------------------


def write_bad_inputs(folder: str) -> dict:
    """Dataset folders under `folder`, good and bad; their names are the keys of the answer, their paths its values."""
    made = {}

    def dataset(name: str, files: typing.Dict[str, typing.Union[bytes, pa.Table]]) -> None:
        path = os.path.join(folder, name)
        os.makedirs(path, exist_ok=True)
        for file, content in files.items():
            if isinstance(content, pa.Table):
                pq.write_table(content, os.path.join(path, file))
            else:
                with open(os.path.join(path, file), "wb") as f:
                    f.write(content)
        made[name] = path

    good = pa.table({"id": pa.array([1, 2, 3], pa.int64()), "name": pa.array(["a", "b", None], pa.string())})
    dataset("good", {"00000": good})
    sink = pa.BufferOutputStream()
    pq.write_table(good, sink)
    whole = sink.getvalue().to_pybytes()
    dataset("not-parquet", {"00000": b"id,name\n1,a\n2,b\n"})
    dataset("truncated", {"00000": whole[: len(whole) // 2]})
    dataset("footer-only", {"00000": whole[-64:]})
    dataset("lacks-name", {"00000": pa.table({"id": pa.array([1, 2], pa.int64()), "label": pa.array(["a", "b"])})})
    dataset("name-is-int", {"00000": pa.table({"id": pa.array([1, 2], pa.int64()), "name": pa.array([1, 2], pa.int64())})})
    dataset("id-is-float", {"00000": pa.table({"id": pa.array([1.5, 2.0], pa.float64()), "name": pa.array(["a", "b"])})})
    dataset("id-is-timestamp", {"00000": pa.table({"id": pa.array([1, 2], pa.timestamp("us")), "name": pa.array(["a", "b"])})})
    dataset("second-part-bad", {"00000": good, "00001": b"PAR1 but not really"})
    dataset("parts-disagree", {"00000": good, "00001": pa.table({"id": pa.array(["x"], pa.string()), "name": pa.array(["y"])})})
    dataset("empty", {})
    dataset("only-hidden", {".00000.crc": b"\x00\x01"})
    dataset("good-csv", {".csv": b"id,name\n1,a\n2,b\n"})
    dataset("ragged-short-csv", {".csv": b"id,name\n1,a\n2\n3,c\n"})
    dataset("ragged-long-csv", {".csv": b"id,name\n1,a\n2,b,extra\n"})
    dataset("csv-id-not-int", {".csv": b"id,name\n1,a\nseven,b\n"})
    dataset("csv-lacks-name", {".csv": b"id,label\n1,a\n"})
    dataset("csv-missing-file", {"00000": good})
    return made
