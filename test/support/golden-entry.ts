// golden/entrypoint's module golden_entry, as a flytekit-ts user declares it (names given so that
// they are flytekit's): what `pyflyte package` packaged from it is in golden/entrypoint/package.
import { task } from "@flytekit-ts/decorators";
import { Int, Str } from "@flytekit-ts/core";

export class GoldenEntry {
  @task({ name: "golden_entry.add", inputs: { x: Int, y: Int }, outputs: Int })
  static add(x: number, y: number): number {
    return x + y;
  }

  @task({ name: "golden_entry.multi", inputs: { x: Int }, outputs: { a: Int, b: Str } })
  static multi(x: number): { a: number; b: string } {
    return { a: x + 1, b: `x=${x}` };
  }
}
