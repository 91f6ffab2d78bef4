// What a task is registered as: flyteidl.admin.TaskSpec, the file `flytekit-ts serialize` and
// `package` write. A subpath of its own (@flytekit-ts/core/registration) because flyteidl.admin is
// loaded only where registration happens, not with every task a container runs.
import { create } from "./idl/codec.js";
import { encode } from "./idl/codec.js";
import { DescriptionEntitySchema, DescriptionFormat, type DescriptionEntity } from "./idl/gen/flyteidl/admin/description_entity_pb.js";
import { TaskSpecSchema, type TaskSpec } from "./idl/gen/flyteidl/admin/task_pb.js";
import type { SerializationSettings } from "./serialize/settings.js";
import { toTaskTemplate } from "./serialize/template.js";
import type { TaskDocumentation } from "./tasks/docs.js";
import type { Task } from "./tasks/task.js";

/** A task's documentation as Flyte's DescriptionEntity. */
export function toDescriptionEntity(docs: TaskDocumentation): DescriptionEntity {
  const long = docs.longDescription;
  return create(DescriptionEntitySchema, {
    shortDescription: docs.shortDescription,
    longDescription: long === undefined ? undefined : { content: long.value === undefined ? { case: undefined } : { case: "value", value: long.value }, format: DescriptionFormat[long.format] },
  });
}

/** What a registration file holds for a task: its template and, where it has one, its description. */
export function toTaskSpec(task: Task, settings: SerializationSettings): TaskSpec {
  const docs = task.getDocumentation();
  return create(TaskSpecSchema, { template: toTaskTemplate(task, settings), description: docs === undefined ? undefined : toDescriptionEntity(docs) });
}

/** A TaskSpec's bytes, as `flytectl register files` reads them. */
export function taskSpecToBinary(spec: TaskSpec): Uint8Array {
  return encode(TaskSpecSchema, spec);
}

export { TaskSpecSchema, type TaskSpec };
