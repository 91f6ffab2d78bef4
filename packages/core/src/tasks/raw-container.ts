// flytekit's ContainerTask (flytekit/core/container_task.py): a task that runs any image, not a
// function of ours. Flyte's CoPilot moves its data: before the command starts it lays the inputs
// out as files in `inputDataDir`, after it ends it reads the outputs back from `outputDataDir`
// (the contract is copilot/). The template is task type `raw-container`, the command and its
// arguments as declared (`{{.inputs.x}}` left for propeller to fill), and a DataLoadingConfig.
import { posix } from "node:path";
import type { TaskExecutionContext } from "../context/context.js";
import type { LocalContainerOptions, MetadataFormat, RawContainerRun } from "../copilot/spec.js";
import { checkOutputTypes, ContainerReportedError } from "../copilot/outputs.js";
import { runRawContainer } from "../copilot/run.js";
import { ContainerExitError } from "../copilot/run-errors.js";
import { templateInputNames } from "../copilot/render.js";
import { DEFAULT_INPUT_DATA_DIR, DEFAULT_OUTPUT_DATA_DIR } from "../copilot/spec.js";
import { create } from "../idl/codec.js";
import {
  DataLoadingConfig_LiteralMapFormat,
  DataLoadingConfigSchema,
  IOStrategy_DownloadMode,
  IOStrategy_UploadMode,
  type Container,
  type DataLoadingConfig,
  type K8sPod,
} from "../idl/gen/flyteidl/core/tasks_pb.js";
import { Interface } from "../interface/interface.js";
import { buildContainer, buildK8sPod } from "../serialize/container.js";
import { resolveContainerImage } from "../serialize/image.js";
import type { SerializationSettings } from "../serialize/settings.js";
import { describeValue } from "../types/describe.js";
import { toLiteralMap } from "../types/engine.js";
import type { TaskDocumentation } from "./docs.js";
import { markUserError, TaskDefinitionError } from "./errors.js";
import { nativeOutputs } from "./conversion.js";
import { inputsOf, outputsOf, type InputsSpec, type OutputsSpec } from "./infer.js";
import { checkOptionNames, compileTaskOptions, optionNamesIn, type OptionGroup, type TaskOptions, type TaskOptionsIn } from "./options.js";
import { Task } from "./task.js";
import type { CallInputs, OutputOut } from "./call-types.js";

/**
 * How CoPilot moves the data (flyteidl's IOStrategy, field 5 of DataLoadingConfig). Flyte 1.16's
 * propeller passes neither mode to CoPilot, so both defaults apply whatever is written here.
 */
export interface IOStrategy {
  /** `EAGER`: every input before the command starts. @default "EAGER" */
  downloadMode?: "EAGER" | "STREAM" | "NO_DOWNLOAD";
  /** `ON_EXIT`: every output after the command ends. @default "ON_EXIT" */
  uploadMode?: "ON_EXIT" | "EAGER" | "NO_UPLOAD";
}

/**
 * The task options a raw container task takes: those of its metadata (cache, retries, timeout,
 * interruptible, labels, ...), its resources, secrets, pod and docs, and its environment. Not the
 * image option (`image` is the task's own), decks, accelerators, a resolver or offloading: none of
 * our code runs in its container.
 */
const RAW_CONTAINER_GROUPS = ["cache", "run", "metadata", "resources", "secrets", "pod", "docs"] as const satisfies readonly OptionGroup[];
type RawContainerGroup = (typeof RAW_CONTAINER_GROUPS)[number];
const RAW_CONTAINER_OPTIONS: readonly string[] = [...optionNamesIn(RAW_CONTAINER_GROUPS), "environment"];

/** What a raw container task is declared with: flytekit's ContainerTask's parameters, in camelCase, and the task options that apply. */
export interface ContainerTaskInit<I extends InputsSpec = InputsSpec, O extends OutputsSpec | undefined = OutputsSpec | undefined> extends TaskOptionsIn<RawContainerGroup>, Pick<TaskOptions, "environment"> {
  /** The task's name. */
  name: string;
  /** The image to run, or a template: `{{.images.NAME.fqn}}:{{.images.NAME.version}}`. */
  image: string;
  /** The command, as Kubernetes runs it; `{{.inputs.x}}` in any element is filled by Flyte (and by a local run) with the input's value. */
  command: readonly string[];
  /** The command's arguments, `{{.inputs.x}}` filled as in `command`. @default none (the template has no args) */
  arguments?: readonly string[];
  /** The inputs, by name: `{ a: Float, data: File }`. @default none */
  inputs?: I;
  /** The outputs, by name: `{ area: Float, report: File }` (a single type is output `o0`). @default none */
  outputs?: O;
  /** Where the container finds its inputs, one file (or folder) per input. @default unset: Flyte's "/var/flyte/inputs" */
  inputDataDir?: string;
  /** Where the container leaves its outputs, one file per output, named like it (any one extension allowed). @default unset: Flyte's "/var/flyte/outputs" */
  outputDataDir?: string;
  /** The metadata file written beside the inputs: `inputs.json`, `inputs.yaml`, or only `inputs.pb` (always written). @default "JSON" */
  metadataFormat?: MetadataFormat;
  /** How CoPilot moves the data (flyteidl's IOStrategy). @default unset: download before, upload after */
  ioStrategy?: IOStrategy;
  /** How a local run runs it (Docker, Podman, or a local process). @default { runtime: "auto" } */
  local?: LocalContainerOptions;
}

const OWN_NAMES = ["name", "image", "command", "arguments", "inputs", "outputs", "inputDataDir", "outputDataDir", "metadataFormat", "ioStrategy", "local"] as const;
const INIT_NAMES: readonly string[] = [...OWN_NAMES, ...RAW_CONTAINER_OPTIONS];

const FORMATS: Readonly<Record<MetadataFormat, DataLoadingConfig_LiteralMapFormat>> = {
  JSON: DataLoadingConfig_LiteralMapFormat.JSON,
  YAML: DataLoadingConfig_LiteralMapFormat.YAML,
  PROTO: DataLoadingConfig_LiteralMapFormat.PROTO,
};
const DOWNLOAD_MODES: Readonly<Record<NonNullable<IOStrategy["downloadMode"]>, IOStrategy_DownloadMode>> = {
  EAGER: IOStrategy_DownloadMode.DOWNLOAD_EAGER,
  STREAM: IOStrategy_DownloadMode.DOWNLOAD_STREAM,
  NO_DOWNLOAD: IOStrategy_DownloadMode.DO_NOT_DOWNLOAD,
};
const UPLOAD_MODES: Readonly<Record<NonNullable<IOStrategy["uploadMode"]>, IOStrategy_UploadMode>> = {
  ON_EXIT: IOStrategy_UploadMode.UPLOAD_ON_EXIT,
  EAGER: IOStrategy_UploadMode.UPLOAD_EAGER,
  NO_UPLOAD: IOStrategy_UploadMode.DO_NOT_UPLOAD,
};
const LOCAL_NAMES = ["runtime", "workingDir", "logs"];
const RUNTIMES = ["auto", "docker", "podman", "process"];

function got(value: unknown): string {
  return value === undefined ? "nothing" : describeValue(value);
}

function stringList(task: string, field: string, value: unknown, required: boolean): readonly string[] | undefined {
  if (value === undefined && !required) return undefined;
  if (!Array.isArray(value)) throw new TaskDefinitionError({ task, subject: field, expected: "a list of strings", got: got(value) });
  value.forEach((v: unknown, i) => {
    if (typeof v !== "string") throw new TaskDefinitionError({ task, subject: field, path: `[${i}]`, expected: "a string", got: describeValue(v) });
  });
  return [...(value as string[])];
}

function dataDir(task: string, field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !posix.isAbsolute(value)) {
    throw new TaskDefinitionError({ task, subject: field, expected: "an absolute path in the container (such as /var/inputs)", got: describeValue(value) });
  }
  return value;
}

/**
 * The two folders are two volumes: Kubernetes refuses a pod with two mounts at one path
 * ("must be unique"), so propeller cannot start it; one inside the other would have the inputs
 * among the outputs CoPilot reads (or the reverse). Refused here, with the defaults as Flyte uses them.
 */
function checkDistinctDataDirs(task: string, inputDataDir: string | undefined, outputDataDir: string | undefined): void {
  const clean = (p: string) => posix.normalize(p).replace(/(.)\/+$/, "$1");
  const input = clean(inputDataDir ?? DEFAULT_INPUT_DATA_DIR);
  const output = clean(outputDataDir ?? DEFAULT_OUTPUT_DATA_DIR);
  const inside = (a: string, b: string) => a === b || a.startsWith(b === "/" ? "/" : `${b}/`);
  if (!inside(input, output) && !inside(output, input)) return;
  const shown = (p: string | undefined, fallback: string) => (p === undefined ? `${fallback} (the default)` : JSON.stringify(p));
  const how = input === output ? "the same folder as outputDataDir" : inside(input, output) ? "inside outputDataDir" : "the parent of outputDataDir";
  throw new TaskDefinitionError({
    task,
    subject: "inputDataDir and outputDataDir",
    problem: `inputDataDir ${shown(inputDataDir, DEFAULT_INPUT_DATA_DIR)} is ${how} ${shown(outputDataDir, DEFAULT_OUTPUT_DATA_DIR)}; Flyte mounts each as a volume of its own, and Kubernetes refuses two at one path`,
    fix: "give them separate folders, such as /var/inputs and /var/outputs",
  });
}

function ioStrategyOf(task: string, value: unknown): IOStrategy | undefined {
  if (value === undefined) return undefined;
  const expected = '{ downloadMode?: "EAGER" | "STREAM" | "NO_DOWNLOAD", uploadMode?: "ON_EXIT" | "EAGER" | "NO_UPLOAD" }';
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new TaskDefinitionError({ task, subject: "ioStrategy", expected, got: describeValue(value) });
  const { downloadMode, uploadMode, ...rest } = value as IOStrategy & Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) throw new TaskDefinitionError({ task, subject: "ioStrategy", problem: `unknown field(s) ${extra.join(", ")}`, fix: `give ${expected}` });
  if (downloadMode !== undefined && !Object.hasOwn(DOWNLOAD_MODES, downloadMode)) {
    throw new TaskDefinitionError({ task, subject: "ioStrategy", path: ".downloadMode", expected: '"EAGER", "STREAM" or "NO_DOWNLOAD"', got: describeValue(downloadMode) });
  }
  if (uploadMode !== undefined && !Object.hasOwn(UPLOAD_MODES, uploadMode)) {
    throw new TaskDefinitionError({ task, subject: "ioStrategy", path: ".uploadMode", expected: '"ON_EXIT", "EAGER" or "NO_UPLOAD"', got: describeValue(uploadMode) });
  }
  return { ...(downloadMode === undefined ? {} : { downloadMode }), ...(uploadMode === undefined ? {} : { uploadMode }) };
}

function localOf(task: string, value: unknown): LocalContainerOptions {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new TaskDefinitionError({ task, subject: "local", expected: "{ runtime, workingDir, logs }", got: describeValue(value) });
  const v = value as Record<string, unknown>;
  const extra = Object.keys(v).filter((k) => !LOCAL_NAMES.includes(k));
  if (extra.length > 0) throw new TaskDefinitionError({ task, subject: "local", problem: `unknown field(s) ${extra.join(", ")}`, fix: `it takes ${LOCAL_NAMES.join(", ")}` });
  if (v.runtime !== undefined && !RUNTIMES.includes(v.runtime as string)) {
    throw new TaskDefinitionError({ task, subject: "local", path: ".runtime", expected: RUNTIMES.map((r) => JSON.stringify(r)).join(", "), got: describeValue(v.runtime) });
  }
  if (v.workingDir !== undefined && typeof v.workingDir !== "string") throw new TaskDefinitionError({ task, subject: "local", path: ".workingDir", expected: "a path", got: describeValue(v.workingDir) });
  if (v.logs !== undefined && typeof v.logs !== "boolean") throw new TaskDefinitionError({ task, subject: "local", path: ".logs", expected: "true or false", got: describeValue(v.logs) });
  return { ...(value as LocalContainerOptions) };
}

/** What checking a raw container task's declaration gives: its own fields, normalised. */
interface CheckedInit {
  name: string;
  command: readonly string[];
  arguments: readonly string[] | undefined;
  inputDataDir: string | undefined;
  outputDataDir: string | undefined;
  metadataFormat: MetadataFormat;
  ioStrategy: IOStrategy | undefined;
  local: LocalContainerOptions;
}

/**
 * @internal Checks what a raw container task's declaration says, all but its types (which may name
 * classes declared further down): option names, image, command and arguments (every
 * `{{.inputs.x}}` names a declared input), data folders, metadata format, io strategy, local
 * options. `subject` names the declaration when it has no name.
 */
export function checkContainerTaskInit(init: ContainerTaskInit, subject = "ContainerTask"): CheckedInit {
  const name = (init as Partial<ContainerTaskInit> | undefined)?.name;
  if (typeof name !== "string" || name === "") throw new TaskDefinitionError({ subject, expected: "a name (a non-empty string)", got: got(name) });
  checkOptionNames(name, init, INIT_NAMES);
  if (typeof init.image !== "string" || init.image === "") throw new TaskDefinitionError({ task: name, subject: "image", expected: "an image (a non-empty string)", got: got(init.image) });
  const command = stringList(name, "command", init.command, true)!;
  const args = stringList(name, "arguments", init.arguments, false);
  const format = init.metadataFormat ?? "JSON";
  if (typeof format !== "string" || !Object.hasOwn(FORMATS, format)) throw new TaskDefinitionError({ task: name, subject: "metadataFormat", expected: '"JSON", "YAML" or "PROTO"', got: describeValue(format) });
  const inputs = init.inputs;
  if (inputs !== undefined && (typeof inputs !== "object" || inputs === null || Array.isArray(inputs))) {
    throw new TaskDefinitionError({ task: name, subject: "inputs", expected: "the inputs by name ({ a: Float })", got: describeValue(inputs) });
  }
  // Flyte fills every `{{.inputs.x}}` before the pod starts, and fails the run when x is not an input.
  const known = Object.keys(inputs ?? {});
  for (const [field, elements] of [["command", command], ["arguments", args ?? []]] as const) {
    for (const [i, element] of elements.entries()) {
      const unknown = templateInputNames([element]).filter((n) => !known.includes(n));
      if (unknown.length > 0) {
        throw new TaskDefinitionError({
          task: name,
          subject: field,
          path: `[${i}]`,
          problem: `${JSON.stringify(element)} uses input '${unknown[0]}', which the task does not have (inputs: ${known.join(", ") || "none"})`,
          fix: "declare it in inputs, or correct the name",
        });
      }
    }
  }
  const inputDataDir = dataDir(name, "inputDataDir", init.inputDataDir);
  const outputDataDir = dataDir(name, "outputDataDir", init.outputDataDir);
  checkDistinctDataDirs(name, inputDataDir, outputDataDir);
  return {
    name,
    command,
    arguments: args,
    inputDataDir,
    outputDataDir,
    metadataFormat: format,
    ioStrategy: ioStrategyOf(name, init.ioStrategy),
    local: localOf(name, init.local),
  };
}

/**
 * A task that runs a container of any image (flytekit's ContainerTask, task type `raw-container`):
 *
 * ```ts
 * const ellipseArea = new ContainerTask({
 *   name: "ellipse-area-metadata-shell",
 *   image: "ghcr.io/flyteorg/rawcontainers-shell:v2",
 *   inputs: { a: Float, b: Float },
 *   outputs: { area: Float, metadata: Str },
 *   inputDataDir: "/var/inputs",
 *   outputDataDir: "/var/outputs",
 *   command: ["./calculate-ellipse-area.sh", "{{.inputs.a}}", "{{.inputs.b}}", "/var/outputs"],
 * });
 * ```
 *
 * Flyte's CoPilot writes each input as a file (`/var/inputs/a`) before the command starts, and
 * reads each output from the file named like it (`/var/outputs/area`) after it ends.
 */
export class ContainerTask<I extends InputsSpec = InputsSpec, O extends OutputsSpec | undefined = OutputsSpec | undefined> extends Task {
  readonly taskType = "raw-container";
  /** The image, as declared (templates resolved when serialized). */
  readonly image: string;
  readonly command: readonly string[];
  /** The arguments, or undefined when none were given (the template then has none). */
  readonly arguments: readonly string[] | undefined;
  readonly inputDataDir: string | undefined;
  readonly outputDataDir: string | undefined;
  readonly metadataFormat: MetadataFormat;
  readonly ioStrategy: IOStrategy | undefined;
  readonly local: LocalContainerOptions;

  constructor(init: ContainerTaskInit<I, O>) {
    const checked = checkContainerTaskInit(init, new.target.name);
    const name = checked.name;
    const docs = typeof init.docs === "string" ? { short: init.docs } : init.docs;
    const inputs = inputsOf(name, init.inputs ?? {}, docs);
    const outputs = init.outputs === undefined ? [] : outputsOf(name, init.outputs, docs);
    const options: Record<string, unknown> = {};
    for (const key of RAW_CONTAINER_OPTIONS) if ((init as unknown as Record<string, unknown>)[key] !== undefined) options[key] = (init as unknown as Record<string, unknown>)[key];
    // The image is the container's: cache policies version the task by it, as by a function task's.
    const settings = compileTaskOptions(name, { ...(options as TaskOptions), containerImage: init.image }, { inputNames: inputs.map((v) => v.name) });
    const iface = new Interface(inputs, outputs);
    // What CoPilot cannot upload fails on Flyte: refused here, so what runs locally runs there.
    checkOutputTypes(name, iface);
    // Running a container is asynchronous: every call (and a mock's) gives a Promise.
    super({ name, interface: iface, settings, isAsync: true });
    this.image = init.image;
    this.command = checked.command;
    this.arguments = checked.arguments;
    this.inputDataDir = checked.inputDataDir;
    this.outputDataDir = checked.outputDataDir;
    this.metadataFormat = checked.metadataFormat;
    this.ioStrategy = checked.ioStrategy;
    this.local = checked.local;
  }

  /** Calls the task with its inputs in the order `inputs` declares them; resolves to its outputs (one bare `o0`, else an object). */
  override call(...args: readonly unknown[]): Promise<OutputOut<O>> {
    return super.call(...args) as Promise<OutputOut<O>>;
  }

  /** Calls the task with its inputs by name, typed from `inputs`; resolves to its outputs, typed from `outputs`. */
  override invoke(inputs: CallInputs<I>): Promise<OutputOut<O>> {
    return super.invoke(inputs) as Promise<OutputOut<O>>;
  }

  /** The image, its templates resolved against the settings' images (flytekit's get_registerable_container_image). */
  getImage(settings: SerializationSettings): string {
    return resolveContainerImage(this.image, settings.imageConfig);
  }

  /** The DataLoadingConfig: enabled, the folders given (unset when not), the metadata format, the io strategy. */
  getDataLoadingConfig(): DataLoadingConfig {
    const io = this.ioStrategy;
    return create(DataLoadingConfigSchema, {
      enabled: true,
      inputPath: this.inputDataDir ?? "",
      outputPath: this.outputDataDir ?? "",
      format: FORMATS[this.metadataFormat],
      ioStrategy:
        io === undefined
          ? undefined
          : { downloadMode: DOWNLOAD_MODES[io.downloadMode ?? "EAGER"], uploadMode: UPLOAD_MODES[io.uploadMode ?? "ON_EXIT"] },
    });
  }

  /** The container, as if there were no pod template: as declared, with the settings' env and then the task's. */
  protected buildContainer(settings: SerializationSettings): Container {
    const container = buildContainer({
      image: this.getImage(settings),
      args: this.arguments ?? [],
      env: { ...settings.env, ...this.settings.environment },
      resources: this.settings.resources,
    });
    container.command = [...this.command];
    container.dataConfig = this.getDataLoadingConfig();
    return container;
  }

  override getContainer(settings: SerializationSettings): Container | undefined {
    return this.settings.podTemplate === undefined ? this.buildContainer(settings) : undefined;
  }

  override getK8sPod(settings: SerializationSettings): K8sPod | undefined {
    const pod = this.settings.podTemplate;
    if (pod === undefined) return undefined;
    const k8sPod = buildK8sPod(pod, this.buildContainer(settings), settings.imageConfig, { args: this.arguments !== undefined });
    k8sPod.dataConfig = this.getDataLoadingConfig();
    return k8sPod;
  }

  override getConfig(_settings?: SerializationSettings): Record<string, string> {
    const pod = this.settings.podTemplate;
    return pod === undefined ? {} : { primary_container_name: pod.primaryContainerName };
  }

  override getDocumentation(): TaskDocumentation | undefined {
    const { short, long } = this.settings.docs;
    if (short === undefined && long === undefined) return undefined;
    // As flytekit's Documentation: what is given, nothing more (no docstring stands in for the long one).
    return { shortDescription: short ?? "", longDescription: long === undefined ? undefined : { value: long, format: "MARKDOWN" } };
  }

  /** What a local run needs of the task: the folders (Flyte's defaults where none are given), the env, the local options. */
  get rawContainerRun(): RawContainerRun {
    // With a pod template, Flyte runs its primary container: the image it names, if any (serialized
    // as it is), and the variables it adds after the task's (the later of a name wins in Kubernetes).
    const pod = this.settings.podTemplate;
    const containers = pod === undefined ? [] : Array.isArray(pod.podSpec.containers) ? pod.podSpec.containers : [];
    const primary = containers.find((c) => typeof c === "object" && c !== null && !Array.isArray(c) && c.name === pod?.primaryContainerName) as Record<string, unknown> | undefined;
    const env: Record<string, string> = { ...this.settings.environment };
    for (const e of Array.isArray(primary?.env) ? primary.env : []) {
      const { name, value } = (e ?? {}) as { name?: unknown; value?: unknown };
      if (typeof name === "string" && typeof value === "string") env[name] = value;
    }
    return {
      task: this.name,
      image: typeof primary?.image === "string" && primary.image !== "" ? primary.image : this.image,
      command: this.command,
      args: this.arguments ?? [],
      inputDataDir: this.inputDataDir ?? DEFAULT_INPUT_DATA_DIR,
      outputDataDir: this.outputDataDir ?? DEFAULT_OUTPUT_DATA_DIR,
      metadataFormat: this.metadataFormat,
      interface: this.interface,
      env,
      secrets: this.settings.secretRequests,
      local: this.local,
    };
  }

  /** The body is the SDK running the container: its errors are reported as they are (they name the task). */
  protected override get bodyIsUserCode(): boolean {
    return false;
  }

  /**
   * A local run: the inputs back to literals (the interface's types, in the attempt's conversion),
   * the container run as CoPilot runs it (copilot/run.ts), its outputs read as the interface says.
   * The command's failure (a non-zero exit, an `_ERROR` file) is the task's own: a user error, and
   * a recoverable one, as on Flyte, so `retries` run it again.
   */
  protected executeNative(inputs: Record<string, unknown>, context: TaskExecutionContext): Promise<unknown> {
    const types = Object.fromEntries(this.interface.inputs.map((v) => [v.name, v.type]));
    const literals = toLiteralMap(types, inputs, "input", context);
    return runRawContainer(this.rawContainerRun, literals, context).then(
      (outputs) => nativeOutputs(this, outputs, context),
      (e: unknown) => {
        throw e instanceof ContainerExitError || e instanceof ContainerReportedError ? markUserError(e) : e;
      },
    );
  }
}
