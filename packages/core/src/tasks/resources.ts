import { brand } from "../errors/flyte-error.js";
import { TaskDefinitionError } from "./errors.js";

/** A quantity as Kubernetes reads it: `"500Mi"`, `"1"`, or a number. */
export type ResourceValue = string | number;
/** A request and a limit at once: `[request, limit]`, for the `resources` option. */
export type ResourcePair = readonly [ResourceValue, ResourceValue];

export interface ResourceSpec {
  cpu?: ResourceValue | ResourcePair;
  mem?: ResourceValue | ResourcePair;
  gpu?: ResourceValue | ResourcePair;
  ephemeralStorage?: ResourceValue | ResourcePair;
}

const NAMES = ["cpu", "mem", "gpu", "ephemeralStorage"] as const;
type ResourceName = (typeof NAMES)[number];

function checkValue(name: ResourceName, value: unknown): ResourceValue {
  if (typeof value === "string") return value;
  if (typeof value === "number") {
    // flytekit: cpu may be a float; memory, gpu and storage are strings or whole numbers.
    if (name === "cpu" ? Number.isFinite(value) : Number.isInteger(value)) return value;
  }
  const allowed = name === "cpu" ? "a string or a number" : "a string or a whole number";
  throw new TaskDefinitionError({ subject: `Resources, ${name}`, expected: allowed, got: JSON.stringify(value) ?? String(value) });
}

/**
 * Compute resources for a task (flytekit's Resources): `Resources({ cpu: "1", mem: "2Gi" })`.
 * In the `resources` option a value may be a `[request, limit]` pair; a single value is a request.
 */
export class Resources {
  readonly cpu?: ResourceValue | ResourcePair;
  readonly mem?: ResourceValue | ResourcePair;
  readonly gpu?: ResourceValue | ResourcePair;
  readonly ephemeralStorage?: ResourceValue | ResourcePair;

  constructor(spec: ResourceSpec = {}) {
    for (const key of Object.keys(spec)) {
      if (!(NAMES as readonly string[]).includes(key)) {
        throw new TaskDefinitionError({ subject: "Resources", problem: `unknown resource "${key}"`, fix: `the resources are ${NAMES.join(", ")}` });
      }
    }
    for (const name of NAMES) {
      const value = spec[name];
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) {
        if (value.length !== 2) throw new TaskDefinitionError({ subject: `Resources, ${name}`, expected: "a [request, limit] pair", got: JSON.stringify(value), problem: "it must be of length 2" });
        checkValue(name, value[0]);
        checkValue(name, value[1]);
      } else {
        checkValue(name, value);
      }
      (this as { [K in ResourceName]?: ResourceValue | ResourcePair })[name] = value;
    }
  }

  /** Whether no resource is set. */
  get isEmpty(): boolean {
    return NAMES.every((n) => this[n] === undefined);
  }

  /** The entries that are set, each as its value. */
  entries(): [ResourceName, ResourceValue | ResourcePair][] {
    return NAMES.filter((n) => this[n] !== undefined).map((n) => [n, this[n]!]);
  }
}
// An option value from another copy of the package is taken as one of ours.
brand(Resources, "Resources", { setName: false });

/** Requests and limits after the `resources`, `requests` and `limits` options are reconciled. */
export interface ResolvedResources {
  requests: Resources;
  limits: Resources;
}

/**
 * flytekit's rules: `resources` cannot be combined with `requests` or `limits`; in `resources` a
 * pair is (request, limit) and a single value is a request only; `requests` and `limits` take
 * single values.
 */
export function resolveResources(
  task: string,
  options: { requests?: unknown; limits?: unknown; resources?: unknown },
): ResolvedResources {
  const { requests, limits, resources } = options;
  for (const [name, value] of [["requests", requests], ["limits", limits], ["resources", resources]] as const) {
    if (value !== undefined && !(value instanceof Resources)) {
      throw new TaskDefinitionError({ task, subject: `option '${name}'`, expected: "a Resources", got: JSON.stringify(value) ?? String(value) });
    }
  }
  if (resources !== undefined) {
    if (requests !== undefined || limits !== undefined) {
      throw new TaskDefinitionError({
        task,
        subject: "option 'resources'",
        problem: "`resources` can not be used together with the `limits` or `requests`",
        fix: "only set `resources`",
      });
    }
    const req: ResourceSpec = {};
    const lim: ResourceSpec = {};
    for (const [name, value] of (resources as Resources).entries()) {
      if (Array.isArray(value)) {
        req[name] = value[0];
        lim[name] = value[1];
      } else {
        req[name] = value as ResourceValue;
      }
    }
    return { requests: new Resources(req), limits: new Resources(lim) };
  }
  for (const [name, value] of [["requests", requests], ["limits", limits]] as const) {
    for (const [resource, v] of (value as Resources | undefined)?.entries() ?? []) {
      if (Array.isArray(v)) {
        throw new TaskDefinitionError({
          task,
          subject: `option '${name}'`,
          path: `.${resource}`,
          problem: `${JSON.stringify(v)} can not be a list or tuple`,
          fix: "use the resources option for [request, limit] pairs",
        });
      }
    }
  }
  return { requests: (requests as Resources | undefined) ?? new Resources(), limits: (limits as Resources | undefined) ?? new Resources() };
}
