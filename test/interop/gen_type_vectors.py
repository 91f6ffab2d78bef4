"""Writes type-engine vectors from the real Python flytekit for cases the shared golden set does not cover.

Run with flytekit==1.16.24 installed:  python test/interop/gen_type_vectors.py > test/vectors/flytekit-types.json
Each case gives TypeEngine.to_literal_type(T) and TypeEngine.to_literal(value) as hex of the deterministic
protobuf serialization, and readable JSON. The TypeScript tests declare the same type and value and must
produce equal messages.
"""
import base64
import datetime
import enum
import json
import sys
import typing
from dataclasses import dataclass, field

import flytekit
from flytekit.core.context_manager import FlyteContextManager
from flytekit.core.type_engine import TypeEngine
from google.protobuf.json_format import MessageToDict


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"
    BLUE = "blue"


@dataclass
class Point:
    x: int
    y: float


@dataclass
class Inventory:
    counts: typing.Dict[str, int]
    color: Color


@dataclass
class Event:
    name: str
    at: datetime.datetime
    took: datetime.timedelta
    points: typing.List[Point]
    by_name: typing.Dict[str, Point]
    maybe: typing.Optional[Point]
    extra: dict
    weight: float = 1.0
    count: int = 3
    flag: bool = True
    note: str = "n"
    tags: typing.List[str] = field(default_factory=list)


UTC = datetime.timezone.utc

CASES = [
    ("none", type(None), "None", None),
    ("int_neg", int, "-7", -7),
    ("int_min_int64", int, "-2**63", -(2**63)),
    ("int_2_pow_53_plus_1", int, "2**53 + 1", 2**53 + 1),
    ("float_neg_inf", float, "float('-inf')", float("-inf")),
    ("float_inf", float, "float('inf')", float("inf")),
    ("float_0", float, "0.0", 0.0),
    ("str_empty", str, '""', ""),
    ("bool_false", bool, "False", False),
    ("datetime_before_1970", datetime.datetime, "datetime(1969, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)",
     datetime.datetime(1969, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)),
    ("datetime_epoch", datetime.datetime, "datetime(1970, 1, 1, tzinfo=UTC)", datetime.datetime(1970, 1, 1, tzinfo=UTC)),
    ("timedelta_neg_1us", datetime.timedelta, "timedelta(microseconds=-1)", datetime.timedelta(microseconds=-1)),
    ("timedelta_neg_day_plus_5s", datetime.timedelta, "timedelta(days=-1, seconds=5)", datetime.timedelta(days=-1, seconds=5)),
    ("timedelta_zero", datetime.timedelta, "timedelta(0)", datetime.timedelta(0)),
    ("list_empty", typing.List[int], "[]", []),
    ("dict_empty", typing.Dict[str, int], "{}", {}),
    ("list_list_str", typing.List[typing.List[str]], '[["a"], [], ["b", "c"]]', [["a"], [], ["b", "c"]]),
    ("dict_str_list_float", typing.Dict[str, typing.List[float]], '{"z": [1.5], "a": []}', {"z": [1.5], "a": []}),
    ("optional_list_dict_int", typing.Optional[typing.List[typing.Dict[str, int]]], '[{"a": 1}, {}]', [{"a": 1}, {}]),
    ("optional_list_dict_int_none", typing.Optional[typing.List[typing.Dict[str, int]]], "None", None),
    ("list_optional_int", typing.List[typing.Optional[int]], "[1, None]", [1, None]),
    ("union_int_str_x", typing.Union[int, str], '"x"', "x"),
    ("union_int_str_float_2_5", typing.Union[int, str, float], "2.5", 2.5),
    ("optional_float_none", typing.Optional[float], "None", None),
    ("optional_bool_true", typing.Optional[bool], "True", True),
    ("optional_str_s", typing.Optional[str], '"s"', "s"),
    ("optional_datetime", typing.Optional[datetime.datetime], "datetime(2020, 2, 29, 12, 0, tzinfo=UTC)",
     datetime.datetime(2020, 2, 29, 12, 0, tzinfo=UTC)),
    ("optional_timedelta", typing.Optional[datetime.timedelta], "timedelta(seconds=1.5)", datetime.timedelta(seconds=1.5)),
    ("optional_enum", typing.Optional[Color], "Color.GREEN", Color.GREEN),
    ("optional_dataclass", typing.Optional[Point], "Point(3, -0.5)", Point(3, -0.5)),
    ("optional_untyped_dict", typing.Optional[dict], '{"k": "v"}', {"k": "v"}),
    ("optional_dict_str_int", typing.Optional[typing.Dict[str, int]], '{"a": 1}', {"a": 1}),
    ("list_dataclass", typing.List[Point], "[Point(1, 2.0), Point(2, 3.25)]", [Point(1, 2.0), Point(2, 3.25)]),
    ("dict_dataclass", typing.Dict[str, Point], '{"p": Point(0, 0.0)}', {"p": Point(0, 0.0)}),
    ("enum_blue", Color, "Color.BLUE", Color.BLUE),
    ("dataclass_inventory", Inventory, 'Inventory({"b": 2, "a": 1}, Color.GREEN)', Inventory({"b": 2, "a": 1}, Color.GREEN)),
    ("dataclass_event", Event,
     'Event("e", datetime(2024, 1, 2, 3, 4, 5, 123000, tzinfo=UTC), timedelta(seconds=90, microseconds=500), '
     '[Point(1, 2.0)], {"k": Point(-1, 0.5)}, None, {"a": [1, 2.5, "x", True, None], "b": {"c": 2.5}}, 2.0)',
     Event("e", datetime.datetime(2024, 1, 2, 3, 4, 5, 123000, tzinfo=UTC), datetime.timedelta(seconds=90, microseconds=500),
           [Point(1, 2.0)], {"k": Point(-1, 0.5)}, None, {"a": [1, 2.5, "x", True, None], "b": {"c": 2.5}}, 2.0)),
    ("untyped_dict_scalars", dict,
     '{"int": 1, "neg": -200, "big": 2**40, "float": 2.5, "whole_float": 2.0, "str": "héllo", "bool": False, "none": None, "list": [1, [2, 3]], "nested": {"x": {}}}',
     {"int": 1, "neg": -200, "big": 2**40, "float": 2.5, "whole_float": 2.0, "str": "héllo", "bool": False, "none": None,
      "list": [1, [2, 3]], "nested": {"x": {}}}),
    ("untyped_dict_empty", dict, "{}", {}),
]


def _msg(m):
    return MessageToDict(m, preserving_proto_field_name=True)


def main():
    ctx = FlyteContextManager.current_context()
    out = []
    for name, t, src, value in CASES:
        lt = TypeEngine.to_literal_type(t)
        lit = TypeEngine.to_literal(ctx, value, t, lt)
        lt_pb = lt.to_flyte_idl()
        lit_pb = lit.to_flyte_idl()
        case = {
            "case": name,
            "python_type": str(t),
            "value_source": src,
            "type_hex": lt_pb.SerializeToString(deterministic=True).hex(),
            "literal_hex": lit_pb.SerializeToString(deterministic=True).hex(),
            "literal_type_json": _msg(lt_pb),
            "literal_json": _msg(lit_pb),
        }
        if lit.scalar is not None and lit.scalar.binary is not None:
            case["msgpack_hex"] = lit.scalar.binary.value.hex()
        out.append(case)
    json.dump({"flytekit_version": flytekit.__version__, "cases": out}, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
