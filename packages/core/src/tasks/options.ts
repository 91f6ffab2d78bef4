import { durationToMillis, type DurationInput, type DurationValue } from "../types/time.js";
import type { TaskResolver } from "../resolvers/resolver.js";
import { Accelerator } from "./accelerators.js";
import { Cache, type VersionParameters } from "./cache.js";
import { DEFAULT_DECK_FIELDS, DeckField, type TaskDocs } from "./docs.js";
import { TaskDefinitionError } from "./errors.js";
import { PodTemplate } from "./pod-template.js";
import { resolveResources, type ResolvedResources, Resources } from "./resources.js";
import { checkSecretRequests, type Secret } from "./secret.js";

/** What a task may say about how it runs (flytekit's @task arguments, in camelCase). */
export interface TaskOptions {
  /** A plugin's config object: the task becomes the plugin's task class (see TaskPlugins). */
  taskConfig?: object;
  /** `true` with `cacheVersion`, or a Cache. */
  cache?: boolean | Cache;
  /** @deprecated use `cache: Cache({ version })` */
  cacheVersion?: string;
  /** @deprecated use `cache: Cache({ serialize })` */
  cacheSerialize?: boolean;
  /** @deprecated use `cache: Cache({ ignoredInputs })` */
  cacheIgnoreInputVars?: readonly string[];
  /** Retries after a recoverable failure (see RecoverableError). Default 0. */
  retries?: number;
  /** Whether Flyte may run the task on preemptible machines. */
  interruptible?: boolean;
  /** A deprecation message: warned on every local call, shown by Flyte. */
  deprecated?: string;
  /** Whole seconds, or a Duration; enforced locally too. */
  timeout?: number | DurationInput;
  /** The image, or a template: `{{.images.NAME.fqn}}:{{.images.NAME.version}}`. */
  containerImage?: string;
  environment?: Readonly<Record<string, string>>;
  requests?: Resources;
  limits?: Resources;
  /** Requests and limits at once: a single value is a request, a pair is [request, limit]. */
  resources?: Resources;
  secretRequests?: readonly Secret[];
  podTemplate?: PodTemplate;
  podTemplateName?: string;
  accelerator?: Accelerator;
  /** Shared memory at /dev/shm: `true` for the node's default size, or a size such as `"2Gi"`. */
  sharedMemory?: boolean | string;
  labels?: Readonly<Record<string, string>>;
  annotations?: Readonly<Record<string, string>>;
  /** A description, or descriptions of the task and of its inputs and outputs. */
  docs?: string | TaskDocs;
  enableDeck?: boolean;
  disableDeck?: boolean;
  deckFields?: readonly DeckField[];
  /** How a container finds this task; the default imports its module and walks its name. */
  taskResolver?: TaskResolver;
}

export const TASK_OPTION_NAMES: readonly string[] = [
  "taskConfig",
  "cache",
  "cacheVersion",
  "cacheSerialize",
  "cacheIgnoreInputVars",
  "retries",
  "interruptible",
  "deprecated",
  "timeout",
  "containerImage",
  "environment",
  "requests",
  "limits",
  "resources",
  "secretRequests",
  "podTemplate",
  "podTemplateName",
  "accelerator",
  "sharedMemory",
  "labels",
  "annotations",
  "docs",
  "enableDeck",
  "disableDeck",
  "deckFields",
  "taskResolver",
];

/** flytekit's TaskMetadata, normalised. */
export interface TaskMetadata {
  cache: boolean;
  cacheVersion: string;
  cacheSerialize: boolean;
  cacheIgnoreInputVars: readonly string[];
  retries: number;
  /** Unset unless the task says. */
  interruptible?: boolean;
  deprecated: string;
  /** Unset unless the task sets a non-zero timeout. */
  timeout?: DurationValue;
  podTemplateName: string;
  generatesDeck: boolean;
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
}

/** Every option, checked and normalised. */
export interface TaskSettings {
  metadata: TaskMetadata;
  taskConfig?: object;
  containerImage?: string;
  environment: Readonly<Record<string, string>>;
  resources: ResolvedResources;
  secretRequests: readonly Secret[];
  podTemplate?: PodTemplate;
  accelerator?: Accelerator;
  /** The shared memory size limit ("" = the node's default), or undefined for none. */
  sharedMemory?: string;
  docs: TaskDocs;
  deckFields: readonly DeckField[];
  taskResolver?: TaskResolver;
}

function fail(task: string, message: string): never {
  throw new TaskDefinitionError(`task '${task}': ${message}`);
}

function stringMap(task: string, name: string, value: unknown): Readonly<Record<string, string>> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(task, `${name} must be an object of strings`);
  for (const [k, v] of Object.entries(value)) if (typeof v !== "string") fail(task, `${name}.${k} must be a string, got ${typeof v}`);
  return { ...(value as Record<string, string>) };
}

/** Refuses options the task does not know, naming them (flytekit: "Unrecognized argument(s) for task"). */
export function checkOptionNames(task: string, options: object, known: readonly string[]): void {
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new TaskDefinitionError(
      `Unrecognized argument(s) for task '${task}': ${unknown.join(", ")} (known: ${[...known].sort().join(", ")})`,
    );
  }
}

function timeoutOf(task: string, value: unknown): DurationValue | undefined {
  if (value === undefined || value === 0) return undefined;
  if (typeof value === "number") {
    if (!Number.isInteger(value) || value < 0) {
      fail(task, `timeout should be duration represented as either a Duration or int seconds, got ${value}`);
    }
    return { seconds: value, nanos: 0 };
  }
  if (typeof value === "object" && value !== null && "seconds" in value) {
    const d = value as DurationInput;
    const ms = durationToMillis(d);
    if (!Number.isFinite(ms) || ms < 0) fail(task, `timeout must be a positive Duration, got ${JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v))}`);
    if (ms === 0) return undefined;
    return { seconds: Number(d.seconds), nanos: d.nanos ?? 0 };
  }
  fail(task, `timeout should be duration represented as either a Duration or int seconds, got ${JSON.stringify(value) ?? String(value)}`);
}

function cacheOf(task: string, options: TaskOptions, params: VersionParameters, inputNames: readonly string[] | undefined) {
  const legacySet = options.cacheVersion !== undefined || options.cacheSerialize !== undefined || options.cacheIgnoreInputVars !== undefined;
  let cache: boolean;
  let version = options.cacheVersion;
  let serialize = options.cacheSerialize;
  let ignored = options.cacheIgnoreInputVars;
  let cacheOption = options.cache;
  if (cacheOption !== undefined && typeof cacheOption !== "boolean" && !(cacheOption instanceof Cache)) {
    fail(task, `cache must be true, false or a Cache, got ${JSON.stringify(cacheOption)}`);
  }
  // As flytekit: cache=true without a version means a Cache with the default policies, which are none.
  if (cacheOption === true && version === undefined) {
    try {
      cacheOption = new Cache({ serialize: serialize ?? false, ignoredInputs: ignored ?? [] });
    } catch (e) {
      fail(task, (e as Error).message);
    }
  }
  if (cacheOption instanceof Cache) {
    if (legacySet) {
      fail(task, "cacheSerialize, cacheVersion, and cacheIgnoreInputVars are deprecated. Please use a Cache object");
    }
    version = cacheOption.getVersion(params);
    serialize = cacheOption.serialize;
    ignored = cacheOption.ignoredInputs;
    cache = true;
  } else {
    cache = cacheOption === true;
  }
  version ??= "";
  serialize ??= false;
  ignored ??= [];
  if (typeof version !== "string") fail(task, "cacheVersion must be a string");
  if (cache && version === "") fail(task, "Caching is enabled (cache: true) but cacheVersion is not set.");
  if (serialize && !cache) fail(task, "Cache serialize is enabled (cacheSerialize: true) but cache is not enabled.");
  if (ignored.length > 0 && !cache) {
    fail(task, `Cache ignore input vars are specified (cacheIgnoreInputVars: ${JSON.stringify(ignored)}) but cache is not enabled.`);
  }
  if (inputNames !== undefined) {
    for (const name of ignored) {
      if (!inputNames.includes(name)) fail(task, `the cache ignores input '${name}', which the task does not have (inputs: ${inputNames.join(", ") || "none"})`);
    }
  }
  return { cache, cacheVersion: version, cacheSerialize: serialize, cacheIgnoreInputVars: [...ignored] };
}

/**
 * Checks a task's options and normalises them, with flytekit's rules and messages. `inputNames`
 * lets the cache check its ignored inputs; `fn` is what cache policies version.
 */
export function compileTaskOptions(
  task: string,
  options: TaskOptions,
  context: { inputNames: readonly string[] | undefined; fn?: Function },
): TaskSettings {
  // Most tasks set few options or none; the defaults are shared and never mutated.
  if (Object.keys(options).length === 0) return (DEFAULTS ??= Object.freeze(compileOptions("", {}, { inputNames: [] })));
  return compileOptions(task, options, context);
}

let DEFAULTS: TaskSettings | undefined;
const DECK_FIELDS: ReadonlySet<string> = new Set(Object.values(DeckField));

function compileOptions(task: string, options: TaskOptions, context: { inputNames: readonly string[] | undefined; fn?: Function }): TaskSettings {
  if (options.enableDeck !== undefined && options.disableDeck !== undefined) {
    fail(task, "only one of [disableDeck, enableDeck] can be set");
  }
  const retries = options.retries ?? 0;
  if (!Number.isInteger(retries) || retries < 0) fail(task, `retries must be a whole number of at least 0, got ${String(retries)}`);
  if (options.interruptible !== undefined && typeof options.interruptible !== "boolean") fail(task, "interruptible must be a boolean");
  if (options.deprecated !== undefined && typeof options.deprecated !== "string") fail(task, "deprecated must be a message (a string)");
  if (options.containerImage !== undefined && typeof options.containerImage !== "string") fail(task, "containerImage must be a string");
  if (options.podTemplate !== undefined && !(options.podTemplate instanceof PodTemplate)) fail(task, "podTemplate must be a PodTemplate");
  if (options.podTemplateName !== undefined && typeof options.podTemplateName !== "string") fail(task, "podTemplateName must be a string");
  if (options.accelerator !== undefined && !(options.accelerator instanceof Accelerator)) {
    fail(task, "accelerator must be an Accelerator, such as T4, A100 or A100.partition_2g_10gb");
  }
  let sharedMemory: string | undefined;
  if (options.sharedMemory === true) sharedMemory = "";
  else if (typeof options.sharedMemory === "string") sharedMemory = options.sharedMemory;
  else if (options.sharedMemory !== undefined && options.sharedMemory !== false) fail(task, "sharedMemory must be true or a size such as \"2Gi\"");
  if (options.disableDeck !== undefined) {
    process.emitWarning("disableDeck is deprecated (as flytekit's disable_deck since 1.10.0); please use enableDeck instead", {
      type: "DeprecationWarning",
      code: "FLYTEKIT_TS_DISABLE_DECK",
    });
  }
  const enableDeck = options.enableDeck ?? (options.disableDeck === undefined ? false : !options.disableDeck);
  // As flytekit: deck fields only matter, and are only checked, when decks are on.
  const deckFields = enableDeck ? (options.deckFields ?? DEFAULT_DECK_FIELDS) : [];
  for (const f of deckFields) {
    if (!DECK_FIELDS.has(f)) fail(task, `Element ${JSON.stringify(f)} from deckFields is not a valid deck field. Please use one of ${Object.values(DeckField).join(", ")}`);
  }
  const docs: TaskDocs = typeof options.docs === "string" ? { short: options.docs } : { ...options.docs };
  if (options.taskConfig !== undefined && (typeof options.taskConfig !== "object" || options.taskConfig === null)) {
    fail(task, "taskConfig must be a plugin's config object");
  }
  const cache = cacheOf(
    task,
    options,
    { fn: context.fn, containerImage: options.containerImage, podTemplate: options.podTemplate, podTemplateName: options.podTemplateName },
    context.inputNames,
  );
  return {
    metadata: {
      ...cache,
      retries,
      interruptible: options.interruptible,
      deprecated: options.deprecated ?? "",
      timeout: timeoutOf(task, options.timeout),
      podTemplateName: options.podTemplateName ?? "",
      generatesDeck: enableDeck,
      labels: stringMap(task, "labels", options.labels),
      annotations: stringMap(task, "annotations", options.annotations),
    },
    taskConfig: options.taskConfig,
    containerImage: options.containerImage === "" ? undefined : options.containerImage,
    environment: stringMap(task, "environment", options.environment),
    resources: resolveResources(task, options),
    secretRequests: checkSecretRequests(task, options.secretRequests),
    podTemplate: options.podTemplate,
    accelerator: options.accelerator,
    sharedMemory,
    docs,
    deckFields: [...deckFields],
    taskResolver: options.taskResolver,
  };
}

/** Default settings, for tasks built without options. */
export function defaultTaskSettings(task: string): TaskSettings {
  return compileTaskOptions(task, {}, { inputNames: [] });
}

export { Resources };
