// A user's module that compiles in either decorator mode: every type is named by its token.
import { Float, Int, List, Str } from "@flytekit-ts/core";
import { field, task } from "@flytekit-ts/decorators";

export class Point {
  @field(Float) x = 0;
  @field(Float) y = 0;
}

/** Which fields an instance has: tsc's class-field semantics (target, useDefineForClassFields), as the loader must keep them. */
class Holder {
  declared?: string;
  initialised = "yes";
}

export class Geometry {
  @task({ inputs: { a: Point, b: Point }, outputs: Float })
  static distance(a: Point, b: Point): number {
    return Math.hypot(a.x - b.x, a.y - b.y);
  }

  @task({ inputs: { xs: List(Int) }, outputs: { total: Int, fields: Str } })
  static async total(xs: number[]): Promise<{ total: number; fields: string }> {
    await Promise.resolve();
    return { total: xs.reduce((a, b) => a + b, 0), fields: Object.keys(new Holder()).join(",") };
  }
}

export const shout = task({ name: "shout", inputs: { text: Str }, outputs: Str }, ({ text }) => text.toUpperCase());
