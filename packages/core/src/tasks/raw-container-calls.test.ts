// A raw container task's calls, as a TypeScript user writes them: typed from its declared inputs
// and outputs, and always asynchronous (a container run is), its mock's calls included.
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { restoreAllMocks, mockTask } from "../testing/mock.js";
import { Float, Int, Str } from "../types/builtins.js";
import { ContainerTask } from "./raw-container.js";

afterEach(() => restoreAllMocks());

const ellipse = new ContainerTask({
  name: "ellipse-typed",
  image: "ghcr.io/flyteorg/rawcontainers-shell:v2",
  inputs: { a: Float, b: Float },
  outputs: { area: Float, metadata: Str },
  command: ["./calculate-ellipse-area.sh", "{{.inputs.a}}", "{{.inputs.b}}", "/var/outputs"],
});
const single = new ContainerTask({ name: "count-typed", image: "alpine:3.20", inputs: { text: Str }, outputs: Int, command: ["wc", "-w"] });

describe("a raw container task's calls", () => {
  it("are typed from the declaration: inputs by name, the outputs' natives (one bare o0, else an object)", () => {
    expectTypeOf(ellipse.invoke).parameter(0).toEqualTypeOf<{ a: number; b: number }>();
    expectTypeOf(ellipse.invoke).returns.resolves.toEqualTypeOf<{ area: number; metadata: string }>();
    expectTypeOf(ellipse.call).returns.resolves.toEqualTypeOf<{ area: number; metadata: string }>();
    expectTypeOf(single.invoke).returns.resolves.toEqualTypeOf<number | bigint>();
    // @ts-expect-error: an input that is not declared
    void (() => ellipse.invoke({ a: 1, c: 2 }));
  });

  it("always give a Promise, a mock's too, as the task is asynchronous", async () => {
    expect(ellipse.isAsync).toBe(true);
    mockTask(ellipse).returns({ area: 1.5, metadata: "mocked" });
    const called = ellipse.call(1, 2);
    expect(called).toBeInstanceOf(Promise);
    expect(await called).toEqual({ area: 1.5, metadata: "mocked" });
    const invoked = ellipse.invoke({ a: 1, b: 2 });
    expect(invoked).toBeInstanceOf(Promise);
    expect(await invoked).toEqual({ area: 1.5, metadata: "mocked" });
  });
});
