import { brand } from "../errors/flyte-error.js";
import { TaskDefinitionError } from "./errors.js";

/** How Flyte should hand a secret to the task (flyteidl.core.Secret.MountType). */
export enum MountType {
  /** The platform decides: an environment variable or a file. */
  ANY = 0,
  /** An environment variable. */
  ENV_VAR = 1,
  /** A file. */
  FILE = 2,
}

export interface SecretSpec {
  /** The secret's name (in Kubernetes, the Secret's name). */
  group?: string;
  /** The entry within the group. */
  key?: string;
  groupVersion?: string;
  /** How Flyte hands it over: `MountType.ENV_VAR` (or its name, `"ENV_VAR"`). @default MountType.ANY */
  mountRequirement?: MountType | keyof typeof MountType;
  /** A custom environment variable to expose it under: `^[A-Z_][A-Z0-9_]*$`. */
  envVar?: string;
}

const ENV_VAR = /^[A-Z_][A-Z0-9_]*$/;

/** A secret a task requests (flytekit's Secret); read it at run time with `currentContext().secrets.get(group, key)`. */
export class Secret {
  readonly group?: string;
  readonly key?: string;
  readonly groupVersion?: string;
  readonly mountRequirement: MountType;
  readonly envVar?: string;

  constructor(spec: SecretSpec) {
    if (spec.envVar !== undefined && !ENV_VAR.test(spec.envVar)) {
      throw new TaskDefinitionError({ subject: "Secret, envVar", problem: `Invalid environment variable name: ${spec.envVar}`, fix: `it must match ${ENV_VAR.source}` });
    }
    const mount = mountTypeOf(spec.mountRequirement);
    if (mount === undefined) {
      throw new TaskDefinitionError({ subject: "Secret, mountRequirement", expected: "a MountType: MountType.ANY, ENV_VAR or FILE (or its name)", got: JSON.stringify(spec.mountRequirement) ?? String(spec.mountRequirement) });
    }
    if (spec.group === undefined && spec.key === undefined) throw new TaskDefinitionError({ subject: "Secret", problem: "it needs a group or a key" });
    this.group = spec.group;
    this.key = spec.key;
    this.groupVersion = spec.groupVersion;
    this.mountRequirement = mount;
    this.envVar = spec.envVar;
  }

  static readonly MountType = MountType;
}
// An option value from another copy of the package is taken as one of ours.
brand(Secret, "Secret", { setName: false });

/** The MountType a value names (its number or its name; none given is ANY), or undefined when it names none. */
function mountTypeOf(value: unknown): MountType | undefined {
  if (value === undefined) return MountType.ANY;
  if (typeof value === "number") return value === MountType.ANY || value === MountType.ENV_VAR || value === MountType.FILE ? value : undefined;
  if (value === "ANY" || value === "ENV_VAR" || value === "FILE") return MountType[value];
  return undefined;
}

/** Checks the `secretRequests` option: every element must be a Secret, as in flytekit. */
export function checkSecretRequests(task: string, value: unknown): Secret[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TaskDefinitionError({ task, subject: "option 'secretRequests'", expected: "a list of Secret", got: JSON.stringify(value) ?? String(value) });
  return value.map((s: unknown, i) => {
    if (!(s instanceof Secret)) {
      throw new TaskDefinitionError({
        task,
        subject: "option 'secretRequests'",
        path: `[${i}]`,
        problem: `Secret ${JSON.stringify(s) ?? String(s)} should be of type Secret, received ${s === null ? "null" : typeof s}`,
      });
    }
    return s;
  });
}
