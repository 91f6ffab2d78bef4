// Durations as the Flyte 2 options take them (flyte-sdk: int seconds or timedelta; here whole or
// fractional seconds, or a Duration `{ seconds, nanos }` as `duration({ minutes: 5 })` builds).
import { describeValue } from "../types/describe.js";
import { durationToMillis, type DurationInput, type DurationValue } from "../types/time.js";
import { TaskDefinitionError } from "./errors.js";

/** What a Flyte 2 duration option takes: seconds, or a Duration. */
export type Seconds = number | DurationInput;

/** Whether `v` is seconds (a finite number) or a Duration. */
export function isSeconds(v: unknown): v is Seconds {
  if (typeof v === "number") return Number.isFinite(v);
  return typeof v === "object" && v !== null && "seconds" in v && (typeof (v as DurationInput).seconds === "number" || typeof (v as DurationInput).seconds === "bigint");
}

/** A duration given as seconds or a Duration, normalised; `subject` names it in errors. Negative values are refused. */
export function toDuration(subject: string, value: unknown): DurationValue {
  if (!isSeconds(value)) throw new TaskDefinitionError({ subject, expected: "seconds or a Duration", got: describeValue(value) });
  if (typeof value === "number") {
    if (value < 0) throw new TaskDefinitionError({ subject, problem: `must be >= 0, got ${value}` });
    const seconds = Math.trunc(value);
    return { seconds, nanos: Math.round((value - seconds) * 1e9) };
  }
  const ms = durationToMillis(value);
  if (!Number.isFinite(ms) || ms < 0) throw new TaskDefinitionError({ subject, problem: `must be >= 0, got ${ms / 1000} seconds` });
  return { seconds: Number(value.seconds), nanos: value.nanos ?? 0 };
}

/** Seconds of a normalised duration. */
export function secondsOf(d: DurationValue): number {
  return d.seconds + d.nanos / 1e9;
}
