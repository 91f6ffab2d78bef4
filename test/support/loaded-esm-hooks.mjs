// The module hooks of report-loaded-esm.mjs (they run in the loader's own thread).
import { appendFileSync } from "node:fs";

export async function load(url, context, nextLoad) {
  const report = process.env.FLYTEKIT_TS_TEST_LOADED_ESM_REPORT;
  if (report) appendFileSync(report, `${url}\n`);
  return nextLoad(url, context);
}
