// Task → flyteidl.core.TaskTemplate, with flytekit's fields and rules
// (flytekit/tools/translator.py get_serializable_task).
import type { JsonObject } from "@bufbuild/protobuf";
import { brand, FlyteError } from "../errors/flyte-error.js";
import { create, encode, toJsonValue } from "../idl/codec.js";
import { IdentifierSchema, ResourceType, type Identifier } from "../idl/gen/flyteidl/core/identifier_pb.js";
import { TaskTemplateSchema, type TaskTemplate } from "../idl/gen/flyteidl/core/tasks_pb.js";
import { ReferenceTask } from "../tasks/reference-task.js";
import type { Task } from "../tasks/task.js";
import { ImageError } from "./image.js";
import { taskMetadataToIdl } from "./metadata.js";
import type { SerializationSettings } from "./settings.js";

/** A reference task has no template: it serializes to the identifier it was given. */
export class ReferenceSerializationError extends FlyteError {}
brand(ReferenceSerializationError, "ReferenceSerializationError");

function nonEmpty(custom: JsonObject | undefined): JsonObject | undefined {
  return custom === undefined || Object.keys(custom).length === 0 ? undefined : custom;
}

/** The TaskTemplate Flyte registers for a task. */
export function toTaskTemplate(task: Task, settings: SerializationSettings): TaskTemplate {
  if (task instanceof ReferenceTask) {
    throw new ReferenceSerializationError({
      task: task.name,
      problem: "it is a reference to a registered task: it serializes to its identifier, never a TaskTemplate",
      fix: "use toReferenceIdentifier(task)",
    });
  }
  let container, k8sPod, sql;
  try {
    container = task.getContainer(settings);
    k8sPod = container === undefined ? task.getK8sPod(settings) : undefined;
    sql = container === undefined && k8sPod === undefined ? task.getSql(settings) : undefined;
  } catch (e) {
    // An image that cannot be resolved is the task's: say which.
    if (e instanceof ImageError) throw new ImageError({ ...e.fields, task: task.name }, { cause: e });
    throw e;
  }
  return create(TaskTemplateSchema, {
    id: { resourceType: ResourceType.TASK, project: settings.project, domain: settings.domain, name: task.name, version: settings.version },
    type: task.taskType,
    metadata: taskMetadataToIdl(task.metadata, { isEager: task.isEager }),
    interface: task.interface.toTypedInterface(),
    custom: nonEmpty(task.getCustom(settings)),
    target:
      container !== undefined
        ? { case: "container", value: container }
        : k8sPod !== undefined
          ? { case: "k8sPod", value: k8sPod }
          : sql !== undefined
            ? { case: "sql", value: sql }
            : { case: undefined },
    taskTypeVersion: task.taskTypeVersion,
    securityContext: task.getSecurityContext(),
    extendedResources: task.getExtendedResources(settings),
    config: task.getConfig(settings),
  });
}

/** A reference task's identifier, exactly as given (the settings do not apply). */
export function toReferenceIdentifier(task: ReferenceTask): Identifier {
  const r = task.reference;
  return create(IdentifierSchema, { resourceType: ResourceType.TASK, project: r.project, domain: r.domain, name: r.name, version: r.version });
}

/** A template's bytes, as Flyte reads them. */
export function templateToBinary(template: TaskTemplate): Uint8Array {
  return encode(TaskTemplateSchema, template);
}

/** A template as protobuf JSON, for reading. */
export function templateToJson(template: TaskTemplate): JsonObject {
  return toJsonValue(TaskTemplateSchema, template) as JsonObject;
}
