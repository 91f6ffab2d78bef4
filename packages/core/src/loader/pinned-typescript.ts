// The TypeScript compiler the loader transpiles with: @flytekit-ts/core's own, pinned to one
// version and resolved from core's own location, never the user's. A project's own `typescript`
// may be 5.x, 6.x, 7.x (the native compiler, which has no JavaScript API) or absent (an image built
// with --omit=dev); the loader works the same with each. 6.x is the last release with the classic
// JavaScript API, and it reads the syntax of TypeScript 5 to 7.
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { FlyteError } from "../errors/flyte-error.js";

/** The version of `typescript` in @flytekit-ts/core's dependencies (a test holds them equal). */
export const PINNED_TYPESCRIPT = "6.0.3";

export type TypeScriptApi = typeof import("typescript");

let compiler: TypeScriptApi | undefined;

/** Core's own TypeScript compiler (loaded once; loading it costs about a tenth of a second). */
export function pinnedTypeScript(): TypeScriptApi {
  if (compiler !== undefined) return compiler;
  const require = createRequire(import.meta.url);
  let found: TypeScriptApi;
  try {
    found = require("typescript") as TypeScriptApi;
  } catch (e) {
    throw new FlyteError({
      subject: "loading TypeScript sources",
      problem: `@flytekit-ts/core's own typescript ${PINNED_TYPESCRIPT} was not found from ${dirname(new URL(import.meta.url).pathname)} (${(e as Error).message.split("\n")[0]})`,
      fix: "reinstall @flytekit-ts/core with its dependencies (npm install), or compile your modules with tsc and load the JavaScript",
    });
  }
  if (found.version !== PINNED_TYPESCRIPT) {
    throw new FlyteError({
      subject: "loading TypeScript sources",
      expected: `@flytekit-ts/core's own typescript ${PINNED_TYPESCRIPT}`,
      got: `typescript ${String(found.version)} from ${require.resolve("typescript")}`,
      problem: "an override or a package manager's hoisting replaced core's dependency",
      fix: `let @flytekit-ts/core keep typescript ${PINNED_TYPESCRIPT} (remove the override), or compile your modules with tsc and load the JavaScript`,
    });
  }
  compiler = found;
  return found;
}
