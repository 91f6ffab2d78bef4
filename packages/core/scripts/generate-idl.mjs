#!/usr/bin/env node
// Generates protobuf-es (v2) TypeScript for the Flyte IDL from the .proto files shipped in the
// pinned @flyteorg/flyteidl npm package. Runs as the first step of `npm run build`.
//
// The package's own protos/buf.yaml names dependencies on a remote registry, which an offline
// machine cannot reach. core, admin and event import only each other and Google's well-known
// types (which buf carries), so we copy those three folders into a workspace of our own with a
// dependency-free buf.yaml and generate from there. The output replaces src/idl/gen in one rename,
// so a failed run never leaves half a tree behind.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const pkgRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const idlPkgDir = dirname(require.resolve("@flyteorg/flyteidl/package.json"));
const idlVersion = JSON.parse(readFileSync(join(idlPkgDir, "package.json"), "utf8")).version;
const protoSrc = join(idlPkgDir, "protos", "flyteidl");
const PACKAGES = ["core", "admin", "event"];

const work = join(pkgRoot, ".cache", "idl-proto");
const outTmp = join(pkgRoot, ".cache", "idl-gen");
const outFinal = join(pkgRoot, "src", "idl", "gen");
const stamp = join(outFinal, ".flyteidl-version");

if (process.argv.includes("--if-needed") && existsSync(stamp) && readFileSync(stamp, "utf8") === idlVersion) {
  process.exit(0);
}

rmSync(work, { recursive: true, force: true });
rmSync(outTmp, { recursive: true, force: true });
mkdirSync(join(work, "flyteidl"), { recursive: true });
for (const p of PACKAGES) cpSync(join(protoSrc, p), join(work, "flyteidl", p), { recursive: true });

writeFileSync(join(work, "buf.yaml"), "version: v2\nmodules:\n  - path: .\n");
const plugin = join(dirname(require.resolve("@bufbuild/protoc-gen-es/package.json")), "bin", "protoc-gen-es");
writeFileSync(
  join(work, "buf.gen.yaml"),
  [
    "version: v2",
    "plugins:",
    `  - local: ${JSON.stringify(plugin)}`,
    `    out: ${JSON.stringify(outTmp)}`,
    "    opt:",
    "      - target=ts",
    "      - import_extension=js",
    "",
  ].join("\n"),
);

const buf = join(dirname(require.resolve("@bufbuild/buf/package.json")), "bin", "buf");
execFileSync(buf, ["generate", work, "--template", join(work, "buf.gen.yaml")], { stdio: "inherit", cwd: work });

writeFileSync(join(outTmp, ".flyteidl-version"), idlVersion);
rmSync(outFinal, { recursive: true, force: true });
mkdirSync(dirname(outFinal), { recursive: true });
renameSync(outTmp, outFinal);
rmSync(work, { recursive: true, force: true });
console.log(`generated Flyte IDL ${idlVersion} (${PACKAGES.join(", ")}) into src/idl/gen`);
