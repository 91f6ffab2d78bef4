// A user's module that needs TypeScript's decorator metadata: its types are inferred.
import { task } from "@flytekit-ts/decorators";

export class Inferred {
  @task()
  static scale(x: number, factor: number, label: string): string {
    return `${label}=${x * factor}`;
  }
}
