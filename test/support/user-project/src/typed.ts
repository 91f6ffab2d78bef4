// A user's module with no tokens at all: every task is typed by TypeScript alone, read by
// `flytekit-ts build` into the manifest beside the compiled module (or, for the sources, by the
// CLI's own analysis), in either decorator mode.
import type { int } from "@flytekit-ts/core";
import { task } from "@flytekit-ts/decorators";

export enum Unit {
  Metre = "m",
  Foot = "ft",
}

export interface Reading {
  value: number;
  unit: Unit;
  note: string | null;
}

export class Typed {
  @task()
  static twice(n: int): int {
    return 2 * n;
  }

  @task()
  static convert(reading: Reading, to: Unit): Reading {
    const factor = reading.unit === to ? 1 : to === Unit.Foot ? 3.28084 : 1 / 3.28084;
    return { value: Math.round(reading.value * factor * 100) / 100, unit: to, note: reading.note };
  }

  @task()
  static async summary(xs: int[], label?: string): Promise<{ total: int; label: string }> {
    await Promise.resolve();
    return { total: xs.reduce((a, b) => a + b, 0), label: label ?? "none" };
  }
}
