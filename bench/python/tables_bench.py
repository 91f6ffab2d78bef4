"""pyarrow's side of the tables bench (bench/src/tables-run.ts is ours), in a process of its own:
`python tables_bench.py <mode> <table.arrow> <file.parquet>`, printing one JSON line.

    write-time  the first pq.write_table (importing pyarrow.parquet with it), then WARM more
    read-time   the first pq.read_table (importing pyarrow and pyarrow.parquet with it), then WARM more
    write-mem   one write, after a write and a read of a two-row table loaded everything: {"baseline": rss, "peak": max rss}
    read-mem    one read, the same way

The table is read from the same Arrow IPC file as ours; pyarrow writes with its defaults (snappy,
dictionary pages, row groups of up to 1Mi rows), as flytekit's encoders call it.
"""
import gc
import json
import os
import resource
import sys
import time

WARM = 5


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def load_table(path):
    import pyarrow as pa

    with pa.OSFile(path) as f:
        return pa.ipc.open_file(f).read_all()


def timed(fn):
    start = time.perf_counter_ns()
    fn()
    return time.perf_counter_ns() - start


def main(mode, arrow_file, parquet_file):
    if mode == "write-time":
        table = load_table(arrow_file)

        def write():
            import pyarrow.parquet as pq

            pq.write_table(table, parquet_file)

        first = timed(write)
        warm = []
        for _ in range(WARM):
            gc.collect()
            warm.append(timed(write))
        return {"first": first, "warm": warm}
    if mode == "read-time":
        rows = []

        def read():
            import pyarrow.parquet as pq

            rows.append(pq.read_table(parquet_file).num_rows)

        first = timed(read)
        warm = []
        for _ in range(WARM):
            gc.collect()
            warm.append(timed(read))
        return {"first": first, "warm": warm, "rows": rows[0]}
    if mode in ("write-mem", "read-mem"):
        import pyarrow as pa
        import pyarrow.parquet as pq

        small = pa.table(
            {
                "id": pa.array([1, 2], pa.int64()),
                "x": pa.array([0.5, 1.5], pa.float64()),
                "name": pa.array(["a", "b"], pa.string()),
                "flag": pa.array([True, False], pa.bool_()),
                "at": pa.array([1, 2], pa.timestamp("us")),
            }
        )
        pq.write_table(small, parquet_file + ".warm")
        pq.read_table(parquet_file + ".warm")
        os.remove(parquet_file + ".warm")
        gc.collect()
        baseline = rss()
        if mode == "write-mem":
            pq.write_table(load_table(arrow_file), parquet_file)
        else:
            assert pq.read_table(parquet_file).num_rows > 0
        return {"baseline": baseline, "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}
    raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:4])))
