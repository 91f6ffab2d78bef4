// The `flytekit-ts` command as a user runs it: serialize (and what it refuses), package, run.
import { fromBinary } from "@bufbuild/protobuf";
import { admin } from "@flytekit-ts/core/idl";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { CLI_BIN, cleanEnv, EXECUTE_BIN, readOutputs, REPO_ROOT, runProcess, TEST_ROOT, workArea } from "./support/execute.js";
import { pbjs, plain, type PbjsMessage } from "./support/pbjs.js";
import { fromLiteralMap, toLiteralMap } from "@flytekit-ts/core/internal";
import { Int } from "@flytekit-ts/core";

const cli = (args: readonly string[], cwd = TEST_ROOT) => runProcess(process.execPath, [CLI_BIN, ...args], { cwd, env: cleanEnv() });
const GPU = "gpu=ghcr.io/org/gpu:cuda12";
const scratch = () => mkdtempSync(join(tmpdir(), "flytekit-ts-cli-"));
const golden = join(import.meta.dirname, "golden/entrypoint");
const manifest = JSON.parse(readFileSync(join(golden, "manifest.json"), "utf8")) as {
  package: { gzip_header: { cm: number; flg: number; os: number; xfl: number; fname: string }; tar_headers: { magic?: string; version?: string; typeflag?: string; name?: string }[] };
};

/** A directory's files and their bytes, to prove a failed command changed nothing. */
function snapshot(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f)).toString("hex")]));
}

describe("flytekit-ts serialize refuses, names the module and the task, and leaves DIR as it was", () => {
  const cases: [string, string, RegExp][] = [
    ["a module that fails to import", "support/cli/bad-import.ts", /flytekit-ts: module support\/cli\/bad-import\.ts: it failed to import: the settings service is unreachable/],
    [
      "two tasks of one name",
      "support/cli/duplicate.ts",
      /flytekit-ts: task 'shared\.name': two tasks have this name: First\.run in .*duplicate\.ts and Second\.run in .*duplicate\.ts; give one a name of its own/,
    ],
    [
      "a task whose interface cannot be inferred",
      "support/cli/untyped.ts",
      /flytekit-ts: module support\/cli\/untyped\.ts, task Untyped\.total: task 'support\.cli\.untyped\.Untyped\.total', parameter 0 'xs': .*inputs: \{ xs: List\(Int\) \}/s,
    ],
  ];
  for (const [what, module, message] of cases) {
    it(what, async () => {
      const parent = scratch();
      const dir = join(parent, "out");
      // An existing DIR keeps what it held; a new one is not created.
      mkdirSync(dir);
      writeFileSync(join(dir, "0_earlier_1.pb"), "earlier");
      const before = snapshot(dir);
      const r = await cli(["serialize", "--out", dir, "--image", "img:1", "--image", GPU, "support/e2e-tasks.ts", module]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(snapshot(dir)).toEqual(before);
      expect(readdirSync(parent)).toEqual(["out"]);
      const fresh = join(parent, "fresh");
      const again = await cli(["serialize", "--out", fresh, "--image", "img:1", module]);
      expect(again.code).toBe(1);
      expect(existsSync(fresh)).toBe(false);
      expect(readdirSync(parent)).toEqual(["out"]);
    });
  }

  it("a container task needs an image, and says so", async () => {
    const r = await cli(["serialize", "--out", join(scratch(), "out"), "support/e2e-tasks.ts"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("task 'support.e2e-tasks.Pipelines.add'");
    expect(r.stderr).toContain("--image");
  });

  it("an option it does not know is an error, not a silent default", async () => {
    const r = await cli(["serialize", "--out", join(scratch(), "out"), "--verison", "v1", "--image", "img:1", "support/e2e-tasks.ts"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("serialize: unknown option --verison; its options are --out, --project, --domain, --version, --image");
  });

  it("a bad --image names the flag and the image", async () => {
    const r = await cli(["serialize", "--out", join(scratch(), "out"), "--image", "nonsense", "support/e2e-tasks.ts"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("flytekit-ts: --image nonsense: Incorrectly formatted image nonsense, missing tag or digest");
    expect(r.stderr).not.toContain("    at ");
  });

  it("--project, --domain, --version, --image and --env are checked as Flyte checks them, naming the flag, before anything is written", async () => {
    const cases: [string[], string][] = [
      [["--project", "proj\nX"], `flytekit-ts: --project: expected a project id as Flyte takes it: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters, got "proj\\nX", which holds the character U+000A`],
      [["--project", "My_Project"], `--project: expected a project id as Flyte takes it`],
      [["--domain", "dev elopment"], `--domain: expected a domain id as Flyte takes it: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters, got "dev elopment", which holds a space`],
      [["--version", "v1\n--evil"], `flytekit-ts: --version: expected a version of letters, digits and _ . - + : @ = ~ (not starting with '-'), at most 255 characters, got "v1\\n--evil", which holds the character U+000A`],
      [["--version", "--evil"], `--version: expected a version`],
      [["--image", "ghcr.io/acme app:v1"], `flytekit-ts: --image: expected an image reference: [registry[:port]/]repository[:tag][@digest], the repository in lowercase, got "ghcr.io/acme app:v1", which holds a space`],
      [["--image", "gpu=ghcr.io/Org/gpu:1"], `--image gpu: expected an image reference`],
      [["--image", "img:1", "--env", "BAD NAME=1"], `--env: expected KEY=VALUE with KEY a variable name`],
    ];
    for (const [flags, message] of cases) {
      const out = join(scratch(), "out");
      const r = await cli(["package", "--output", join(out, "flyte-package.tgz"), ...(flags.includes("--image") ? [] : ["--image", "img:1"]), ...flags, "support/e2e-tasks.ts"]);
      expect(r.code, flags.join(" ")).toBe(1);
      expect(r.stderr, flags.join(" ")).toContain(message);
      expect(existsSync(out), flags.join(" ")).toBe(false);
      const serialized = await cli(["serialize", "--out", out, ...(flags.includes("--image") ? [] : ["--image", "img:1"]), ...flags, "support/e2e-tasks.ts"]);
      expect(serialized.stderr, flags.join(" ")).toContain(message);
      expect(existsSync(out), flags.join(" ")).toBe(false);
    }
    // What Flyte takes passes: a registry with a port, a digest, a version with + and :.
    const out = join(scratch(), "out");
    const ok = await cli(["serialize", "--out", out, "--project", "flytesnacks", "--domain", "development", "--version", "v1.2+build:7", "--image", "localhost:30000/acme/app_x:v1@sha256:" + "ab".repeat(32), "--image", GPU, "support/e2e-tasks.ts"]);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it("bad usage is named: no --out, no module, an unknown command", async () => {
    expect((await cli(["serialize", "support/e2e-tasks.ts"])).stderr).toContain("flytekit-ts: serialize: --out DIR is required");
    expect((await cli(["serialize", "--out", scratch()])).stderr).toContain("flytekit-ts: serialize: no module given; name at least one module");
    const unknown = await cli(["serialise"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "serialise"');
  });
});

describe("flytekit-ts serialize", () => {
  it("skips reference tasks (registered elsewhere) and serializes the rest, echo included", async () => {
    const dir = join(scratch(), "out");
    const r = await cli(["serialize", "--out", dir, "--image", "img:1", "support/golden-tasks.ts"]);
    expect(r.code, r.stderr).toBe(0);
    const names = readdirSync(dir).map((f) => fromBinary(admin.TaskSpecSchema, readFileSync(join(dir, f))).template!.id!.name);
    expect(names).toContain("golden_tasks.add");
    expect(names).toContain("echo");
    expect(names).not.toContain("recipes.aaa.simple.join_strings");
    // Zero-padded to the count's digits, as pyflyte does: 9 files → one digit.
    expect(readdirSync(dir).sort()[0]).toMatch(/^0_/);
  });

  it("numbers the files in the order the tasks were declared, as pyflyte does (not the exports' alphabetical order)", async () => {
    const dir = join(scratch(), "out");
    const r = await cli(["serialize", "--out", dir, "--image", "img:1", "support/cli/order.ts"]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["0_order.zeta_1.pb", "1_order.alpha_1.pb", "2_order.middle_1.pb"]);
  });

  it("pads the index as pyflyte does: ceil(log10(n)) digits, so 10 files take one and 11 take two", async () => {
    const { indexWidth } = await import("@flytekit-ts/cli");
    expect([0, 1, 9, 10, 11, 100, 101, 1000, 1001].map(indexWidth)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4]);
  });

  it("modules with no tasks: a warning, nothing written, exit 0 (as pyflyte)", async () => {
    const dir = join(scratch(), "out");
    const r = await cli(["serialize", "--out", dir, "support/cli/empty.ts"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("No flyte objects found in support/cli/empty.ts");
    expect(existsSync(dir)).toBe(false);
    const output = join(scratch(), "flyte-package.tgz");
    const p = await cli(["package", "--output", output, "support/cli/empty.ts"]);
    expect(p.code).toBe(0);
    expect(existsSync(output)).toBe(false);
  });

  it("loads compiled JavaScript too: module names come from the sources, the container imports the .js", async () => {
    const examples = join(REPO_ROOT, "examples");
    const dir = join(scratch(), "out");
    const r = await cli(["serialize", "--out", dir, "--image", "img:1", "dist/math.js"], examples);
    expect(r.code, r.stderr).toBe(0);
    const file = readdirSync(dir).find((f) => f.includes("math.Pipelines.add"))!;
    const template = fromBinary(admin.TaskSpecSchema, readFileSync(join(dir, file))).template!;
    expect(template.id!.name).toBe("math.Pipelines.add");
    const args = template.target.case === "container" ? template.target.value.args : [];
    expect(args.slice(-4)).toEqual(["task-module", "dist/math.js", "task-name", "Pipelines.add"]);

    // The container runs it from the package root, from those args.
    const area = workArea(toLiteralMap({ x: Int, y: Int }, { x: 5, y: 6 }));
    const filled = args.slice(1).map((a) => ({ "{{.input}}": area.inputs, "{{.outputPrefix}}": area.out })[a] ?? a);
    const run = readOutputs(area.out, await runProcess(process.execPath, [EXECUTE_BIN, ...filled], { cwd: examples, env: cleanEnv() }));
    expect(run.files, run.stderr).toEqual(["outputs.pb"]);
    expect(fromLiteralMap({ o0: Int }, run.outputs!, "output")).toEqual({ o0: 11 });
  });
});

/** The members of a .tgz, as GNU tar (an independent reader) lists them, in order. */
function tarList(file: string): string[] {
  return execFileSync("tar", ["-tzf", file], { encoding: "utf8" }).trim().split("\n");
}

describe("flytekit-ts package", () => {
  it("writes flyte-package.tgz as pyflyte package does: gzip header, PAX members in order, TaskSpec files that decode", async () => {
    const dir = scratch();
    const output = join(dir, "flyte-package.tgz");
    const r = await cli(["package", "--output", output, "--image", "docker.io/xyz:some-git-hash", "--image", GPU, "support/e2e-tasks.ts"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Successfully packaged 4 flyte objects into ${output}`);
    const names = ["Pipelines.add", "Pipelines.shout", "Pipelines.everything", "Pipelines.inPod"].map((n, i) => `${i}_support.e2e-tasks.${n}_1.pb`);
    expect(tarList(output)).toEqual(names);

    const bytes = readFileSync(output);
    const g = manifest.package.gzip_header;
    expect({ cm: bytes[2], flg: bytes[3], xfl: bytes[8], os: bytes[9] }).toEqual({ cm: g.cm, flg: g.flg, xfl: g.xfl, os: g.os });
    expect(bytes.subarray(10, 10 + "flyte-package.tgz".length + 1).toString("latin1")).toBe("flyte-package.tgz\0");

    // Each member after a pax header, ustar magic and version as tarfile writes them; 10240-byte records.
    const archive = gunzipSync(bytes);
    expect(archive.length % 10240).toBe(0);
    const headers: { name: string; typeflag: string; magic: string; version: string }[] = [];
    for (let offset = 0; offset + 512 <= archive.length; ) {
      const h = archive.subarray(offset, offset + 512);
      if (h.every((b) => b === 0)) break;
      const size = parseInt(h.subarray(124, 136).toString("ascii").replace(/\0.*$/, "").trim(), 8);
      headers.push({
        name: h.subarray(0, 100).toString("utf8").replace(/\0.*$/s, ""),
        typeflag: String.fromCharCode(h[156]!),
        magic: h.subarray(257, 263).toString("latin1"),
        version: h.subarray(263, 265).toString("latin1"),
      });
      offset += 512 + Math.ceil(size / 512) * 512;
    }
    const goldenHeaders = manifest.package.tar_headers.filter((t) => t.typeflag !== undefined);
    expect(headers.map((h) => h.typeflag)).toEqual(names.flatMap(() => goldenHeaders.slice(0, 2).map((t) => t.typeflag)));
    expect(headers.filter((h) => h.typeflag === "x").every((h) => h.name === "././@PaxHeader")).toBe(true);
    expect(headers.every((h) => h.magic === goldenHeaders[0]!.magic && h.version === goldenHeaders[0]!.version)).toBe(true);

    // The members, extracted by tar and decoded by protobufjs, are the TaskSpecs serialize writes.
    const extracted = join(dir, "x");
    mkdirSync(extracted);
    execFileSync("tar", ["-xzf", output, "-C", extracted]);
    const serialized = join(dir, "serialized");
    expect((await cli(["serialize", "--out", serialized, "--image", "docker.io/xyz:some-git-hash", "--image", GPU, "support/e2e-tasks.ts"])).code).toBe(0);
    for (const name of names) {
      const spec = (pbjs.flyteidl.admin.TaskSpec as unknown as { decode(b: Uint8Array): PbjsMessage }).decode(readFileSync(join(extracted, name)));
      expect((plain(spec) as { template: { id: { name: string } } }).template.id.name).toBe(name.replace(/^\d+_/, "").replace(/_1\.pb$/, ""));
      expect(readFileSync(join(extracted, name))).toEqual(readFileSync(join(serialized, name)));
    }
  });

  it("refuses to overwrite without -f, and overwrites with it", async () => {
    const output = join(scratch(), "flyte-package.tgz");
    writeFileSync(output, "earlier");
    const refused = await cli(["package", "--output", output, "--image", "img:1", "--image", GPU, "support/e2e-tasks.ts"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("already exists; pass -f");
    expect(readFileSync(output, "utf8")).toBe("earlier");
    const forced = await cli(["package", "--output", output, "-f", "--image", "img:1", "--image", GPU, "support/e2e-tasks.ts"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(tarList(output)).toHaveLength(4);
  });

  it("--fast adds the code as fast<digest>.tar.gz, and the templates unpack it to /root (pyflyte package's default)", async () => {
    const dir = scratch();
    const source = join(dir, "project");
    mkdirSync(join(source, "support"), { recursive: true });
    mkdirSync(join(source, "node_modules", "dep"), { recursive: true });
    writeFileSync(join(source, "support", "code.ts"), "export const x = 1;");
    writeFileSync(join(source, "node_modules", "dep", "index.js"), "left out");
    const output = join(dir, "flyte-package.tgz");
    const r = await cli(["package", "--fast", "--source", source, "--output", output, "--image", "img:1", "--image", GPU, "support/e2e-tasks.ts"]);
    expect(r.code, r.stderr).toBe(0);
    const members = tarList(output);
    expect(members).toHaveLength(5);
    const code = members.find((m) => /^fast[0-9a-f]{32}\.tar\.gz$/.test(m));
    expect(code).toBeDefined();
    const extracted = join(dir, "x");
    mkdirSync(extracted);
    execFileSync("tar", ["-xzf", output, "-C", extracted]);
    expect(execFileSync("tar", ["-tzf", join(extracted, code!)], { encoding: "utf8" }).trim().split("\n")).toEqual(["support/code.ts"]);
    const spec = fromBinary(admin.TaskSpecSchema, readFileSync(join(extracted, members[0]!)));
    const args = spec.template!.target.case === "container" ? spec.template!.target.value.args : [];
    expect(args.slice(0, 6)).toEqual(["flytekit-ts-fast-execute", "--additional-distribution", "{{ .remote_package_path }}", "--dest-dir", "/root", "--"]);
  });

  it("a failing module leaves no archive", async () => {
    const output = join(scratch(), "flyte-package.tgz");
    const r = await cli(["package", "--output", output, "--image", "img:1", "support/cli/bad-import.ts"]);
    expect(r.code).toBe(1);
    expect(existsSync(output)).toBe(false);
  });
});

describe("flytekit-ts run", () => {
  const module = "support/cli/run-tasks.ts";

  it("runs a task with inputs read by their types and prints its outputs", async () => {
    const r = await cli(["run", module, "Cli.add", "--x", "40", "--y=2"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe("o0: 42");
  });

  it("reads lists, dicts and records as JSON, enums and dates as text; an Optional's flag is its inner type", async () => {
    const r = await cli([
      "run", module, "Cli.describe",
      "--xs", "[1,2,3]",
      "--weights", '{"a":0.5,"b":1}',
      "--box", '{"width":2,"height":3.5,"labels":["x","y"]}',
      "--mode", "careful",
      "--verbose", "yes",
      "--at", "2026-11-21T08:00:00Z",
      "--note", "hello",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("summary: '3 xs summing to 6, weights a+b, careful, verbose=true, at 2026-11-21T08:00:00.000Z, note=hello, labels=x|y, box is a Box: true'");
    expect(r.stdout).toContain("area: 7");
  });

  it("an input left out gets the function's own default", async () => {
    const r = await cli(["run", module, "Cli.describe", "--xs", "[]", "--weights", "{}", "--box", '{"width":1,"height":1}', "--mode", "fast", "--verbose", "no", "--at", "2026-01-01T00:00:00Z"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("note=none");
  });

  it("--help lists the inputs with their types, how to write them, defaults and descriptions", async () => {
    const r = await cli(["run", module, "Cli.add", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: flytekit-ts run ${module} Cli.add --x Int --y Int`);
    expect(r.stdout).toContain("support.cli.run-tasks.Cli.add: Adds two integers.");
    expect(r.stdout).toContain("  --x Int  integer  the first");
    expect(r.stdout).toContain("  o0: Int");
    const describeHelp = await cli(["run", module, "Cli.describe", "--help"]);
    expect(describeHelp.stdout).toContain('  --note Optional(Str)  text; leave it out for none (default: "none")');
    expect(describeHelp.stdout).toContain("  --box Box  JSON");
  });

  it("bad flags name the input and the expected type", async () => {
    const notInt = await cli(["run", module, "Cli.add", "--x", "1.5", "--y", "2"]);
    expect(notInt.code).toBe(1);
    expect(notInt.stderr).toContain(`flytekit-ts: task 'support.cli.run-tasks.Cli.add', --x: expected Int (integer), got "1.5"`);
    const unknown = await cli(["run", module, "Cli.add", "--z", "1"]);
    expect(unknown.stderr).toContain("flytekit-ts: task 'support.cli.run-tasks.Cli.add', --z: no such input (inputs: --x, --y)");
    const missing = await cli(["run", module, "Cli.add", "--x", "1"]);
    expect(missing.stderr).toContain("flytekit-ts: task 'support.cli.run-tasks.Cli.add', input 'y': expected Int, got nothing: it is required");
    const badJson = await cli(["run", module, "Cli.describe", "--xs", "[1,", "--weights", "{}"]);
    expect(badJson.stderr).toContain(`flytekit-ts: task 'support.cli.run-tasks.Cli.describe', --xs: expected List(Int) (JSON), got "[1,": not valid JSON`);
    const badRecord = await cli(["run", module, "Cli.describe", "--xs", "[]", "--weights", "{}", "--box", '{"width":"wide"}', "--mode", "fast", "--verbose", "no", "--at", "2026-01-01T00:00:00Z"]);
    expect(badRecord.code).toBe(1);
    expect(badRecord.stderr).toMatch(/input 'box'\.width: expected Float, got "wide" \(string\)/);
    const noTask = await cli(["run", module, "Cli.nope"]);
    expect(noTask.stderr).toContain("has no task Cli.nope (tasks: Cli.add, Cli.describe, Cli.fails)");
  });

  it("a task that fails prints its error and exits 1", async () => {
    const r = await cli(["run", module, "Cli.fails", "--x", "7"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no good: 7");
  });
});
