"""What Flyte 2's type engine (the `flyte` package) makes of what flytekit-ts writes, and what it writes.

Run by test/flyte2.test.ts with the venv's python: `python flyte2_probe.py CASES.json`. Each case
names a Python type (an expression in this module's namespace), the LiteralType and Literal
flytekit-ts writes for a value of it (base64 of flyteidl.core protobuf bytes), and the Python value
Flyte 2 writes for the same (an expression). For each case it prints, as one JSON document:
  guess    the Python type Flyte 2 guesses from our LiteralType (as a task known by its interface)
  read     the value Flyte 2 reads from our Literal as the declared type
  same_type whether Flyte 2's own LiteralType for the type equals ours
  written  Flyte 2's Literal for its value (base64), for flytekit-ts to read
Errors are reported as "error: <Type>: <message>" (first line), never raised.
"""

import asyncio
import base64
import dataclasses
import datetime
import enum
import json
import sys
import typing

from flyteidl2.core.literals_pb2 import Literal
from flyteidl2.core.types_pb2 import LiteralType

import flyte.io
from flyte.types import TypeEngine


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Level(enum.Enum):
    LOW = "LOW"
    HIGH = "HIGH"


@dataclasses.dataclass
class Point:
    x: int
    label: str


def _error(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return f"error: {type(e).__name__}: {text[0] if text else ''}"


def _show(value: typing.Any) -> str:
    if isinstance(value, (flyte.io.File, flyte.io.Dir)):
        return f"{type(value).__name__}(path={value.path!r})"
    if isinstance(value, flyte.io.DataFrame):
        return f"DataFrame(uri={value.uri!r}, format={value.format!r})"
    if isinstance(value, type):
        return getattr(value, "__name__", repr(value))
    return repr(value)


async def probe(case: dict) -> dict:
    py_type = eval(case["type"])  # noqa: S307 - the test's own expressions
    ours_lt = LiteralType.FromString(base64.b64decode(case["literal_type"]))
    ours = Literal.FromString(base64.b64decode(case["literal"]))
    out: dict = {}
    try:
        out["guess"] = _show(TypeEngine.guess_python_type(ours_lt))
    except Exception as e:  # noqa: BLE001
        out["guess"] = _error(e)
    try:
        out["read"] = _show(await TypeEngine.to_python_value(ours, py_type))
    except Exception as e:  # noqa: BLE001
        out["read"] = _error(e)
    try:
        theirs_lt = TypeEngine.to_literal_type(py_type)
        out["same_type"] = theirs_lt == ours_lt
        written = await TypeEngine.to_literal(eval(case["value"]), py_type, theirs_lt)  # noqa: S307
        out["written"] = base64.b64encode(written.SerializeToString()).decode()
    except Exception as e:  # noqa: BLE001
        out["written"] = _error(e)
    return out


async def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    results = {}
    for case in cases:
        results[case["row"]] = await probe(case)
    print(json.dumps(results))


if __name__ == "__main__":
    asyncio.run(main())
