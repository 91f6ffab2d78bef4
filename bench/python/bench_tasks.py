# The trivial task of `npm run bench`'s s3 rows, for the real pyflyte-execute (flytekit 1.16.24):
# the same as src/entry-task.ts's Trivial.add, so both write the same outputs.pb.
from flytekit import task


@task
def add(x: int, y: int) -> int:
    return x + y
