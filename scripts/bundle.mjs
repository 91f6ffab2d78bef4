#!/usr/bin/env node
// Bundles each package's compiled JavaScript (tsc's output in dist/, decorator metadata already
// emitted) into a few files under dist/bundle/, which the packages' "exports" point at. Node 20
// loads ES modules one file at a time, and protobuf-es alone is over a hundred files: bundled, the
// SDK imports in a fraction of the time. No TypeScript goes through esbuild here.
import { build } from "esbuild";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The table libraries: never bundled (see core's entry). */
const TABLES = ["apache-arrow", "parquet-wasm", "arrow-js-ffi"];

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
      // The cloud stores (their SDKs in chunks of their own, see vendorEntries): loaded only by
      // import() (the router's built-in stores, s3Storage() and its kin), never by another bundle;
      // named, so that a reader (and the test that proves a local run loads none of them) finds them.
      s3: "dist/storage/s3.js",
      gcs: "dist/storage/gcs.js",
      azure: "dist/storage/azure.js",
      // FlyteAdmin's client and an eager task's launcher (Connect, the AdminService): loaded only by
      // import() (execute/admin-launcher.ts) when an eager task's body first calls a task; named,
      // so that a test can tell a plain task's run loaded none of it.
      admin: "dist/execute/admin/index.js",
      // The table codecs: loaded only by import() (tables/formats.ts), when a table of their format
      // is first read or written; named, so that a test can tell a start loaded neither.
      parquet: "dist/tables/parquet.js",
      csv: "dist/tables/csv.js",
      // Loaded by node:module register() in a thread of its own, next to the other bundles.
      "ts-hooks": "dist/loader/ts-hooks.js",
      // The analysis of tasks' TypeScript types and the compiler it runs (the CLI's build, and its
      // run/serialize/package of .ts sources): loaded by import() only when there is TypeScript to
      // read, and its typings (which name TypeScript's) kept out of what a user's program reads.
      analysis: "dist/analysis/index.js",
    },
    // class-transformer keeps one metadata store for the user's decorators and ours. The table
    // libraries stay imports, loaded by import() on first use (tables/runtime.ts): apache-arrow must
    // be the copy a user's `import { Table } from "apache-arrow"` gets (its ES build; a bundled copy
    // would make the user's Table no instance of ours), arrow-js-ffi imports that same copy, and
    // parquet-wasm's Node build reads its .wasm file from beside its own module.
    external: ["class-transformer", "typescript", ...TABLES],
    // The cloud SDKs' ES builds ("module"), not their CommonJS ones: esbuild then keeps only the
    // commands and middleware a store uses (the AWS SDK's CommonJS client is one file of every S3
    // command), and the SDKs' own lazy imports become chunks of their own.
    mainFields: ["module", "main"],
    // The cloud SDKs a store imports go to chunks of their own, apart from the store's code (see
    // vendorEntries): the store keeps its source map, the SDK carries none.
    vendorStores: "dist/storage",
  },
  {
    dir: "packages/decorators",
    entries: { index: "dist/index.js" },
    // reflect-metadata is bundled: it is a global polyfill whose copies share one registry.
    external: ["@flytekit-ts/core", "@flytekit-ts/core/*", ...TABLES],
  },
  {
    dir: "packages/cli",
    entries: { main: "dist/main.js" },
    external: ["@flytekit-ts/core", "@flytekit-ts/core/*", "@bufbuild/protobuf", "@bufbuild/protobuf/*", ...TABLES],
  },
  {
    dir: "packages/plugins",
    // The root, and one entry per plugin folder (its subpath, @flytekit-ts/plugins/<folder>, is the
    // package's "./*" export): adding a plugin needs no change here.
    entries: { index: "dist/index.js", ...folderEntries("packages/plugins") },
    // sql.js finds its WebAssembly file next to its own module: it stays an import.
    external: ["@flytekit-ts/core", "@flytekit-ts/core/*", "@flytekit-ts/decorators", "reflect-metadata", "sql.js", "@bufbuild/protobuf", "@bufbuild/protobuf/*", ...TABLES],
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

/**
 * For each store module of `dir` (tsc's output) that imports a package, an entry that re-exports
 * what the store imports from it: reached from two entries, the SDK's modules leave the store's
 * bundle for shared chunks that hold nothing of ours. `{ "vendor-<store>": <file> }`, written under
 * dist/.vendor (removed after the build, with their outputs: nothing imports them).
 */
function vendorEntries(base, dir) {
  const entries = {};
  const out = join(base, "dist", ".vendor");
  rmSync(out, { recursive: true, force: true });
  for (const name of readdirSync(join(base, dir))) {
    if (!name.endsWith(".js")) continue;
    const code = readFileSync(join(base, dir, name), "utf8");
    const imports = [...code.matchAll(/^import\s*(\{[^}]*\})\s*from\s*"([^".][^"]*)";$/gm)].filter(([, , from]) => !from.startsWith("node:"));
    if (imports.length === 0) continue;
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, name), imports.map(([, names, from]) => `export ${names} from "${from}";\n`).join(""));
    entries[`vendor-${name.replace(/\.js$/, "")}`] = `dist/.vendor/${name}`;
  }
  return entries;
}

/**
 * Outputs made only of dependencies' code (inputs all under node_modules) carry no source map: with
 * source maps on (the container entrypoint turns them on for users' stack traces), Node reads and
 * indexes the map of every module it loads, which for a cloud SDK costs more start-up than it is
 * worth. Their code stays readable (not minified, with esbuild's comments naming each module's
 * file); our code and users' keep their maps.
 */
function unmapDependencyOutputs(metafile, base) {
  for (const [output, meta] of Object.entries(metafile.outputs)) {
    if (!output.endsWith(".js")) continue;
    const inputs = Object.entries(meta.inputs).filter(([, i]) => i.bytesInOutput > 0);
    if (inputs.length === 0 || !inputs.every(([input]) => input.includes("node_modules/"))) continue;
    const file = join(base, output);
    writeFileSync(file, readFileSync(file, "utf8").replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n"));
    rmSync(`${file}.map`, { force: true });
  }
}

for (const pkg of PACKAGES) {
  const base = join(root, pkg.dir);
  const outdir = join(base, "dist", "bundle");
  rmSync(outdir, { recursive: true, force: true });
  const vendor = pkg.vendorStores === undefined ? {} : vendorEntries(base, pkg.vendorStores);
  const result = await build({
    absWorkingDir: base,
    entryPoints: Object.fromEntries(Object.entries({ ...pkg.entries, ...vendor }).map(([name, file]) => [name, join(base, file)])),
    mainFields: pkg.mainFields,
    metafile: true,
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
  for (const name of Object.keys(vendor)) {
    rmSync(join(outdir, `${name}.js`));
    rmSync(join(outdir, `${name}.js.map`), { force: true });
    delete result.metafile.outputs[Object.keys(result.metafile.outputs).find((o) => o.endsWith(`/${name}.js`))];
  }
  rmSync(join(base, "dist", ".vendor"), { recursive: true, force: true });
  unmapDependencyOutputs(result.metafile, base);
}
console.log(`bundled ${PACKAGES.map((p) => p.dir).join(", ")}`);
