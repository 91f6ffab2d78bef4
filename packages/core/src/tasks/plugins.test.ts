import type { JsonObject } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { FunctionTask } from "../tasks/function-task.js";
import { functionTask } from "../tasks/function-form.js";
import { type TaskExecutionContext, TaskPlugins } from "../extend.js";
import { Int } from "../index.js";

class Dask {
  constructor(readonly workers = 1) {}
}

class DaskTask extends FunctionTask {
  override readonly taskType = "dask";
  readonly events: string[] = [];

  override getCustom(): JsonObject {
    const cfg = this.taskConfig as Dask;
    return { scheduler: { resources: {} }, workers: { numberOfWorkers: cfg.workers, resources: {} } };
  }

  override preExecute(_context: TaskExecutionContext): void {
    this.events.push("pre");
  }

  override postExecute(_context: TaskExecutionContext, result: unknown): unknown {
    this.events.push("post");
    return (result as number) * 10;
  }
}

class SyncOnly {}
class SyncOnlyTask extends FunctionTask {
  static override supportsAsync = false;
  override readonly taskType = "sync-only";
}

TaskPlugins.registerPluginTask(Dask, DaskTask);
TaskPlugins.registerPluginTask(SyncOnly, SyncOnlyTask);

describe("TaskPlugins", () => {
  it("builds the registered task class for a task's config", () => {
    const t = functionTask({ name: "d", inputs: { x: Int }, outputs: Int, taskConfig: new Dask(3) }, ({ x }) => Number(x) + 1);
    const task = t.task as DaskTask;
    expect(task).toBeInstanceOf(DaskTask);
    expect(task.taskType).toBe("dask");
    expect(task.getCustom()).toEqual({ scheduler: { resources: {} }, workers: { numberOfWorkers: 3, resources: {} } });
    // The plugin's hooks run around the body, and its post hook may replace the result.
    expect(t({ x: 1 })).toBe(20);
    expect(task.events).toEqual(["pre", "post"]);
  });

  it("registers the same pair twice as a no-op, and refuses another class for a registered config", () => {
    expect(() => TaskPlugins.registerPluginTask(Dask, DaskTask)).not.toThrow();
    class OtherTask extends FunctionTask {}
    expect(() => TaskPlugins.registerPluginTask(Dask, OtherTask)).toThrow(
      "Requesting to register plugin OtherTask - collides with existing plugin DaskTask for type Dask",
    );
    expect(() => TaskPlugins.registerPluginTask(Dask, class NotATask {} as never)).toThrow(
      "registerPluginTask(): expected a task class (one that extends FunctionTask, CustomizedContainerTask or Task), got NotATask",
    );
  });

  it("finds by the exact config class: a subclass is not found", () => {
    class MyDask extends Dask {}
    expect(TaskPlugins.findPluginTask(Dask)).toBe(DaskTask);
    expect(TaskPlugins.findPluginTask(MyDask)).toBe(FunctionTask);
    expect(TaskPlugins.findPluginTask(undefined)).toBe(FunctionTask);
    const t = functionTask({ name: "sub", outputs: Int, taskConfig: new MyDask() }, () => 1);
    expect(t.task.constructor).toBe(FunctionTask);
  });

  it("refuses an async function for a plugin that cannot run async", () => {
    expect(() => functionTask({ name: "a", taskConfig: new SyncOnly() }, async () => undefined)).toThrow(
      "task 'a': Task plugin SyncOnlyTask is not compatible with async functions",
    );
    expect(functionTask({ name: "s", taskConfig: new SyncOnly() }, () => undefined).task.taskType).toBe("sync-only");
  });
});
