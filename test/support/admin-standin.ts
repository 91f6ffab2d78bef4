// An in-process stand-in for FlyteAdmin's gRPC AdminService, for the tests of eager tasks: FlyteAdmin
// cannot run on these machines. It serves the gRPC protocol (Connect's Node adapter on an HTTP/2
// server without TLS, h2c, or with TLS when given a key and certificate) on 127.0.0.1, records every
// request it is sent (the method and the decoded message, in order; a method of another service, or
// one it does not implement, is recorded too and answered UNIMPLEMENTED), and answers the methods
// an eager task's client calls as FlyteAdmin does:
//
// - CreateTask: keeps the TaskSpec; the same id again is ALREADY_EXISTS ("task with identical
//   structure already exists") when the template is the same, INVALID_ARGUMENT when it differs
//   (FlyteAdmin's errors/errors.go words both).
// - GetTask: the Task, or NOT_FOUND.
// - CreateExecution: ALREADY_EXISTS for a name it has; else it *plays* the execution: writes the
//   inputs to the store, runs the registered template's container as a local process (the first
//   word of its command line mapped to a local command by `commands`, Flyte's templates
//   {{.input}}, {{.outputPrefix}}, {{.rawOutputDataPrefix}}, {{.checkpointOutputPrefix}},
//   {{.prevCheckpointPrefix}} filled in, the template's env, the execution's envs and what
//   propeller sets in a pod in its environment), and reads what it wrote.
// - GetExecution: the Execution, its closure's phase RUNNING until the process ends, then
//   SUCCEEDED (with the outputs' uri) or FAILED (with the error document's code, message and kind).
// - GetExecutionData: the inputs' and outputs' uris and sizes, and the literals inline
//   (`inlineOutputs`, default true; FlyteAdmin inlines them up to a size limit).
// - TerminateExecution: kills the process and marks the execution ABORTED.
//
// So flytekit's pyflyte-execute and our flytekit-ts-execute both run under it. Test-only.
import { create, equals, fromBinary, toBinary, toJson, type DescMessage, type JsonValue, type Message } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import {
  admin,
  ErrorDocumentSchema,
  ExecutionError_ErrorKind,
  ExecutionErrorSchema,
  LiteralMapSchema,
  ResourceType,
  service,
  WorkflowExecution_Phase,
  WorkflowExecutionIdentifierSchema,
  type ExecutionError,
  type LiteralMap,
  type WorkflowExecutionIdentifier,
} from "@flytekit-ts/core/idl";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { createSecureServer, createServer, type Http2SecureServer, type Http2Server } from "node:http2";
import type { AddressInfo } from "node:net";
import { dirname } from "node:path";

/** Where played executions keep their inputs and outputs: a local folder, or a bucket. */
export interface StandInStore {
  /** The prefix every execution's data goes under (a folder, or s3://bucket/prefix). */
  readonly root: string;
  write(uri: string, bytes: Uint8Array): Promise<void>;
  /** The object's bytes, or undefined when there is none. */
  read(uri: string): Promise<Uint8Array | undefined>;
}

/** A local folder as the store. */
export function folderStore(root: string): StandInStore {
  return {
    root,
    async write(uri, bytes) {
      mkdirSync(dirname(uri), { recursive: true });
      writeFileSync(uri, bytes);
    },
    async read(uri) {
      return existsSync(uri) ? new Uint8Array(readFileSync(uri)) : undefined;
    },
  };
}

/** How the first word of a container's command line runs here. */
export interface LocalCommand {
  command: string;
  /** Put before the rest of the container's words (e.g. the script node runs). */
  prefix?: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface AdminStandInOptions {
  store: StandInStore;
  /** By a container's first word ("pyflyte-execute", "flytekit-ts-execute"): how to run it here. */
  commands: Readonly<Record<string, LocalCommand>>;
  /** The environment every played execution starts from (storage settings, PATH, ...). */
  env?: NodeJS.ProcessEnv;
  /** Whether GetExecutionData returns the literals inline as well as their uris (default true). */
  inlineOutputs?: boolean;
  /** Whether played executions are told where this stand-in is (FLYTE_PLATFORM_URL, FLYTE_PLATFORM_INSECURE), as a pod of a cluster is configured; default true. */
  platformEnv?: boolean;
  /** TLS: serve gRPC over HTTPS with this key and certificate (PEM) instead of h2c. */
  tls?: { key: string; cert: string };
}

/** One request the stand-in received. */
export interface RecordedRequest {
  /** The AdminService method's name ("CreateTask"), or the path of a call to anything else. */
  method: string;
  /** The decoded request (absent for a path it does not serve). */
  message?: Message;
  /** Its proto3 JSON form, for reading and comparing. */
  json?: JsonValue;
}

/** An execution the stand-in played (or is playing). */
export interface PlayedExecution {
  readonly request: admin.ExecutionCreateRequest;
  readonly id: WorkflowExecutionIdentifier;
  readonly inputsUri: string;
  readonly outputPrefix: string;
  /** The command line it ran and its environment. */
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  phase: WorkflowExecution_Phase;
  error?: ExecutionError;
  outputs?: LiteralMap;
  outputsSize: number;
  inputsSize: number;
  stdout: string;
  stderr: string;
  exitCode?: number | null;
  /** Settles when the process has ended and its result is read. */
  readonly done: Promise<void>;
  readonly createdAt: Date;
  endedAt?: Date;
  child?: ChildProcess;
}

export interface AdminStandIn {
  /** What a Connect transport takes as its base URL: http://127.0.0.1:<port> (https:// with TLS). */
  readonly url: string;
  /** What flytekit's FLYTE_PLATFORM_URL takes: 127.0.0.1:<port>. */
  readonly endpoint: string;
  /** Every request, in the order received. */
  readonly requests: RecordedRequest[];
  /** The tasks registered, by id (project/domain/name/version). */
  readonly tasks: Map<string, admin.TaskSpec>;
  /** The executions, by name. */
  readonly executions: Map<string, PlayedExecution>;
  /** The environment a pod is told the platform by (FLYTE_PLATFORM_URL, FLYTE_PLATFORM_INSECURE). */
  readonly platformEnv: Record<string, string>;
  /** Requests of one method. */
  calls(method: string): RecordedRequest[];
  /** Registers a task as CreateTask would, without a request (what the test itself sets up is not recorded). */
  register(spec: admin.TaskSpec): void;
  /** Starts an execution of a registered task as CreateExecution would, without a request: how a test starts an eager task. */
  launch(request: { project: string; domain: string; name: string; task: { project: string; domain: string; name: string; version: string }; inputs?: LiteralMap; envs?: Record<string, string> }): Promise<PlayedExecution>;
  /** Waits until every execution started so far has ended. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const idKey = (id: { project: string; domain: string; name: string; version?: string } | undefined) =>
  id === undefined ? "" : [id.project, id.domain, id.name, id.version ?? ""].join("/");

function timestamp(date: Date) {
  return { seconds: BigInt(Math.floor(date.getTime() / 1000)), nanos: (date.getTime() % 1000) * 1_000_000 };
}

function joinUri(prefix: string, ...parts: string[]): string {
  return [prefix.replace(/\/+$/, ""), ...parts].join("/");
}

/** The container's command line with Flyte's templates filled in (propeller leaves one it has no value for in place). */
function fillTemplates(words: readonly string[], values: Readonly<Record<string, string>>): string[] {
  return words.map((w) => values[w] ?? w);
}

export async function startAdminStandIn(options: AdminStandInOptions): Promise<AdminStandIn> {
  const requests: RecordedRequest[] = [];
  const tasks = new Map<string, admin.TaskSpec>();
  const executions = new Map<string, PlayedExecution>();
  const inline = options.inlineOutputs ?? true;
  let platformEnv: Record<string, string> = {};

  function record<T extends DescMessage>(method: string, schema: T, message: Message) {
    requests.push({ method, message, json: toJson(schema, message as never, { alwaysEmitImplicit: false }) });
  }

  async function play(request: admin.ExecutionCreateRequest): Promise<PlayedExecution> {
    const id = create(WorkflowExecutionIdentifierSchema, { project: request.project, domain: request.domain, name: request.name, org: request.org });
    const taskId = request.spec?.launchPlan;
    const spec = tasks.get(idKey(taskId));
    if (taskId === undefined || taskId.resourceType !== ResourceType.TASK || spec === undefined) {
      throw new ConnectError(`missing entity of type TASK with identifier ${idKey(taskId)}`, Code.NotFound);
    }
    const template = spec.template!;
    const container = template.target.case === "container" ? template.target.value : undefined;
    if (container === undefined) throw new ConnectError(`task ${idKey(taskId)} has no container; the stand-in plays only container tasks`, Code.Unimplemented);
    const base = joinUri(options.store.root, "metadata", request.project, request.domain, request.name);
    const inputsUri = joinUri(base, "inputs.pb");
    const outputPrefix = joinUri(base, "n0", "data", "0");
    const raw = joinUri(options.store.root, "raw", request.name);
    const inputs = request.inputs ?? create(LiteralMapSchema);
    const inputsBytes = toBinary(LiteralMapSchema, inputs);
    await options.store.write(inputsUri, inputsBytes);
    const words = fillTemplates([...container.command, ...container.args], {
      "{{.input}}": inputsUri,
      "{{.inputs}}": inputsUri,
      "{{.outputPrefix}}": outputPrefix,
      "{{.rawOutputDataPrefix}}": raw,
      "{{.checkpointOutputPrefix}}": joinUri(raw, "_flytecheckpoints"),
      "{{.prevCheckpointPrefix}}": '""',
    });
    const local = options.commands[words[0]!];
    if (local === undefined) throw new ConnectError(`the stand-in has no local command for ${words[0]} (it knows ${Object.keys(options.commands).join(", ")})`, Code.FailedPrecondition);
    const env: NodeJS.ProcessEnv = {
      ...options.env,
      ...local.env,
      ...Object.fromEntries(container.env.map((kv) => [kv.key, kv.value])),
      ...request.spec?.envs?.values.reduce<Record<string, string>>((acc, kv) => ({ ...acc, [kv.key]: kv.value }), {}),
      // What propeller tells every task pod about its execution (flytekit reads these).
      FLYTE_INTERNAL_EXECUTION_PROJECT: request.project,
      FLYTE_INTERNAL_EXECUTION_DOMAIN: request.domain,
      FLYTE_INTERNAL_EXECUTION_ID: request.name,
      FLYTE_INTERNAL_TASK_PROJECT: taskId.project,
      FLYTE_INTERNAL_TASK_DOMAIN: taskId.domain,
      FLYTE_INTERNAL_TASK_NAME: taskId.name,
      FLYTE_INTERNAL_TASK_VERSION: taskId.version,
      FLYTE_ATTEMPT_NUMBER: "0",
      ...(options.platformEnv === false ? {} : platformEnv),
    };
    const argv = [local.command, ...(local.prefix ?? []), ...words.slice(1)];
    let settle!: () => void;
    const done = new Promise<void>((r) => (settle = r));
    const played: PlayedExecution = {
      request,
      id,
      inputsUri,
      outputPrefix,
      argv,
      env,
      phase: WorkflowExecution_Phase.RUNNING,
      outputsSize: 0,
      inputsSize: inputsBytes.length,
      stdout: "",
      stderr: "",
      done,
      createdAt: new Date(),
    };
    const child = spawn(argv[0]!, argv.slice(1), { cwd: local.cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    played.child = child;
    child.stdout!.on("data", (d: Buffer) => (played.stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (played.stderr += d.toString()));
    const finish = async (code: number | null) => {
      played.exitCode = code;
      played.child = undefined;
      played.endedAt = new Date();
      if (played.phase === WorkflowExecution_Phase.ABORTED) return;
      const errorBytes = await options.store.read(joinUri(outputPrefix, "error.pb"));
      const outputsBytes = await options.store.read(joinUri(outputPrefix, "outputs.pb"));
      if (errorBytes !== undefined) {
        const doc = fromBinary(ErrorDocumentSchema, errorBytes).error!;
        played.phase = WorkflowExecution_Phase.FAILED;
        played.error = create(ExecutionErrorSchema, {
          code: doc.code,
          message: doc.message,
          errorUri: joinUri(outputPrefix, "error.pb"),
          kind: doc.origin === ExecutionError_ErrorKind.USER ? ExecutionError_ErrorKind.USER : ExecutionError_ErrorKind.SYSTEM,
        });
      } else if (outputsBytes !== undefined && code === 0) {
        played.phase = WorkflowExecution_Phase.SUCCEEDED;
        played.outputs = fromBinary(LiteralMapSchema, outputsBytes);
        played.outputsSize = outputsBytes.length;
      } else {
        played.phase = WorkflowExecution_Phase.FAILED;
        played.error = create(ExecutionErrorSchema, {
          code: "ContainerFailed",
          message: `the container exited with ${code} and wrote no outputs: ${played.stderr.slice(-2000)}`,
          kind: ExecutionError_ErrorKind.SYSTEM,
        });
      }
    };
    child.on("error", (e) => {
      played.stderr += String(e);
      void finish(null).finally(settle);
    });
    child.on("close", (code) => void finish(code).finally(settle));
    return played;
  }

  function executionMessage(played: PlayedExecution): admin.Execution {
    const now = played.endedAt ?? new Date();
    const outputResult: admin.ExecutionClosure["outputResult"] =
      played.phase === WorkflowExecution_Phase.SUCCEEDED
        ? { case: "outputs", value: create(admin.LiteralMapBlobSchema, { data: { case: "uri", value: joinUri(played.outputPrefix, "outputs.pb") } }) }
        : played.error !== undefined
          ? { case: "error", value: played.error }
          : played.phase === WorkflowExecution_Phase.ABORTED
            ? { case: "abortMetadata", value: create(admin.AbortMetadataSchema, { cause: "terminated", principal: "stand-in" }) }
            : { case: undefined };
    return create(admin.ExecutionSchema, {
      id: played.id,
      spec: played.request.spec,
      closure: {
        outputResult,
        phase: played.phase,
        createdAt: timestamp(played.createdAt),
        startedAt: timestamp(played.createdAt),
        updatedAt: timestamp(now),
        workflowId: played.request.spec?.launchPlan,
      },
    });
  }

  const known = (name: string) => {
    const played = executions.get(name);
    if (played === undefined) throw new ConnectError(`missing entity of type execution with name ${name}`, Code.NotFound);
    return played;
  };

  const handlers: Partial<Record<string, (req: Message) => Promise<Message | object> | Message | object>> = {
    createTask(req) {
      const r = req as admin.TaskCreateRequest;
      const key = idKey(r.id);
      const existing = tasks.get(key);
      if (existing !== undefined) {
        if (equals(admin.TaskSpecSchema, existing, r.spec!)) throw new ConnectError("task with identical structure already exists", Code.AlreadyExists);
        throw new ConnectError(`${r.id?.name} task with different structure already exists. (Please register a new version of the task):\n`, Code.InvalidArgument);
      }
      tasks.set(key, r.spec ?? create(admin.TaskSpecSchema));
      return create(admin.TaskCreateResponseSchema);
    },
    getTask(req) {
      const r = req as admin.ObjectGetRequest;
      const spec = tasks.get(idKey(r.id));
      if (spec === undefined) throw new ConnectError(`missing entity of type TASK with identifier ${idKey(r.id)}`, Code.NotFound);
      return create(admin.TaskSchema, {
        id: r.id,
        closure: { compiledTask: { template: spec.template }, createdAt: timestamp(new Date()) },
        shortDescription: spec.description?.shortDescription ?? "",
      });
    },
    async createExecution(req) {
      const r = req as admin.ExecutionCreateRequest;
      if (executions.has(r.name)) throw new ConnectError(`execution with name ${r.name} already exists`, Code.AlreadyExists);
      const played = await play(r);
      executions.set(r.name, played);
      return create(admin.ExecutionCreateResponseSchema, { id: played.id });
    },
    getExecution(req) {
      return executionMessage(known((req as admin.WorkflowExecutionGetRequest).id?.name ?? ""));
    },
    getExecutionData(req) {
      const played = known((req as admin.WorkflowExecutionGetDataRequest).id?.name ?? "");
      const succeeded = played.phase === WorkflowExecution_Phase.SUCCEEDED;
      return create(admin.WorkflowExecutionGetDataResponseSchema, {
        inputs: { url: played.inputsUri, bytes: BigInt(played.inputsSize) },
        outputs: succeeded ? { url: joinUri(played.outputPrefix, "outputs.pb"), bytes: BigInt(played.outputsSize) } : undefined,
        fullInputs: inline ? played.request.inputs : undefined,
        fullOutputs: inline && succeeded ? played.outputs : undefined,
      });
    },
    terminateExecution(req) {
      const played = known((req as admin.ExecutionTerminateRequest).id?.name ?? "");
      if (played.child !== undefined) {
        played.phase = WorkflowExecution_Phase.ABORTED;
        played.child.kill("SIGTERM");
      }
      return create(admin.ExecutionTerminateResponseSchema);
    },
  };

  const routes = (router: ConnectRouter) => {
    const impl: Record<string, (req: Message) => Promise<Message | object>> = {};
    for (const method of service.AdminService.methods) {
      impl[method.localName] = async (req: Message) => {
        record(method.name, method.input, req);
        const handler = handlers[method.localName];
        if (handler === undefined) throw new ConnectError(`the stand-in does not implement ${method.name}`, Code.Unimplemented);
        return handler(req);
      };
    }
    router.service(service.AdminService, impl as never);
  };

  const handler = connectNodeAdapter({
    routes,
    // Any other service (auth metadata, data proxy, ...): recorded, and answered as gRPC's UNIMPLEMENTED.
    fallback(req, res) {
      requests.push({ method: req.url ?? "" });
      res.writeHead(200, { "content-type": "application/grpc", "grpc-status": String(Code.Unimplemented), "grpc-message": `not served by the stand-in: ${req.url}` });
      res.end();
    },
  });
  const server: Http2Server | Http2SecureServer = options.tls === undefined ? createServer(handler) : createSecureServer({ key: options.tls.key, cert: options.tls.cert, allowHTTP1: false }, handler);
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `127.0.0.1:${port}`;
  platformEnv = { FLYTE_PLATFORM_URL: endpoint, FLYTE_PLATFORM_INSECURE: options.tls === undefined ? "true" : "false" };
  const sessions = new Set<import("node:http2").ServerHttp2Session>();
  server.on("session", (s) => {
    sessions.add(s);
    s.on("close", () => sessions.delete(s));
  });

  return {
    url: `${options.tls === undefined ? "http" : "https"}://${endpoint}`,
    endpoint,
    requests,
    tasks,
    executions,
    platformEnv,
    calls: (method) => requests.filter((r) => r.method === method),
    register(spec) {
      const id = spec.template?.id;
      if (id === undefined) throw new Error("the stand-in registers a TaskSpec whose template has an id");
      tasks.set(idKey(id), spec);
    },
    async launch(l) {
      if (executions.has(l.name)) throw new Error(`the stand-in already has an execution named ${l.name}`);
      const request = create(admin.ExecutionCreateRequestSchema, {
        project: l.project,
        domain: l.domain,
        name: l.name,
        inputs: l.inputs,
        spec: {
          launchPlan: { resourceType: ResourceType.TASK, ...l.task },
          metadata: { mode: admin.ExecutionMetadata_ExecutionMode.MANUAL, principal: "test" },
          envs: l.envs === undefined ? undefined : { values: Object.entries(l.envs).map(([key, value]) => ({ key, value })) },
        },
      });
      const played = await play(request);
      executions.set(l.name, played);
      return played;
    },
    async settled() {
      await Promise.all([...executions.values()].map((e) => e.done));
    },
    async close() {
      for (const e of executions.values()) e.child?.kill("SIGKILL");
      await Promise.all([...executions.values()].map((e) => e.done));
      for (const s of sessions) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A request's JSON without the fields named (paths like "spec.metadata.principal"), for comparing what is meant to match. */
export function withoutFields(json: JsonValue | undefined, paths: readonly string[]): JsonValue | undefined {
  if (json === undefined) return undefined;
  const copy = structuredClone(json) as Record<string, JsonValue>;
  for (const path of paths) {
    const parts = path.split(".");
    let at: JsonValue | undefined = copy;
    for (const p of parts.slice(0, -1)) at = at !== null && typeof at === "object" && !Array.isArray(at) ? (at as Record<string, JsonValue>)[p] : undefined;
    if (at !== null && typeof at === "object" && !Array.isArray(at)) delete (at as Record<string, JsonValue>)[parts.at(-1)!];
  }
  return copy;
}

