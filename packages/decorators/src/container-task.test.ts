// @containerTask: a raw container task declared on a class, in both decorator modes (this file is
// compiled with legacy decorators; the standard mode is applied as TypeScript's emit applies it).
import { describe, expect, it } from "vitest";
import { ContainerTask, Float, ImageConfig, Int, SerializationSettings, Str, TaskDefinitionError, taskOf, templateToBinary, toTaskTemplate } from "@flytekit-ts/core";
import { field } from "./index.js";
import { containerTask, type ContainerTaskOptions } from "./index.js";

const settings = new SerializationSettings({ project: "p", domain: "d", version: "v", imageConfig: ImageConfig.auto("docker.io/xyz:1") });

const ELLIPSE: ContainerTaskOptions = {
  image: "ghcr.io/flyteorg/rawcontainers-shell:v2",
  inputs: { a: Float, b: Float },
  outputs: { area: Float, metadata: Str },
  inputDataDir: "/var/inputs",
  outputDataDir: "/var/outputs",
  command: ["./calculate-ellipse-area.sh", "{{.inputs.a}}", "{{.inputs.b}}", "/var/outputs"],
  retries: 2,
};

@containerTask(ELLIPSE)
export class EllipseArea {}

@containerTask({ ...ELLIPSE, name: "ellipse-area-metadata-shell" })
export class Named {}

/** Applies a class decorator as TypeScript's standard emit does: (class, context), then the class initializers. */
function standard(decorator: (value: Function, context: ClassDecoratorContext) => void, cls: Function): Function {
  const initializers: Function[] = [];
  const context = { kind: "class", name: cls.name, metadata: Object.create(null), addInitializer: (f: Function) => initializers.push(f) } as unknown as ClassDecoratorContext;
  decorator(cls, context);
  for (const f of initializers) f.call(cls);
  return cls;
}

describe("@containerTask", () => {
  it("declares a raw container task on a class, named after it, its template from the options", () => {
    const t = taskOf(EllipseArea);
    expect(t).toBeInstanceOf(ContainerTask);
    expect(t.name).toBe("container-task.test.EllipseArea");
    const template = toTaskTemplate(t, settings);
    expect(template.type).toBe("raw-container");
    expect(template.metadata?.retries?.retries).toBe(2);
    const c = template.target.case === "container" ? template.target.value : undefined;
    expect(c?.command).toEqual(ELLIPSE.command);
    expect(c?.dataConfig).toMatchObject({ enabled: true, inputPath: "/var/inputs", outputPath: "/var/outputs" });
    expect(taskOf(Named).name).toBe("ellipse-area-metadata-shell");
  });

  it("gives the same task in the standard mode, byte for byte", () => {
    // A class expression of the same name: the module-level EllipseArea stays in scope.
    const Standard = class EllipseArea {};
    standard(containerTask(ELLIPSE) as never, Standard);
    const ours = taskOf(Standard);
    expect(ours).not.toBe(taskOf(EllipseArea));
    expect(ours).toBeInstanceOf(ContainerTask);
    expect(ours.name).toBe("container-task.test.EllipseArea");
    expect(templateToBinary(toTaskTemplate(ours, settings))).toEqual(templateToBinary(toTaskTemplate(taskOf(EllipseArea), settings)));
  });

  it("refuses a bad declaration where it is made, in both modes, naming the class and the field", () => {
    expect(() => containerTask({ ...ELLIPSE, command: ["{{.inputs.c}}"] })(class BadTemplate {})).toThrow(
      /^task 'container-task\.test\.BadTemplate', command\[0\]: "\{\{\.inputs\.c\}\}" uses input 'c', which the task does not have \(inputs: a, b\); declare it in inputs, or correct the name$/,
    );
    expect(() => standard(containerTask({ ...ELLIPSE, outputDataDir: "out" }) as never, class BadDir {})).toThrow(
      /^task 'container-task\.test\.BadDir', outputDataDir: expected an absolute path in the container/,
    );
    expect(() => containerTask({ ...ELLIPSE, image: "" })(class NoImage {})).toThrow(/^task 'container-task\.test\.NoImage', image: expected an image/);
    expect(() => containerTask({ ...ELLIPSE, containerImage: "x" } as never)(class Wrong {})).toThrow(/Unrecognized argument\(s\) for task: containerImage/);
  });

  it("needs its options, and decorates classes only", () => {
    expect(() => (containerTask as unknown as (c: Function) => void)(class Bare {})).toThrow(/^@containerTask: it needs its options/);
    expect(() => containerTask(undefined as never)).toThrow(TaskDefinitionError);
    expect(() => {
      class OnMethod {
        @(containerTask(ELLIPSE) as unknown as MethodDecorator)
        static run(): void {}
      }
      return OnMethod;
    }).toThrow("@containerTask(): it decorates a class");
  });

  it("reads its types on first use: an input's record class may be declared further down", () => {
    @containerTask({ image: "busybox", command: ["cat", "/var/flyte/inputs/p"], inputs: { p: () => Later }, outputs: { n: Int } })
    class UsesLater {}
    class Later {
      @field(Int) n!: number;
    }
    expect(taskOf(UsesLater).interface.inputs.map((v) => v.name)).toEqual(["p"]);
  });
});
