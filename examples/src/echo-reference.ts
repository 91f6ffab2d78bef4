// Echo tasks copy their inputs to their outputs in Flyte's propeller, with no container; reference
// tasks stand for tasks registered elsewhere and run locally only when mocked.
import { EchoTask, Float, List, mockTask, Optional, Str } from "@flytekit-ts/core";
import { referenceTask } from "@flytekit-ts/decorators";

export const passthrough = new EchoTask({ name: "echo", inputs: { a: Optional(Float) } });

export class Shared {
  @referenceTask({
    project: "flytesnacks",
    domain: "development",
    name: "recipes.aaa.simple.join_strings",
    version: "553018f39e519bdb2597b652639c30ce16b99c79",
    inputs: { a: List(Str) },
  })
  static join(a: string[]): string {
    return a.join(""); // never runs: the registered task does
  }
}

export async function main(): Promise<void> {
  console.log(`echo: ${String(passthrough.invoke({ a: 1.8 }))}`);
  try {
    Shared.join(["a", "b"]);
  } catch (e) {
    console.log(`reference, unmocked: ${(e as Error).message.split("\n")[0]}`);
  }
  using mock = mockTask(Shared.join).implementation(({ a }) => (a as string[]).join(" + "));
  console.log(`reference, mocked: ${Shared.join(["a", "b"])} (${mock.calls.length} call)`);
}
