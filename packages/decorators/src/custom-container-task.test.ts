import type { JsonObject } from "@bufbuild/protobuf";
import type { TaskTemplate as TaskTemplateLike } from "@flytekit-ts/core/idl";
import { describe, expect, it } from "vitest";
import { customContainerTask, field, task, taskExecutor } from "./index.js";
import { CustomizedContainerTask, TaskPlugins } from "@flytekit-ts/core/extend";
import { executorLocation } from "@flytekit-ts/core/internal";
import { ImageConfig, Int, SerializationSettings, ShimTaskExecutor, Str, taskOf, toTaskTemplate } from "@flytekit-ts/core";

@taskExecutor()
export class ShoutExecutor extends ShimTaskExecutor {
  executeFromModel(template: TaskTemplateLike, inputs: Readonly<Record<string, unknown>>): unknown {
    const custom = template.custom as JsonObject;
    return `${String(inputs.word).toUpperCase()}${String(custom.suffix)}`;
  }
}

const settings = new SerializationSettings({ project: "p", domain: "d", version: "v", imageConfig: ImageConfig.auto("docker.io/xyz:1") });

@customContainerTask({
  taskType: "shout",
  executor: ShoutExecutor,
  containerImage: "ghcr.io/acme/shout:1",
  config: { suffix: "!" },
  custom: (config) => ({ ...(config as JsonObject) }),
  inputs: { word: Str },
  outputs: Str,
  retries: 1,
})
export class Shout {}

@customContainerTask({ name: "static.custom", taskType: "shout", executor: ShoutExecutor, config: { suffix: "?" }, inputs: { word: Str }, outputs: Str })
export class ShoutStatic {
  static custom(config: { suffix: string }): JsonObject {
    return { suffix: `${config.suffix}${config.suffix}` };
  }
}

describe("@customContainerTask", () => {
  it("declares a customized container task on a class: named after it, its template from the options", () => {
    const t = taskOf(Shout);
    expect(t).toBeInstanceOf(CustomizedContainerTask);
    expect(t.name).toBe("custom-container-task.test.Shout");
    const template = toTaskTemplate(t, settings);
    expect(template.type).toBe("shout");
    expect(template.custom).toEqual({ suffix: "!" });
    expect(template.metadata?.retries?.retries).toBe(1);
    const args = template.target.case === "container" ? template.target.value.args : [];
    expect(args.slice(-2)).toEqual(["{{.taskTemplatePath}}", "src/custom-container-task.test.ts#ShoutExecutor"]);
    expect(template.target.case === "container" && template.target.value.image).toBe("ghcr.io/acme/shout:1");
  });

  it("runs locally from its template", () => {
    expect(taskOf(Shout).invoke({ word: "hey" })).toBe("HEY!");
    expect(taskOf(ShoutStatic).invoke({ word: "hey" })).toBe("HEY??");
  });

  it("refuses, where it is declared, a task without an executor or without a custom field", () => {
    expect(() => customContainerTask({ taskType: "x", inputs: { a: Int } })(class NoExecutor {})).toThrow(
      /^task '.*NoExecutor', @customContainerTask\(\) on NoExecutor: it has no executor to run it; give one \(executor: MyExecutor\)$/,
    );
    expect(() => customContainerTask({ taskType: "x", executor: ShoutExecutor, config: {} })(class NoCustom {})).toThrow(
      /@customContainerTask\(\) on NoCustom: it does not say what goes into the template's custom field, which the executor reads; custom: \(config\) => \(\{ \.\.\. \}\), or a static custom\(config\) on NoCustom$/,
    );
    expect(() => customContainerTask({ taskType: "x", executor: class NotOne {} as never, custom: () => ({}) })(class BadExecutor {})).toThrow(
      /@customContainerTask\(\) on BadExecutor: expected an executor: a class that extends ShimTaskExecutor, got NotOne$/,
    );
  });

  it("builds the plugin registered for the config's class, with the plugin's own options", () => {
    class EchoConfig {
      constructor(readonly times: number) {}
    }
    class EchoTimesTask extends CustomizedContainerTask<EchoConfig> {
      readonly separator: string;
      constructor(init: { name: string; taskConfig: EchoConfig; separator?: string }) {
        const { separator, ...rest } = init;
        super({ ...rest, executorType: EchoTimesExecutor, taskType: "echo-times", inputs: { word: Str }, outputs: Str });
        this.separator = separator ?? " ";
      }
      override getCustom(): JsonObject {
        return { times: this.taskConfig.times, separator: this.separator };
      }
    }
    class EchoTimesExecutor extends ShimTaskExecutor {
      static override location = "x#EchoTimesExecutor";
      executeFromModel(template: TaskTemplateLike, inputs: Readonly<Record<string, unknown>>): unknown {
        const c = template.custom as { times: number; separator: string };
        return Array.from({ length: c.times }, () => inputs.word).join(c.separator);
      }
    }
    TaskPlugins.registerPluginTask(EchoConfig, EchoTimesTask);
    @customContainerTask({ config: new EchoConfig(3), separator: "-" })
    class Thrice {}
    expect(taskOf(Thrice)).toBeInstanceOf(EchoTimesTask);
    expect(taskOf(Thrice).invoke({ word: "ab" })).toBe("ab-ab-ab");
    expect(() => customContainerTask({ config: new EchoConfig(1), executor: EchoTimesExecutor })(class Twice {})).toThrow(
      /@customContainerTask\(\) on Twice: the plugin EchoTimesTask brings its own executor and custom field; leave out executor and custom$/,
    );
  });
});

describe("@customContainerTask builds its task once, on first use", () => {
  it("makes the executor once, and its types may name a class declared further down", () => {
    class Counting extends ShimTaskExecutor {
      static override location = "x#Counting";
      static made = 0;
      constructor() {
        super();
        Counting.made++;
      }
      executeFromModel(_t: TaskTemplateLike, inputs: Readonly<Record<string, unknown>>): unknown {
        return (inputs.p as { n: number }).n;
      }
    }
    @customContainerTask({ taskType: "x", executor: Counting, custom: () => ({}), inputs: { p: () => Later }, outputs: Int })
    class UsesLater {}
    class Later {
      @field(Int) n!: number;
    }
    expect(Counting.made).toBe(0);
    expect(taskOf(UsesLater).invoke({ p: Object.assign(new Later(), { n: 7 }) })).toBe(7);
    taskOf(UsesLater).invoke({ p: Object.assign(new Later(), { n: 8 }) });
    expect(Counting.made).toBe(1);
  });

  it("says which task a failed build was for", () => {
    @customContainerTask({ taskType: "x", executor: ShoutExecutor, custom: () => ({}), inputs: { p: () => { throw new ReferenceError("Cannot access 'Nope' before initialization"); } } })
    class Broken {}
    expect(() => taskOf(Broken)).toThrow(/^task '.*Broken', @customContainerTask\(\) on Broken: Cannot access 'Nope' before initialization$/);
  });
});

describe("@task with a plugin config whose tasks run no function", () => {
  it("is refused where it is declared, saying how to make such a task", () => {
    class QueryConfig {}
    class QueryOnly extends CustomizedContainerTask<QueryConfig> {
      override getCustom(): JsonObject {
        return {};
      }
    }
    TaskPlugins.registerPluginTask(QueryConfig, QueryOnly);
    expect(() => {
      class Wrong {
        @task({ taskConfig: new QueryConfig() })
        static run(): void {}
      }
      return Wrong;
    }).toThrow(
      /^task '.*Wrong.run', option 'taskConfig': the plugin for QueryConfig is QueryOnly, whose tasks run no function of yours; make them with @customContainerTask\(\{ config: new QueryConfig\(\.\.\.\), \.\.\. \}\) or new QueryOnly\(\{ \.\.\. \}\), not @task$/,
    );
  });
});

describe("@taskExecutor", () => {
  it("records where a container imports the executor: its module from the package root, and its export", () => {
    expect(executorLocation(ShoutExecutor)).toBe("src/custom-container-task.test.ts#ShoutExecutor");
    @taskExecutor({ export: "Renamed" })
    class Inner extends ShimTaskExecutor {
      executeFromModel(): unknown {
        return null;
      }
    }
    expect(executorLocation(Inner)).toBe("src/custom-container-task.test.ts#Renamed");
    expect(() => taskExecutor()(class NotAnExecutor {})).toThrow("@taskExecutor(): expected a class that extends ShimTaskExecutor, got NotAnExecutor");
  });
});
