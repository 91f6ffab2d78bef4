#!/usr/bin/env node
// Generates protobuf-es (v2) TypeScript for the Flyte IDL from the .proto files shipped in the
// pinned @flyteorg/flyteidl npm package. Runs as the first step of `npm run build`.
//
// The package's own protos/buf.yaml names dependencies on a remote registry, which an offline
// machine cannot reach. core, admin and event import only each other and Google's well-known
// types (which buf carries), so we copy those three folders into a workspace of our own with a
// dependency-free buf.yaml and generate from there. The output replaces src/idl/gen in one rename,
// so a failed run never leaves half a tree behind.
//
// FlyteAdmin's gRPC service (service/admin.proto, the AdminService an eager task talks to) is
// generated too: protobuf-es writes its service descriptor, which Connect's clients and servers
// use. That file imports google/api/annotations.proto and protoc-gen-openapiv2's options, which the
// package does not ship (they come from the remote registry). They only annotate each method with
// its grpc-gateway HTTP route and its OpenAPI text: neither changes a method's name, its messages
// or anything on the gRPC wire. So the copy we generate from has those two imports and every
// `option (...) = {...};` that uses them removed (`withoutGatewayOptions`, which checks that every
// `rpc` of the original is still there).
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
/** Files of flyteidl/service generated (their gateway options removed, see above). */
const SERVICES = ["admin.proto"];
const GATEWAY_IMPORTS = ["google/api/annotations.proto", "protoc-gen-openapiv2/options/annotations.proto"];

const work = join(pkgRoot, ".cache", "idl-proto");
const outTmp = join(pkgRoot, ".cache", "idl-gen");
const outFinal = join(pkgRoot, "src", "idl", "gen");
const stamp = join(outFinal, ".flyteidl-version");

// What the generated tree was made from: a tree from before the services were added is made again.
const made = `${idlVersion} ${PACKAGES.join(",")} ${SERVICES.join(",")}`;
if (process.argv.includes("--if-needed") && existsSync(stamp) && readFileSync(stamp, "utf8") === made) {
  process.exit(0);
}

rmSync(work, { recursive: true, force: true });
rmSync(outTmp, { recursive: true, force: true });
mkdirSync(join(work, "flyteidl"), { recursive: true });
for (const p of PACKAGES) cpSync(join(protoSrc, p), join(work, "flyteidl", p), { recursive: true });
mkdirSync(join(work, "flyteidl", "service"), { recursive: true });
for (const f of SERVICES) {
  writeFileSync(join(work, "flyteidl", "service", f), withoutGatewayOptions(readFileSync(join(protoSrc, "service", f), "utf8"), `service/${f}`));
}

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

writeFileSync(join(outTmp, ".flyteidl-version"), made);
rmSync(outFinal, { recursive: true, force: true });
mkdirSync(dirname(outFinal), { recursive: true });
renameSync(outTmp, outFinal);
rmSync(work, { recursive: true, force: true });
console.log(`generated Flyte IDL ${idlVersion} (${PACKAGES.join(", ")}, ${SERVICES.map((f) => `service/${f}`).join(", ")}) into src/idl/gen`);

/**
 * A .proto text without the grpc-gateway and OpenAPI annotations: the imports of GATEWAY_IMPORTS,
 * and each option statement whose name is a parenthesised extension (`option (google.api.http) =
 * {...};`), found by scanning the text with its comments and strings skipped, so a brace inside
 * either (or a commented-out option) is never counted. Refuses an extension it does not know of:
 * a new annotation in a later flyteidl may matter, and should be looked at, not dropped unseen.
 */
function withoutGatewayOptions(text, what) {
  let out = text;
  for (const imp of GATEWAY_IMPORTS) {
    const line = `import "${imp}";`;
    if (!out.includes(line)) throw new Error(`generate-idl: ${what} no longer imports ${imp}; review withoutGatewayOptions`);
    out = out.replace(`${line}\n`, "");
  }
  const known = /^option\s*\((google\.api\.http|grpc\.gateway\.protoc_gen_openapiv2\.options\.openapiv2_\w+)\)\s*=\s*\{/;
  let result = "";
  let i = 0;
  let removed = 0;
  while (i < out.length) {
    if (out.startsWith("//", i)) {
      const end = out.indexOf("\n", i);
      const stop = end === -1 ? out.length : end;
      result += out.slice(i, stop);
      i = stop;
    } else if (out.startsWith("/*", i)) {
      const stop = out.indexOf("*/", i) + 2;
      result += out.slice(i, stop);
      i = stop;
    } else if (out[i] === '"' || out[i] === "'") {
      const stop = stringEnd(out, i);
      result += out.slice(i, stop);
      i = stop;
    } else if (out.startsWith("option", i) && /\s|\(/.test(out[i + 6] ?? "") && /^option\s*\(/.test(out.slice(i, i + 40))) {
      const match = known.exec(out.slice(i, i + 200));
      if (match === null) throw new Error(`generate-idl: ${what} has an option this script does not know: ${out.slice(i, out.indexOf("\n", i))}`);
      i = blockEnd(out, i + match[0].length - 1);
      // The statement's semicolon, and the rest of its line when only blanks remain.
      while (out[i] === " " || out[i] === "\t") i++;
      if (out[i] === ";") i++;
      const eol = /^[ \t]*\n/.exec(out.slice(i));
      if (eol !== null) {
        i += eol[0].length;
        result = result.replace(/[ \t]*$/, "");
      }
      removed++;
    } else {
      result += out[i];
      i++;
    }
  }
  if (removed === 0) throw new Error(`generate-idl: ${what} had no gateway options to remove; review withoutGatewayOptions`);
  const rpcs = (t) => (t.match(/^\s*rpc\s+\w+\s*\(/gm) ?? []).length;
  if (rpcs(result) !== rpcs(text)) throw new Error(`generate-idl: ${what} had ${rpcs(text)} rpcs, ${rpcs(result)} after its options were removed`);
  return result;
}

/** The index after the string literal that starts at `start`. */
function stringEnd(text, start) {
  const quote = text[start];
  let i = start + 1;
  while (i < text.length && text[i] !== quote) i += text[i] === "\\" ? 2 : 1;
  return i + 1;
}

/** The index after the brace that closes the one at `open`, skipping strings and comments. */
function blockEnd(text, open) {
  let depth = 0;
  let i = open;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'") {
      i = stringEnd(text, i);
      continue;
    }
    if (text.startsWith("//", i)) {
      const end = text.indexOf("\n", i);
      i = end === -1 ? text.length : end;
      continue;
    }
    if (c === "{") depth++;
    if (c === "}" && --depth === 0) return i + 1;
    i++;
  }
  throw new Error("generate-idl: an option's braces are not closed");
}
