"""Python tasks of the Azure cluster-shaped test (test/cluster-azure.test.ts), run by the real
pyflyte-execute (flytekit 1.16.24) with abfs:// URIs, flytekit reaching Azurite through adlfs
(AZURE_STORAGE_CONNECTION_STRING).

`produce` writes an int, a record and a file; test/support/azure-cluster-tasks.ts reads them and
writes a new record, a file and a directory; `check` fails unless it reads exactly those.
"""

import os
import tempfile
import typing
from dataclasses import dataclass

from flytekit import task
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile


@dataclass
class Sample:
    name: str
    count: int
    scores: typing.List[float]


PRODUCED = typing.NamedTuple("Produced", [("n", int), ("sample", Sample), ("data", FlyteFile)])


@task
def produce() -> PRODUCED:
    path = os.path.join(tempfile.mkdtemp(), "data.txt")
    with open(path, "w") as f:
        f.write("written by python\n" * 1000)
    return PRODUCED(n=41, sample=Sample(name="from python", count=3, scores=[0.5, 1.5]), data=FlyteFile(path))


@task
def check(summary: Sample, report: FlyteFile, bundle: FlyteDirectory) -> str:
    want = Sample(name="from python, seen by typescript", count=42, scores=[0.5, 1.5, 18000.0])
    if summary != want:
        raise ValueError(f"summary: expected {want!r}, got {summary!r}")
    if not report.remote_source or not report.remote_source.startswith("abfs://"):
        raise ValueError(f"report: expected a file in the container, got {report.remote_source!r}")
    with open(report, "r") as f:
        text = f.read()
    if text != "typescript read 18000 bytes from python: written by python\n":
        raise ValueError(f"report: unexpected contents {text!r}")
    local = bundle.download()
    found = {}
    for root, _, files in os.walk(local):
        for name in files:
            p = os.path.join(root, name)
            with open(p) as f:
                found[os.path.relpath(p, local)] = f.read()
    want_files = {"count.txt": "42", os.path.join("nested", "name.txt"): "from python"}
    if found != want_files:
        raise ValueError(f"bundle: expected {want_files!r}, got {found!r}")
    return "checked"
