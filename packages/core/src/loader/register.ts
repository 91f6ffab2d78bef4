// Lets Node import TypeScript sources directly, with decorator metadata intact: the CLI and the
// container entrypoint register these hooks before importing a user's .ts module. TypeScript
// itself (the user's own `typescript` package, 5.x) transpiles each file; esbuild and tsx would
// drop the metadata the SDK reads.
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
