"""Python tasks of the cluster-shaped S3 test (test/cluster-s3.test.ts), run by the real
pyflyte-execute (flytekit 1.16.24) with bucket URIs, as a cluster runs them.

`produce` writes an int, a record and a FlyteFile; test/support/cluster-tasks.ts's `transform`
reads them and returns a new record, a File and a Directory; `check` reads those, fails loudly
unless each is what `transform` makes of `produce`'s values, and returns what it read (as JSON) so
the test can see it.
"""

import json
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


@dataclass
class Summary:
    source: str
    total: int
    text: str
    scores: typing.List[float]


DATA_TEXT = "from python \u2713\nline two\n"

Produced = typing.NamedTuple("Produced", [("n", int), ("sample", Sample), ("data", FlyteFile)])


@task
def produce() -> Produced:
    path = os.path.join(tempfile.mkdtemp(), "data.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write(DATA_TEXT)
    return Produced(n=42, sample=Sample(name="py", count=3, scores=[0.5, 1.5]), data=FlyteFile(path))


def _expect(what: str, got, want) -> None:
    if got != want:
        raise ValueError(f"{what}: got {got!r}, expected {want!r}")


@task
def check(summary: Summary, report: FlyteFile, bundle: FlyteDirectory) -> str:
    report_path = report.download()
    with open(report_path, encoding="utf-8") as f:
        report_text = f.read()
    bundle_path = bundle.download()
    files = {}
    for root, _dirs, names in os.walk(bundle_path):
        for name in names:
            full = os.path.join(root, name)
            with open(full, encoding="utf-8") as f:
                files[os.path.relpath(full, bundle_path).replace(os.sep, "/")] = f.read()
    _expect("summary.source", summary.source, "py+ts")
    _expect("summary.total", summary.total, 45)
    _expect("summary.text", summary.text, DATA_TEXT)
    _expect("summary.scores", summary.scores, [1.0, 3.0])
    _expect("report", report_text, "report: 45 from py\n" + DATA_TEXT)
    _expect("bundle", files, {"a.txt": "a of py", "nested/deeper/b.txt": "b: 45"})
    return json.dumps(
        {
            "summary": {"source": summary.source, "total": summary.total, "text": summary.text, "scores": summary.scores},
            "report_uri": report.remote_source,
            "report": report_text,
            "bundle_uri": bundle.remote_source,
            "bundle": files,
        },
        sort_keys=True,
    )
