import { Resources } from "../tasks/resources.js";
import { ImageConfig } from "./image.js";

/** Fast registration: the code travels as a tarball the container unpacks before running. */
export interface FastSerialization {
  enabled: boolean;
  /** Where the tarball is; default Flyte's `{{ .remote_package_path }}`. */
  distribution?: string;
  /** Where it is unpacked; default Flyte's `{{ .dest_dir }}`. */
  destinationDir?: string;
}

export interface SerializationSettingsSpec {
  project: string;
  domain: string;
  version: string;
  imageConfig?: ImageConfig;
  /** Environment variables for every task's container (a task's own win). */
  env?: Readonly<Record<string, string>>;
  /** Resources for tasks that set none. */
  defaultResources?: { requests?: Resources; limits?: Resources };
  fastSerialization?: FastSerialization;
}

/** What serialization needs beyond the task: where it is registered and with which images. */
export class SerializationSettings {
  readonly project: string;
  readonly domain: string;
  readonly version: string;
  readonly imageConfig: ImageConfig;
  readonly env: Readonly<Record<string, string>> | undefined;
  readonly defaultResources: { requests: Resources; limits: Resources } | undefined;
  readonly fastSerialization: FastSerialization | undefined;

  constructor(spec: SerializationSettingsSpec) {
    this.project = spec.project;
    this.domain = spec.domain;
    this.version = spec.version;
    this.imageConfig = spec.imageConfig ?? new ImageConfig();
    this.env = spec.env;
    this.defaultResources =
      spec.defaultResources === undefined
        ? undefined
        : { requests: spec.defaultResources.requests ?? new Resources(), limits: spec.defaultResources.limits ?? new Resources() };
    this.fastSerialization = spec.fastSerialization;
  }

  get shouldFastSerialize(): boolean {
    return this.fastSerialization?.enabled === true;
  }

  /** The placeholder settings flytekit uses for templates built outside a registration. */
  static placeholder(): SerializationSettings {
    return new SerializationSettings({
      project: "PLACEHOLDER_PROJECT",
      domain: "LOCAL",
      version: "PLACEHOLDER_VERSION",
      imageConfig: ImageConfig.auto("flyteorg.io/placeholder:image"),
    });
  }
}
