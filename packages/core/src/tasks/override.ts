// `task.override({...})`: Flyte 2's call-time settings (flyte-sdk `TaskTemplate.override`). It
// makes new settings from a task's own and what is given, by flyte-sdk's rules; task.ts makes the
// new task around them. The original is never changed.
//
// One difference, on purpose: flyte-sdk keeps the old value for anything falsy (`retries or
// self.retries`), so `override(retries=0)` cannot turn retries off. Here a value given is the
// value (`retries: 0`, `interruptible: false`, `queue: ""` apply); only `undefined` keeps the old one.
import { describeValue } from "../types/describe.js";
import type { DurationInput } from "../types/time.js";
import type { Cache, VersionParameters } from "./cache.js";
import { TaskDefinitionError } from "./errors.js";
import type { TaskLink } from "./links.js";
import { cacheOf, flyte2Of, retriesOf, stringMap, TASK_OPTIONS, timeoutOf, type TaskOptions, type TaskSettings } from "./options.js";
import { PodTemplate } from "./pod-template.js";
import { resolveResources, type Resources } from "./resources.js";
import type { RetryStrategy } from "./retry.js";
import { checkReuseConcurrency, ReusePolicy } from "./reuse.js";
import { checkSecretRequests, type Secret } from "./secret.js";
import type { Timeout } from "./timeout.js";

/** What `override()` may change (flyte-sdk's `override` arguments, in camelCase). */
export interface TaskOverrides {
  /** The UI name (at most 63 characters). */
  shortName?: string;
  /** Requests and limits, as the `resources` option; not while the task is reusable (give `reusable: "off"` with it). */
  resources?: Resources;
  cache?: boolean | Cache;
  /** A count (0 turns retries off), or a RetryStrategy. */
  retries?: number | RetryStrategy;
  timeout?: number | DurationInput | Timeout;
  /** A ReusePolicy, or `"off"` for a new container per run. */
  reusable?: ReusePolicy | "off";
  /** The container's environment variables (replacing the task's); not while the task is reusable. */
  env?: Readonly<Record<string, string>>;
  /** The secrets (replacing the task's); not while the task is reusable. */
  secrets?: readonly Secret[];
  maxInlineIoBytes?: number;
  /** A PodTemplate, or the name of one registered on the cluster. */
  podTemplate?: PodTemplate | string;
  queue?: string;
  interruptible?: boolean;
  links?: readonly TaskLink[];
}

const OVERRIDABLE: readonly (keyof TaskOverrides)[] = [
  "shortName",
  "resources",
  "cache",
  "retries",
  "timeout",
  "reusable",
  "env",
  "secrets",
  "maxInlineIoBytes",
  "podTemplate",
  "queue",
  "interruptible",
  "links",
];

/** What is fixed when a task is declared, with flyte-sdk's words (and our names for the same). */
const FIXED: Readonly<Record<string, string>> = {
  name: "Name cannot be overridden",
  image: "Image cannot be overridden",
  containerImage: "Image cannot be overridden",
  docs: "Docs cannot be overridden",
  interface: "Interface cannot be overridden",
  inputs: "Interface cannot be overridden",
  outputs: "Interface cannot be overridden",
};

/** The option whose row checks an override's value. */
const CHECKED_AS: Partial<Record<keyof TaskOverrides, keyof TaskOptions>> = {
  shortName: "shortName",
  resources: "resources",
  cache: "cache",
  retries: "retries",
  timeout: "timeout",
  env: "environment",
  secrets: "secretRequests",
  maxInlineIoBytes: "maxInlineIoBytes",
  queue: "queue",
  interruptible: "interruptible",
  links: "links",
};

/** What overriding needs to know of the task beyond its settings. */
export interface OverrideSubject {
  readonly name: string;
  readonly settings: TaskSettings;
  readonly isAsync: boolean;
  /** What cache policies version, and the inputs (the cache's ignored inputs are checked against them). */
  readonly versionParameters: VersionParameters;
  readonly inputNames: readonly string[];
}

function fail(task: string, subject: string, problem: string, fix?: string): never {
  throw new TaskDefinitionError({ task, subject: `override(), ${subject}`, problem, fix });
}

/** The settings of `task` with `overrides` applied, by flyte-sdk's rules. */
export function overrideSettings(task: OverrideSubject, overrides: TaskOverrides): TaskSettings {
  const name = task.name;
  if (typeof overrides !== "object" || overrides === null) throw new TaskDefinitionError({ task: name, subject: "override()", expected: "an object of settings", got: describeValue(overrides) });
  for (const key of Object.keys(overrides)) {
    if (FIXED[key] !== undefined) fail(name, key, FIXED[key]!, "declare another task for that");
    if (!(OVERRIDABLE as readonly string[]).includes(key)) fail(name, key, "it is not a setting override() changes", `it takes ${[...OVERRIDABLE].sort().join(", ")}`);
  }
  const o = overrides;
  for (const [key, option] of Object.entries(CHECKED_AS) as [keyof TaskOverrides, keyof TaskOptions][]) {
    const value = o[key];
    if (value === undefined) continue;
    const expected = TASK_OPTIONS[option].check(value);
    if (expected !== undefined) throw new TaskDefinitionError({ task: name, subject: `override(), ${key}`, expected, got: describeValue(value) });
  }
  if (o.reusable !== undefined && o.reusable !== "off" && !(o.reusable instanceof ReusePolicy)) {
    throw new TaskDefinitionError({ task: name, subject: "override(), reusable", expected: 'a ReusePolicy or "off"', got: describeValue(o.reusable) });
  }
  if (o.podTemplate !== undefined && typeof o.podTemplate !== "string" && !(o.podTemplate instanceof PodTemplate)) {
    throw new TaskDefinitionError({ task: name, subject: "override(), podTemplate", expected: "a PodTemplate or the name of one", got: describeValue(o.podTemplate) });
  }

  const old = task.settings;
  const reusePolicy = o.reusable === "off" ? undefined : (o.reusable ?? old.flyte2.reusePolicy);
  // flyte-sdk's rules and words: a reusable task runs in its environment's containers.
  if (reusePolicy !== undefined) {
    for (const [key, what] of [["resources", "resources"], ["env", "env"], ["secrets", "secrets"]] as const) {
      if (o[key] !== undefined) {
        fail(
          name,
          key,
          `Cannot override ${what} when reusable is set. Reusable tasks will use the parent env's ${what}`,
          `disable reusability and override ${what} if needed: override({ reusable: "off", ${key}: ... })`,
        );
      }
    }
    checkReuseConcurrency(name, reusePolicy, task.isAsync, "override(), reusable");
  }

  const metadata = { ...old.metadata };
  const flyte2 = { ...old.flyte2 };
  const settings: TaskSettings = { ...old, metadata, flyte2 };
  if (o.shortName !== undefined) flyte2.shortName = o.shortName;
  if (o.resources !== undefined) settings.resources = resolveResources(name, { resources: o.resources });
  if (o.cache !== undefined) {
    // A Cache (or true with the task's version) replaces the cache settings whole.
    const cacheVersion = o.cache === true && !old.metadata.cache ? undefined : old.metadata.cacheVersion || undefined;
    const cache = cacheOf(name, o.cache === true ? { cache: true, cacheVersion } : { cache: o.cache }, task.versionParameters, task.inputNames);
    Object.assign(metadata, cache);
    const maxAge = flyte2Of({ cache: o.cache }).cacheMaxAge;
    if (maxAge === undefined) delete flyte2.cacheMaxAge;
    else flyte2.cacheMaxAge = maxAge;
  }
  if (o.retries !== undefined) {
    metadata.retries = retriesOf(o.retries);
    const backoff = flyte2Of({ retries: o.retries }).backoff;
    if (backoff === undefined) delete flyte2.backoff;
    else flyte2.backoff = backoff;
  }
  if (o.timeout !== undefined) {
    const runtime = timeoutOf(o.timeout);
    if (runtime === undefined) delete metadata.timeout;
    else metadata.timeout = runtime;
    const bounds = flyte2Of({ timeout: o.timeout });
    for (const key of ["queuedTimeout", "deadline"] as const) {
      if (bounds[key] === undefined) delete flyte2[key];
      else flyte2[key] = bounds[key];
    }
  }
  if (o.reusable !== undefined) {
    if (reusePolicy === undefined) delete flyte2.reusePolicy;
    else flyte2.reusePolicy = reusePolicy;
  }
  if (o.env !== undefined) settings.environment = stringMap(name, "env", o.env);
  if (o.secrets !== undefined) settings.secretRequests = checkSecretRequests(name, o.secrets);
  if (o.maxInlineIoBytes !== undefined) settings.maxInlineIoBytes = o.maxInlineIoBytes;
  if (typeof o.podTemplate === "string") {
    settings.podTemplate = undefined;
    metadata.podTemplateName = o.podTemplate;
  } else if (o.podTemplate !== undefined) {
    settings.podTemplate = o.podTemplate;
    metadata.podTemplateName = "";
  }
  if (o.queue !== undefined) flyte2.queue = o.queue;
  if (o.interruptible !== undefined) metadata.interruptible = o.interruptible;
  if (o.links !== undefined) flyte2.links = [...o.links];
  return settings;
}
