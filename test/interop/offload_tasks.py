"""Python tasks of test/offloaded-literals.test.ts, run by the real pyflyte-execute (flytekit 1.16.24).

With _F_L_MIN_SIZE_MB=1, `produce_big` writes `text` and `lines` as offloaded literals (each past
1 MiB); test/support/offload-tasks.ts's `relay` reads them and writes its own; `check_big` reads
those and fails unless they are what `relay` returns.
"""

import typing

from flytekit import task

BIG = "offload " * 150_000
LINES = ["a" * 600_000, "b" * 600_000]

Big = typing.NamedTuple("Big", [("text", str), ("lines", typing.List[str]), ("n", int)])


@task
def produce_big() -> Big:
    return Big(text=BIG, lines=LINES, n=7)


@task
def check_big(text: str, lines: typing.List[str], n: int) -> str:
    if text != BIG or lines != list(reversed(LINES)) or n != 8:
        raise ValueError(f"check_big read other values than relay writes: text of {len(text)}, lines of {[len(x) for x in lines]}, n {n}")
    return f"ok {len(text)} {[x[0] for x in lines]} {n}"
