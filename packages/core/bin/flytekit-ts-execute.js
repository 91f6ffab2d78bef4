#!/usr/bin/env node
// The process Flyte starts in a TypeScript task's container (flytekit's pyflyte-execute).
import { executeMain } from "../dist/bundle/execute.js";

const code = await executeMain(process.argv.slice(2));
// Whatever the task left running (timers, sockets), the container is done.
process.exit(code);
