// The launcher's own logic, against a scripted client: what it asks FlyteAdmin and in which order,
// how it waits, what it does with each answer. (test/admin-launcher.test.ts and
// test/eager-admin.test.ts run it against the AdminService stand-in, over gRPC.)
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { Int } from "../../index.js";
import { taskOf } from "../../tasks/handles.js";
import { functionTask } from "../../tasks/function-form.js";
import { create, encode } from "../../idl/codec.js";
import { ExecutionSchema, type Execution } from "../../idl/gen/flyteidl/admin/execution_pb.js";
import { WorkflowExecution_Phase } from "../../idl/gen/flyteidl/core/execution_pb.js";
import { LiteralMapSchema } from "../../idl/gen/flyteidl/core/literals_pb.js";
import { ImageConfig } from "../../serialize/image.js";
import { SerializationSettings } from "../../serialize/settings.js";
import { fromLiteralMap, toLiteralMap } from "../../types/engine.js";
import type { Storage } from "../../storage/storage.js";
import type { AdminClient } from "./client.js";
import { AdminTaskLauncher, InnerTaskError } from "./launcher.js";

/** Exported: a container finds a task by its module's exports, and registration writes where. */
export const addTask = functionTask({ inputs: { x: Int, y: Int }, outputs: Int }, function addTask({ x, y }) {
  return Number(x) + Number(y);
});
const add = taskOf(addTask);
const settings = new SerializationSettings({ project: "p", domain: "d", version: "v1", imageConfig: ImageConfig.auto("ghcr.io/acme/app:1") });
const outputs = toLiteralMap({ o0: Int }, { o0: 3 });

const execution = (phase: WorkflowExecution_Phase, outputResult: Execution["closure"] extends infer C ? (C extends { outputResult: infer R } ? R : never) : never = { case: undefined }) =>
  create(ExecutionSchema, { closure: { phase, outputResult } });

/** A client whose answers are scripted per method; it records every call. */
function scripted(answers: Partial<Record<keyof AdminClient, (req: any) => unknown>>) {
  const calls: { method: string; request: any }[] = [];
  const client = new Proxy(
    {},
    {
      get(_t, method: string) {
        return async (request: unknown) => {
          calls.push({ method, request });
          const answer = answers[method as keyof AdminClient];
          if (answer === undefined) throw new ConnectError(`${method} not scripted`, Code.Unimplemented);
          return answer(request);
        };
      },
    },
  ) as AdminClient;
  return { client, calls };
}

function launcher(client: AdminClient, sleeps: number[] = []) {
  return new AdminTaskLauncher({
    client,
    settings,
    execution: { project: "p", domain: "d", name: "exec1" },
    eagerTask: "m.pipeline",
    poll: { initialMs: 100, factor: 2, maxMs: 500 },
    sleep: async (ms) => void sleeps.push(ms),
  });
}

const notFound = () => {
  throw new ConnectError("missing", Code.NotFound);
};

describe("the FlyteAdmin launcher", () => {
  it("registers (GetTask NOT_FOUND, CreateTask), starts, polls with backoff up to its cap, and returns the inline outputs", async () => {
    let polls = 0;
    const { client, calls } = scripted({
      getTask: notFound,
      createTask: () => ({}),
      createExecution: () => ({}),
      getExecution: () => execution(++polls < 6 ? WorkflowExecution_Phase.RUNNING : WorkflowExecution_Phase.SUCCEEDED),
      getExecutionData: () => ({ fullOutputs: outputs }),
    });
    const sleeps: number[] = [];
    const call = { execution: undefined as string | undefined } as never as import("../../context/composition.js").InnerCall;
    const out = await launcher(client, sleeps).launch(add, toLiteralMap({ x: Int, y: Int }, { x: 1, y: 2 }), undefined, call);
    expect(fromLiteralMap({ o0: Int }, out)).toEqual({ o0: 3 });
    expect(calls.map((c) => c.method)).toEqual(["getTask", "createTask", "createExecution", ...Array(6).fill("getExecution"), "getExecutionData"]);
    expect(sleeps).toEqual([100, 200, 400, 500, 500]);
    expect(call.execution).toMatch(/^e-pipeline-exec1-add-task-[0-9a-f]{16}$/);
    expect(calls[1]!.request.spec.template.id).toMatchObject({ project: "p", domain: "d", name: add.name, version: "v1" });
  });

  it("registers a task once, and numbers its calls: the same inputs twice are two executions", async () => {
    const { client, calls } = scripted({ getTask: () => ({}), createExecution: () => ({}), getExecution: () => execution(WorkflowExecution_Phase.SUCCEEDED), getExecutionData: () => ({ fullOutputs: outputs }) });
    const l = launcher(client);
    const inputs = toLiteralMap({ x: Int, y: Int }, { x: 1, y: 2 });
    await Promise.all([l.launch(add, inputs), l.launch(add, inputs)]);
    expect(calls.filter((c) => c.method === "getTask")).toHaveLength(1);
    const names = calls.filter((c) => c.method === "createExecution").map((c) => c.request.name);
    expect(new Set(names).size).toBe(2);
  });

  it("ALREADY_EXISTS from CreateExecution is the execution an earlier attempt started: it is followed", async () => {
    const { client } = scripted({
      getTask: () => ({}),
      createExecution: () => {
        throw new ConnectError("exists", Code.AlreadyExists);
      },
      getExecution: () => execution(WorkflowExecution_Phase.SUCCEEDED),
      getExecutionData: () => ({ fullOutputs: outputs }),
    });
    expect(fromLiteralMap({ o0: Int }, await launcher(client).launch(add, toLiteralMap({ x: Int, y: Int }, { x: 1, y: 2 })))).toEqual({ o0: 3 });
  });

  it("a refused registration (another template under the same version) is an InnerTaskError with FlyteAdmin's code and words", async () => {
    const { client } = scripted({
      getTask: notFound,
      createTask: () => {
        throw new ConnectError("m.add task with different structure already exists. (Please register a new version of the task)", Code.InvalidArgument);
      },
    });
    const error = await launcher(client).launch(add, toLiteralMap({ x: Int, y: Int }, { x: 1, y: 2 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InnerTaskError);
    expect(error).toMatchObject({ task: add.name, eagerTask: "m.pipeline" });
    expect((error as Error).message).toBe(
      `could not be registered with FlyteAdmin: InvalidArgument: m.add task with different structure already exists. (Please register a new version of the task)`,
    );
  });

  it("an aborted execution's error says who aborted it and why", async () => {
    const { client } = scripted({
      getTask: () => ({}),
      createExecution: () => ({}),
      getExecution: () => execution(WorkflowExecution_Phase.ABORTED, { case: "abortMetadata", value: { cause: "user said stop", principal: "alice" } as never }),
    });
    const error = (await launcher(client).launch(add, toLiteralMap({ x: Int, y: Int }, { x: 1, y: 2 })).catch((e: unknown) => e)) as InnerTaskError;
    expect(error.message).toBe(`execution '${error.execution}': failed (ABORTED): aborted by alice: user said stop`);
    expect(error.execution).toMatch(/^e-pipeline-exec1-add-task-[0-9a-f]{16}$/);
  });

  it("outputs not inlined are read from the store at the outputs' uri", async () => {
    const read: string[] = [];
    const storage = { read: async (uri: string) => (read.push(uri), encode(LiteralMapSchema, outputs)) } as unknown as Storage;
    const { client } = scripted({
      getTask: () => ({}),
      createExecution: () => ({}),
      getExecution: () => execution(WorkflowExecution_Phase.SUCCEEDED),
      getExecutionData: () => ({ outputs: { url: "s3://bucket/meta/outputs.pb", bytes: 12n } }),
    });
    const out = await launcher(client).launch(add, toLiteralMap({ x: Int, y: Int }, { x: 1, y: 2 }), { storage, signal: new AbortController().signal });
    expect(fromLiteralMap({ o0: Int }, out)).toEqual({ o0: 3 });
    expect(read).toEqual(["s3://bucket/meta/outputs.pb"]);
  });

  it("when the eager task stops waiting (its timeout aborts), the execution is terminated", async () => {
    const controller = new AbortController();
    const { client, calls } = scripted({ getTask: () => ({}), createExecution: () => ({}), getExecution: () => execution(WorkflowExecution_Phase.RUNNING), terminateExecution: () => ({}) });
    const l = new AdminTaskLauncher({
      client,
      settings,
      execution: { project: "p", domain: "d", name: "exec1" },
      eagerTask: "m.pipeline",
      sleep: async (_ms, signal) => {
        controller.abort(new Error("timed out"));
        if (signal?.aborted) throw signal.reason;
      },
    });
    const error = (await l.launch(add, toLiteralMap({ x: Int, y: Int }, { x: 1, y: 2 }), { storage: undefined as never, signal: controller.signal }).catch((e: unknown) => e)) as InnerTaskError;
    expect(error.message).toContain("was terminated: the eager task stopped waiting for it");
    expect(calls.at(-1)).toMatchObject({ method: "terminateExecution", request: { cause: "eager task 'm.pipeline' stopped" } });
  });

  it("an abort while GetExecution is in flight terminates the execution", async () => {
    const controller = new AbortController();
    let polls = 0;
    const { client, calls } = scripted({
      getTask: () => ({}),
      createExecution: () => ({}),
      getExecution: () => {
        // The second poll is in flight when the eager task stops: the request fails with the abort.
        if (++polls === 2) {
          controller.abort(new Error("SIGTERM"));
          throw new ConnectError("aborted", Code.Canceled);
        }
        return execution(WorkflowExecution_Phase.RUNNING);
      },
      terminateExecution: () => ({}),
    });
    const error = (await launcher(client).launch(add, toLiteralMap({ x: Int, y: Int }, { x: 1, y: 2 }), { storage: undefined as never, signal: controller.signal }).catch((e: unknown) => e)) as InnerTaskError;
    expect(error).toBeInstanceOf(InnerTaskError);
    expect(error.message).toBe(`execution '${error.execution}': was terminated: the eager task stopped waiting for it`);
    expect(calls.map((c) => c.method)).toEqual(["getTask", "createExecution", "getExecution", "getExecution", "terminateExecution"]);
    expect(calls.at(-1)!.request).toMatchObject({ id: { project: "p", domain: "d", name: error.execution }, cause: "eager task 'm.pipeline' stopped" });
  });

  it("an abort while CreateExecution is in flight terminates the execution it may have created", async () => {
    const controller = new AbortController();
    const { client, calls } = scripted({
      getTask: () => ({}),
      createExecution: () => {
        controller.abort(new Error("SIGTERM"));
        throw new ConnectError("aborted", Code.Canceled);
      },
      terminateExecution: () => ({}),
    });
    const error = (await launcher(client).launch(add, toLiteralMap({ x: Int, y: Int }, { x: 1, y: 2 }), { storage: undefined as never, signal: controller.signal }).catch((e: unknown) => e)) as InnerTaskError;
    expect(error.message).toContain("was terminated");
    expect(calls.map((c) => c.method)).toEqual(["getTask", "createExecution", "terminateExecution"]);
    expect(calls[2]!.request.id.name).toBe(calls[1]!.request.name);
  });

  it("an abort while GetExecutionData is in flight terminates the execution too (FlyteAdmin refuses it: it ended)", async () => {
    const controller = new AbortController();
    const { client, calls } = scripted({
      getTask: () => ({}),
      createExecution: () => ({}),
      getExecution: () => execution(WorkflowExecution_Phase.SUCCEEDED),
      getExecutionData: () => {
        controller.abort(new Error("SIGTERM"));
        throw new ConnectError("aborted", Code.Canceled);
      },
      terminateExecution: () => {
        throw new ConnectError("execution already terminated", Code.FailedPrecondition);
      },
    });
    const error = (await launcher(client).launch(add, toLiteralMap({ x: Int, y: Int }, { x: 1, y: 2 }), { storage: undefined as never, signal: controller.signal }).catch((e: unknown) => e)) as InnerTaskError;
    expect(error.message).toContain("was terminated");
    expect(calls.map((c) => c.method)).toEqual(["getTask", "createExecution", "getExecution", "getExecutionData", "terminateExecution"]);
  });

  it("an aborted signal starts nothing", async () => {
    const { client, calls } = scripted({ getTask: () => ({}), createExecution: () => ({}) });
    const error = await launcher(client).launch(add, toLiteralMap({ x: Int, y: Int }, { x: 1, y: 2 }), { storage: undefined as never, signal: AbortSignal.abort(new Error("SIGTERM")) }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("was not started: the eager task is stopping");
    expect(calls.map((c) => c.method)).toEqual(["getTask"]);
  });

  it("stop() terminates every execution started and not seen to end, once each, and the waits fail", async () => {
    const ended = new Set<string>();
    const { client, calls } = scripted({
      getTask: () => ({}),
      createExecution: () => ({}),
      getExecution: (req) => execution(ended.has(req.id.name) ? WorkflowExecution_Phase.SUCCEEDED : WorkflowExecution_Phase.RUNNING),
      getExecutionData: () => ({ fullOutputs: outputs }),
      terminateExecution: () => ({}),
    });
    let wake!: () => void;
    const woken = new Promise<void>((r) => (wake = r));
    const l = new AdminTaskLauncher({
      client,
      settings,
      execution: { project: "p", domain: "d", name: "exec1" },
      eagerTask: "m.pipeline",
      poll: { initialMs: 100, factor: 2, maxMs: 500 },
      sleep: () => woken,
    });
    const inputs = (x: number) => toLiteralMap({ x: Int, y: Int }, { x, y: 2 });
    const first = l.launch(add, inputs(1)).catch((e: unknown) => e);
    const second = l.launch(add, inputs(2)).catch((e: unknown) => e);
    const third = l.launch(add, inputs(3)).catch((e: unknown) => e);
    while (calls.filter((c) => c.method === "getExecution").length < 3) await new Promise((r) => setImmediate(r));
    const names = calls.filter((c) => c.method === "createExecution").map((c) => c.request.name as string);
    ended.add(names[2]!);
    expect(l.unfinished).toEqual(names);
    // The third is seen to end before the stop; the first two are still running.
    wake();
    expect(await third).toBeInstanceOf(Object);
    await l.stop(new Error("SIGTERM"));
    const terminated = calls.filter((c) => c.method === "terminateExecution").map((c) => c.request.id.name);
    expect(terminated).toEqual(names.slice(0, 2));
    expect(l.unfinished).toEqual([]);
    for (const result of [await first, await second]) expect((result as Error).message).toContain("was terminated: the eager task stopped waiting for it");
    expect(calls.filter((c) => c.method === "terminateExecution")).toHaveLength(2);
    await expect(l.launch(add, inputs(4))).rejects.toThrow("was not started: the eager task is stopping");
  });

  it("an override() copy is registered under a version of its own, made from its TaskSpec, and its executions run it", async () => {
    const registered = new Map<string, any>();
    const { client, calls } = scripted({
      getTask: (req) => {
        if (!registered.has(req.id.version)) notFound();
        return {};
      },
      createTask: (req) => void registered.set(req.id.version, req.spec),
      createExecution: () => ({}),
      getExecution: () => execution(WorkflowExecution_Phase.SUCCEEDED),
      getExecutionData: () => ({ fullOutputs: outputs }),
    });
    const inputs = toLiteralMap({ x: Int, y: Int }, { x: 1, y: 2 });
    const l = launcher(client);
    await l.launch(add, inputs);
    await l.launch(add.override({ retries: 5 }), inputs);
    await l.launch(add.override({ retries: 5 }), inputs);
    await l.launch(add, inputs);
    const versions = [...registered.keys()];
    expect(versions).toHaveLength(2);
    expect(versions[0]).toBe("v1");
    expect(versions[1]).toMatch(/^v1-[0-9a-f]{10}$/);
    expect(registered.get("v1").template.metadata.retries?.retries ?? 0).toBe(0);
    expect(registered.get(versions[1]!).template.metadata.retries.retries).toBe(5);
    expect(registered.get(versions[1]!).template.id).toMatchObject({ name: add.name, version: versions[1] });
    // Each execution is launched against its own task's id.
    expect(calls.filter((c) => c.method === "createExecution").map((c) => c.request.spec.launchPlan.version)).toEqual(["v1", versions[1], versions[1], "v1"]);
    // Registered once each (the memo is by name and version); a fresh launcher (a retried attempt, another process) finds the same version.
    expect(calls.filter((c) => c.method === "createTask")).toHaveLength(2);
    await launcher(client).launch(add.override({ retries: 5 }), inputs);
    expect(calls.filter((c) => c.method === "createTask")).toHaveLength(2);
    expect(calls.filter((c) => c.method === "createExecution").at(-1)!.request.spec.launchPlan.version).toBe(versions[1]);
    // Other settings, another version.
    await launcher(client).launch(add.override({ retries: 4 }), inputs);
    expect(registered.size).toBe(3);
  });

  it("refuses what is not a task", async () => {
    const { client } = scripted({});
    const error = await launcher(client).launch({ name: "x" }, toLiteralMap({}, {})).catch((e: unknown) => e);
    expect(error).toMatchObject({ task: "x", eagerTask: "m.pipeline", message: "is not a task this SDK can register (no Task); call tasks made by @task, task(), or a reference task" });
  });
});
