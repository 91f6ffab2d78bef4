"""The Python side of parquet.test.ts: Parquet files written as flytekit's encoders (pandas, pyarrow)
write them, and any Parquet file read back as pyarrow and pandas see it, printed as JSON.

    python parquet_interop.py write <kind> <path>   writes one of KINDS
    python parquet_interop.py read <path>            prints {"columns": {name: {type, dtype, values}}, "rows", "row_groups", ...}

Values in JSON: integers and timestamps as decimal strings of their raw value (no precision lost),
floats as numbers ("NaN" for NaN), bytes as hex, dates as days since the epoch, dictionary values decoded, nulls null.
"""
import datetime as dt
import json
import math
import os
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


def flytekit_frame():
    """A pandas DataFrame of every kind a Python task hands a TypeScript one."""
    return pd.DataFrame(
        {
            "id": np.array([1, -2, 2**62, 0, 7], dtype="int64"),
            "nullable_int": pd.array([1, None, 3, None, -5], dtype="Int64"),
            "x": [1.5, float("nan"), None, 4.25, -1e300],
            "name": ["a", None, "ünïcødé ✓", "", "日本語 テキスト"],
            "flag": [True, False, False, True, False],
            "maybe": [True, None, False, None, True],
            "at": pd.to_datetime(["2024-01-01 00:00:00.123456", None, "1970-01-01", "2200-06-30 23:59:59", "1900-05-05 12:00"], format="ISO8601"),
            "zoned": pd.to_datetime(["2024-01-01 00:00:00.123456", None, "1970-01-01", "2200-06-30", "1900-05-05 12:00"], format="ISO8601").tz_localize("Europe/Paris"),
            "day": [dt.date(2024, 1, 2), None, dt.date(1970, 1, 1), dt.date(1, 1, 1), dt.date(9999, 12, 31)],
            "category": pd.Categorical(["x", "y", None, "x", "zz"]),
        }
    )


def pyarrow_table():
    """A pyarrow table written in several row groups: nanoseconds, zones, a dictionary column, large strings."""
    n = 1000
    return pa.table(
        {
            "i": pa.array([i * 3 if i % 7 else None for i in range(n)], pa.int64()),
            "f": pa.array([i / 4 if i % 11 else (float("nan") if i % 2 else None) for i in range(n)], pa.float64()),
            "s": pa.array([f"row {i} ✓" if i % 5 else None for i in range(n)], pa.string()),
            "big": pa.array([("ß" * (i % 4)) if i % 9 else None for i in range(n)], pa.large_string()),
            "b": pa.array([None if i % 13 == 0 else i % 2 == 0 for i in range(n)], pa.bool_()),
            "ns": pa.array([1_700_000_000_123_456_789 + i if i % 6 else None for i in range(n)], pa.timestamp("ns")),
            "ns_utc": pa.array([-1_000_000_007 * i if i % 8 else None for i in range(n)], pa.timestamp("ns", "UTC")),
            "us_tokyo": pa.array([1_600_000_000_000_000 + i for i in range(n)], pa.timestamp("us", "Asia/Tokyo")),
            "dict": pa.array([["red", "green", "blue"][i % 3] if i % 10 else None for i in range(n)]).dictionary_encode(),
            "i32": pa.array([i - 500 for i in range(n)], pa.int32()),
            "d": pa.array([i - 500 if i % 4 else None for i in range(n)], pa.date32()),
        }
    )


def write(kind, path):
    if kind == "flytekit":
        # As flytekit's PandasToParquetEncodingHandler writes a DataFrame.
        flytekit_frame().to_parquet(path, coerce_timestamps="us", allow_truncated_timestamps=False)
    elif kind == "pyarrow":
        # As flytekit's ArrowToParquetEncodingHandler writes a Table, in row groups of 300 rows.
        pq.write_table(pyarrow_table(), path, row_group_size=300)
    elif kind == "empty":
        pq.write_table(pa.table({"a": pa.array([], pa.int64()), "s": pa.array([], pa.string())}), path)
    elif kind == "columns":
        # Wide enough chunks that a projection's byte ranges are easy to tell apart.
        n = 20000
        pq.write_table(
            pa.table({f"c{j}": pa.array([(i * 7919 + j * 104729) % 1_000_003 for i in range(n)], pa.int64()) for j in range(6)}),
            path,
            row_group_size=5000,
        )
    else:
        raise SystemExit(f"unknown kind {kind}")


def values(column):
    t = column.type
    if pa.types.is_dictionary(t):
        column = column.cast(t.value_type)
        t = t.value_type
    if pa.types.is_timestamp(t) or pa.types.is_integer(t):
        raw = column.cast(pa.int64()) if pa.types.is_timestamp(t) else column
        return [None if v is None else str(v) for v in raw.to_pylist()]
    if pa.types.is_date32(t):
        return column.cast(pa.int32()).to_pylist()
    if pa.types.is_binary(t) or pa.types.is_large_binary(t):
        return [None if v is None else v.hex() for v in column.to_pylist()]
    if pa.types.is_floating(t):
        return [None if v is None else ("NaN" if math.isnan(v) else v) for v in column.to_pylist()]
    return column.to_pylist()


def read(path):
    f = pq.ParquetFile(path)
    table = f.read()
    frame = pd.read_parquet(path)
    out = {
        "rows": table.num_rows,
        "row_groups": f.metadata.num_row_groups,
        "created_by": f.metadata.created_by,
        "columns": {},
    }
    for name in table.column_names:
        column = table.column(name)
        out["columns"][name] = {
            "type": str(column.type),
            "dtype": str(frame[name].dtype),
            "values": values(column.combine_chunks() if column.num_chunks else pa.array([], column.type)),
            "compression": f.metadata.row_group(0).column(table.column_names.index(name)).compression if f.metadata.num_row_groups else None,
            "encodings": list(f.metadata.row_group(0).column(table.column_names.index(name)).encodings) if f.metadata.num_row_groups else [],
        }
        # What pandas holds, as Python values a test can compare (timestamps as ISO text with their zone).
        out["columns"][name]["pandas"] = [
            None if v is None or (not isinstance(v, (list, str, bytes)) and pd.isna(v)) else (v.isoformat() if hasattr(v, "isoformat") else v.hex() if isinstance(v, bytes) else str(v))
            for v in frame[name].astype(object).tolist()
        ]
    print(json.dumps(out))


def main(command, *args):
    if command == "write":
        write(*args)
    elif command == "read":
        read(*args)
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    # The repository's test/interop, for clean_exit: pyarrow can abort at teardown after the work is done.
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), *[".."] * 5, "test", "interop"))
    import clean_exit

    clean_exit.run(main, *sys.argv[1:])
