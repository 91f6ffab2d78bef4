// The parts of a TaskTemplate that say how to run a container, as flytekit builds them
// (core/utils.py, core/resources.py, python_auto_container.py).
import { type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { create } from "../idl/codec.js";
import { ContainerSchema, ExtendedResourcesSchema, K8sPodSchema, Resources_ResourceName, ResourcesSchema, type Container, type ExtendedResources, type K8sPod, type Resources as IdlResources } from "../idl/gen/flyteidl/core/tasks_pb.js";
import type { Accelerator } from "../tasks/accelerators.js";
import type { PodTemplate } from "../tasks/pod-template.js";
import type { ResolvedResources, Resources, ResourceValue } from "../tasks/resources.js";
import { resolveContainerImage, type ImageConfig } from "./image.js";

// flytekit's order: ephemeral storage, cpu, gpu, memory.
const ORDER: [keyof Resources & ("cpu" | "mem" | "gpu" | "ephemeralStorage"), Resources_ResourceName][] = [
  ["ephemeralStorage", Resources_ResourceName.EPHEMERAL_STORAGE],
  ["cpu", Resources_ResourceName.CPU],
  ["gpu", Resources_ResourceName.GPU],
  ["mem", Resources_ResourceName.MEMORY],
];

/** Set, as flytekit tests it: not undefined, "", or 0. */
function truthy(value: unknown): value is ResourceValue {
  return value !== undefined && value !== null && value !== "" && value !== 0;
}

function entriesOf(resources: Resources) {
  const out: { name: Resources_ResourceName; value: string }[] = [];
  for (const [key, name] of ORDER) {
    const v = resources[key];
    if (truthy(v)) out.push({ name, value: String(v) });
  }
  return out;
}

/** Requests and limits as flyteidl Resources: entries in flytekit's order, values as strings. */
export function resourcesToIdl(resources: ResolvedResources): IdlResources {
  return create(ResourcesSchema, { requests: entriesOf(resources.requests), limits: entriesOf(resources.limits) });
}

export interface ContainerSpec {
  image: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  resources: ResolvedResources;
}

/** A container target: command [] and the entrypoint in args, as flytekit writes it. */
export function buildContainer(spec: ContainerSpec): Container {
  return create(ContainerSchema, {
    image: spec.image,
    command: [],
    args: [...spec.args],
    resources: resourcesToIdl(spec.resources),
    env: Object.entries(spec.env).map(([key, value]) => ({ key, value })),
    config: [],
  });
}

/** The extended resources message, or undefined when neither an accelerator nor shared memory is asked for. */
export function extendedResources(accelerator: Accelerator | undefined, sharedMemory: string | undefined): ExtendedResources | undefined {
  if (accelerator === undefined && sharedMemory === undefined) return undefined;
  return create(ExtendedResourcesSchema, {
    gpuAccelerator:
      accelerator === undefined
        ? undefined
        : {
            device: accelerator.device,
            partitionSizeValue:
              accelerator.partitionSize === undefined
                ? { case: undefined }
                : accelerator.partitionSize === null
                  ? { case: "unpartitioned", value: true }
                  : { case: "partitionSize", value: accelerator.partitionSize },
          },
    sharedMemory: sharedMemory === undefined ? undefined : { mountName: "flyte-shared-memory", mountPath: "/dev/shm", sizeLimit: sharedMemory },
  });
}

/** Kubernetes' name of a Flyte resource: `cpu`, `memory`, `gpu`, `ephemeral-storage` (as flytekit writes them into pod specs). */
export function k8sResourceName(name: Resources_ResourceName): string {
  return Resources_ResourceName[name]!.toLowerCase().replace(/_/g, "-");
}

/**
 * A pod template's pod spec with its primary container filled in from the task's container
 * (appended when the spec has none): the image (its own, resolved, or the task's), command,
 * args, resources when there are any, and the task's env before the container's own. Other
 * containers get their images resolved. `primary.args: false` leaves the args key out (flytekit's
 * ContainerTask given no arguments: None, which the pod spec's JSON drops).
 */
export function podSpecWithPrimary(pod: PodTemplate, container: Container, images: ImageConfig, primary: PrimaryOptions = {}): JsonObject {
  const spec = structuredClone(pod.podSpec) as JsonObject;
  const containers = (Array.isArray(spec.containers) ? spec.containers : []) as JsonObject[];
  if (!containers.some((c) => c.name === pod.primaryContainerName)) containers.push({ name: pod.primaryContainerName });
  spec.containers = containers.map((c): JsonObject => {
    if (c.name !== pod.primaryContainerName) {
      return { ...c, image: resolveContainerImage(typeof c.image === "string" ? c.image : undefined, images) };
    }
    const out: JsonObject = { ...c };
    out.image = typeof c.image === "string" ? resolveContainerImage(c.image, images) : container.image;
    out.command = [...container.command];
    if (primary.args === false) delete out.args;
    else out.args = [...container.args];
    const limits: JsonObject = {};
    const requests: JsonObject = {};
    for (const r of container.resources?.limits ?? []) limits[k8sResourceName(r.name)] = r.value;
    for (const r of container.resources?.requests ?? []) requests[k8sResourceName(r.name)] = r.value;
    if (Object.keys(limits).length > 0 || Object.keys(requests).length > 0) out.resources = { limits, requests };
    const own = (Array.isArray(c.env) ? c.env : []) as JsonValue[];
    out.env = [...container.env.map((e) => ({ name: e.key, value: e.value })), ...own];
    return out;
  });
  return spec;
}

/** How the primary container of a pod spec is filled. */
export interface PrimaryOptions {
  /** Whether it gets an args key. @default true */
  args?: boolean;
}

/** The k8s_pod target of a task with a pod template. */
export function buildK8sPod(pod: PodTemplate, container: Container, images: ImageConfig, primary: PrimaryOptions = {}): K8sPod {
  return create(K8sPodSchema, {
    metadata: { labels: { ...pod.labels }, annotations: { ...pod.annotations } },
    podSpec: podSpecWithPrimary(pod, container, images, primary),
  });
}
