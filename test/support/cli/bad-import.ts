// A module that fails while it is imported (after declaring a task): serialize must stop, name it,
// and write nothing.
import { task } from "@flytekit-ts/decorators";
import { Int } from "@flytekit-ts/core";

export class Fine {
  @task({ inputs: { x: Int }, outputs: Int })
  static same(x: number): number {
    return x;
  }
}

throw new Error("the settings service is unreachable");
