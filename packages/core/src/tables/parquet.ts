// Placeholder until the Parquet codec lands (replaced wholesale): whole-file read and write.
import type { RecordBatch } from "apache-arrow";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import type { PartReadOptions, TableCodec } from "./codec.js";
import { TableFormatError } from "./errors.js";
import { loadArrow } from "./runtime.js";

async function wasm() {
  return import("parquet-wasm/node");
}

async function readAll(path: string, options: PartReadOptions = {}) {
  const [A, P] = await Promise.all([loadArrow(), wasm()]);
  let t;
  try {
    t = A.tableFromIPC(P.readParquet(readFileSync(path)).intoIPCStream());
  } catch (e) {
    throw new TableFormatError({ subject: path, problem: `not a Parquet file: ${String(e)}` });
  }
  return options.columns === undefined ? t : t.select(options.columns as string[]);
}

export const parquetCodec: TableCodec = {
  format: "parquet",
  async schema(path) {
    return (await readAll(path)).schema;
  },
  async *read(path, options) {
    yield* (await readAll(path, options)).batches;
  },
  async write(path, batches) {
    const [A, P] = await Promise.all([loadArrow(), wasm()]);
    const list: RecordBatch[] = [];
    for await (const b of batches as AsyncIterable<RecordBatch>) list.push(b);
    const table = new A.Table(list);
    const tmp = `${path}.tmp`;
    try {
      writeFileSync(tmp, P.writeParquet(P.Table.fromIPCStream(A.tableToIPC(table, "stream"))));
      renameSync(tmp, path);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
    return { rows: table.numRows };
  },
};
