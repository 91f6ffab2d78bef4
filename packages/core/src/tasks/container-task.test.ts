import { create, toBinary, type JsonObject } from "@bufbuild/protobuf";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TaskTemplateSchema, type TaskTemplate } from "../idl/gen/flyteidl/core/tasks_pb.js";
import { executorLocation, taskTemplateResolver } from "../resolvers/template-resolver.js";
import { ImageConfig } from "../serialize/image.js";
import { SerializationSettings } from "../serialize/settings.js";
import { toTaskTemplate } from "../serialize/template.js";
import { defineRecord } from "../types/record.js";
import { Json } from "../types/json.js";
import { Float, Int, Str } from "../types/scalars.js";
import { List } from "../types/builtins.js";
import { CustomizedContainerTask, type CustomizedContainerTaskInit } from "./container-task.js";
import { TaskDefinitionError } from "./errors.js";
import { Resources } from "./resources.js";
import { ExecutableTemplateShimTask, ShimTaskExecutor } from "./shim.js";
import { type ExecutionContext } from "../index.js";

class GreetConfig {
  constructor(readonly greeting: string) {}
}

/** Reads the greeting from the template's custom field, as a container would. */
class GreetExecutor extends ShimTaskExecutor {
  static override location = `${import.meta.filename}#GreetExecutor`;
  static seen: { template?: TaskTemplate; inputs?: Record<string, unknown>; context?: ExecutionContext } = {};

  executeFromModel(template: TaskTemplate, inputs: Readonly<Record<string, unknown>>, context: ExecutionContext): unknown {
    GreetExecutor.seen = { template, inputs: { ...inputs }, context };
    const custom = template.custom as JsonObject;
    return `${String(custom.greeting)}, ${String(inputs.name)}${"!".repeat(Number(inputs.times ?? 1))}`;
  }
}

class GreetTask extends CustomizedContainerTask<GreetConfig> {
  constructor(name: string, config: GreetConfig, extra: Partial<CustomizedContainerTaskInit<GreetConfig>> = {}) {
    super({ name, taskConfig: config, executorType: GreetExecutor, taskType: "greeter", inputs: { name: Str, times: Int }, outputs: Str, ...extra });
  }

  override getCustom(): JsonObject {
    return { greeting: this.taskConfig.greeting };
  }
}

const settings = new SerializationSettings({ project: "p", domain: "d", version: "v1", imageConfig: ImageConfig.fromFlags(["docker.io/xyz:1", "greeter=ghcr.io/acme/greeter:7"]) });

describe("CustomizedContainerTask", () => {
  it("serializes as flytekit's: its type, custom, no config, args without checkpoints ending in the template path and executor", () => {
    const t = new GreetTask("greet", new GreetConfig("hello"), {
      containerImage: "{{.images.greeter.fqn}}:{{.images.greeter.version}}",
      requests: new Resources({ cpu: "1" }),
      environment: { MODE: "x" },
      retries: 2,
    });
    const template = toTaskTemplate(t, settings);
    expect(template.type).toBe("greeter");
    expect(template.custom).toEqual({ greeting: "hello" });
    expect(template.config).toEqual({});
    expect(template.metadata?.retries?.retries).toBe(2);
    const container = template.target.case === "container" ? template.target.value : undefined;
    expect(container?.image).toBe("ghcr.io/acme/greeter:7");
    expect(container?.args).toEqual([
      "flytekit-ts-execute",
      "--inputs",
      "{{.input}}",
      "--output-prefix",
      "{{.outputPrefix}}",
      "--raw-output-data-prefix",
      "{{.rawOutputDataPrefix}}",
      "--resolver",
      "flytekit-ts.TaskTemplateResolver",
      "--",
      "{{.taskTemplatePath}}",
      `${import.meta.filename}#GreetExecutor`,
    ]);
    expect(container?.env).toEqual([{ $typeName: "flyteidl.core.KeyValuePair", key: "MODE", value: "x" }]);
    expect(container?.resources?.requests.map((r) => r.value)).toEqual(["1"]);
  });

  it("serializes its template with flytekit's placeholders until it is serialized for real", () => {
    const t = new GreetTask("greet", new GreetConfig("hi"));
    const placeholder = t.taskTemplate;
    expect(placeholder.id).toMatchObject({ project: "PLACEHOLDER_PROJECT", domain: "LOCAL", version: "PLACEHOLDER_VERSION", name: "greet" });
    expect(placeholder.target.case === "container" && placeholder.target.value.image).toBe("flyteorg.io/placeholder:image");
    expect(t.serializeToModel(settings).id?.project).toBe("p");
    expect(t.taskTemplate.id?.project).toBe("p");
  });

  it("runs locally: the executor gets the template and the native inputs, through the same path as a container", () => {
    const t = new GreetTask("greet", new GreetConfig("hello"));
    expect(t.invoke({ name: "flyte", times: 2 })).toBe("hello, flyte!!");
    expect(GreetExecutor.seen.inputs).toEqual({ name: "flyte", times: 2 });
    expect(GreetExecutor.seen.template?.custom).toEqual({ greeting: "hello" });
    expect(GreetExecutor.seen.context?.taskName).toBe("greet");
    // Inputs are checked as any task's.
    expect(() => t.invoke({ name: "flyte", times: 1.5 })).toThrow("task 'greet', input 'times': expected Int, got 1.5 (number)");
  });

  it("refuses a class without getCustom where the task is made, and an executor that is not one", () => {
    // TypeScript refuses it (getCustom is abstract); JavaScript gets the error where the task is made.
    // @ts-expect-error a class that does not implement getCustom
    class NoCustom extends CustomizedContainerTask<GreetConfig> {}
    const make = () => new (NoCustom as unknown as new (i: object) => object)({ name: "nc", taskConfig: new GreetConfig("x"), executorType: GreetExecutor });
    expect(make).toThrow(TaskDefinitionError);
    expect(make).toThrow("task 'nc': NoCustom does not implement getCustom(settings); implement it as a method: it makes the template's custom field, which its executor reads");
    class NotAnExecutor {}
    expect(() => new GreetTask("bad", new GreetConfig("x"), { executorType: NotAnExecutor as never })).toThrow(
      "task 'bad': expected an executor: a class that extends ShimTaskExecutor, got NotAnExecutor",
    );
    expect(() => new GreetTask("bad", new GreetConfig("x"), { unknownOption: 1 } as never)).toThrow(/^task 'bad': Unrecognized argument\(s\) for task: unknownOption; it takes annotations, /);
  });

  it("gives the types of its inputs and outputs by name", () => {
    const t = new GreetTask("greet", new GreetConfig("x"));
    expect(Object.keys(t.getInputTypes())).toEqual(["name", "times"]);
    expect(t.getTypeForInputVar("times")).toBe(Int);
    expect(t.getTypeForOutputVar("o0")).toBe(Str);
    expect(() => t.getTypeForInputVar("nope")).toThrow("task 'greet', input 'nope': no such input");
  });
});

describe("ExecutableTemplateShimTask", () => {
  it("takes its name, type and interface from the template (records as classes made from their schema)", () => {
    class Point {
      x!: number;
      y!: number;
    }
    defineRecord(Point, { x: Int, y: Float });
    class PointsExecutor extends ShimTaskExecutor {
      static override location = "points#PointsExecutor";
      executeFromModel(_t: TaskTemplate, inputs: Readonly<Record<string, unknown>>): unknown {
        const points = inputs.points as { x: number; y: number }[];
        return points.map((p) => `${p.constructor.name}(${p.x}, ${p.y})`).join(" ");
      }
    }
    class PointsTask extends CustomizedContainerTask<null> {
      override getCustom(): JsonObject {
        return {};
      }
    }
    const declared = new PointsTask({ name: "points", taskConfig: null, executorType: PointsExecutor, taskType: "pts", inputs: { points: List(Point) }, outputs: Str });
    const template = toTaskTemplate(declared, settings);
    const shim = new ExecutableTemplateShimTask(template, PointsExecutor);
    expect(shim.name).toBe("points");
    expect(shim.taskType).toBe("pts");
    expect(shim.interface.toString()).toBe("(points: List(Point)) -> (o0: Str)");
    const p = Object.assign(new Point(), { x: 1, y: 2.5 });
    expect(shim.invoke({ points: [p] })).toBe("Point(1, 2.5)");
    // The executor got the guessed class (named as the schema names it), not the caller's.
    class Spy extends PointsExecutor {
      static override location = "points#Spy";
      override executeFromModel(t: TaskTemplate, inputs: Readonly<Record<string, unknown>>): unknown {
        const got = (inputs.points as object[])[0]!;
        return `${got.constructor === Point ? "the caller's" : "a guessed"} ${got.constructor.name}`;
      }
    }
    expect(new ExecutableTemplateShimTask(template, Spy).invoke({ points: [p] })).toBe("a guessed Point");
  });
});

describe("an executor's result as outputs, as flytekit's shim reads it", () => {
  class Returns extends ShimTaskExecutor {
    static override location = "x#Returns";
    static value: unknown;
    executeFromModel(): unknown {
      return Returns.value;
    }
  }
  class Plain extends CustomizedContainerTask<null> {
    override getCustom(): JsonObject {
      return {};
    }
  }

  it("with one output, the whole value is that output, even an object with a key of its name", () => {
    const t = new Plain({ name: "one", taskConfig: null, executorType: Returns, outputs: { results: Json } });
    Returns.value = { results: 1, other: 2 };
    expect(t.invoke({})).toEqual({ results: { results: 1, other: 2 } });
  });

  it("with several, a sequence holds them in order, and its length must fit", () => {
    const t = new Plain({ name: "two", taskConfig: null, executorType: Returns, outputs: { n: Int, s: Str } });
    Returns.value = [1, "a"];
    expect(t.invoke({})).toEqual({ n: 1, s: "a" });
    Returns.value = { n: 2, s: "b" };
    expect(t.invoke({})).toEqual({ n: 2, s: "b" });
    Returns.value = [1];
    expect(() => t.invoke({})).toThrow("task 'two': expected 2 values, one for each output (n, s), got 1");
  });
});

describe("TaskTemplateResolver", () => {
  it("writes the same loader args for every task of an executor, and loads a task from its template file and executor location", async () => {
    const a = new GreetTask("a", new GreetConfig("x"));
    const b = new GreetTask("b", new GreetConfig("y"));
    expect(taskTemplateResolver.loaderArgs(a)).toEqual(taskTemplateResolver.loaderArgs(b));
    expect(taskTemplateResolver.getAllTasks()).toEqual([]);

    const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-template-"));
    const path = join(dir, "task_template.pb");
    writeFileSync(path, toBinary(TaskTemplateSchema, toTaskTemplate(a, settings)));
    const loaded = await taskTemplateResolver.loadTask([path, GreetExecutor.location!]);
    expect(loaded).toBeInstanceOf(ExecutableTemplateShimTask);
    expect(loaded.name).toBe("a");
    expect(loaded.invoke({ name: "you", times: 1 })).toBe("x, you!");
  });

  it("names what is wrong: an executor without a location, bad loader args, a missing executor", async () => {
    class Nowhere extends ShimTaskExecutor {
      executeFromModel(): unknown {
        return null;
      }
    }
    expect(() => executorLocation(Nowhere)).toThrow(/^executor Nowhere: it has no location a container can import it from; decorate it with @taskExecutor\(\)/);
    // A subclass does not inherit its parent's location: the container would load the parent.
    class Sub extends GreetExecutor {}
    expect(() => executorLocation(Sub)).toThrow(/^executor Sub: it has no location/);
    await expect(taskTemplateResolver.loadTask(["only-one"])).rejects.toThrow('the loader arguments: expected "<template path> <module>#<executor>", got ["only-one"]');
    const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-template-"));
    const path = join(dir, "t.pb");
    writeFileSync(path, toBinary(TaskTemplateSchema, create(TaskTemplateSchema, { id: { name: "x" } })));
    await expect(taskTemplateResolver.loadTask([path, `${import.meta.filename}#Missing`])).rejects.toThrow(
      `executor ${import.meta.filename}#Missing: ${import.meta.filename} exports nothing named Missing`,
    );
    await expect(taskTemplateResolver.loadTask([path, "./no/such/file.js#X"])).rejects.toThrow(/executor \.\/no\/such\/file\.js#X: \.\/no\/such\/file\.js does not exist/);
  });
});

export { GreetExecutor };
