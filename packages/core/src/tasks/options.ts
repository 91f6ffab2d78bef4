// The task options (flytekit's @task arguments, in camelCase), declared once: the table below is
// where each option says what it is, its default (`@default`), how it is checked and where it lands
// in the TaskTemplate. The `TaskOptions` type (its doc comments included), every list of option
// names, and the options each kind of task takes all derive from it.
import { describeValue } from "../types/describe.js";
import { durationToMillis, type DurationInput, type DurationValue } from "../types/time.js";
import { Accelerator } from "./accelerators.js";
import { Cache, type VersionParameters } from "./cache.js";
import { DEFAULT_DECK_FIELDS, DeckField, type TaskDocs } from "./docs.js";
import { TaskDefinitionError } from "./errors.js";
import { PodTemplate } from "./pod-template.js";
import type { TaskResolver } from "./resolver.js";
import { resolveResources, Resources, type ResolvedResources } from "./resources.js";
import { checkSecretRequests, type Secret } from "./secret.js";
import { isTaskLink, type TaskLink } from "./links.js";
import { RetryStrategy, type Backoff } from "./retry.js";
import { ReusePolicy } from "./reuse.js";
import { Timeout } from "./timeout.js";

/** Which part of a task an option concerns; each kind of task takes the groups that apply to it. */
export type OptionGroup = "plugin" | "cache" | "run" | "metadata" | "image" | "resources" | "secrets" | "pod" | "gpu" | "docs" | "deck" | "resolver" | "io" | "reuse";

/** An option's row in the table. `T` is the value it takes; the rest is for validation and documentation. */
export interface OptionSpec<T, G extends OptionGroup> {
  readonly group: G;
  /** Where it lands in the TaskTemplate (or what it governs, for an option of local runs). */
  readonly target: string;
  /** The expectation a value fails, or undefined when the value is fine (undefined values are never checked). */
  readonly check: (value: unknown) => string | undefined;
  /** Phantom: the value's type, never set. */
  readonly value?: T;
}

function option<T, G extends OptionGroup>(group: G, target: string, check: (value: unknown) => string | undefined): OptionSpec<T, G> {
  return { group, target, check };
}

const isString = (v: unknown) => (typeof v === "string" ? undefined : "a string");
const isBoolean = (v: unknown) => (typeof v === "boolean" ? undefined : "true or false");
const isInstance = (cls: Function, what: string) => (v: unknown) => (v instanceof cls ? undefined : what);
const isStringMap = (v: unknown) => (typeof v === "object" && v !== null && !Array.isArray(v) ? undefined : "an object of strings");
const isArray = (what: string) => (v: unknown) => (Array.isArray(v) ? undefined : what);

/** Every task option. Order matters only for messages. */
export const TASK_OPTIONS = {
  /**
   * A plugin's config object: the task is built as the task class registered for the config's class
   * (see TaskPlugins), which writes it into the template's `custom`.
   * @default none: a plain function task
   */
  taskConfig: option<object, "plugin">("plugin", "custom (by the plugin)", (v) => (typeof v === "object" && v !== null ? undefined : "a plugin's config object")),
  /**
   * Whether Flyte (and a local call) reuses the outputs of an earlier run with the same inputs:
   * `true` with `cacheVersion`, or `new Cache({ version, serialize, ignoredInputs, policies })`.
   * @default false
   */
  cache: option<boolean | Cache, "cache">("cache", "metadata.discoverable", (v) => (typeof v === "boolean" || v instanceof Cache ? undefined : "true, false or a Cache")),
  /**
   * The cache version: changing it invalidates cached outputs.
   * @default ""
   * @deprecated use `cache: new Cache({ version })`
   */
  cacheVersion: option<string, "cache">("cache", "metadata.discovery_version", isString),
  /**
   * Whether identical executions running at once run once, the others waiting for its outputs.
   * @default false
   * @deprecated use `cache: new Cache({ serialize })`
   */
  cacheSerialize: option<boolean, "cache">("cache", "metadata.cache_serializable", isBoolean),
  /**
   * Inputs left out of the cache key.
   * @default []
   * @deprecated use `cache: new Cache({ ignoredInputs })`
   */
  cacheIgnoreInputVars: option<readonly string[], "cache">("cache", "metadata.cache_ignore_input_vars", isArray("a list of input names")),
  /**
   * How many times to run the task again after a recoverable failure (a RecoverableError, a
   * timeout), on Flyte and in local calls: a count, or `new RetryStrategy({ count, backoff: { base,
   * factor, cap } })` to wait min(base * factor^n, cap) seconds before retry n + 1 (locally too).
   * Flyte 1 registration keeps the count and drops the backoff.
   * @default 0
   */
  retries: option<number | RetryStrategy, "run">("run", "metadata.retries (the backoff: Flyte 2's metadata.retries.backoff)", (v) =>
    (typeof v === "number" && Number.isInteger(v) && v >= 0) || v instanceof RetryStrategy ? undefined : "a whole number of at least 0, or a RetryStrategy",
  ),
  /**
   * Whether Flyte may run the task on preemptible (spot) machines.
   * @default unset: the platform's default
   */
  interruptible: option<boolean, "run">("run", "metadata.interruptible", isBoolean),
  /**
   * A deprecation message: warned on every local call, shown by Flyte.
   * @default "": not deprecated
   */
  deprecated: option<string, "run">("run", "metadata.deprecated_error_message", (v) => (typeof v === "string" ? undefined : "a message (a string)")),
  /**
   * The size from which an output is offloaded in a container: its serialized literal goes to
   * `<output-prefix>/<name>_offloaded_metadata.pb` and outputs.pb holds an `offloaded_metadata`
   * literal in its place (flytekit's literal offloading; Flyte 2's name). Where the cluster turns
   * offloading on (`_F_L_MIN_SIZE_MB` in the pod), the smaller of the two applies; set here, it
   * applies where the cluster says nothing too. Local calls never offload.
   * @default the cluster's `_F_L_MIN_SIZE_MB` where it turns offloading on (10 MiB when it is set
   * empty, flytekit's default); nothing is offloaded where it does not
   * @format a whole number of bytes, at least 1
   */
  maxInlineIoBytes: option<number, "io">("io", "(the container entrypoint: outputs of this size or more are offloaded)", (v) =>
    typeof v === "number" && Number.isSafeInteger(v) && v > 0 ? undefined : "a whole number of bytes, at least 1",
  ),
  /**
   * The longest one attempt may run: whole seconds, or a Duration (`duration({ minutes: 5 })`); or
   * `new Timeout({ maxRuntime, maxQueuedTime, deadline })` for Flyte 2's three bounds (Flyte 1
   * registration keeps `maxRuntime` and drops the other two). Local calls enforce the runtime bound
   * too: an async task's AbortSignal fires, a sync task's late result is refused.
   * @default none
   * @format whole seconds, `{ seconds, nanos }`, or a Timeout
   */
  timeout: option<number | DurationInput | Timeout, "run">("run", "metadata.timeout (Flyte 2 also metadata.timeouts)", (v) => (v instanceof Timeout ? undefined : timeoutProblem(v))),
  /**
   * Reusable containers (Flyte 2's `ReusePolicy`): `new ReusePolicy({ replicas: [1, 3], idleTtl: 60 })`.
   * Usually set on a TaskEnvironment. Flyte 2 only: Flyte 1 registration drops it.
   * @default none: a new container for every run of the task
   */
  reusable: option<ReusePolicy, "reuse">("reuse", "(Flyte 2) reuse_policy", isInstance(ReusePolicy, "a ReusePolicy")),
  /**
   * The queue (a partition of the compute, such as one cluster) Flyte 2 runs the task on. Flyte 2
   * only (it is chosen per run, outside the template): Flyte 1 registration drops it.
   * @default the platform's default queue
   */
  queue: option<string, "run">("run", "(Flyte 2) the action's queue", isString),
  /**
   * Whether Flyte 2 may attach a debugger to the task. Flyte 2 only: Flyte 1 registration drops it.
   * @default unset: Flyte 2's default (on for function tasks, off when reusable)
   */
  debuggable: option<boolean, "run">("run", "(Flyte 2) metadata.debuggable", isBoolean),
  /**
   * Links the UI shows beside the running task (flyte-sdk's Link): `{ name, getLink(context) }`.
   * Flyte 2 only: Flyte 1 registration drops them.
   * @default []
   */
  links: option<readonly TaskLink[], "metadata">("metadata", "(Flyte 2) metadata.log_links", (v) =>
    Array.isArray(v) && v.every(isTaskLink) ? undefined : "a list of links ({ name, getLink(context) })",
  ),
  /**
   * The task's name in the UI. At most 63 characters. Flyte 2 only: Flyte 1 registration drops it.
   * @default the member's (or function's) name
   */
  shortName: option<string, "docs">("docs", "(Flyte 2) TaskSpec.short_name", (v) =>
    typeof v !== "string" || v === "" ? "a name (a non-empty string)" : v.length > 63 ? `at most 63 characters (it has ${v.length})` : undefined,
  ),
  /**
   * The image the task runs in, or a template: `{{.images.NAME.fqn}}:{{.images.NAME.version}}`.
   * @default the serialization settings' default image
   */
  containerImage: option<string, "image">("image", "container.image", isString),
  /**
   * Environment variables of the task's container; they win over the settings' `env`.
   * @default {}
   */
  environment: option<Readonly<Record<string, string>>, "image">("image", "container.env", isStringMap),
  /**
   * Resource requests: `new Resources({ cpu: "1", mem: "2Gi" })`.
   * @default none: the settings' default resources, else the platform's
   */
  requests: option<Resources, "resources">("resources", "container.resources.requests", isInstance(Resources, "a Resources")),
  /**
   * Resource limits: `new Resources({ cpu: "2", mem: "4Gi" })`.
   * @default none: the settings' default resources, else the platform's
   */
  limits: option<Resources, "resources">("resources", "container.resources.limits", isInstance(Resources, "a Resources")),
  /**
   * Requests and limits at once: a single value is a request, a pair is `[request, limit]`. Not
   * with `requests` or `limits`.
   * @default none
   */
  resources: option<Resources, "resources">("resources", "container.resources", isInstance(Resources, "a Resources")),
  /**
   * Secrets the task reads with `currentContext().secrets.get(group, key)`.
   * @default []
   */
  secretRequests: option<readonly Secret[], "secrets">("secrets", "security_context.secrets", isArray("a list of Secret")),
  /**
   * A pod of the task's own: Flyte runs the task in its primary container.
   * @default none: a container
   */
  podTemplate: option<PodTemplate, "pod">("pod", "k8s_pod, config.primary_container_name", isInstance(PodTemplate, "a PodTemplate")),
  /**
   * The name of a PodTemplate registered on the cluster, to start the task's pod from.
   * @default ""
   */
  podTemplateName: option<string, "pod">("pod", "metadata.pod_template_name", isString),
  /**
   * A GPU (or other accelerator): `T4`, `A100`, `A100.partition_2g_10gb`, ...
   * @default none
   */
  accelerator: option<Accelerator, "gpu">("gpu", "extended_resources.gpu_accelerator", isInstance(Accelerator, "an Accelerator, such as T4, A100 or A100.partition_2g_10gb")),
  /**
   * Shared memory at /dev/shm: `true` for the node's default size, or a size such as `"2Gi"`.
   * @default false
   */
  sharedMemory: option<boolean | string, "gpu">("gpu", "extended_resources.shared_memory", (v) => (typeof v === "boolean" || typeof v === "string" ? undefined : 'true or a size such as "2Gi"')),
  /**
   * Kubernetes labels of the task's pod.
   * @default {}
   */
  labels: option<Readonly<Record<string, string>>, "metadata">("metadata", "metadata.metadata.labels", isStringMap),
  /**
   * Kubernetes annotations of the task's pod.
   * @default {}
   */
  annotations: option<Readonly<Record<string, string>>, "metadata">("metadata", "metadata.metadata.annotations", isStringMap),
  /**
   * What the task does: a one-line description, or `{ short, long, inputs, outputs }`.
   * @default none: inputs and outputs are described by their names, as in flytekit
   */
  docs: option<string | TaskDocs, "docs">("docs", "interface descriptions; the registered DescriptionEntity", (v) =>
    typeof v === "string" || (typeof v === "object" && v !== null && !Array.isArray(v)) ? undefined : "a description, or { short, long, inputs, outputs }",
  ),
  /**
   * Whether Flyte renders decks (the panels of `deckFields`) for the task.
   * @default false
   */
  enableDeck: option<boolean, "deck">("deck", "metadata.generates_deck", isBoolean),
  /**
   * Flyte 2's name for `enableDeck`: whether the task writes a report (deck). Not with `enableDeck`
   * or `disableDeck`.
   * @default false
   */
  report: option<boolean, "deck">("deck", "metadata.generates_deck", isBoolean),
  /**
   * The opposite of `enableDeck`; not with it.
   * @default unset
   * @deprecated use `enableDeck` (as flytekit's disable_deck since 1.10.0)
   */
  disableDeck: option<boolean, "deck">("deck", "metadata.generates_deck", isBoolean),
  /**
   * The deck panels, when decks are on.
   * @default DEFAULT_DECK_FIELDS: source code, dependencies, timeline, input, output
   */
  deckFields: option<readonly DeckField[], "deck">("deck", "(the decks rendered)", isArray("a list of DeckField")),
  /**
   * How a container finds the task.
   * @default the default resolver: it imports the task's module and walks its export path
   */
  taskResolver: option<TaskResolver, "resolver">("resolver", "container.args (--resolver and the loader arguments)", (v) =>
    typeof v === "object" && v !== null && typeof (v as TaskResolver).loaderArgs === "function" && typeof (v as TaskResolver).location === "string"
      ? undefined
      : "a TaskResolver (with location and loaderArgs)",
  ),
} as const;

type Table = typeof TASK_OPTIONS;
type ValueOf<S> = S extends OptionSpec<infer T, OptionGroup> ? T : never;

/** What a task may say about how it runs (flytekit's @task arguments, in camelCase). */
export type TaskOptions = { -readonly [K in keyof Table]?: ValueOf<Table[K]> };

/** The options of the groups `G`: what a kind of task that takes only those accepts. */
export type TaskOptionsIn<G extends OptionGroup> = { -readonly [K in keyof Table as Table[K]["group"] extends G ? K : never]?: ValueOf<Table[K]> };

/** The name of every task option. */
export const TASK_OPTION_NAMES: readonly (keyof TaskOptions)[] = Object.keys(TASK_OPTIONS) as (keyof TaskOptions)[];

/** The names of the options of some groups. */
export function optionNamesIn(groups: readonly OptionGroup[]): (keyof TaskOptions)[] {
  return TASK_OPTION_NAMES.filter((name) => groups.includes(TASK_OPTIONS[name].group));
}

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

/**
 * What only Flyte 2's IDL holds: kept on the task (`task.settings.flyte2`) for the Flyte 2 target,
 * dropped by Flyte 1 registration. Field names follow `@flyteorg/flyteidl2` (protobuf-es).
 */
export interface Flyte2Settings {
  /** TaskSpec.short_name; unset: the member's name (see `Task.shortName`). */
  shortName?: string;
  /** TaskMetadata.retries.backoff. */
  backoff?: Backoff;
  /** TaskMetadata.timeouts.queued_timeout. */
  queuedTimeout?: DurationValue;
  /** TaskMetadata.timeouts.deadline. */
  deadline?: DurationValue;
  /** TaskMetadata.cache_max_age. */
  cacheMaxAge?: DurationValue;
  /** TaskTemplate.reuse_policy. */
  reusePolicy?: ReusePolicy;
  /** The action's queue (not in the template). */
  queue?: string;
  /** TaskMetadata.log_links, made from these. */
  links: readonly TaskLink[];
  /** TaskMetadata.debuggable; unset: Flyte 2's default. */
  debuggable?: boolean;
}

/** Every option, checked and normalised. */
export interface TaskSettings {
  metadata: TaskMetadata;
  /** What only Flyte 2 holds (Flyte 1 registration drops it). */
  flyte2: Flyte2Settings;
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
  /** The offloading threshold the task set (`maxInlineIoBytes`), or undefined when it did not. */
  maxInlineIoBytes?: number;
}

function timeoutProblem(v: unknown): string | undefined {
  const expected = "whole seconds or a Duration";
  if (typeof v === "number") return Number.isInteger(v) && v >= 0 ? undefined : expected;
  if (typeof v === "object" && v !== null && "seconds" in v) {
    const ms = durationToMillis(v as DurationInput);
    return Number.isFinite(ms) && ms >= 0 ? undefined : "a positive Duration";
  }
  return expected;
}

/**
 * Refuses names a kind of task does not take, naming them and what it does take (flytekit:
 * "Unrecognized argument(s) for task").
 */
export function checkOptionNames(task: string, options: object, known: readonly string[]): void {
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new TaskDefinitionError({
      task,
      problem: `Unrecognized argument(s) for task: ${unknown.join(", ")}`,
      fix: `it takes ${[...known].sort().join(", ")}`,
    });
  }
}

function fail(task: string, name: string, problem: string, fix?: string): never {
  throw new TaskDefinitionError({ task, subject: `option '${name}'`, problem, fix });
}

/** @internal A map of strings, checked. */
export function stringMap(task: string, name: string, value: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> {
  if (value === undefined) return {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") throw new TaskDefinitionError({ task, subject: `option '${name}'`, path: `.${k}`, expected: "a string", got: describeValue(v) });
  }
  return { ...value };
}

/** @internal The runtime bound of `timeout`. */
export function timeoutOf(value: number | DurationInput | Timeout | undefined): DurationValue | undefined {
  if (value instanceof Timeout) return value.maxRuntime;
  if (value === undefined || value === 0) return undefined;
  if (typeof value === "number") return { seconds: value, nanos: 0 };
  return durationToMillis(value) === 0 ? undefined : { seconds: Number(value.seconds), nanos: value.nanos ?? 0 };
}

/** What to write for a cache without a version (`cacheVersion` is deprecated, so it is not what is shown). */
const CACHE_VERSION_FIX = 'give a version: cache: new Cache({ version: "1" })';

/** @internal The cache options, by flytekit's rules and in its words. */
export function cacheOf(task: string, options: TaskOptions, params: VersionParameters, inputNames: readonly string[] | undefined) {
  const legacySet = options.cacheVersion !== undefined || options.cacheSerialize !== undefined || options.cacheIgnoreInputVars !== undefined;
  let version = options.cacheVersion;
  let serialize = options.cacheSerialize;
  let ignored = options.cacheIgnoreInputVars;
  let cacheOption = options.cache;
  // As flytekit: cache=true without a version means a Cache with the default policies, which are none.
  if (cacheOption === true && version === undefined) {
    try {
      cacheOption = new Cache({ serialize: serialize ?? false, ignoredInputs: ignored ?? [] });
    } catch (e) {
      fail(task, "cache", (e as TaskDefinitionError).problem ?? (e as Error).message, CACHE_VERSION_FIX);
    }
  }
  let cache: boolean;
  if (cacheOption instanceof Cache) {
    if (legacySet) fail(task, "cache", "cacheSerialize, cacheVersion, and cacheIgnoreInputVars are deprecated", "put them in the Cache object");
    version = cacheOption.getVersion(params, task);
    serialize = cacheOption.serialize;
    ignored = cacheOption.ignoredInputs;
    cache = true;
  } else {
    cache = cacheOption === true;
  }
  version ??= "";
  serialize ??= false;
  ignored ??= [];
  if (cache && version === "") fail(task, "cache", "Caching is enabled (cache: true) but cacheVersion is not set", CACHE_VERSION_FIX);
  if (serialize && !cache) fail(task, "cacheSerialize", "Cache serialize is enabled (cacheSerialize: true) but cache is not enabled");
  if (ignored.length > 0 && !cache) {
    fail(task, "cacheIgnoreInputVars", `Cache ignore input vars are specified (cacheIgnoreInputVars: ${JSON.stringify(ignored)}) but cache is not enabled`);
  }
  if (inputNames !== undefined) checkIgnoredInputs(task, ignored, inputNames);
  return { cache, cacheVersion: version, cacheSerialize: serialize, cacheIgnoreInputVars: [...ignored] };
}

/** The cache's ignored inputs must be inputs of the task (checked once its interface is known). */
export function checkIgnoredInputs(task: string, ignored: readonly string[], inputNames: readonly string[]): void {
  for (const name of ignored) {
    if (!inputNames.includes(name)) fail(task, "cache", `the cache ignores input '${name}', which the task does not have (inputs: ${inputNames.join(", ") || "none"})`);
  }
}

/** What compiling options knows of the task beyond them. */
export interface OptionsContext {
  /** The task's inputs, when known (the cache checks its ignored inputs against them). */
  inputNames: readonly string[] | undefined;
  /** What cache policies version. */
  fn?: Function;
}

let DEFAULTS: TaskSettings | undefined;
const DECK_FIELDS: ReadonlySet<string> = new Set(Object.values(DeckField));

/**
 * Checks a task's options and normalises them, with flytekit's rules and messages: each option by
 * its row in the table, then the rules that tie options together (the cache's, the decks',
 * resources').
 */
export function compileTaskOptions(task: string, options: TaskOptions, context: OptionsContext): TaskSettings {
  // Most tasks set few options or none; the defaults are shared and never mutated.
  let any = false;
  for (const name in options) {
    if ((options as Record<string, unknown>)[name] !== undefined) {
      any = true;
      break;
    }
  }
  if (!any) return (DEFAULTS ??= Object.freeze(compile("", {}, { inputNames: [] })));
  return compile(task, options, context);
}

function compile(task: string, options: TaskOptions, context: OptionsContext): TaskSettings {
  for (const [name, value] of Object.entries(options)) {
    const spec = TASK_OPTIONS[name as keyof TaskOptions];
    if (spec === undefined || value === undefined) continue;
    const expected = spec.check(value);
    if (expected !== undefined) throw new TaskDefinitionError({ task, subject: `option '${name}'`, expected, got: describeValue(value) });
  }
  if (options.enableDeck !== undefined && options.disableDeck !== undefined) fail(task, "enableDeck", "only one of [disableDeck, enableDeck] can be set");
  if (options.report !== undefined && (options.enableDeck !== undefined || options.disableDeck !== undefined)) {
    fail(task, "report", `report is Flyte 2's name for enableDeck: only one of [report, ${options.enableDeck !== undefined ? "enableDeck" : "disableDeck"}] can be set`, "keep report");
  }
  if (options.disableDeck !== undefined) {
    process.emitWarning("disableDeck is deprecated (as flytekit's disable_deck since 1.10.0); please use enableDeck instead", {
      type: "DeprecationWarning",
      code: "FLYTEKIT_TS_DISABLE_DECK",
    });
  }
  const enableDeck = options.report ?? options.enableDeck ?? (options.disableDeck === undefined ? false : !options.disableDeck);
  // As flytekit: deck fields only matter, and are only checked, when decks are on.
  const deckFields = enableDeck ? (options.deckFields ?? DEFAULT_DECK_FIELDS) : [];
  for (const f of deckFields) {
    if (!DECK_FIELDS.has(f)) fail(task, "deckFields", `${JSON.stringify(f)} is not a valid deck field`, `use one of ${Object.values(DeckField).join(", ")}`);
  }
  const docs: TaskDocs = typeof options.docs === "string" ? { short: options.docs } : { ...options.docs };
  const cache = cacheOf(
    task,
    options,
    { fn: context.fn, containerImage: options.containerImage, podTemplate: options.podTemplate, podTemplateName: options.podTemplateName },
    context.inputNames,
  );
  return {
    metadata: {
      ...cache,
      retries: retriesOf(options.retries),
      interruptible: options.interruptible,
      deprecated: options.deprecated ?? "",
      timeout: timeoutOf(options.timeout),
      podTemplateName: options.podTemplateName ?? "",
      generatesDeck: enableDeck,
      labels: stringMap(task, "labels", options.labels),
      annotations: stringMap(task, "annotations", options.annotations),
    },
    flyte2: flyte2Of(options),
    taskConfig: options.taskConfig,
    containerImage: options.containerImage === "" ? undefined : options.containerImage,
    environment: stringMap(task, "environment", options.environment),
    resources: resolveResources(task, options),
    secretRequests: checkSecretRequests(task, options.secretRequests),
    podTemplate: options.podTemplate,
    accelerator: options.accelerator,
    sharedMemory: options.sharedMemory === true ? "" : typeof options.sharedMemory === "string" ? options.sharedMemory : undefined,
    docs,
    deckFields: [...deckFields],
    taskResolver: options.taskResolver,
    maxInlineIoBytes: options.maxInlineIoBytes,
  };
}

/** The retry count of `retries`. */
export function retriesOf(retries: number | RetryStrategy | undefined): number {
  return retries instanceof RetryStrategy ? retries.count : (retries ?? 0);
}

/** What of the options only Flyte 2 holds. */
export function flyte2Of(options: TaskOptions): Flyte2Settings {
  const timeout = options.timeout instanceof Timeout ? options.timeout : undefined;
  const result: Flyte2Settings = { links: [...(options.links ?? [])] };
  if (options.shortName !== undefined) result.shortName = options.shortName;
  if (options.retries instanceof RetryStrategy && options.retries.backoff !== undefined) result.backoff = options.retries.backoff;
  if (timeout?.maxQueuedTime !== undefined) result.queuedTimeout = timeout.maxQueuedTime;
  if (timeout?.deadline !== undefined) result.deadline = timeout.deadline;
  if (options.cache instanceof Cache && options.cache.maxAge !== undefined) result.cacheMaxAge = options.cache.maxAge;
  if (options.reusable !== undefined) result.reusePolicy = options.reusable;
  if (options.queue !== undefined) result.queue = options.queue;
  if (options.debuggable !== undefined) result.debuggable = options.debuggable;
  return result;
}

/** Default settings, for tasks built without options. */
export function defaultTaskSettings(task: string): TaskSettings {
  return compileTaskOptions(task, {}, { inputNames: [] });
}

export { Resources };
