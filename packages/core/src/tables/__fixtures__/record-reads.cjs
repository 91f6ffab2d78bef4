// Preloaded (node --require) by parquet.test.ts: records every file read by fs.readFileSync whose
// path names parquet-wasm (its glue and its .wasm, which runtime.ts reads and evaluates rather than
// importing, so that no module hook sees them) to the file FLYTEKIT_TS_TEST_READS_REPORT names.
const fs = require("node:fs");

const original = fs.readFileSync;
fs.readFileSync = function readFileSync(path, ...rest) {
  const report = process.env.FLYTEKIT_TS_TEST_READS_REPORT;
  if (report && /parquet[-_]wasm/.test(String(path))) fs.appendFileSync(report, `${String(path)}\n`);
  return original.call(this, path, ...rest);
};
