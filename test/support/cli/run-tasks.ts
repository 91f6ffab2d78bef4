// Tasks for `flytekit-ts run`: inputs of every kind a flag can carry.
import { field, task } from "@flytekit-ts/decorators";
import { Bool, Datetime, Dict, Enum, Float, Int, List, Optional, Str } from "@flytekit-ts/core";

export enum Mode {
  Fast = "fast",
  Careful = "careful",
}

export class Box {
  @field() width!: number;
  @field() height!: number;
  @field(List(Str)) labels: string[] = [];
}

export class Cli {
  @task({ inputs: { x: Int, y: Int }, outputs: Int, docs: { short: "Adds two integers.", inputs: { x: "the first", y: "the second" } } })
  static add(x: number, y: number): number {
    return x + y;
  }

  @task({
    inputs: { xs: List(Int), weights: Dict(Float), box: Box, mode: Enum(Mode), verbose: Bool, at: Datetime, note: Optional(Str) },
    outputs: { summary: Str, area: Float },
  })
  static describe(xs: number[], weights: Record<string, number>, box: Box, mode: Mode, verbose: boolean, at: Date, note: string | null = "none"): { summary: string; area: number } {
    const summary = `${xs.length} xs summing to ${xs.reduce((a, b) => a + b, 0)}, weights ${Object.keys(weights).join("+")}, ${mode}, verbose=${verbose}, at ${at.toISOString()}, note=${note}, labels=${box.labels.join("|")}, box is a Box: ${box instanceof Box}`;
    return { summary, area: box.width * box.height };
  }

  @task({ inputs: { x: Int } })
  static fails(x: number): void {
    throw new Error(`no good: ${x}`);
  }
}
