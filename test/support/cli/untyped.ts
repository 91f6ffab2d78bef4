// A task whose interface cannot be inferred: its parameter's type is a tuple, which no Flyte type
// stands for (the analysis of its TypeScript types says so), and TypeScript's metadata says Array.
import { task } from "@flytekit-ts/decorators";

export class Untyped {
  @task()
  static total(xs: [number, number]): number {
    return xs[0] + xs[1];
  }
}
