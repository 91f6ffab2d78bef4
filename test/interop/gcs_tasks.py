"""Python tasks of the cluster-shaped storage tests (test/cluster-gcs.test.ts), run by the real
pyflyte-execute (flytekit 1.16.24) with object-store URIs.

`produce` writes an int, a record and a FlyteFile (uploaded by flytekit to the raw output prefix);
a TypeScript task reads them and returns a new record, a File and a Directory; `check` reads those
and fails unless every value and every file's contents are what the TypeScript task was to write.
"""

import os
import typing
from dataclasses import dataclass

from flytekit import current_context, task
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile


@dataclass
class Sample:
    name: str
    count: int
    tags: typing.List[str]


PRODUCED_TEXT = "written by Python ✓\n"


@task
def produce() -> typing.NamedTuple("Produced", [("n", int), ("sample", Sample), ("data", FlyteFile)]):
    path = os.path.join(current_context().working_directory, "from-python.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write(PRODUCED_TEXT)
    return 41, Sample(name="py", count=3, tags=["a", "b"]), FlyteFile(path)


@task
def check(total: int, summary: Sample, report: FlyteFile, bundle: FlyteDirectory) -> str:
    problems = []
    if total != 42:
        problems.append(f"total: got {total!r}, expected 42")
    want = Sample(name="py+ts", count=4, tags=["a", "b", "ts"])
    if summary != want:
        problems.append(f"summary: got {summary!r}, expected {want!r}")
    with open(report, encoding="utf-8") as f:
        text = f.read()
    if text != "ts saw: " + PRODUCED_TEXT:
        problems.append(f"report: got {text!r}")
    local = bundle.download()
    found = {}
    for root, _, files in os.walk(local):
        for name in files:
            rel = os.path.relpath(os.path.join(root, name), local).replace(os.sep, "/")
            with open(os.path.join(root, name), encoding="utf-8") as f:
                found[rel] = f.read()
    want_files = {"count.txt": "4", "nested/deep/name.txt": "py+ts"}
    if found != want_files:
        problems.append(f"bundle: got {found!r}, expected {want_files!r}")
    if problems:
        raise ValueError("; ".join(problems))
    return f"checked {report.remote_source} and {bundle.remote_source}"
