#!/usr/bin/env node
import { main } from "../dist/bundle/main.js";

// Output piped into `head` and closed early is not an error of ours.
process.stdout.on("error", (e) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});
process.exitCode = await main(process.argv.slice(2));
