// A raw container task run locally, as Flyte runs it with CoPilot: the inputs laid out as files in
// a folder (writeInputs), `{{.inputs.x}}` rendered in the command (renderCommand), the container
// started with that folder at its input path and an empty one at its output path, and, once it has
// exited, the outputs read back from the second (readOutputs). The container is Docker's or
// Podman's when one answers, or, only when asked for, the command as a local process with the two
// paths mapped to the folders.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TaskExecutionContext } from "../context/context.js";
import { create, encode } from "../idl/codec.js";
import { LiteralMapSchema, type LiteralMap } from "../idl/gen/flyteidl/core/literals_pb.js";
import { chooseRuntime, engineRunArgs, requestedRuntime, type Engine } from "./engine.js";
import { writeInputs } from "./inputs.js";
import { readOutputs } from "./outputs.js";
import { CommandStopped, mapDataDirs, removeOnSignal, runCommand, type CommandResult } from "./process.js";
import { propellerTemplatesIn, renderCommand, renderPropellerTemplates, type PropellerTemplate, type PropellerValues } from "./render.js";
import { ContainerExitError, ContainerRuntimeError, ContainerStoppedError } from "./run-errors.js";
import { SECRETS_MOUNT_DIR, type RawContainerRun } from "./spec.js";
import { TaskOutputError } from "../errors/task-errors.js";
import { isRemotePath } from "../storage/storage.js";
import { removeTempDir } from "../storage/temp.js";
import type { FlyteError } from "../errors/flyte-error.js";

/**
 * Runs a raw container task's attempt: its inputs in, its outputs out, both as CoPilot has them.
 * Follows `context.signal` (the task's timeout): the process is stopped and the run rejects with
 * the signal's reason. A command that fails is a ContainerExitError; no way to run it, a
 * ContainerRuntimeError.
 */
export async function runRawContainer(run: RawContainerRun, inputs: LiteralMap, context: TaskExecutionContext): Promise<LiteralMap> {
  const env = context.services.env;
  const runtime = await chooseRuntime(run.task, requestedRuntime(run.task, run.local.runtime, env), env);
  if (runtime === "process" && run.command.length === 0) {
    throw new ContainerRuntimeError({
      task: run.task,
      subject: "runtime \"process\"",
      problem: "the task has no command, and a local process cannot run the image's entrypoint",
      fix: "give the task a command, or run it with Docker or Podman",
    });
  }
  // The folders are the container's volumes, as Flyte's emptyDirs (0777) and secret volumes (files
  // 0644) are: an image whose user is not this one (distroless nonroot, a hardened image, rootless
  // Podman's mapped users) reads its inputs and secrets and writes its outputs. A bind mount needs
  // no access to the folders' parent, so the attempt's scratch directory holding them stays 0700:
  // no other user of this machine reaches the inputs or the secrets.
  const inputDir = context.tempDir("inputs");
  chmodSync(inputDir, 0o755);
  const outputDir = context.tempDir("outputs");
  chmodSync(outputDir, 0o777);
  const secretsDir = run.secrets.length > 0 ? context.tempDir("secrets") : undefined;
  if (secretsDir !== undefined) chmodSync(secretsDir, 0o755);
  // The secrets in clear text go even when a signal ends this process before the finally below runs.
  const forgetSecrets = secretsDir === undefined ? undefined : removeOnSignal(secretsDir);
  let outputPrefix: string | undefined;
  let outputs: LiteralMap | undefined;
  try {
    const secrets = secretsDir === undefined ? undefined : layOutSecrets(run, context, secretsDir, runtime === "process" ? secretsDir : SECRETS_MOUNT_DIR);
    // Propeller's other templates ({{.input}}, {{.outputPrefix}}, ...): what the command uses of them.
    const templates = propellerTemplatesIn([...run.command, ...run.args]);
    const inputsSeen = run.interface.inputs.length > 0 || templates.includes("Input") || templates.includes("InputPrefix");
    if (inputsSeen) {
      // In a container the files are at the task's input path: the metadata files name them there, as CoPilot's do.
      const pathsAs = runtime === "process" ? undefined : run.inputDataDir;
      await writeInputs(run.task, inputs, run.interface, inputDir, run.metadataFormat, context.storage, { pathsAs });
    }
    const logs = run.local.logs === true ? (stream: "stdout" | "stderr", line: string) => context.logger.info(`${stream}: ${line}`) : undefined;
    let result: CommandResult;
    let what: string;
    if (runtime === "process") {
      const dirs: [string, string][] = [
        [run.inputDataDir, inputDir],
        [run.outputDataDir, outputDir],
      ];
      if (secrets?.files === true) dirs.push([SECRETS_MOUNT_DIR, secretsDir!]);
      // The folders are mapped where the task names them (its command, its arguments, its
      // variables), before `{{.inputs.x}}` is rendered: an input's value reaches the command as given.
      const values = propellerValues(run, context, templates, { inputPrefix: inputDir, outputPrefix: templates.includes("OutputPrefix") ? (outputPrefix = context.tempDir("output-prefix")) : undefined, local: true });
      const render = (elements: readonly string[]) => renderCommand(run.task, renderPropellerTemplates(run.task, mapDataDirs(elements, dirs), values), inputs);
      const argv = [...render(run.command), ...render(run.args)];
      const ownEnv = Object.fromEntries(Object.entries(run.env).map(([k, v]) => [k, mapDataDirs([v], dirs)[0]!]));
      const taskEnv = { ...flyteEnv(context), ...ownEnv, ...secrets?.env };
      what = `process ${JSON.stringify(argv[0])}`;
      const processEnv: Record<string, string> = {};
      for (const key of ["PATH", "HOME"]) if (env[key] !== undefined) processEnv[key] = env[key]!;
      result = await runCommand({ file: argv[0]!, args: argv.slice(1), cwd: run.local.workingDir ?? process.cwd(), env: { ...processEnv, ...taskEnv } }, { signal: context.signal, onLine: logs }).catch(
        (e: unknown) => {
          if (context.signal.aborted) throw e;
          throw startFailure(run.task, what, e, run.local.workingDir ?? process.cwd());
        },
      );
    } else {
      const values = propellerValues(run, context, templates, { inputPrefix: run.inputDataDir, outputPrefix: undefined, local: false });
      const command = renderCommand(run.task, renderPropellerTemplates(run.task, run.command, values), inputs);
      const args = renderCommand(run.task, renderPropellerTemplates(run.task, run.args, values), inputs);
      const taskEnv = { ...flyteEnv(context), ...run.env, ...secrets?.env };
      result = await runInEngine(runtime, run, context, { mountInputs: inputsSeen, inputDir, outputDir, secretsDir: secrets?.files === true ? secretsDir : undefined, command, args, env: taskEnv, logs });
      what = `container ${JSON.stringify(run.image)} (${runtime})`;
    }
    if (result.exitCode !== 0 || result.signal !== null) throw new ContainerExitError(run.task, what, result);
    // With no outputs propeller runs no uploader (copilot.go adds the sidecar only for outputs), so
    // nothing reads the output folder, _ERROR included. (A local process still has the output path
    // mapped to a temporary folder: what it writes there must not reach this machine's own path.)
    const read =
      run.interface.outputs.length === 0
        ? create(LiteralMapSchema, {})
        : await readOutputs(run.task, run.interface, outputDir, context.rawOutputPrefix, context.storage).catch((e: unknown) => {
            throw asDeclared(e, outputDir, run.outputDataDir);
          });
    outputs = read;
    return read;
  } finally {
    // A folder the outputs still point into stays (it is the context's, gone when the attempt's
    // directories go); the rest now. Quietly: what the container left that this user cannot
    // remove (a root-owned folder from a rootful engine) must not replace the run's result or its
    // error; it goes with the scratch directory, or stays in the system's temporary folder.
    const named = outputs === undefined ? undefined : Buffer.from(encode(LiteralMapSchema, outputs));
    for (const dir of [inputDir, outputDir]) if (named === undefined || !named.includes(dir)) removeTempDir(dir);
    if (secretsDir !== undefined) removeTempDir(secretsDir);
    forgetSecrets?.();
    // What {{.outputPrefix}} named is the run's own (CoPilot's outputs.pb goes there on Flyte; nothing reads it here).
    if (outputPrefix !== undefined) removeTempDir(outputPrefix);
  }
}

/** In an engine: the folders mounted at the task's paths (inputs only with inputs, outputs only with outputs, as propeller mounts them). */
async function runInEngine(
  engine: Engine,
  run: RawContainerRun,
  context: TaskExecutionContext,
  parts: { mountInputs: boolean; inputDir: string; outputDir: string; secretsDir: string | undefined; command: string[]; args: string[]; env: Record<string, string>; logs: ((stream: "stdout" | "stderr", line: string) => void) | undefined },
): Promise<CommandResult> {
  const name = `flytekit-ts-${run.task.replace(/[^a-zA-Z0-9_.-]/g, "-").slice(0, 40)}-${Math.random().toString(16).slice(2, 10)}`;
  const mounts: [string, string][] = [];
  if (parts.mountInputs) mounts.push([parts.inputDir, run.inputDataDir]);
  if (run.interface.outputs.length > 0) mounts.push([parts.outputDir, run.outputDataDir]);
  if (parts.secretsDir !== undefined) mounts.push([parts.secretsDir, `${SECRETS_MOUNT_DIR}:ro`]);
  const argv = engineRunArgs({ name, image: run.image, mounts, env: Object.keys(parts.env), command: parts.command, args: parts.args });
  const env = context.services.env;
  // The client is the user's: it gets this process's environment (DOCKER_HOST, its config) and the
  // container's variables, which `-e NAME` passes on by name (no value in the process list); the
  // container gets only those.
  const clientEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) clientEnv[k] = v;
  Object.assign(clientEnv, parts.env);
  const kill = () => {
    runCommand({ file: engine, args: ["kill", name], cwd: process.cwd(), env: clientEnv }).catch(() => undefined);
  };
  // This process ending (Ctrl-C, SIGTERM, exit) stops the client; the container is the engine's and is stopped by name.
  const killNow = () => {
    spawnSync(engine, ["kill", name], { env: clientEnv, stdio: "ignore", timeout: 10_000 });
  };
  return runCommand({ file: engine, args: argv, cwd: process.cwd(), env: clientEnv }, { signal: context.signal, onLine: parts.logs, onKill: kill, onProcessEnd: killNow }).catch((e: unknown) => {
    if (context.signal.aborted) throw e;
    throw startFailure(run.task, engine, e, process.cwd());
  });
}

/**
 * The secrets the task requests, given to its container as Flyte's secret webhook gives them
 * (flytepropeller's K8sSecretInjector): ENV_VAR as `_FSEC_<GROUP>_<KEY>` (upper case) with
 * FLYTE_SECRETS_ENV_PREFIX, and the request's own `envVar` too; ANY and FILE as the file
 * `/etc/flyte/secrets/<group>/<key>` (lower case) with FLYTE_SECRETS_DEFAULT_DIR. The values are
 * read from this machine as the task's own code would read them (`context.secrets`: the variable,
 * then the file), which also masks them in the run's errors and logs; a secret not found fails
 * the run before anything starts, with where it was looked for.
 */
function layOutSecrets(run: RawContainerRun, context: TaskExecutionContext, dir: string, seenAt: string): { env: Record<string, string>; files: boolean } {
  const env: Record<string, string> = {};
  let files = false;
  for (const secret of run.secrets) {
    const value = context.secrets.get(secret.group, secret.key, secret.groupVersion);
    if (secret.mountRequirement === ENV_VAR) {
      env[`_FSEC_${secret.group ?? ""}_${secret.key ?? ""}`.toUpperCase()] = value;
      env.FLYTE_SECRETS_ENV_PREFIX = "_FSEC_";
    } else {
      const parts = [secret.group, secret.key].filter((p): p is string => p !== undefined && p !== "").map((p) => p.toLowerCase());
      const path = join(dir, ...parts);
      mkdirSync(join(path, ".."), { recursive: true, mode: 0o755 });
      writeFileSync(path, value, { mode: 0o644 });
      // Whatever the umask: as a secret volume's files, readable by the container's user.
      chmodSync(join(path, ".."), 0o755);
      chmodSync(path, 0o644);
      env.FLYTE_SECRETS_DEFAULT_DIR = seenAt;
      files = true;
    }
    if (secret.envVar !== undefined && secret.envVar !== "") env[secret.envVar] = value;
  }
  return { env, files };
}

/**
 * Propeller's other templates as a local run has them. Where propeller gives a remote URI the
 * container fetches itself, the local run gives what stands for it here: inputs.pb and its folder
 * (always written, whatever the metadata format), the raw output prefix, the checkpoint prefixes,
 * an output prefix folder of the attempt's (a local process only: nothing reads it back, as
 * CoPilot's uploader overwrites outputs.pb there on Flyte). A path of this machine is no path in an
 * engine's container: a template that would need one is an error there, naming it.
 */
function propellerValues(run: RawContainerRun, context: TaskExecutionContext, used: readonly PropellerTemplate[], at: { inputPrefix: string; outputPrefix: string | undefined; local: boolean }): PropellerValues {
  const hostPath = (what: string, value: string | undefined): string | { none: string } => {
    if (value === undefined) return { none: `this run has no ${what}` };
    if (at.local || isRemotePath(value)) return value;
    return { none: `the ${what} is a folder of this machine (${value}), which the container does not see` };
  };
  const id = context.executionId;
  const key = `${id.name}-${run.task}-${context.attempt}`.replace(/^[^a-zA-Z_]+/, "a").replace(/[^a-zA-Z0-9_]+/g, "_");
  const previous = context.previousCheckpoint;
  return {
    Input: `${at.inputPrefix.replace(/\/+$/, "")}/inputs.pb`,
    InputPrefix: at.inputPrefix,
    OutputPrefix: at.outputPrefix ?? { none: "propeller's output prefix is where CoPilot's uploader writes outputs.pb; a local engine run has none the container sees" },
    RawOutputDataPrefix: used.includes("RawOutputDataPrefix") ? hostPath("raw output prefix", context.rawOutputPrefix) : "",
    PrevCheckpointPrefix: previous === undefined || previous === "" ? '""' : hostPath("previous checkpoint prefix", previous),
    CheckpointOutputPrefix: hostPath("checkpoint prefix", context.checkpointPath),
    PerRetryUniqueKey: key,
    TaskTemplatePath: { none: "propeller writes the task template to its own store for the pod; a local run has no such file" },
  };
}

/** flyteidl's Secret.MountType.ENV_VAR. */
const ENV_VAR = 1;

/** What Flyte tells every task's container (propeller's FLYTE_INTERNAL_* and the attempt), as a local run knows it. */
function flyteEnv(context: TaskExecutionContext): Record<string, string> {
  const id = context.executionId;
  const task = context.taskId;
  const env: Record<string, string> = {
    FLYTE_INTERNAL_EXECUTION_PROJECT: id.project,
    FLYTE_INTERNAL_EXECUTION_DOMAIN: id.domain,
    FLYTE_INTERNAL_EXECUTION_ID: id.name,
    FLYTE_ATTEMPT_NUMBER: String(context.attempt),
  };
  if (task !== undefined) {
    env.FLYTE_INTERNAL_TASK_PROJECT = task.project;
    env.FLYTE_INTERNAL_TASK_DOMAIN = task.domain;
    env.FLYTE_INTERNAL_TASK_NAME = task.name;
    env.FLYTE_INTERNAL_TASK_VERSION = task.version;
  }
  return env;
}

/** A command that could not be started at all (not found, not executable), or one this program's signal stopped. */
function startFailure(task: string, what: string, e: unknown, cwd: string): FlyteError {
  if (e instanceof CommandStopped) return new ContainerStoppedError(task, what, e.signal);
  const err = e as NodeJS.ErrnoException;
  const why = err.code === "ENOENT" ? "not found" : err.code === "EACCES" ? "not executable (permission denied)" : (err.message ?? String(e));
  return new ContainerRuntimeError({ task, subject: what, problem: `it could not be started: ${why}`, fix: `a relative command is found from the working directory (${cwd}; local.workingDir sets it), a bare name on PATH` });
}

/**
 * An output error as the task's author reads it: the output folder named by the task's output
 * path (what the command writes to), not by the temporary folder standing for it here.
 */
function asDeclared(e: unknown, dir: string, declared: string): unknown {
  if (!(e instanceof TaskOutputError)) return e;
  const target = declared.length > 1 ? declared.replace(/\/+$/, "") : declared;
  const swap = (text: string | undefined) => (text === undefined ? undefined : text.split(dir).join(target));
  const f = e.fields;
  if (![f.expected, f.got, f.problem, f.fix].some((t) => t?.includes(dir))) return e;
  return new TaskOutputError(
    { task: e.task, output: e.output, subject: e.output === undefined ? f.subject : undefined, path: f.path, expected: swap(f.expected), got: swap(f.got), problem: swap(f.problem), fix: swap(f.fix) },
    { cause: e.cause },
  );
}
