import type { JsonObject } from "@bufbuild/protobuf";
import { task } from "@flytekit-ts/decorators";
import { describe, expect, it } from "vitest";
import { Pod, PodFunctionTask } from "./index.js";
import { TaskPlugins } from "@flytekit-ts/core/extend";
import { ImageConfig, Int, PodTemplate, SerializationSettings, taskOf, toTaskTemplate } from "@flytekit-ts/core";

const settings = new SerializationSettings({ project: "p", domain: "d", version: "v", imageConfig: ImageConfig.auto("img:1") });

class Jobs {
  @task({ inputs: { i: Int }, outputs: Int, taskConfig: new Pod({ podSpec: { containers: [{ name: "main" }] }, primaryContainerName: "main" }) })
  static inc(i: number): number {
    return i + 1;
  }
}

describe("the pod plugin", () => {
  it("is registered for Pod: @task with a Pod config is a PodFunctionTask", () => {
    expect(TaskPlugins.pluginFor(Pod)).toBe(PodFunctionTask);
    expect(taskOf(Jobs.inc)).toBeInstanceOf(PodFunctionTask);
  });

  it("runs its function locally, as any task", () => {
    expect(Jobs.inc(41)).toBe(42);
  });

  it("puts fast registration's entrypoint in the primary container", () => {
    const fast = new SerializationSettings({ project: "p", domain: "d", version: "v", imageConfig: ImageConfig.auto("img:1"), fastSerialization: { enabled: true } });
    const template = toTaskTemplate(taskOf(Jobs.inc), fast);
    const containers = (template.target.case === "k8sPod" ? template.target.value.podSpec?.containers : []) as JsonObject[];
    expect((containers[0]!.args as string[]).slice(0, 6)).toEqual(["flytekit-ts-fast-execute", "--additional-distribution", "{{ .remote_package_path }}", "--dest-dir", "{{ .dest_dir }}", "--"]);
    expect(template.type).toBe("sidecar");
    expect(template.taskTypeVersion).toBe(2);
    expect(template.config).toEqual({ primary_container_name: "main" });
    expect(toTaskTemplate(taskOf(Jobs.inc), settings).target.case).toBe("k8sPod");
  });

  it("refuses what flytekit refuses, and a Pod with a podTemplate too", () => {
    expect(() => new Pod({ podSpec: undefined as never })).toThrow("A pod spec cannot be undefined");
    expect(() => new Pod({ podSpec: { containers: [] }, primaryContainerName: "" })).toThrow("A primary container name cannot be undefined");
    class Both {
      @task({ inputs: { i: Int }, outputs: Int, taskConfig: new Pod({ podSpec: {} }), podTemplate: new PodTemplate({ podSpec: {} }) })
      static both(i: number): number {
        return i;
      }
    }
    expect(() => taskOf(Both.both)).toThrow(/a task with a Pod config cannot also have a podTemplate/);
  });
});
