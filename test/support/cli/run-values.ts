// Tasks for `flytekit-ts run` with records that hold dates and durations at every depth, a cached
// task, and outputs of every kind `--json` prints.
import { field, task } from "@flytekit-ts/decorators";
import { Cache, Datetime, Dict, Directory, Duration, Enum, File, FlyteDirectory, FlyteFile, Float, Int, Json, List, Optional, Str, type DurationValue, type JsonMap, type JsonRecord } from "@flytekit-ts/core";

export enum Color {
  Red = "red",
  Blue = "blue",
}

export class Window {
  @field(Datetime) opens!: Date;
  @field(Duration) lasts: DurationValue = { seconds: 60, nanos: 0 };
}

export class Schedule {
  @field(Str) title = "untitled";
  @field(Datetime) at!: Date;
  @field(List(Datetime)) also: Date[] = [];
  @field(Dict(Datetime)) deadlines: Record<string, Date> = {};
  @field(Optional(Datetime)) until: Date | null = null;
  @field(Optional(Window)) window: Window | null = null;
}

export class Reading {
  @field({ type: Float, name: "y_val" }) y!: number;
}

export class Values {
  @task({ inputs: { s: Schedule }, outputs: Str })
  static plan(s: Schedule): string {
    const iso = (d: Date) => d.toISOString();
    return [
      `at=${iso(s.at)}`,
      `also=${s.also.map(iso).join(",")}`,
      `deadlines=${Object.entries(s.deadlines).map(([k, d]) => `${k}:${iso(d)}`).join(",")}`,
      `until=${s.until === null ? "none" : iso(s.until)}`,
      `window=${s.window === null ? "none" : `${iso(s.window.opens)}+${s.window.lasts.seconds}s${s.window.lasts.nanos}ns`}`,
    ].join(" ");
  }

  @task({ inputs: { when: Datetime, wait: Duration }, outputs: Str })
  static when(when: Date, wait: DurationValue): string {
    return `${when.toISOString()} after ${wait.seconds}s${wait.nanos}ns`;
  }

  @task({ inputs: { n: Int }, outputs: Int, cache: new Cache({ version: "7" }) })
  static square(n: number): number {
    console.log(`computing ${n}²`);
    return n * n;
  }

  /** Gives back what it is given: `run --json`'s document, fed back as flags, must print the same. */
  @task({ inputs: { xs: List(Int), rs: List(Float), p: Reading, d: Json }, outputs: { xs: List(Int), rs: List(Float), p: Reading, d: Json } })
  static echo(xs: (number | bigint)[], rs: number[], p: Reading, d: JsonRecord | JsonMap) {
    return { xs, rs, p, d };
  }

  @task({
    inputs: { n: Int, file: File, dir: Directory },
    outputs: { big: Int, ratio: Float, at: Datetime, wait: Duration, file: File, dir: Directory, color: Enum(Color), schedule: Schedule, tags: Dict(List(Str)), meta: Json, missing: Optional(Str) },
  })
  static everything(n: number, file: FlyteFile, dir: FlyteDirectory) {
    console.log("this line goes to stderr under --json");
    const schedule = new Schedule();
    schedule.at = new Date(Date.UTC(2024, 4, 1, 12));
    schedule.window = Object.assign(new Window(), { opens: new Date(Date.UTC(2024, 4, 2)), lasts: { seconds: 90, nanos: 0 } });
    return {
      big: 2n ** 60n + BigInt(n),
      ratio: Number.NaN,
      at: new Date(Date.UTC(2024, 4, 1, 12, 30)),
      wait: { seconds: 90, nanos: 500 },
      file,
      dir,
      color: Color.Blue,
      schedule,
      tags: { a: ["x", "y"] },
      meta: { nested: { k: [1, 2] } },
      missing: null,
    };
  }
}
