// Two tasks that claim one name: Flyte could register only one of them.
import { task } from "@flytekit-ts/decorators";
import { Int } from "@flytekit-ts/core";

export class First {
  @task({ name: "shared.name", inputs: { x: Int }, outputs: Int })
  static run(x: number): number {
    return x;
  }
}

export class Second {
  @task({ name: "shared.name", inputs: { x: Int }, outputs: Int })
  static run(x: number): number {
    return x * 2;
  }
}
