// Preloaded (node --require) into a process a test starts: when it exits, writes the CommonJS
// modules it loaded to the file FLYTEKIT_TS_TEST_LOADED_REPORT names, so that a test can tell what
// a start pulled in (the TypeScript compiler, say).
const { writeFileSync } = require("node:fs");

process.on("exit", () => {
  const report = process.env.FLYTEKIT_TS_TEST_LOADED_REPORT;
  if (report) writeFileSync(report, JSON.stringify(Object.keys(require.cache)));
});
