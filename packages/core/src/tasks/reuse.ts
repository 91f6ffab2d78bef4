// Flyte 2's reusable containers (flyte-sdk `_reusable_environment.py`): a pool of warm replicas
// that run the environment's tasks one after another (or `concurrency` at once, async tasks only).
import { brand } from "../errors/flyte-error.js";
import type { DurationValue } from "../types/time.js";
import { secondsOf, toDuration, type Seconds } from "./durations.js";
import { TaskDefinitionError } from "./errors.js";

export interface ReusePolicySpec {
  /** Replicas kept: a fixed count, or `[min, max]` to scale between. @default 2 */
  replicas?: number | readonly [number, number];
  /** How long the whole environment may stay idle before every replica goes; at least 30 s. @default 30 @format seconds, or a Duration */
  idleTtl?: Seconds;
  /** Tasks one replica runs at once; above 1 only for async tasks. @default 1 */
  concurrency?: number;
  /** How long one idle replica stays before it is scaled down; at least 30 s. @default 30 @format seconds, or a Duration */
  scaledownTtl?: Seconds;
  /** `"global"`: one environment shared by every run; `"run"`: one per run. @default "global" */
  scope?: "global" | "run";
}

function fail(problem: string): never {
  throw new TaskDefinitionError({ subject: "ReusePolicy", problem });
}

/**
 * Reusable containers for a task environment (flyte-sdk's ReusePolicy, checked by its rules):
 * `reusable: new ReusePolicy({ replicas: [1, 3], concurrency: 2 })`. Flyte 2 only: Flyte 1
 * registration drops it.
 */
export class ReusePolicy {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly idleTtl: DurationValue;
  readonly concurrency: number;
  readonly scaledownTtl: DurationValue;
  readonly scope: "global" | "run";

  constructor(spec: ReusePolicySpec = {}) {
    const scope = spec.scope ?? "global";
    if (scope !== "global" && scope !== "run") fail('scope must be "global" or "run"');
    const replicas = spec.replicas ?? 2;
    let pair: readonly unknown[];
    if (typeof replicas === "number") pair = [replicas, replicas];
    else if (Array.isArray(replicas) && replicas.length === 2) pair = replicas;
    else fail("replicas must be an int or a tuple of two ints");
    for (const [label, value] of [["min", pair[0]], ["max", pair[1]]] as const) {
      if (typeof value !== "number" || !Number.isInteger(value)) fail(`replicas ${label} must be an int, got ${String(value)}`);
      if (value < 0) fail(`replicas ${label} must be greater than or equal to 0, got ${value}`);
    }
    const [min, max] = pair as [number, number];
    if (min > max) fail(`replicas min (${min}) must be less than or equal to max (${max})`);
    const concurrency = spec.concurrency ?? 1;
    if (typeof concurrency !== "number" || !Number.isInteger(concurrency)) fail(`concurrency must be an int, got ${String(concurrency)}`);
    if (concurrency < 1) fail(`concurrency must be at least 1, got ${concurrency}`);
    const idleTtl = toDuration("ReusePolicy, idleTtl", spec.idleTtl ?? 30);
    if (secondsOf(idleTtl) < 30) fail("idleTtl must be at least 30 seconds");
    const scaledownTtl = toDuration("ReusePolicy, scaledownTtl", spec.scaledownTtl ?? 30);
    if (secondsOf(scaledownTtl) < 30) fail("scaledownTtl must be at least 30 seconds");
    if (max === 1 && concurrency === 1) {
      process.emitWarning(
        "ReusePolicy: it is recommended to use a minimum of 2 replicas, to avoid starvation. Starvation can occur if a task is running and no other replicas " +
          "are available to handle new tasks. Options: increase concurrency, increase replicas or turn off reuse for the parent task that runs child tasks.",
        { code: "FLYTEKIT_TS_REUSE_STARVATION" },
      );
    }
    this.minReplicas = min;
    this.maxReplicas = max;
    this.idleTtl = idleTtl;
    this.concurrency = concurrency;
    this.scaledownTtl = scaledownTtl;
    this.scope = scope;
  }
}
// An option value from another copy of the package is taken as one of ours.
brand(ReusePolicy, "ReusePolicy", { setName: false });

/**
 * flyte-sdk's rule, in its words: a replica runs several tasks at once only if they are async.
 * Refuses a policy (as compiled into a task's Flyte 2 settings) the task's body cannot honour.
 */
export function checkReuseConcurrency(task: string, policy: { readonly concurrency: number } | undefined, isAsync: boolean, subject = "option 'reusable'"): void {
  if (policy !== undefined && policy.concurrency > 1 && !isAsync) {
    throw new TaskDefinitionError({
      task,
      subject,
      problem: "Reusable environments with concurrency greater than 1 are only supported for async tasks",
      fix: "use an async function or set concurrency to 1",
    });
  }
}
