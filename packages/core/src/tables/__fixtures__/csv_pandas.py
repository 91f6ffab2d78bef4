"""pandas' side of csv.test.ts: what pandas writes and reads, for the same values as the TypeScript side.

    to_csv IPC OUT          the Arrow IPC file's table as a DataFrame (integer columns as pandas'
                            nullable Int dtypes), written by df.to_csv(OUT, index=False)
    read_back CSV IPC       pd.read_csv(CSV) (with its timestamp, duration and date columns parsed)
                            compared with the IPC file's DataFrame; prints "same" or the differences
    sample OUT              writes a DataFrame of the kinds flytekit users pass (ints, floats with NaN,
                            strings with commas, quotes, line breaks and non-ASCII, bools, nulls,
                            timestamps) with to_csv, and prints what pd.read_csv gives back, as JSON
    read CSV...             what pd.read_csv gives for each file, as a JSON list of {column: {dtype, values}}
                            (or {"error": message} when pandas refuses the file)
"""

import json
import math
import os
import sys

import numpy as np
import pandas as pd
import pyarrow as pa


def ints_nullable(arrow_type):
    mapping = {
        pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(), pa.int64(): pd.Int64Dtype(),
        pa.uint8(): pd.UInt8Dtype(), pa.uint16(): pd.UInt16Dtype(), pa.uint32(): pd.UInt32Dtype(), pa.uint64(): pd.UInt64Dtype(),
    }
    return mapping.get(arrow_type)


def read_ipc(path):
    with pa.memory_map(path) as source:
        table = pa.ipc.open_file(source).read_all()
    return table, table.to_pandas(types_mapper=ints_nullable)


def value(v):
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    return str(v)


def dump(df):
    return {c: {"dtype": str(df[c].dtype), "values": [value(v) for v in df[c].tolist()]} for c in df.columns}


def to_csv(ipc, out):
    _, df = read_ipc(ipc)
    df.to_csv(out, index=False)


def read_back(csv, ipc):
    table, expected = read_ipc(ipc)
    # Integer columns read as pandas' nullable integer dtypes: plain read_csv makes an int column with
    # nulls float64, which cannot hold every int64 (the bytes are pandas' own: its limit, not the file's).
    dtypes = {f.name: ints_nullable(f.type) for f in table.schema if ints_nullable(f.type) is not None}
    # float_precision="round_trip": pandas' default float parser is fast but not correctly rounded
    # (17-digit floats can come back one ulp off, from pandas' own files too).
    got = pd.read_csv(csv, dtype=dtypes, float_precision="round_trip")
    problems = []
    if list(got.columns) != list(expected.columns):
        problems.append(f"columns {list(got.columns)} != {list(expected.columns)}")
    for field in table.schema:
        name = field.name
        col = got[name]
        if pa.types.is_timestamp(field.type):
            col = pd.to_datetime(col, format="ISO8601", utc=field.type.tz is not None)
            if field.type.tz is not None:
                col = col.dt.tz_convert(field.type.tz)
        elif pa.types.is_duration(field.type):
            col = pd.to_timedelta(col)
        elif pa.types.is_date(field.type):
            col = pd.to_datetime(col, format="ISO8601").dt.date
        elif field.type in (pa.float32(), pa.float16()):
            col = col.astype(field.type.to_pandas_dtype())
        for i, (a, b) in enumerate(zip(col.tolist(), expected[name].tolist())):
            na, nb = (a is None or (not isinstance(a, str) and pd.isna(a))), (b is None or (not isinstance(b, str) and pd.isna(b)))
            # An empty string is written as an empty field, which reads back as NaN (pandas' own too).
            if na and (nb or b == ""):
                continue
            if isinstance(a, float) and isinstance(b, (int, np.integer)) and not na and not nb:
                same = a == b
            elif isinstance(a, float) and isinstance(b, float):
                same = a == b and math.copysign(1, a) == math.copysign(1, b)
            else:
                same = (not na and not nb) and a == b
            if not same:
                problems.append(f"{name}[{i}]: read {a!r}, wrote {b!r}")
    print(json.dumps(problems[:20]) if problems else "same")


def sample(out):
    df = pd.DataFrame({
        "id": pd.Series([1, -2, 3, 2**62, -(2**63)], dtype="int64"),
        "score": [0.1, float("nan"), 1e-05, -0.0, 1.2345678901234568e+17],
        "name": ["plain", "a,b", 'she said "hi"', "two\nlines", "été 🚀 日本"],
        "flag": [True, False, True, True, False],
        "maybe": [True, None, False, None, True],
        "note": ["x", None, "", "NA-ish", None],
        "count": pd.array([1, None, 3, 4, None], dtype="Int64"),
        "at": pd.to_datetime(["2024-01-02 03:04:05", "2024-01-02 03:04:05.123456", "2024-02-29", None, "1999-12-31 23:59:59.5"], format="ISO8601"),
        "at_ns": pd.to_datetime(["2024-01-02 03:04:05.123456789", "2024-01-02", None, "2024-01-03", "2024-01-04"], format="ISO8601"),
        "at_utc": pd.to_datetime(["2024-01-02 03:04:05", "2024-06-01 12:00:00.25", None, "2024-01-03", "2024-01-04"], format="ISO8601").tz_localize("UTC"),
        "day": pd.to_datetime(["2024-01-02", "2024-01-03", None, "2024-01-05", "2024-01-06"]),
    })
    df.to_csv(out, index=False)
    epochs = {c: [None if pd.isna(v) else str(v.value) for v in df[c]] for c in ["at", "at_ns", "at_utc", "day"]}
    print(json.dumps({"read": dump(pd.read_csv(out)), "epochs_ns": epochs}))


def read(*paths):
    results = []
    for path in paths:
        try:
            results.append(dump(pd.read_csv(path)))
        except Exception as error:  # noqa: BLE001 - the test compares refusals too
            results.append({"error": f"{type(error).__name__}: {error}"})
    print(json.dumps(results))


if __name__ == "__main__":
    # The repository's test/interop, for clean_exit: pyarrow can abort at teardown after the work is done.
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), *[".."] * 5, "test", "interop"))
    import clean_exit

    command, *args = sys.argv[1:]
    clean_exit.run({"to_csv": to_csv, "read_back": read_back, "sample": sample, "read": read}[command], *args)
