// The README's first example: no tokens, no experimentalDecorators. Standard decorators carry no
// types at run time; `flytekit-ts build` reads them from TypeScript itself and writes them in a
// manifest beside each module it emits (`dist/pipelines.js.flyte.json`), which the SDK reads.
import { taskOf, type int } from "@flytekit-ts/core";
import { task } from "@flytekit-ts/decorators";

/** A record: an interface with typed fields is a Flyte dataclass. */
export interface Point {
  x: number; // number is a Float
  y: number;
}

/** A string enum is a Flyte enum. */
export enum Unit {
  Metres = "m",
  Kilometres = "km",
}

export class Pipelines {
  @task({ retries: 2 })
  static add(x: int, y: int): int {
    return x + y;
  }

  @task()
  static distance(a: Point, b: Point, unit: Unit = Unit.Metres): number {
    const metres = Math.hypot(a.x - b.x, a.y - b.y);
    return unit === Unit.Kilometres ? metres / 1000 : metres;
  }

  @task()
  static stats(xs: int[]): { total: int; mean: number } {
    const total = xs.reduce((a, b) => a + b, 0);
    return { total, mean: total / Math.max(xs.length, 1) };
  }

  @task()
  static async label(name: string | null, unit?: Unit): Promise<string> {
    return `${name ?? "anonymous"} in ${unit ?? Unit.Metres}`;
  }
}

export { taskOf };
