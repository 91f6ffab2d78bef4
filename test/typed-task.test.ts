// A typed task handle is still a Task: it goes wherever a Task goes (serialization, the CLI's
// helpers), and its calls stay checked by TypeScript. `npm test` typechecks this file, so an
// expected type error that no longer happens fails the build.
import { task } from "@flytekit-ts/decorators";
import { describe, expect, it } from "vitest";
import { ImageConfig, Int, SerializationSettings, type Task, TaskInputError, taskOf, toTaskTemplate } from "@flytekit-ts/core";

class Arith {
  @task({ inputs: { x: Int, y: Int }, outputs: Int })
  static add(x: number, y: number): number {
    return x + y;
  }
}

describe("taskOf(...)", () => {
  it("is a Task, accepted by toTaskTemplate and assignable to Task", () => {
    const typed = taskOf(Arith.add);
    const plain: Task = typed;
    const template = toTaskTemplate(typed, new SerializationSettings({ project: "p", domain: "d", version: "v", imageConfig: ImageConfig.auto("img:1") }));
    expect(template.id?.name).toBe(plain.name);
  });

  it("keeps its call typed: the result is the method's, wrong arguments do not compile (and fail when run)", () => {
    const typed = taskOf(Arith.add);
    const sum: number = typed.call(1, 2);
    expect(sum).toBe(3);
    // @ts-expect-error a string is not a number
    expect(() => typed.call("1", 2)).toThrow(TaskInputError);
  });
});
