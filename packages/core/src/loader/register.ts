// Lets Node import TypeScript sources directly, compiled as the project's tsc compiles them
// (decorator metadata included when its tsconfig asks for it): the CLI and the container entrypoint
// register these hooks before importing a user's .ts module. TypeScript itself transpiles each
// file, the version core pins (never the user's, which may be 7.x without a JavaScript API, or
// absent); esbuild and tsx would drop the metadata the SDK reads.
import { register } from "node:module";

let registered = false;

/** Registers the TypeScript loader hooks once for this process. */
export function registerTypeScriptLoader(): void {
  if (registered) return;
  registered = true;
  // Errors in loaded TypeScript report their lines in the source (the hooks inline a source map).
  process.setSourceMapsEnabled(true);
  register(new URL("./ts-hooks.js", import.meta.url).href, import.meta.url);
}
