// What a raw container task (task type `raw-container`) runs with, as Flyte's CoPilot sees it: an
// image and a command, the inputs laid out as files in one folder before the command starts, the
// outputs read back by name from another after it ends. The CoPilot contract itself (how each
// literal becomes files, how each output file becomes a literal) is inputs.ts and outputs.ts;
// `{{.inputs.x}}` in the command is render.ts; running it locally (Docker, Podman, or a process
// with the folders mapped) is run.ts.
import type { Interface } from "../interface/interface.js";

/** The metadata file CoPilot writes beside the input files: `inputs.json`, `inputs.yaml`, or only `inputs.pb` (always written). */
export type MetadataFormat = "JSON" | "YAML" | "PROTO";

/** How a local run starts the container: the first engine that answers (Docker, then Podman), one of them, or the command as a local process. */
export type ContainerRuntime = "auto" | "docker" | "podman" | "process";

/** Where CoPilot puts the folders when the task names none (propeller's defaults). */
export const DEFAULT_INPUT_DATA_DIR = "/var/flyte/inputs";
export const DEFAULT_OUTPUT_DATA_DIR = "/var/flyte/outputs";

/** How a local run of a raw container task runs it. */
export interface LocalContainerOptions {
  /**
   * `"auto"`: Docker if its engine answers, else Podman, else an error saying what is missing.
   * `"process"` runs the command on this machine (the image is not used), the data folders mapped
   * to temporary ones in every command element and task variable that names them (before
   * `{{.inputs.x}}` is rendered: input values are not mapped); it is never chosen unless asked for.
   * The environment variable FLYTEKIT_TS_CONTAINER_RUNTIME, when set, takes precedence.
   * @default "auto"
   */
  runtime?: ContainerRuntime;
  /** The working directory of a local process (`"process"` only). @default the current directory */
  workingDir?: string;
  /** Whether the container's output is printed as it comes (flytekit's `local_logs`). @default false */
  logs?: boolean;
}

/** A secret the task requests, as its security context says it (flyteidl's Secret; MountType ANY 0, ENV_VAR 1, FILE 2). */
export interface SecretMount {
  readonly group?: string;
  readonly key?: string;
  readonly groupVersion?: string;
  readonly mountRequirement: number;
  readonly envVar?: string;
}

/** Where Flyte's secret webhook mounts secret files in a task's pod (`/etc/flyte/secrets/<group>/<key>`). */
export const SECRETS_MOUNT_DIR = "/etc/flyte/secrets";

/** Everything a local run needs to know of the task. */
export interface RawContainerRun {
  /** The task's name, for errors. */
  readonly task: string;
  readonly image: string;
  /** The command and its arguments as declared, `{{.inputs.x}}` not yet rendered. */
  readonly command: readonly string[];
  readonly args: readonly string[];
  /** Where the container sees its inputs and leaves its outputs (the defaults when the task names none). */
  readonly inputDataDir: string;
  readonly outputDataDir: string;
  readonly metadataFormat: MetadataFormat;
  readonly interface: Interface;
  /** The task's environment variables. */
  readonly env: Readonly<Record<string, string>>;
  /** The secrets the task requests: a local run gives them to the container as Flyte's secret webhook does. */
  readonly secrets: readonly SecretMount[];
  readonly local: LocalContainerOptions;
}
