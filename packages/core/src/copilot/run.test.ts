// runRawContainer on its own (no task around it): the ellipse script run as a local
// process and through the docker stand-in, a failing command, a stopped one, and what is left behind.
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TaskExecutionContext } from "../context/context.js";
import { localServices } from "../context/services.js";
import type { LiteralMap } from "../idl/gen/flyteidl/core/literals_pb.js";
import { Interface } from "../interface/interface.js";

import { toLiteralMap, fromLiteralMap } from "../types/engine.js";
import type { AnyFlyteType } from "../types/type.js";
import { runRawContainer } from "./run.js";
import { Float, Str } from "../types/builtins.js";
import { ContainerExitError, ContainerRuntimeError } from "./run-errors.js";
import type { RawContainerRun } from "./spec.js";

const FIXTURES = join(import.meta.dirname, "../../../../test/fixtures/raw-container");

function iface(inputs: Record<string, AnyFlyteType>, outputs: Record<string, AnyFlyteType>): Interface {
  return new Interface(
    Object.entries(inputs).map(([name, type]) => ({ name, type, optional: false, hasDefaultValue: false, description: "" })),
    Object.entries(outputs).map(([name, type]) => ({ name, type, description: "" })),
  );
}

const ELLIPSE_IFACE = iface({ a: Float, b: Float }, { area: Float, metadata: Str });

function ellipse(overrides: Partial<RawContainerRun> = {}): RawContainerRun {
  return {
    task: "ellipse-area-metadata-shell",
    image: "ghcr.io/flyteorg/rawcontainers-shell:v2",
    command: ["./calculate-ellipse-area.sh", "{{.inputs.a}}", "{{.inputs.b}}", "/var/outputs"],
    args: [],
    inputDataDir: "/var/inputs",
    outputDataDir: "/var/outputs",
    metadataFormat: "JSON",
    interface: ELLIPSE_IFACE,
    env: {},
    secrets: [],
    local: { runtime: "process", workingDir: FIXTURES },
    ...overrides,
  };
}

function context(env: NodeJS.ProcessEnv = process.env, name = "ellipse-area-metadata-shell"): TaskExecutionContext {
  return new TaskExecutionContext({ taskName: name, services: { ...localServices(), env } });
}

function ab(a: number, b: number): LiteralMap {
  return toLiteralMap({ a: Float, b: Float }, { a, b }, "input", { storage: localServices().storage });
}

function standinBin(): string {
  const bin = mkdtempSync(join(tmpdir(), "standin-bin-"));
  writeFileSync(join(bin, "docker"), `#!/bin/sh\nexec "${process.execPath}" "${join(FIXTURES, "standin/docker.cjs")}" "$@"\n`);
  chmodSync(join(bin, "docker"), 0o755);
  return bin;
}

describe("runRawContainer", () => {
  it("runs the issue's ellipse script as a local process: its outputs are what it wrote", async () => {
    const ctx = context();
    const out = await runRawContainer(ellipse(), ab(1.5, 2), ctx);
    expect(fromLiteralMap({ area: Float, metadata: Str }, out, "output", ctx)).toEqual({ area: Math.PI * 1.5 * 2, metadata: "[from shell rawcontainer]" });
    // Its input and output folders are gone.
    expect(readdirSync(ctx.scratchDir)).toEqual([]);
    ctx.release(out);
  });

  it("through an engine (the docker stand-in): the folders mounted at the task's paths, the command as the entrypoint", async () => {
    const bin = standinBin();
    const log = join(mkdtempSync(join(tmpdir(), "standin-log-")), "calls");
    const images = { "ghcr.io/flyteorg/rawcontainers-shell:v2": { entrypoint: ["/bin/false"], cmd: [], workdir: FIXTURES } };
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, STANDIN_LOG: log, STANDIN_IMAGES: JSON.stringify(images), FLYTEKIT_TS_CONTAINER_RUNTIME: "" };
    const ctx = context(env);
    const out = await runRawContainer(ellipse({ local: { runtime: "docker" }, env: { GREETING: "hi" } }), ab(2, 3), ctx);
    expect(fromLiteralMap({ area: Float, metadata: Str }, out, "output", ctx)).toEqual({ area: Math.PI * 2 * 3, metadata: "[from shell rawcontainer]" });
    const calls = readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as string[]);
    expect(calls[0]).toEqual(["info", "--format", "{{.ServerVersion}}"]);
    const run = calls[1]!;
    expect(run.slice(0, 3)).toEqual(["run", "--rm", "--name"]);
    expect(run[3]).toMatch(/^flytekit-ts-ellipse-area-metadata-shell-[0-9a-f]+$/);
    expect(run[4]).toBe("-v");
    expect(run[5]).toMatch(/\/inputs-\w+:\/var\/inputs$/);
    expect(run[6]).toBe("-v");
    expect(run[7]).toMatch(/\/outputs-\w+:\/var\/outputs$/);
    expect(run.slice(8)).toEqual([
      // By name: the values go through docker's own environment.
      "-e", "FLYTE_INTERNAL_EXECUTION_PROJECT", "-e", "FLYTE_INTERNAL_EXECUTION_DOMAIN", "-e", "FLYTE_INTERNAL_EXECUTION_ID", "-e", "FLYTE_ATTEMPT_NUMBER",
      "-e", "FLYTE_INTERNAL_TASK_PROJECT", "-e", "FLYTE_INTERNAL_TASK_DOMAIN", "-e", "FLYTE_INTERNAL_TASK_NAME", "-e", "FLYTE_INTERNAL_TASK_VERSION",
      "-e", "GREETING",
      "--entrypoint", "./calculate-ellipse-area.sh", "ghcr.io/flyteorg/rawcontainers-shell:v2", "2", "3", "/var/outputs",
    ]);
    ctx.release(out);
  });

  it("a command that exits non-zero: the task, the code and stderr's last lines; its folders are removed", async () => {
    const ctx = context();
    const error = await runRawContainer(ellipse({ command: ["./fail.sh"] }), ab(1, 1), ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContainerExitError);
    expect((error as Error).message).toBe(
      `task 'ellipse-area-metadata-shell', process "./fail.sh": it exited with code 3, and the last lines of its stderr were:\n  starting\n  boom: the input was negative`,
    );
    expect(readdirSync(ctx.scratchDir)).toEqual([]);
    ctx.release();
  });

  it("a command not found names it and where it was looked for", async () => {
    const error = await runRawContainer(ellipse({ command: ["./nope.sh"] }), ab(1, 1), context()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContainerRuntimeError);
    expect((error as Error).message).toBe(
      `task 'ellipse-area-metadata-shell', process "./nope.sh": it could not be started: not found; a relative command is found from the working directory (${FIXTURES}; local.workingDir sets it), a bare name on PATH`,
    );
  });

  it("a local process needs a command", async () => {
    await expect(runRawContainer(ellipse({ command: [], args: ["x"] }), ab(1, 1), context())).rejects.toThrow(
      `task 'ellipse-area-metadata-shell', runtime "process": the task has no command, and a local process cannot run the image's entrypoint; give the task a command, or run it with Docker or Podman`,
    );
  });

  it("stops the process when the context is aborted, and rejects with the abort's reason", async () => {
    const pids = join(mkdtempSync(join(tmpdir(), "pids-")), "pids");
    const ctx = context();
    const run = runRawContainer(ellipse({ command: ["./sleep.sh"], env: { PID_FILE: pids } }), ab(1, 1), ctx);
    while (!existsSync(pids) || readFileSync(pids, "utf8").trim().split("\n").length < 2) await new Promise((r) => setTimeout(r, 20));
    const reason = new Error("stopped by the test");
    ctx.abort(reason);
    await expect(run).rejects.toBe(reason);
    for (const pid of readFileSync(pids, "utf8").trim().split("\n").map(Number)) {
      let gone = false;
      try {
        process.kill(pid, 0);
        gone = /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
      } catch {
        gone = true;
      }
      expect(gone, `pid ${pid}`).toBe(true);
    }
  });

  it("a local process: an input's value naming the output folder reaches the command as given (the folders are mapped before rendering)", async () => {
    const ctx = context();
    const run = ellipse({
      command: ["sh", "-c", 'printf %s "$1" > /var/outputs/metadata; echo 1 > /var/outputs/area', "sh", "{{.inputs.s}}"],
      interface: iface({ s: Str }, { area: Float, metadata: Str }),
    });
    const out = await runRawContainer(run, toLiteralMap({ s: Str }, { s: "see /var/outputs/area" }, "input", ctx), ctx);
    expect(fromLiteralMap({ area: Float, metadata: Str }, out, "output", ctx)).toEqual({ area: 1, metadata: "see /var/outputs/area" });
    ctx.release(out);
  });

  it("a local process: the task's variables naming the data folders are mapped too (a script told OUT=<output folder> writes the run's)", async () => {
    // A path of this machine's that is not the run's, standing in for /var/outputs.
    const declared = join(mkdtempSync(join(tmpdir(), "declared-")), "outputs");
    const ctx = context();
    const run = ellipse({ command: ["sh", "-c", 'mkdir -p "$OUT" && echo 2 > "$OUT/area" && echo m > "$OUT/metadata"'], outputDataDir: declared, env: { OUT: declared } });
    const out = await runRawContainer(run, ab(1, 1), ctx);
    expect(fromLiteralMap({ area: Float, metadata: Str }, out, "output", ctx)).toEqual({ area: 2, metadata: "m" });
    expect(existsSync(declared)).toBe(false);
    ctx.release(out);
  });

  it("a task with no outputs: _ERROR is not read, as on Flyte no uploader runs without outputs", async () => {
    const ctx = context();
    const run = ellipse({ command: ["sh", "-c", "echo oops > /var/outputs/_ERROR"], interface: iface({ a: Float, b: Float }, {}) });
    const out = await runRawContainer(run, ab(1, 1), ctx);
    expect(out.literals).toEqual({});
    ctx.release(out);
  });

  it("propeller's other templates are rendered as a local process has them: inputs.pb (written in any format) and its folder, the raw output prefix, no previous checkpoint, an output prefix folder", async () => {
    const ctx = context();
    const script = 'test -s "$1" && printf "%s|%s|%s|%s|%s" "$1" "$2" "$3" "$4" "$5" > /var/outputs/metadata && echo 1 > /var/outputs/area';
    const run = ellipse({ metadataFormat: "PROTO", command: ["sh", "-c", script, "sh", "{{.input}}", "{{ .InputPrefix }}", "--raw={{$rawOutputDataPrefix}}", "{{.prevCheckpointPrefix}}", "{{.outputPrefix}}"] });
    const out = await runRawContainer(run, ab(1, 1), ctx);
    const [input, prefix, raw, prev, outputPrefix] = (fromLiteralMap({ area: Float, metadata: Str }, out, "output", ctx) as { metadata: string }).metadata.split("|");
    expect(prefix).toMatch(/\/inputs-\w+$/);
    expect(input).toBe(`${prefix}/inputs.pb`);
    expect(raw).toBe(`--raw=${ctx.rawOutputPrefix}`);
    expect(prev).toBe('""');
    expect(outputPrefix).toMatch(/\/output-prefix-\w+$/);
    ctx.release(out);
  });

  it("in an engine: {{.input}} is inputs.pb at the task's input path, mounted even with no inputs; a folder of this machine's is refused", async () => {
    const bin = standinBin();
    const log = join(mkdtempSync(join(tmpdir(), "standin-log-")), "calls");
    const images = { "ghcr.io/flyteorg/rawcontainers-shell:v2": { entrypoint: [], cmd: [], workdir: FIXTURES } };
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, STANDIN_LOG: log, STANDIN_IMAGES: JSON.stringify(images), FLYTEKIT_TS_CONTAINER_RUNTIME: "" };
    const ctx = context(env);
    const noInputs = iface({}, { area: Float, metadata: Str });
    const script = 'test -f "$1" && echo 1 > /var/outputs/area && echo "$1" > /var/outputs/metadata';
    const out = await runRawContainer(ellipse({ local: { runtime: "docker" }, interface: noInputs, command: ["sh", "-c", script, "sh", "{{.input}}"] }), toLiteralMap({}, {}, "input", ctx), ctx);
    // The stand-in plays the mount by naming the host's folder: the file was there.
    expect(fromLiteralMap({ area: Float, metadata: Str }, out, "output", ctx)).toEqual({ area: 1, metadata: expect.stringMatching(/\/inputs-\w+\/inputs\.pb$/) });
    const run = readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as string[])[1]!;
    expect(run.at(-1)).toBe("/var/inputs/inputs.pb");
    expect(run.filter((a, i) => run[i - 1] === "-v").map((a) => a.replace(/^.*:/, ""))).toEqual(["/var/inputs", "/var/outputs"]);
    ctx.release(out);
    await expect(runRawContainer(ellipse({ local: { runtime: "docker" }, command: ["sh", "-c", "true", "{{.rawOutputDataPrefix}}"] }), ab(1, 1), context(env))).rejects.toThrow(
      /\{\{\.rawOutputDataPrefix\}\} has no local equivalent: the raw output prefix is a folder of this machine \(.*\), which the container does not see/,
    );
  });

  it("a propeller template with no local equivalent fails the run naming it", async () => {
    await expect(runRawContainer(ellipse({ command: ["sh", "-c", "true", "{{.taskTemplatePath}}"] }), ab(1, 1), context())).rejects.toThrow(
      `task 'ellipse-area-metadata-shell', command element "{{.taskTemplatePath}}": {{.taskTemplatePath}} has no local equivalent: propeller writes the task template to its own store for the pod; a local run has no such file; run it on Flyte, or leave the template out of the command`,
    );
    await expect(runRawContainer(ellipse({ command: ["sh", "-c", "true", "{{.checkpointOutputPrefix}}"] }), ab(1, 1), context())).rejects.toThrow(/\{\{\.checkpointOutputPrefix\}\} has no local equivalent: this run has no checkpoint prefix/);
  });

  it("streams the command's output through the task's logger when local.logs is on", async () => {
    const lines: string[] = [];
    const ctx = new TaskExecutionContext({ taskName: "t", services: { ...localServices(), logSink: (_level, line) => lines.push(line) } });
    await runRawContainer(ellipse({ task: "t", command: ["./fail.sh"], local: { runtime: "process", workingDir: FIXTURES, logs: true } }), ab(1, 1), ctx).catch(() => undefined);
    expect(lines).toEqual(["[t] INFO stdout: computing...", "[t] INFO stderr: starting", "[t] INFO stderr: boom: the input was negative"]);
  });
});
