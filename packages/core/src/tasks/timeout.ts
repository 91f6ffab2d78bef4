// Flyte 2's three time bounds (flyte-sdk `_timeout.py`). Unset or 0 is unlimited.
import { brand } from "../errors/flyte-error.js";
import type { DurationValue } from "../types/time.js";
import { toDuration, type Seconds } from "./durations.js";
import { TaskDefinitionError } from "./errors.js";

export interface TimeoutSpec {
  /** The longest one attempt may run (per attempt; Flyte 1's only timeout). @format seconds, or a Duration */
  maxRuntime?: Seconds;
  /** The longest one attempt may wait queued for resources before it starts. Flyte 2 only. @format seconds, or a Duration */
  maxQueuedTime?: Seconds;
  /** The longest the task may take from first queued to done, across all attempts. Flyte 2 only. @format seconds, or a Duration */
  deadline?: Seconds;
}

const FIELDS = ["maxRuntime", "maxQueuedTime", "deadline"] as const;

/**
 * A task's time bounds (flyte-sdk's Timeout): `timeout: new Timeout({ maxRuntime: 1800,
 * maxQueuedTime: 900, deadline: 7200 })`. A bare number of seconds or a Duration given to
 * `timeout` is `maxRuntime`. Unset or 0 is unlimited.
 */
export class Timeout {
  readonly maxRuntime?: DurationValue;
  readonly maxQueuedTime?: DurationValue;
  readonly deadline?: DurationValue;

  constructor(spec: TimeoutSpec = {}) {
    for (const key of Object.keys(spec)) {
      if (!(FIELDS as readonly string[]).includes(key)) throw new TaskDefinitionError({ subject: "Timeout", problem: `unknown bound "${key}"`, fix: `the bounds are ${FIELDS.join(", ")}` });
    }
    for (const key of FIELDS) {
      const value = spec[key];
      if (value === undefined || value === null) continue;
      const d = toDuration(`Timeout, ${key}`, value);
      // 0 is unlimited: left unset, as flyte-sdk omits zeros on the wire.
      if (d.seconds !== 0 || d.nanos !== 0) (this as { -readonly [K in (typeof FIELDS)[number]]?: DurationValue })[key] = d;
    }
  }
}
// An option value from another copy of the package is taken as one of ours.
brand(Timeout, "Timeout", { setName: false });
