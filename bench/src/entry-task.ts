// The trivial task the entrypoint benchmark runs in a process of its own, as compiled JavaScript
// (what a container image ships).
import { Int } from "@flytekit-ts/core";
import { task } from "@flytekit-ts/decorators";

export class Trivial {
  @task({ inputs: { x: Int, y: Int }, outputs: Int })
  static add(x: number, y: number): number {
    return x + y;
  }
}
