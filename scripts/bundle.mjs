#!/usr/bin/env node
// Bundles each package's compiled JavaScript (tsc's output in dist/, decorator metadata already
// emitted) into a few files under dist/bundle/, which the packages' "exports" point at. Node 20
// loads ES modules one file at a time, and protobuf-es alone is over a hundred files: bundled, the
// SDK imports in a fraction of the time. No TypeScript goes through esbuild here.
import { build } from "esbuild";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** What each package bundles, and what stays an import of its own. */
const PACKAGES = [
  {
    dir: "packages/core",
    entries: {
      index: "dist/index.js",
      extend: "dist/extend.js",
      internal: "dist/internal.js",
      accelerators: "dist/accelerators.js",
      idl: "dist/idl/index.js",
      registration: "dist/registration.js",
      execute: "dist/execute/entrypoint.js",
      "fast-execute": "dist/execute/fast-execute.js",
      // The cloud stores, each with its SDK: loaded only by import() (the router's built-in stores,
      // s3Storage() and its kin), never by another bundle; named, so that a reader (and the test
      // that proves a local run loads none of them) finds them.
      s3: "dist/storage/s3.js",
      gcs: "dist/storage/gcs.js",
      azure: "dist/storage/azure.js",
      // Loaded by node:module register() in a thread of its own, next to the other bundles.
      "ts-hooks": "dist/loader/ts-hooks.js",
    },
    // class-transformer keeps one metadata store for the user's decorators and ours.
    external: ["class-transformer", "typescript"],
  },
  {
    dir: "packages/decorators",
    entries: { index: "dist/index.js" },
    // reflect-metadata is bundled: it is a global polyfill whose copies share one registry.
    external: ["@flytekit-ts/core", "@flytekit-ts/core/*"],
  },
  {
    dir: "packages/cli",
    entries: { main: "dist/main.js" },
    external: ["@flytekit-ts/core", "@flytekit-ts/core/*", "@bufbuild/protobuf", "@bufbuild/protobuf/*"],
  },
  {
    dir: "packages/plugins",
    // The root, and one entry per plugin folder (its subpath, @flytekit-ts/plugins/<folder>, is the
    // package's "./*" export): adding a plugin needs no change here.
    entries: { index: "dist/index.js", ...folderEntries("packages/plugins") },
    // sql.js finds its WebAssembly file next to its own module: it stays an import.
    external: ["@flytekit-ts/core", "@flytekit-ts/core/*", "@flytekit-ts/decorators", "reflect-metadata", "sql.js", "@bufbuild/protobuf", "@bufbuild/protobuf/*"],
  },
];

/** `{ <folder>: "dist/<folder>/index.js" }` for each folder of src that has an index.ts. */
function folderEntries(dir) {
  const src = join(root, dir, "src");
  const entries = {};
  for (const name of readdirSync(src)) {
    if (statSync(join(src, name)).isDirectory() && existsSync(join(src, name, "index.ts"))) entries[name] = `dist/${name}/index.js`;
  }
  return entries;
}

for (const pkg of PACKAGES) {
  const base = join(root, pkg.dir);
  const outdir = join(base, "dist", "bundle");
  rmSync(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: base,
    entryPoints: Object.fromEntries(Object.entries(pkg.entries).map(([name, file]) => [name, join(base, file)])),
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outdir,
    external: pkg.external,
    sourcemap: "linked",
    logLevel: "warning",
    // CommonJS dependencies inside an ES module bundle need a require of their own.
    banner: { js: 'import { createRequire as __flytekitTsCreateRequire } from "node:module"; const require = __flytekitTsCreateRequire(import.meta.url);' },
  });
}
console.log(`bundled ${PACKAGES.map((p) => p.dir).join(", ")}`);
