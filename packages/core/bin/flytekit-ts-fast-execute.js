#!/usr/bin/env node
// Fast registration's entrypoint (flytekit's pyflyte-fast-execute).
import { fastExecuteMain } from "../dist/bundle/fast-execute.js";

process.exit(await fastExecuteMain(process.argv.slice(2)));
