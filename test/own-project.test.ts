// README's "Use it in your project", followed in a new folder outside the repository: the packages
// packed as npm would publish them, installed with the section's commands (the registry for the
// rest), the section's package.json, tsconfig.json and sources written as they are printed, and its
// commands run. What the section says happens is checked: outputs, the compiler `npx tsc` runs, an
// inputs.pb the container reads, the package flytectl registers, and the Python reference task's
// interface against the registered task's.
import { equals } from "@bufbuild/protobuf";
import { Int } from "@flytekit-ts/core";
import { admin, decode, LiteralMapSchema, TypedInterfaceSchema } from "@flytekit-ts/core/idl";
import { fromLiteralMap, gunzip, untar } from "@flytekit-ts/core/internal";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runProcess } from "./support/execute.js";
import { ensureFlytekit } from "./support/python.js";

/** The section's captioned blocks: a paragraph that starts with `caption`, then a fenced block. */
function sectionBlocks(): Map<string, string> {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const start = readme.indexOf("## Use it in your project\n");
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end);
  const blocks = new Map<string, string>();
  for (const [, caption, , text] of section.matchAll(/\n\n`([^`]+)`((?:[^\n]|\n(?!\n))*)\n\n```\w+\n([\s\S]*?)\n```/g)) blocks.set(caption!, text!);
  return blocks;
}

/** A block's commands: one per line (a trailing `\` continues it), comments dropped. */
function commands(block: string): string[] {
  return block
    .replace(/\\\n\s*/g, "")
    .split("\n")
    .map((l) => l.replace(/\s+#.*$/, "").trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

const blocks = sectionBlocks();
const block = (caption: string): string => {
  const text = blocks.get(caption);
  if (text === undefined) throw new Error(`README's "Use it in your project" has no block captioned \`${caption}\` (it has: ${[...blocks.keys()].join(", ")})`);
  return text;
};

let project = "";
const tarballs = new Map<string, string>();

/** Runs a shell command line in the project, as a user types it. */
async function sh(line: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" };
  return runProcess("sh", ["-c", line], { cwd: project, env });
}

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), "flytekit-ts-own-project-"));
  const packs = join(project, "..", `${project.split("/").pop()}-packs`);
  mkdirSync(packs);
  for (const pkg of ["core", "decorators", "cli"]) {
    const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", packs], { cwd: join(REPO_ROOT, "packages", pkg), encoding: "utf8" }).trim().split("\n").pop()!;
    tarballs.set(`@flytekit-ts/${pkg}`, join(packs, name));
  }
  // `npm install` in a folder with nothing else: npm writes package.json; the section's fields join it.
  for (const line of commands(block("install"))) {
    const r = await sh(line.replace(/@flytekit-ts\/[a-z]+/g, (name) => tarballs.get(name) ?? name));
    expect(r.code, `${line}\n${r.stderr}`).toBe(0);
  }
  const written = JSON.parse(readFileSync(join(project, "package.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(join(project, "package.json"), JSON.stringify({ ...written, ...(JSON.parse(block("package.json")) as object) }, null, 2));
  for (const file of ["tsconfig.json", "src/pipelines.ts", "src/make-inputs.ts"]) {
    mkdirSync(dirname(join(project, file)), { recursive: true });
    writeFileSync(join(project, file), block(file));
  }
}, 300_000);

describe("README's \"Use it in your project\", followed in a new folder", { timeout: 240_000 }, () => {
  it("the published packages hold no tests, and install from their tarballs with the registry for the rest", () => {
    for (const tarball of tarballs.values()) {
      const files = untar(gunzip(readFileSync(tarball), tarball)).map((e) => e.path);
      expect(files.length, tarball).toBeGreaterThan(10);
      expect(files.filter((f) => /\.test\.|\/testing\.ts$|__fixtures__/.test(f)), tarball).toEqual([]);
    }
    expect(existsSync(join(project, "node_modules/@flytekit-ts/core/package.json"))).toBe(true);
  });

  it("npx tsc is the project's own TypeScript (7.x, what npm installs today); the SDK's 6.0.3 stays inside core", async () => {
    expect((await sh("npx tsc -v")).stdout.trim()).toMatch(/^Version 7\./);
    const pinned = JSON.parse(readFileSync(join(project, "node_modules/@flytekit-ts/core/node_modules/typescript/package.json"), "utf8")) as { version: string };
    expect(pinned.version).toBe("6.0.3");
  });

  it("runs locally from the sources and, built by flytekit-ts build (the .d.ts files checked with exactOptionalPropertyTypes), from the JavaScript and its manifest", async () => {
    const outputs: string[] = [];
    for (const line of commands(block("run locally"))) {
      const r = await sh(line);
      expect(r.code, `${line}\n${r.stdout}${r.stderr}`).toBe(0);
      if (line.includes("flytekit-ts run")) {
        expect(r.stderr, line).toBe("");
        outputs.push(r.stdout.trim());
      }
    }
    expect(outputs).toEqual(["o0: 3", "total: 6\nmean: 2"]);
  });

  it("runs a task as its container does, from an inputs.pb made by inputsToBinary", async () => {
    for (const line of commands(block("run as the container does"))) {
      const r = await sh(line);
      expect(r.code, `${line}\n${r.stdout}${r.stderr}`).toBe(0);
    }
    const outputs = decode(LiteralMapSchema, readFileSync(join(project, "out", "outputs.pb")));
    expect(fromLiteralMap({ o0: Int }, outputs, "output")).toEqual({ o0: 42 });
  });

  it("packages the tasks for flytectl register files, and a Python reference_task with the section's interface matches the registered task", async () => {
    const [packageLine, registerLine, getLine] = commands(block("register and run on Flyte"));
    const r = await sh(packageLine!);
    expect(r.code, r.stderr).toBe(0);
    const archive = /--output (\S+)/.exec(packageLine!)![1]!;
    expect(registerLine).toContain(`--archive ${archive}`);
    const entries = untar(gunzip(readFileSync(join(project, archive)), archive));
    const taskName = /get task .* (\S+) --version/.exec(getLine!)![1]!;
    const entry = entries.find((e) => e.path.includes(`_${taskName}_`));
    expect(entry, `${taskName} in ${entries.map((e) => e.path).join(", ")}`).toBeDefined();
    const spec = decode(admin.TaskSpecSchema, entry!.data);
    const target = spec.template!.target;
    expect(target.case).toBe("container");
    expect(target.case === "container" ? target.value.args : []).toEqual(expect.arrayContaining(["task-module", "dist/pipelines.js", "task-name", "Pipelines.add"]));

    const python = block("a Python workflow calling the TypeScript task");
    expect(python).toContain(`name="${taskName}"`);
    const { python: interpreter } = ensureFlytekit();
    writeFileSync(join(project, "workflows.py"), python);
    const script = [
      "import sys; sys.path.insert(0, '.')",
      "import workflows",
      "from flytekit.core.interface import transform_interface_to_typed_interface",
      "print(transform_interface_to_typed_interface(workflows.add.python_interface).to_flyte_idl().SerializeToString().hex())",
      "print(workflows.plus_one.name)",
    ].join("\n");
    const out = execFileSync(interpreter, ["-c", script], { cwd: project, encoding: "utf8" }).trim().split("\n");
    const theirs = decode(TypedInterfaceSchema, Buffer.from(out.at(-2)!, "hex"));
    expect(equals(TypedInterfaceSchema, theirs, spec.template!.interface!)).toBe(true);
    expect(out.at(-1)).toBe("workflows.plus_one");
  }, 120_000);

  it("the section's pipelines compiled by the project's own tsc (7.x) get their manifests from npx flytekit-ts build --no-emit (core's TypeScript 6), and run typed from their types", async () => {
    mkdirSync(join(project, "own"), { recursive: true });
    writeFileSync(join(project, "own", "tsconfig.json"), JSON.stringify({ extends: "../tsconfig.json", compilerOptions: { rootDir: "../src", outDir: "dist" }, include: ["../src"] }));
    for (const line of ["npx tsc -p own", "npx flytekit-ts build --no-emit -p own"]) {
      const r = await sh(line);
      expect(r.code, `${line}\n${r.stdout}${r.stderr}`).toBe(0);
    }
    expect(existsSync(join(project, "own/dist/pipelines.js.flyte.json"))).toBe(true);
    const ok = await sh("npx flytekit-ts run own/dist/pipelines.js Pipelines.add --x 20 --y 22");
    expect(ok.stdout.trim(), ok.stderr).toBe("o0: 42");
    const half = await sh("npx flytekit-ts run own/dist/pipelines.js Pipelines.add --x 1.5 --y 2");
    expect(half.code).not.toBe(0);
    expect(half.stderr).toContain("expected Int");
  });

  it("with experimentalDecorators and emitDecoratorMetadata instead, flytekit-ts build types the same tasks; plain tsc's JavaScript has only TypeScript's metadata, which cannot say int, and the error says to build", async () => {
    const tsconfig = JSON.parse(block("tsconfig.json")) as { compilerOptions: Record<string, unknown>; include?: string[] };
    Object.assign(tsconfig.compilerOptions, { experimentalDecorators: true, emitDecoratorMetadata: true, rootDir: "../src", outDir: "dist" });
    tsconfig.include = ["../src"];
    mkdirSync(join(project, "legacy"), { recursive: true });
    writeFileSync(join(project, "legacy", "tsconfig.json"), JSON.stringify(tsconfig));
    const tsc = await sh("npx tsc -p legacy");
    expect(tsc.code, tsc.stdout + tsc.stderr).toBe(0);
    expect(existsSync(join(project, "legacy/dist/pipelines.js.flyte.json"))).toBe(false);
    const untyped = await sh("npx flytekit-ts run legacy/dist/pipelines.js Pipelines.add --x 20 --y 22");
    expect(untyped.code).not.toBe(0);
    expect(untyped.stderr).toContain("flytekit-ts build");
    const build = await sh("npx flytekit-ts build -p legacy");
    expect(build.code, build.stdout + build.stderr).toBe(0);
    const typed = await sh("npx flytekit-ts run legacy/dist/pipelines.js Pipelines.add --x 20 --y 22");
    expect(typed.stdout.trim(), typed.stderr).toBe("o0: 42");
  });

  it("with TypeScript 5.9 as the project's compiler instead, npx tsc is 5.9, and the project builds and runs the same", async () => {
    const install = await sh("npm install --save-dev typescript@5.9.3");
    expect(install.code, install.stderr).toBe(0);
    expect((await sh("npx tsc -v")).stdout.trim()).toBe("Version 5.9.3");
    const build = await sh("npm run build");
    expect(build.code, build.stdout + build.stderr).toBe(0);
    for (const module of ["src/pipelines.ts", "dist/pipelines.js"]) {
      const r = await sh(`npx flytekit-ts run ${module} Pipelines.distance --a '{"x":0,"y":0}' --b '{"x":3,"y":4}'`);
      expect(r.stdout.trim(), r.stderr).toBe("o0: 5");
    }
  }, 120_000);
});
