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

const cli = (args: readonly string[], cwd = TEST_ROOT, env: NodeJS.ProcessEnv = {}) => runProcess(process.execPath, [CLI_BIN, ...args], { cwd, env: { ...cleanEnv(), ...env } });
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
      // The task's own error (its type, read from the source, is a tuple), once, with where it was found.
      /^flytekit-ts: task 'support\.cli\.untyped\.Untyped\.total', input 'xs': its type is `\[number, number\]`: a tuple is not a Flyte type \(.*support\/cli\/untyped\.ts:7:20, FTS1008\); .* \(Untyped\.total in support\/cli\/untyped\.ts\)$/ms,
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
    expect(r.code).toBe(2);
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

describe("flytekit-ts --help, each command's --help, and usage errors", () => {
  it("--help and -h print the usage and options of flytekit-ts and of each command, and exit 0", async () => {
    const cases: [string[], string[]][] = [
      [["--help"], ["Usage: flytekit-ts COMMAND", "build [-p TSCONFIG] [--no-emit]", "serialize --out DIR", "package [--output FILE]", "run [--json] FILE", "--version"]],
      [["-h"], ["Usage: flytekit-ts COMMAND"]],
      [["help", "run"], ["Usage: flytekit-ts run [--json] FILE"]],
      [["serialize", "--help"], ["Usage: flytekit-ts serialize --out DIR [options] MODULES...", "--out DIR", "--json", "--project P", "--image IMAGE", "--env KEY=VALUE", "--fast", "Reference tasks"]],
      [["serialize", "-h"], ["Usage: flytekit-ts serialize"]],
      [["package", "--help"], ["Usage: flytekit-ts package [--output FILE] [-f] [options] MODULES...", "--output FILE", "-f, --force", "--source DIR", "--image IMAGE"]],
      [["package", "-h"], ["Usage: flytekit-ts package"]],
      [["run", "--help"], ["Usage: flytekit-ts run [--json] FILE [TASK [--INPUT VALUE]...]", "--json", "TASK --help"]],
      [["run", "-h"], ["Usage: flytekit-ts run"]],
      [["build", "--help"], ["Usage: flytekit-ts build [-p TSCONFIG] [--no-emit]", "-p TSCONFIG", "--no-emit", "error FTS<code>", "Exit status: 0 built, 1 errors, 2"]],
      [["help", "build"], ["Usage: flytekit-ts build"]],
    ];
    for (const [args, texts] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(" ")).toBe(0);
      expect(r.stderr, args.join(" ")).toBe("");
      for (const text of texts) expect(r.stdout, args.join(" ")).toContain(text);
    }
  });

  it("run --help says where the types come from, and that without a manifest a string enum needs Enum(...) declared, since TypeScript reflects it as String", async () => {
    const r = await cli(["run", "--help"]);
    expect(r.stdout).toContain("the manifest flytekit-ts build wrote beside compiled JavaScript");
    expect(r.stdout).toContain("TypeScript reflects a string enum as String");
    expect(r.stdout).toContain("@task({ inputs: { c: Enum(Color) } })");
  });

  it("an unknown command or option prints a short error and where the help is, and exits 2 (as click does)", async () => {
    const cases: [string[], string, string][] = [
      [["serialise"], 'flytekit-ts: unknown command "serialise"; the commands are build, serialize, package, run', "Try 'flytekit-ts --help' for help."],
      [["--bogus"], "flytekit-ts: unknown option --bogus", "Try 'flytekit-ts --help' for help."],
      [["serialize", "--bogus", "x.ts"], "flytekit-ts: serialize: unknown option --bogus; its options are --out,", "Try 'flytekit-ts serialize --help' for help."],
      [["package", "--bogus", "x.ts"], "flytekit-ts: package: unknown option --bogus; its options are --output,", "Try 'flytekit-ts package --help' for help."],
      [["run", "--bogus", "support/cli/run-tasks.ts"], "flytekit-ts: run: unknown option --bogus; its options are --json, --help", "Try 'flytekit-ts run --help' for help."],
      [["run"], "flytekit-ts: run: it needs a file", "Try 'flytekit-ts run --help' for help."],
      [["build", "--bogus"], "flytekit-ts: build: unknown option --bogus; its options are -p, --no-emit, --help", "Try 'flytekit-ts build --help' for help."],
      [["build", "src/x.ts"], 'flytekit-ts: build: it takes no modules (got "src/x.ts"); it builds the project of -p TSCONFIG', "Try 'flytekit-ts build --help' for help."],
      [["build", "-p"], "flytekit-ts: -p: expected a tsconfig.json or its folder, got nothing", "Try 'flytekit-ts build --help' for help."],
    ];
    for (const [args, error, hint] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toContain(error);
      expect(r.stderr, args.join(" ")).toContain(hint);
      // Short: the error and the hint, not the whole usage.
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(2);
      expect(r.stdout, args.join(" ")).toBe("");
    }
  });
});

describe("flytekit-ts serialize", () => {
  it("skips reference tasks (registered elsewhere), names each on stderr, and serializes the rest, echo included", async () => {
    const dir = join(scratch(), "out");
    const r = await cli(["serialize", "--out", dir, "--image", "img:1", "support/golden-tasks.ts"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^Skipped reference task 'recipes\.aaa\.simple\.join_strings' \(GoldenTasks\.ref in .*golden-tasks\.ts\): it is registered elsewhere/m);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    const packaged = await cli(["package", "--output", join(scratch(), "flyte-package.tgz"), "--image", "img:1", "support/golden-tasks.ts"]);
    expect(packaged.code, packaged.stderr).toBe(0);
    expect(packaged.stderr).toContain("Skipped reference task 'recipes.aaa.simple.join_strings' (GoldenTasks.ref in ");
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

describe("flytekit-ts run: listing, help, JSON and dates as pyflyte run reads them", () => {
  const module = "support/cli/run-tasks.ts";
  const values = "support/cli/run-values.ts";
  const schedule = {
    at: "2024-05-01T12:00:00Z",
    also: ["2024-05-02", "2024-05-03T01:02:03.5+02:00"],
    deadlines: { a: "2024-06-01 00:00" },
    until: "2024-07-01T00:00:00Z",
    window: { opens: "2024-05-01T08:00:00", lasts: 1.5 },
  };

  it("FILE without a task lists the file's tasks with their inputs and outputs and says how to run one; exit 2 as pyflyte run FILE", async () => {
    const r = await cli(["run", module]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`Tasks in ${module}:`);
    expect(r.stdout).toMatch(/^ {2}Cli\.add +\(x: Int, y: Int\) -> Int {2}Adds two integers\.$/m);
    expect(r.stdout).toMatch(/^ {2}Cli\.describe +\(xs: List\(Int\), weights: Dict\(Float\), box: Box, mode: Enum\("fast" \| "careful"\), verbose: Bool, at: Datetime, note\?: Optional\(Str\)\) -> summary: Str, area: Float$/m);
    expect(r.stdout).toMatch(/^ {2}Cli\.fails +\(x: Int\) -> nothing$/m);
    expect(r.stdout).toContain(`flytekit-ts run ${module} Cli.add --x VALUE --y VALUE`);
    expect(r.stdout).toContain(`flytekit-ts run ${module} Cli.add --help`);
    const asked = await cli(["run", module, "--help"]);
    expect(asked.code).toBe(0);
    expect(asked.stdout).toBe(r.stdout);
  });

  it("TASK --help lists a record input's fields: name, type, default, nested records under their field", async () => {
    const r = await cli(["run", values, "Values.plan", "--help"]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split("\n");
    const at = lines.findIndex((l) => l.startsWith("  --s Schedule  JSON"));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines.slice(at + 2, at + 10)).toEqual([
      "        title: Str (default: 'untitled')",
      "        at: Datetime (required)",
      "        also: List(Datetime) (default: [])",
      "        deadlines: Dict(Datetime) (default: {})",
      "        until: Optional(Datetime) (default: null)",
      "        window: Optional(Window) (default: null)",
      "          opens: Datetime (required)",
      "          lasts: Duration (default: { seconds: 60, nanos: 0 })",
    ]);
  });

  it("ISO date strings inside a record's JSON are Datetimes at any depth (lists, dicts, nested records, Optional), and numbers there are Durations in seconds", async () => {
    const r = await cli(["run", values, "Values.plan", "--s", JSON.stringify(schedule)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(
      "o0: 'at=2024-05-01T12:00:00.000Z also=2024-05-02T00:00:00.000Z,2024-05-02T23:02:03.500Z deadlines=a:2024-06-01T00:00:00.000Z until=2024-07-01T00:00:00.000Z window=2024-05-01T08:00:00.000Z+1s500000000ns'",
    );
  });

  it("a string that is not a date, or a Duration written as text inside JSON, names the field and what it takes", async () => {
    const notDate = await cli(["run", values, "Values.plan", "--s", JSON.stringify({ ...schedule, also: ["2024-05-02", "next tuesday"] })]);
    expect(notDate.code).toBe(1);
    expect(notDate.stderr.trim()).toBe(
      `flytekit-ts: task 'support.cli.run-values.Values.plan', --s.also[1]: expected Datetime, got "next tuesday" (string): not an ISO 8601 date-time (2024-05-01, 2024-05-01T12:00:00Z, 2024-05-01T12:00:00.5+02:00)`,
    );
    const nested = await cli(["run", values, "Values.plan", "--s", JSON.stringify({ ...schedule, window: { opens: "soon" } })]);
    expect(nested.stderr).toContain(`--s.window.opens: expected Datetime, got "soon" (string): not an ISO 8601 date-time`);
    const textDuration = await cli(["run", values, "Values.plan", "--s", JSON.stringify({ ...schedule, window: { opens: "2024-05-01", lasts: "1:00" } })]);
    expect(textDuration.stderr).toContain(`--s.window.lasts: expected Duration, got "1:00" (string): in JSON a Duration is a number of seconds (90, 1.5)`);
  });

  it("datetime and duration flags take pyflyte's forms: a date shifted by a duration, [h:]m:s, amounts with units", async () => {
    const cases: [string, string, string][] = [
      ["2024-05-01 - 1 day", "1h30m", "2024-04-30T00:00:00.000Z after 5400s0ns"],
      ["2024-05-01T12:00:00Z + 90 minutes", ":22", "2024-05-01T13:30:00.000Z after 22s0ns"],
      ["2024-05-01T12:00:00.250+02:00", "1:02:03.5", "2024-05-01T10:00:00.250Z after 3723s500000000ns"],
      ["2024-05-01", "1.5", "2024-05-01T00:00:00.000Z after 1s500000000ns"],
      ["2024-05-01", "2 weeks, 1 day", "2024-05-01T00:00:00.000Z after 1296000s0ns"],
    ];
    for (const [when, wait, expected] of cases) {
      const r = await cli(["run", values, "Values.when", "--when", when, "--wait", wait]);
      expect(r.stderr, `${when} / ${wait}`).toBe("");
      expect(r.stdout.trim(), `${when} / ${wait}`).toBe(`o0: '${expected}'`);
    }
    const bad = await cli(["run", values, "Values.when", "--when", "2024-05-01", "--wait", "1 fortnight"]);
    expect(bad.stderr).toContain(`--wait: expected Duration (seconds (90, 1.5), [h:]m:s (1:24, :22), or amounts with units (1h30m, 10 days, 2 weeks)), got "1 fortnight"`);
  });

  it("--json prints the outputs as one JSON document: every digit of a big Int, Dates as ISO, files as paths, records as objects, Durations in seconds", async () => {
    const file = join(TEST_ROOT, values);
    const dir = join(TEST_ROOT, "support/cli");
    const expected = {
      big: "BIG",
      ratio: "NaN",
      at: "2024-05-01T12:30:00.000Z",
      wait: 90.0000005,
      file,
      dir,
      color: "blue",
      schedule: { title: "untitled", at: "2024-05-01T12:00:00.000Z", also: [], deadlines: {}, until: null, window: { opens: "2024-05-02T00:00:00.000Z", lasts: 90 } },
      tags: { a: ["x", "y"] },
      meta: { nested: { k: [1, 2] } },
      missing: null,
    };
    for (const args of [["run", "--json", values, "Values.everything"], ["run", values, "--json", "Values.everything"], ["run", values, "Values.everything", "--json"]]) {
      const r = await cli([...args, "--n", "1", "--file", file, "--dir", dir]);
      expect(r.code, r.stderr).toBe(0);
      // 2^60 + 1 is beyond 2^53: written with all its digits, which JSON.parse would round.
      expect(r.stdout).toContain(`"big": ${2n ** 60n + 1n},`);
      expect(JSON.parse(r.stdout.replace(/"big": \d+/, '"big": "BIG"'))).toEqual(expected);
      // What the task prints goes to stderr: stdout is the document alone.
      expect(r.stderr).toContain("this line goes to stderr under --json");
    }
  });

  it("--json's document reads back as flags: the same document again, integers past 2^53, NaN, a dict of integer keys", async () => {
    const flags = {
      xs: "[9007199254740993, -9223372036854775808, 7]",
      rs: '[0.5, "NaN", "Infinity", "-Infinity"]',
      p: '{"y_val": "-Infinity"}',
      d: '[[1, "a"], [18446744073709551615, {"k": [true, null]}]]',
    };
    const first = await cli(["run", "--json", values, "Values.echo", ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, v])]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("9007199254740993,");
    expect(first.stdout).toContain("18446744073709551615,");
    // Each output, as printed, is the flag of the input of its name.
    const again = Object.keys(flags).flatMap((name) => {
      const member = new RegExp(`\\n  "${name}": ([\\s\\S]*?)(?:,\\n  "|\\n}\\s*$)`).exec(first.stdout);
      expect(member, name).not.toBeNull();
      return [`--${name}`, member![1]!];
    });
    const second = await cli(["run", "--json", values, "Values.echo", ...again]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const missing = await cli(["run", values, "Values.echo", "--xs", "[]", "--rs", "[]", "--p", "{}", "--d", "{}"]);
    expect(missing.stderr).toContain(`input 'p'.y: expected Float, got nothing: field "y_val" (property y) of Reading is missing`);
  });

  it("a cache hit is reported on stderr, with the cache version and the cache's directory", async () => {
    const cacheDir = join(scratch(), "cache");
    const env = { FLYTEKIT_TS_LOCAL_CACHE_DIR: cacheDir };
    const first = await cli(["run", values, "Values.square", "--n", "12"], TEST_ROOT, env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("computing 12²");
    expect(first.stderr).not.toContain("cache hit");
    const second = await cli(["run", values, "Values.square", "--n", "12"], TEST_ROOT, env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.trim()).toBe("o0: 144");
    expect(second.stderr.trim()).toBe(`cache hit: task 'support.cli.run-values.Values.square' (version 7), from ${cacheDir}; FLYTE_LOCAL_CACHE_OVERWRITE=true runs it again`);
    const json = await cli(["run", "--json", values, "Values.square", "--n", "12"], TEST_ROOT, env);
    expect(JSON.parse(json.stdout)).toEqual({ o0: 144 });
    expect(json.stderr).toContain("cache hit: task 'support.cli.run-values.Values.square' (version 7)");
    // The environment's settings still hold: an overwrite runs the task.
    const overwrite = await cli(["run", values, "Values.square", "--n", "12"], TEST_ROOT, { ...env, FLYTE_LOCAL_CACHE_OVERWRITE: "true" });
    expect(overwrite.stdout).toContain("computing 12²");
    expect(overwrite.stderr).not.toContain("cache hit");
  });
});
