// The counterpart of flytekit's pod plugin (flytekitplugins-pod): `@task({ taskConfig: new Pod(...) })`
// runs the function in the primary container of a pod spec of your own. It serializes as the plugin
// does: task type `sidecar` (version 2), no container, the pod spec as `k8s_pod` with the primary
// container's image, command, args, resources and env taken from the task, and
// `config.primary_container_name`. (The `podTemplate` task option is the newer way to the same end.)
import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import { TaskDefinitionError, type SerializationSettings } from "@flytekit-ts/core";
import { FunctionTask, k8sResourceName, TaskPlugins, type FunctionTaskInit, type TaskExecutionContext } from "@flytekit-ts/core/extend";
import { create, K8sPodSchema, type Container, type K8sPod } from "@flytekit-ts/core/idl";

/** A pod for a function task (flytekit's Pod). */
export class Pod {
  /** The pod spec, as Kubernetes' API writes it (camelCase: `restartPolicy`, `volumeMounts`, ...). */
  readonly podSpec: JsonObject;
  /** The container the task's function runs in; added to the spec when the spec has none of that name. */
  readonly primaryContainerName: string;
  readonly labels: Readonly<Record<string, string>> | undefined;
  readonly annotations: Readonly<Record<string, string>> | undefined;

  constructor(spec: { podSpec: JsonObject; primaryContainerName?: string; labels?: Record<string, string>; annotations?: Record<string, string> }) {
    if (spec?.podSpec === undefined || spec.podSpec === null || typeof spec.podSpec !== "object") throw new TaskDefinitionError({ subject: "Pod", problem: "A pod spec cannot be undefined" });
    if (spec.primaryContainerName !== undefined && (typeof spec.primaryContainerName !== "string" || spec.primaryContainerName === "")) {
      throw new TaskDefinitionError({ subject: "Pod", problem: "A primary container name cannot be undefined" });
    }
    this.podSpec = spec.podSpec;
    this.primaryContainerName = spec.primaryContainerName ?? "primary";
    this.labels = spec.labels;
    this.annotations = spec.annotations;
  }
}

/** JSON without its nulls in objects (Kubernetes' client leaves unset attributes out). */
function withoutNulls(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value !== null && typeof value === "object") {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
    return out;
  }
  return value;
}

/** A function task that runs in a pod of its own (flytekit's PodFunctionTask). */
export class PodFunctionTask extends FunctionTask {
  override readonly taskType: string = "sidecar";
  override readonly taskTypeVersion: number = 2;

  constructor(init: FunctionTaskInit) {
    super(init);
    if (init.settings.podTemplate !== undefined) {
      throw new TaskDefinitionError({ task: init.name, subject: "option 'podTemplate'", problem: "a task with a Pod config cannot also have a podTemplate", fix: "use one or the other" });
    }
  }

  get pod(): Pod {
    return this.taskConfig as Pod;
  }

  /** As the plugin does, a local run warns that it is not the pod it will run in. */
  override preExecute(context: TaskExecutionContext): void {
    if (context.mode === "local") context.logger.warn("Running pod task locally. Local environment may not match pod environment which may cause issues.");
  }

  override getContainer(): Container | undefined {
    return undefined;
  }

  override getConfig(): Record<string, string> {
    return { primary_container_name: this.pod.primaryContainerName };
  }

  /** The pod spec with the primary container filled in from the task (added last when missing). */
  podSpec(settings: SerializationSettings): JsonObject {
    const spec = withoutNulls(structuredClone(this.pod.podSpec)) as JsonObject;
    const name = this.pod.primaryContainerName;
    const containers = (Array.isArray(spec.containers) ? spec.containers : []) as JsonObject[];
    if (!containers.some((c) => c.name === name)) containers.push({ name });
    const sdk = this.buildContainer(settings);
    spec.containers = containers.map((c) => {
      if (c.name !== name) return c;
      const out: JsonObject = { ...c, image: sdk.image, command: [...sdk.command], args: [...sdk.args] };
      const limits: JsonObject = {};
      const requests: JsonObject = {};
      for (const r of sdk.resources?.limits ?? []) limits[k8sResourceName(r.name)] = r.value;
      for (const r of sdk.resources?.requests ?? []) requests[k8sResourceName(r.name)] = r.value;
      // The task's resources replace the container's own, when it has any.
      if (Object.keys(limits).length > 0 || Object.keys(requests).length > 0) out.resources = { limits, requests };
      out.env = [...sdk.env.map((e) => ({ name: e.key, value: e.value })), ...((Array.isArray(c.env) ? c.env : []) as JsonValue[])];
      return out;
    });
    return spec;
  }

  override getK8sPod(settings: SerializationSettings): K8sPod {
    return create(K8sPodSchema, {
      podSpec: this.podSpec(settings),
      metadata: { labels: { ...(this.pod.labels ?? {}) }, annotations: { ...(this.pod.annotations ?? {}) } },
    });
  }
}

TaskPlugins.registerPluginTask(Pod, PodFunctionTask);
