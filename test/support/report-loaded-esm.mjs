// Preloaded (node --import) into a process a test starts: appends the URL of every ES module the
// process loads, one a line, to the file FLYTEKIT_TS_TEST_LOADED_ESM_REPORT names, so that a test
// can tell whether a start loaded a chunk (the bundles are ES modules: require.cache never sees them).
import { register } from "node:module";

register("./loaded-esm-hooks.mjs", import.meta.url);
