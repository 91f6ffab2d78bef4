// Flyte 2's retry strategy (flyte-sdk `_retry.py`): a count of user retries and an optional
// exponential backoff between them. The delay before retry n (0-based) is min(base * factor^n, cap).
import { brand } from "../errors/flyte-error.js";
import type { DurationValue } from "../types/time.js";
import { secondsOf, toDuration, type Seconds } from "./durations.js";
import { TaskDefinitionError } from "./errors.js";

/** The pacing of retries: `{ base, factor, cap }` (flyte-sdk's Backoff). */
export interface BackoffSpec {
  /** The delay before the first retry. At least 0. @format seconds, or a Duration */
  base: Seconds;
  /** What each further delay is multiplied by: 1 keeps it constant, 2 doubles it. Finite, at least 1. @default 1 */
  factor?: number;
  /** The longest delay. Required when factor > 1. @format seconds, or a Duration */
  cap?: Seconds;
}

/** A backoff, checked and normalised. */
export interface Backoff {
  readonly base: DurationValue;
  readonly factor: number;
  readonly cap?: DurationValue;
}

export interface RetryStrategySpec {
  /** How many times to run the task again after a recoverable failure (user retries). */
  count: number;
  /** The delays between retries; without one, retries follow each other at once. */
  backoff?: BackoffSpec;
}

/** flyte-sdk's checks on a Backoff, in its words. */
function backoffOf(spec: BackoffSpec): Backoff {
  const fail = (problem: string) => {
    throw new TaskDefinitionError({ subject: "RetryStrategy, backoff", problem });
  };
  if (typeof spec !== "object" || spec === null) fail(`expected { base, factor, cap }, got ${String(spec)}`);
  if (typeof spec.base === "number" && spec.base < 0) fail(`Backoff.base must be >= 0, got ${spec.base}`);
  const base = toDuration("RetryStrategy, backoff.base", spec.base);
  const factor = spec.factor ?? 1;
  if (typeof factor !== "number" || !Number.isFinite(factor)) fail(`Backoff.factor must be a finite number, got ${String(factor)}`);
  if (factor < 1) fail(`Backoff.factor must be >= 1.0, got ${factor}`);
  if (typeof spec.cap === "number" && spec.cap < 0) fail(`Backoff.cap must be >= 0, got ${spec.cap}`);
  const cap = spec.cap === undefined ? undefined : toDuration("RetryStrategy, backoff.cap", spec.cap);
  if (factor > 1 && cap === undefined) fail("Backoff.cap is required when factor > 1.0 to prevent unbounded growth");
  return { base, factor, cap };
}

/**
 * How a task is retried (flyte-sdk's RetryStrategy): `retries: new RetryStrategy({ count: 5,
 * backoff: { base: 10, factor: 2, cap: 300 } })` retries up to 5 times, 10 s, 20 s, 40 s, 80 s,
 * then 160 s apart. Only user retries (a RecoverableError, a timeout) count; a plain count is
 * `retries: 5`.
 */
export class RetryStrategy {
  readonly count: number;
  readonly backoff?: Backoff;

  constructor(spec: RetryStrategySpec) {
    const count = (spec as { count?: unknown } | undefined)?.count;
    if (typeof count !== "number" || !Number.isInteger(count)) {
      throw new TaskDefinitionError({ subject: "RetryStrategy", problem: `RetryStrategy.count must be an int (a retry count), got ${String(count)}` });
    }
    if (count < 0) throw new TaskDefinitionError({ subject: "RetryStrategy", problem: `RetryStrategy.count must be greater than or equal to 0, got ${count}` });
    this.count = count;
    if (spec.backoff !== undefined) this.backoff = backoffOf(spec.backoff);
  }

  /** The delay before retry `n` (0-based), in seconds: min(base * factor^n, cap); 0 without a backoff. */
  delaySeconds(n: number): number {
    return backoffDelaySeconds(this.backoff, n);
  }
}
// An option value from another copy of the package is taken as one of ours.
brand(RetryStrategy, "RetryStrategy", { setName: false });

/** The delay before retry `n` (0-based), in seconds: min(base * factor^n, cap); 0 without a backoff. */
export function backoffDelaySeconds(backoff: Backoff | undefined, n: number): number {
  if (backoff === undefined) return 0;
  const delay = secondsOf(backoff.base) * backoff.factor ** n;
  // Past float range the uncapped delay is far beyond the cap (flyte-sdk 2.12.1 says the same).
  if (backoff.cap !== undefined && !(delay <= secondsOf(backoff.cap))) return secondsOf(backoff.cap);
  return delay;
}
