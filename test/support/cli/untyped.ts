// A task whose interface cannot be inferred: TypeScript erases the element type of number[].
import { task } from "@flytekit-ts/decorators";

export class Untyped {
  @task()
  static total(xs: number[]): number {
    return xs.reduce((a, b) => a + b, 0);
  }
}
