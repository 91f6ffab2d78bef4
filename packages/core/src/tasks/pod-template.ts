import { brand } from "../errors/flyte-error.js";
import type { JsonObject } from "@bufbuild/protobuf";
import { TaskDefinitionError } from "./errors.js";

/** The default name of the container that runs the task inside a pod template. */
export const PRIMARY_CONTAINER_DEFAULT_NAME = "primary";

export interface PodTemplateSpec {
  /** A Kubernetes PodSpec as JSON (`{ containers: [...], volumes: [...] }`). */
  podSpec?: JsonObject;
  /** The container of `podSpec` that runs the task; created if missing. Default `primary`. */
  primaryContainerName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A custom pod for a task (flytekit's PodTemplate): Flyte runs the task in its primary container. */
export class PodTemplate {
  readonly podSpec: JsonObject;
  readonly primaryContainerName: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;

  constructor(spec: PodTemplateSpec = {}) {
    if (spec.primaryContainerName === "") throw new TaskDefinitionError({ subject: "PodTemplate", problem: "A primary container name cannot be undefined" });
    this.podSpec = spec.podSpec ?? { containers: [] };
    this.primaryContainerName = spec.primaryContainerName ?? PRIMARY_CONTAINER_DEFAULT_NAME;
    this.labels = { ...spec.labels };
    this.annotations = { ...spec.annotations };
  }
}
// An option value from another copy of the package is taken as one of ours.
brand(PodTemplate, "PodTemplate", { setName: false });
