import { brand } from "../errors/flyte-error.js";
import { createHash } from "node:crypto";
import type { DurationValue } from "../types/time.js";
import { toDuration, type Seconds } from "./durations.js";
import { TaskDefinitionError } from "./errors.js";
import type { PodTemplate } from "./pod-template.js";

/** What a cache policy may look at to version a task. */
export interface VersionParameters {
  /** The task's function, when it has one. */
  fn?: Function;
  containerImage?: string;
  podTemplate?: PodTemplate;
  podTemplateName?: string;
}

/** Derives a cache version from the task (flytekit's CachePolicy). */
export interface CachePolicy {
  getVersion(salt: string, params: VersionParameters): string;
}

/**
 * Versions a task by its function's source text, so that changing the code invalidates the cache
 * (what flytekit's stock `cache=True` does not do; see flyteorg/flyte#2899).
 */
export class FunctionSourcePolicy implements CachePolicy {
  getVersion(salt: string, params: VersionParameters): string {
    if (params.fn === undefined) throw new TaskDefinitionError({ subject: "FunctionSourcePolicy", problem: "the task has no function to version" });
    return createHash("sha256").update(salt).update(Function.prototype.toString.call(params.fn)).digest("hex");
  }

  toString(): string {
    return "FunctionSourcePolicy";
  }
}

export interface CacheSpec {
  /** The cache version; when absent, the policies derive one. */
  version?: string;
  /** Run identical concurrent executions once; the others wait for its result (Flyte's cache serialization). */
  serialize?: boolean;
  /** Inputs left out of the cache key. */
  ignoredInputs?: string | readonly string[];
  /** Mixed into the policies' versions. */
  salt?: string;
  policies?: CachePolicy | readonly CachePolicy[];
  /**
   * The oldest cached result the task reuses (Flyte 2's `Cache.max_age`; 0 turns age-based expiry
   * off). Flyte 2 only: Flyte 1 registration drops it. @default the platform's @format seconds, or a Duration
   */
  maxAge?: Seconds;
}

/** Cache settings of a task (flytekit's Cache): `cache: Cache({ version: "1" })`. */
export class Cache {
  readonly version?: string;
  readonly serialize: boolean;
  readonly ignoredInputs: readonly string[];
  readonly salt: string;
  readonly policies: readonly CachePolicy[];
  /** The oldest cached result reused, when set (Flyte 2 only). */
  readonly maxAge?: DurationValue;

  constructor(spec: CacheSpec = {}) {
    if (spec.maxAge !== undefined && spec.maxAge !== null) {
      // flyte-sdk's checks, in its words.
      if (typeof spec.maxAge === "boolean" || (typeof spec.maxAge !== "number" && (typeof spec.maxAge !== "object" || !("seconds" in spec.maxAge)))) {
        throw new TaskDefinitionError({ subject: "Cache", problem: "maxAge must be seconds, a Duration, or undefined" });
      }
      if (typeof spec.maxAge === "number" ? spec.maxAge < 0 : Number(spec.maxAge.seconds) < 0 || (spec.maxAge.nanos ?? 0) < 0) {
        throw new TaskDefinitionError({ subject: "Cache", problem: "maxAge must be nonnegative" });
      }
      this.maxAge = toDuration("Cache, maxAge", spec.maxAge);
    }
    this.version = spec.version;
    this.serialize = spec.serialize ?? false;
    this.ignoredInputs = typeof spec.ignoredInputs === "string" ? [spec.ignoredInputs] : [...(spec.ignoredInputs ?? [])];
    this.salt = spec.salt ?? "";
    this.policies = spec.policies === undefined ? [] : Array.isArray(spec.policies) ? [...spec.policies] : [spec.policies as CachePolicy];
    if (this.version === undefined && this.policies.length === 0) {
      throw new TaskDefinitionError({ subject: "Cache", problem: "If version is not defined then at least one cache policy needs to be set", fix: 'give a version: new Cache({ version: "1" })' });
    }
  }

  /** The explicit version, or the sha256 of the policies' versions concatenated, as flytekit computes it. `task` names the task in errors. */
  getVersion(params: VersionParameters, task?: string): string {
    if (this.version !== undefined) return this.version;
    let joined = "";
    for (const policy of this.policies) {
      try {
        joined += policy.getVersion(this.salt, params);
      } catch (e) {
        throw new TaskDefinitionError(
          {
            task,
            subject: "option 'cache'",
            problem: `Failed to generate version for cache policy ${String(policy)}: ${e instanceof Error ? e.message : String(e)}`,
            fix: 'set the version in the Cache definition, e.g. new Cache({ version: "v1.2.3" })',
          },
          { cause: e },
        );
      }
    }
    return createHash("sha256").update(joined).digest("hex");
  }
}
// An option value from another copy of the package is taken as one of ours.
brand(Cache, "Cache", { setName: false });
