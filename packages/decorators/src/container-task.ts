import { TaskDefinitionError } from "@flytekit-ts/core";
import type { RawContainerTaskOptions } from "@flytekit-ts/core/internal";
import { applicationOf } from "./application.js";
import { applyTaskDecorator } from "./apply.js";
import { classApplication, type ClassDecorator } from "./custom-container-task.js";

/** The options of `@containerTask`: a ContainerTask's, its name optional. */
export type ContainerTaskOptions = RawContainerTaskOptions;

/**
 * Declares a raw container task on a class (flytekit's ContainerTask, task type `raw-container`):
 * a task that runs any image, its inputs laid out as files in `inputDataDir` and its outputs read
 * back from `outputDataDir` by Flyte's CoPilot.
 *
 * ```ts
 * @containerTask({
 *   image: "ghcr.io/flyteorg/rawcontainers-shell:v2",
 *   inputs: { a: Float, b: Float },
 *   outputs: { area: Float, metadata: Str },
 *   inputDataDir: "/var/inputs",
 *   outputDataDir: "/var/outputs",
 *   command: ["./calculate-ellipse-area.sh", "{{.inputs.a}}", "{{.inputs.b}}", "/var/outputs"],
 * })
 * export class EllipseArea {}
 * ```
 *
 * `taskOf(EllipseArea)` is the task, named `<module>.EllipseArea` unless `name` says otherwise.
 * What can be checked is checked where it is declared; the types are read on first use.
 */
export function containerTask(options: ContainerTaskOptions): ClassDecorator {
  if (applicationOf([...arguments], true) !== undefined) {
    throw new TaskDefinitionError({ subject: "@containerTask", problem: "it needs its options: the image, the command and the interface", fix: "@containerTask({ image, command, inputs, outputs })" });
  }
  if (typeof options !== "object" || options === null) throw new TaskDefinitionError({ subject: "@containerTask()", expected: "options to be an object", got: String(options) });
  return (...applied: unknown[]) => {
    const application = classApplication("@containerTask()", applied);
    applyTaskDecorator("@containerTask()", "raw-container", options as unknown as Readonly<Record<string, unknown>>, application);
  };
}
