"""Python tasks the interop tests run with the real pyflyte-execute (flytekit 1.16.24).

`produce` writes one value of every kind; `check` reads them, fails unless each is what
`produce` writes, and writes them back. test/support/interop-tasks.ts declares the same two tasks
in TypeScript, so each side can read what the other wrote.
"""

import datetime
import enum
import typing
from dataclasses import dataclass

from flytekit import task


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"
    BLUE = "blue"


@dataclass
class Inner:
    note: str
    weight: float


@dataclass
class Point:
    x: int
    y: float
    label: str
    tags: typing.List[str]
    inner: Inner
    maybe: typing.Optional[int] = None


Values = typing.NamedTuple(
    "Values",
    [
        ("i", int),
        ("big", int),
        ("f", float),
        ("whole", float),
        ("s", str),
        ("l", typing.List[int]),
        ("m", typing.Dict[str, float]),
        ("nested", typing.List[typing.Dict[str, int]]),
        ("o", typing.Optional[int]),
        ("n", typing.Optional[str]),
        ("u", typing.Union[int, str]),
        ("p", Point),
        ("c", Color),
        ("t", datetime.datetime),
    ],
)


def expected() -> Values:
    return Values(
        i=-42,
        big=2**53 + 1,
        f=3.141592653589793,
        whole=2.0,
        s="héllo ✓ 世界",
        l=[1, -2, 3],
        m={"a": 1.5, "b": -0.25},
        nested=[{"x": 1}, {"y": 2, "z": 3}],
        o=7,
        n=None,
        u="text",
        p=Point(x=1, y=2.0, label="p", tags=["a", "b"], inner=Inner(note="deep", weight=0.5), maybe=None),
        c=Color.GREEN,
        t=datetime.datetime(2026, 11, 21, 8, 30, 15, 123000, tzinfo=datetime.timezone.utc),
    )


def _utc(t: datetime.datetime) -> datetime.datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=datetime.timezone.utc)


@task
def produce() -> Values:
    return expected()


@task
def check(
    i: int,
    big: int,
    f: float,
    whole: float,
    s: str,
    l: typing.List[int],
    m: typing.Dict[str, float],
    nested: typing.List[typing.Dict[str, int]],
    o: typing.Optional[int],
    n: typing.Optional[str],
    u: typing.Union[int, str],
    p: Point,
    c: Color,
    t: datetime.datetime,
) -> Values:
    got = Values(i=i, big=big, f=f, whole=whole, s=s, l=l, m=m, nested=nested, o=o, n=n, u=u, p=p, c=c, t=t)
    want = expected()
    wrong = []
    for name in Values._fields:
        a, b = getattr(got, name), getattr(want, name)
        if name == "t":
            a, b = _utc(a), _utc(b)
        if a != b or type(a) is not type(b):
            wrong.append(f"{name}: got {a!r} ({type(a).__name__}), expected {b!r} ({type(b).__name__})")
    if wrong:
        raise ValueError("python read other values than produce writes: " + "; ".join(wrong))
    return got
