// Preloaded with `node --require` (NODE_OPTIONS) by the streaming test: when the process exits, it
// writes its peak resident set size (process.resourceUsage().maxRSS, in KiB) as JSON to the file
// FLYTEKIT_TS_TEST_RSS_REPORT names. Test-only.
"use strict";
const { writeFileSync } = require("node:fs");
const file = process.env.FLYTEKIT_TS_TEST_RSS_REPORT;
if (file) {
  process.on("exit", () => {
    writeFileSync(file, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, pid: process.pid }));
  });
}
