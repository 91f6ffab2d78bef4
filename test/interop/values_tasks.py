"""Python tasks for test/interop-values.test.ts, run with the real pyflyte-execute (flytekit 1.16.24
and 1.16.31): values that must cross a TypeScript task unchanged.

`produce` writes them; `check` reads them, fails unless each is exactly what `produce` writes (its
repr: a naive datetime is not an aware one, `+02:00` is not UTC, the key 7 is not "7"), and writes
them back. test/support/values-tasks.ts passes them through in TypeScript.
"""

import datetime
import enum
import typing
from dataclasses import dataclass

from flytekit import task

UTC = datetime.timezone.utc
PLUS_TWO = datetime.timezone(datetime.timedelta(hours=2))


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


@dataclass
class Keyed:
    by_key: int
    the_label: str
    naive: datetime.datetime
    offset: datetime.datetime
    utc: datetime.datetime
    stamps: typing.List[datetime.datetime]


Values = typing.NamedTuple(
    "Values",
    [
        ("keyed", Keyed),
        ("when", datetime.datetime),
        ("loose", dict),
        ("choice", typing.Union[Color, str]),
        ("member", typing.Union[Color, int]),
    ],
)


def expected() -> Values:
    return Values(
        keyed=Keyed(
            by_key=5,
            the_label="k",
            naive=datetime.datetime(2024, 5, 1, 12, 0, 0),
            offset=datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=PLUS_TWO),
            utc=datetime.datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=UTC),
            stamps=[datetime.datetime(2024, 5, 1, 12, 0, 0, 1), datetime.datetime(2024, 5, 2, tzinfo=UTC)],
        ),
        # A top-level datetime is a protobuf Timestamp: Python reads it back aware, in UTC.
        when=datetime.datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=UTC),
        loose={
            7: "int",
            "7": "str",
            1.5: "float",
            True: "bool",
            None: "none",
            "strings": {"__proto__": {"p": 1}, "a": 2},
            "nested": {2: [1, {3: "c"}]},
        },
        # A bare string that the enum also takes: written as the `str` variant.
        choice="red",
        member=Color.GREEN,
    )


@task
def produce() -> Values:
    return expected()


@task
def check(
    keyed: Keyed,
    when: datetime.datetime,
    loose: dict,
    choice: typing.Union[Color, str],
    member: typing.Union[Color, int],
) -> Values:
    got = Values(keyed=keyed, when=when, loose=loose, choice=choice, member=member)
    want = expected()
    wrong = [f"{name}: got {getattr(got, name)!r}, expected {getattr(want, name)!r}" for name in Values._fields if repr(getattr(got, name)) != repr(getattr(want, name))]
    if wrong:
        raise ValueError("python read other values than produce writes: " + "; ".join(wrong))
    return got
