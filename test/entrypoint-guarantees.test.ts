// What flytekit-ts-execute guarantees however a task ends its work: a container never reports a
// false success (outputs.pb for work that failed, or no document and exit 0), and input it cannot
// read is a SYSTEM error that Flyte does not retry. Each test runs the entrypoint as its own process.
import { create, toBinary } from "@bufbuild/protobuf";
import { ImageConfig, Int, SerializationSettings, Str, taskOf, TaskInputError, toTaskTemplate } from "@flytekit-ts/core";
import { ContainerError_Kind, decode, ExecutionError_ErrorKind, LiteralMapSchema, LiteralSchema, TaskTemplateSchema } from "@flytekit-ts/core/idl";
import { containerServices, fromLiteralMap, literalMapOf, TaskExecutionContext, toLiteralMap } from "@flytekit-ts/core/internal";
import { execute, parseExecuteArgs } from "@flytekit-ts/core/execute";
import { task } from "@flytekit-ts/decorators";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, EXECUTE_BIN, executeArgs, readOutputs, runExecute, runProcess, TEST_ROOT, workArea } from "./support/execute.js";
import { Greet } from "./support/greet-tasks.js";

const MODULE = "support/hostile-tasks.ts";
const x7 = () => toLiteralMap({ x: Int }, { x: 7 });

async function run(name: string, inputs: Parameters<typeof workArea>[0] = x7(), env: NodeJS.ProcessEnv = {}) {
  const area = workArea(inputs);
  return runExecute(executeArgs(area, MODULE, name), area.out, { env });
}

/** What a call threw or its promise rejected with (undefined when it succeeded). */
async function failureOf(call: () => unknown): Promise<unknown> {
  try {
    await call();
    return undefined;
  } catch (e) {
    return e;
  }
}

function messageOf(result: Awaited<ReturnType<typeof run>>): string {
  return result.error?.error?.message ?? `no error document; files ${JSON.stringify(result.files)}; stderr:\n${result.stderr}`;
}

const USER_FAILURE = { code: "USER:RuntimeError", kind: ContainerError_Kind.NON_RECOVERABLE, origin: ExecutionError_ErrorKind.USER };
const SYSTEM_FINAL = { code: "SYSTEM", kind: ContainerError_Kind.NON_RECOVERABLE, origin: ExecutionError_ErrorKind.SYSTEM };

describe("a container never reports a false success", () => {
  it("a rejection nobody awaits, started by a task that returns in the same tick, fails the task: an error document, no outputs.pb", async () => {
    const r = await run("Hostile.rejectSameTick");
    expect(r.files, r.stderr).toEqual(["error.pb"]);
    expect(r.error!.error).toMatchObject(USER_FAILURE);
    expect(messageOf(r)).toContain("nobody awaited this (7)");
  });

  it("so does an error thrown from a microtask or from a timer already due when the task returns", async () => {
    for (const [name, text] of [
      ["Hostile.throwInMicrotask", "thrown from a microtask (7)"],
      ["Hostile.throwInDueTimer", "thrown from a due timer (7)"],
    ] as const) {
      const r = await run(name);
      expect(r.files, `${name}: ${r.stderr}`).toEqual(["error.pb"]);
      expect(r.error!.error, name).toMatchObject(USER_FAILURE);
      expect(messageOf(r)).toContain(text);
    }
  });

  it("process.exit(0) in a task writes an error document that says so, and the process exits non-zero", async () => {
    const r = await run("Hostile.exitZero");
    expect(r.files, r.stderr).toEqual(["error.pb"]);
    expect(r.code).toBe(1);
    expect(r.error!.error).toMatchObject(USER_FAILURE);
    expect(messageOf(r)).toContain("TaskExitError: the task called process.exit(0) instead of returning or throwing; return the outputs, or throw to fail");
  });

  it("process.exit(3) after an await ends the process with 3, after the error document", async () => {
    const r = await run("Hostile.exitThree");
    expect(r.files, r.stderr).toEqual(["error.pb"]);
    expect(r.code).toBe(3);
    expect(messageOf(r)).toContain("process.exit(3)");
  });

  it("a task that catches what stops process.exit and returns still fails", async () => {
    const r = await run("Hostile.exitCaught");
    expect(r.files, r.stderr).toEqual(["error.pb"]);
    expect(r.code).toBe(1);
    expect(messageOf(r)).toContain("process.exit(0)");
  });

  it("a task whose promise never settles, with nothing else to run, gets an error document saying so (not Node's exit 13)", async () => {
    const r = await run("Hostile.neverSettles");
    expect(r.files, r.stderr).toEqual(["error.pb"]);
    expect(r.code).toBe(0);
    expect(r.error!.error).toMatchObject(USER_FAILURE);
    expect(messageOf(r)).toContain("UnsettledTaskError: the task's promise never settled, and nothing else was left to run");
  });

  it("an error from a timer that fires after a task returned is logged, and the outputs stand", async () => {
    const r = await run("Hostile.throwLater");
    expect(r.files, r.stderr).toEqual(["outputs.pb"]);
    expect(r.code).toBe(0);
    expect(fromLiteralMap({ o0: Int }, r.outputs!, "output")).toEqual({ o0: 7 });
    expect(r.stderr).toContain("an error was raised after the task's document was written, and is ignored");
    expect(r.stderr).toContain("thrown from a timer after the task returned (7)");
  });

  it("process.exit or a rejection while outputs.pb is being written (a slow store) still fails the task: the error document is written too", async () => {
    for (const [name, code, text] of [
      ["Hostile.exitWhileWriting", 1, "TaskExitError: the task called process.exit(0)"],
      ["Hostile.rejectWhileWriting", 0, "rejected while the outputs were written (7)"],
    ] as const) {
      const area = workArea(x7());
      const args = executeArgs(area, MODULE, name).map((a) => (a === area.out ? `slow://${area.out}` : a));
      const r = await runExecute(args, area.out);
      expect(r.files, `${name}: ${r.stderr}`).toContain("error.pb");
      expect(r.code, name).toBe(code);
      expect(r.error!.error).toMatchObject(USER_FAILURE);
      expect(messageOf(r)).toContain(text);
    }
  });

  it("a resolver module that calls process.exit while it is imported gets an error document and a non-zero exit", async () => {
    const area = workArea(x7());
    const r = await runExecute(executeArgs(area, MODULE, "Hostile.rejectSameTick", "./support/exiting-resolver.js#R"), area.out);
    expect(r.files, r.stderr).toEqual(["error.pb"]);
    expect(r.code).toBe(1);
    expect(messageOf(r)).toContain("process.exit(0)");
  });

  it("execute() in a process of the caller's restores process.exit and the listeners it added", async () => {
    const exit = process.exit;
    const listeners = ["uncaughtException", "unhandledRejection", "beforeExit"].map((e) => process.listenerCount(e));
    const area = workArea(x7());
    const { code, report } = await execute(parseExecuteArgs(executeArgs(area, MODULE, "Hostile.throwInMicrotask")), {}, () => {});
    expect([code, report.wrote]).toEqual([0, "error"]);
    expect(process.exit).toBe(exit);
    expect(["uncaughtException", "unhandledRejection", "beforeExit"].map((e) => process.listenerCount(e))).toEqual(listeners);
  });

  it("a task that leaves an interval running still ends, with its outputs (after FLYTEKIT_TS_EXIT_GRACE_MS)", async () => {
    const r = await run("Hostile.leaveInterval", x7(), { FLYTEKIT_TS_EXIT_GRACE_MS: "100" });
    expect(r.files, r.stderr).toEqual(["outputs.pb"]);
    expect(r.code).toBe(0);
  });
});

describe("kill -9 while the outputs are written", () => {
  it("never leaves a torn outputs.pb: there is none, or a whole one", async () => {
    let killedMidWrite = 0;
    for (let round = 0; round < 6; round++) {
      const area = workArea(x7());
      const child = spawn(process.execPath, [EXECUTE_BIN, ...executeArgs(area, MODULE, "Hostile.bigOutput")], { cwd: TEST_ROOT, env: cleanEnv(), stdio: "ignore" });
      const exited = new Promise((r) => child.on("exit", r));
      // Watch the output prefix; kill the moment a write starts (a temporary file appears), or at a
      // fixed moment in the later rounds (before the task has finished, or about when it writes).
      const deadline = round < 4 ? undefined : Date.now() + (round === 4 ? 150 : 450);
      for (;;) {
        const files = existsSync(area.out) ? readdirSync(area.out) : [];
        if (files.some((f) => f.endsWith(".tmp"))) {
          killedMidWrite++;
          break;
        }
        if (files.includes("outputs.pb") || (deadline !== undefined && Date.now() > deadline) || child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 1));
      }
      child.kill("SIGKILL");
      await exited;
      const files = existsSync(area.out) ? readdirSync(area.out) : [];
      expect(files.filter((f) => !f.endsWith(".tmp"))).toEqual(files.includes("outputs.pb") ? ["outputs.pb"] : []);
      if (files.includes("outputs.pb")) {
        const outputs = fromLiteralMap({ o0: Str }, decode(LiteralMapSchema, readFileSync(join(area.out, "outputs.pb"))), "output") as { o0: string };
        expect(outputs.o0.length).toBe(48 * 1024 * 1024);
      }
    }
    // The watch caught a write in progress at least once, so a kill did land during one.
    expect(killedMidWrite).toBeGreaterThan(0);
  });
});

describe("inputs the task cannot take are refused before its code runs, and not retried", () => {
  it("an input literal the interface does not declare: SYSTEM, NON_RECOVERABLE, with flytekit's words", async () => {
    const inputs = toLiteralMap({ x: Int, extra: Str }, { x: 7, extra: "surprise" });
    const r = await run("Hostile.rejectSameTick", inputs);
    expect(r.files, r.stderr).toEqual(["error.pb"]);
    expect(r.error!.error).toMatchObject(SYSTEM_FINAL);
    expect(messageOf(r)).toContain("TaskInputError: task 'support.hostile-tasks.Hostile.rejectSameTick': Received more input values 2 than allowed by the input spec 1 (undeclared: 'extra'; the inputs are x)");
  });

  it("inputs.pb that does not decode: SYSTEM, NON_RECOVERABLE, naming the file", async () => {
    const r = await run("Hostile.rejectSameTick", Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    expect(r.error!.error).toMatchObject(SYSTEM_FINAL);
    expect(messageOf(r)).toMatch(/DocumentError: inputs \S+inputs\.pb: expected a flyteidl\.core\.LiteralMap, got 6 bytes that do not decode as one/);
  });

  it("MessagePack nested 5,000 deep in a Json input: SYSTEM, NON_RECOVERABLE, naming the input and the limit (no stack overflow)", async () => {
    const bytes: number[] = [];
    for (let i = 0; i < 5000; i++) bytes.push(0x81, 0xa1, 0x61); // {"a": {"a": ...
    bytes.push(0x01);
    const doc = create(LiteralSchema, { value: { case: "scalar", value: { value: { case: "binary", value: { value: Uint8Array.from(bytes), tag: "msgpack" } } } } });
    const r = await run("Hostile.keys", toBinary(LiteralMapSchema, literalMapOf({ doc })));
    expect(r.error!.error).toMatchObject(SYSTEM_FINAL);
    expect(messageOf(r)).toContain("input 'doc': expected Json, got 15001 bytes of MessagePack: it nests deeper than 256 levels, the most flytekit-ts reads");
  });

  it("a blob literal with an empty uri: SYSTEM, NON_RECOVERABLE, naming the input", async () => {
    const f = create(LiteralSchema, { value: { case: "scalar", value: { value: { case: "blob", value: { uri: "", metadata: { type: {} } } } } } });
    const r = await run("Hostile.size", toBinary(LiteralMapSchema, literalMapOf({ f })));
    expect(r.error!.error).toMatchObject(SYSTEM_FINAL);
    expect(messageOf(r)).toMatch(/TaskInputError: task '[^']+Hostile\.size', input 'f': expected File, got .*: its uri is empty/);
  });

  it("a damaged task template (a variable without a type, bytes that do not decode): SYSTEM, NON_RECOVERABLE, naming the field", async () => {
    const settings = new SerializationSettings({ project: "p", domain: "d", version: "v1", imageConfig: ImageConfig.auto("docker.io/xyz:1") });
    const template = toTaskTemplate(taskOf(Greet), settings);
    const args = template.target.case === "container" ? template.target.value.args : [];
    const location = args.at(-1)!;
    const damaged = structuredClone(template);
    damaged.interface!.inputs!.variables.name!.type = undefined;
    for (const [bytes, expected] of [
      [toBinary(TaskTemplateSchema, damaged), /DocumentError: task '[^']*greet[^']*', input 'name': it has no LiteralType/i],
      [Uint8Array.from([0x12, 0x80]), /DocumentError: task template \S+task_template\.pb: expected a flyteidl\.core\.TaskTemplate, got 2 bytes that do not decode as one/],
    ] as const) {
      const area = workArea(toLiteralMap({ name: Str }, { name: "flyte" }));
      const templatePath = join(area.dir, "task_template.pb");
      writeFileSync(templatePath, bytes);
      const argv = executeArgs(area, templatePath, location, "flytekit-ts.TaskTemplateResolver").slice(0, -4).concat([templatePath, location]);
      const r = readOutputs(area.out, await runProcess(process.execPath, [EXECUTE_BIN, ...argv], { env: cleanEnv() }));
      expect(r.error?.error, r.stderr).toMatchObject(SYSTEM_FINAL);
      expect(r.error!.error!.message).toMatch(expected);
    }
  });

  it("a local dispatchExecute refuses an undeclared input the same way", async () => {
    class Local {
      @task({ inputs: { x: Int }, outputs: Int })
      static double(x: number): number {
        return 2 * x;
      }
    }
    const t = taskOf(Local.double);
    const context = new TaskExecutionContext({ taskName: t.name, services: containerServices({}) });
    const inputs = literalMapOf({ x: Int.toLiteral(1), y: Int.toLiteral(2) });
    const error = await failureOf(() => t.dispatchExecute(inputs, context));
    expect(error).toBeInstanceOf(TaskInputError);
    expect((error as Error).message).toBe(
      `task '${t.name}': Received more input values 2 than allowed by the input spec 1 (undeclared: 'y'; the inputs are x); the inputs were written for another version of this task: register and run the same version`,
    );
    // With as many values as inputs, a name it does not declare is refused too.
    const renamed = await failureOf(() => t.dispatchExecute(literalMapOf({ y: Int.toLiteral(2) }), context));
    expect((renamed as Error).message).toContain("received input values the input spec does not declare (undeclared: 'y'; the inputs are x)");
  });
});
