import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { brand, FlyteError } from "../errors/flyte-error.js";

/** Where secrets are looked for; Flyte's defaults, overridable through the environment as in flytekit. */
export interface SecretsConfig {
  /** Prefix of the environment variables Flyte injects: `_FSEC_`. */
  envPrefix: string;
  /** Directory of mounted secret files: `/etc/secrets`. */
  defaultDir: string;
  /** Prefix of secret file names: "". */
  filePrefix: string;
}

export function secretsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SecretsConfig {
  return {
    envPrefix: (env.FLYTE_SECRETS_ENV_PREFIX ?? "_FSEC_").trim(),
    defaultDir: (env.FLYTE_SECRETS_DEFAULT_DIR ?? join("/", "etc", "secrets")).trim(),
    filePrefix: (env.FLYTE_SECRETS_FILE_PREFIX ?? "").trim(),
  };
}

/** A secret the task asked for was not found. The message never holds a secret's value. */
export class SecretNotFoundError extends FlyteError {}
brand(SecretNotFoundError, "SecretNotFoundError");

/**
 * Reads secrets the way flytekit does: the environment variable `{PREFIX}{GROUP}_{VERSION}_{KEY}`
 * (upper-cased; locally also without the prefix), then the file `{dir}/{group}/{version}/{key}`
 * (lower-cased). Values read are remembered so that logs and errors can mask them.
 */
export class Secrets {
  private readonly seen = new Set<string>();

  constructor(
    private readonly config: SecretsConfig,
    private readonly local: boolean,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** The environment variable Flyte injects for a secret. */
  envVarName(group?: string, key?: string, groupVersion?: string, prefix = this.config.envPrefix): string {
    return prefix + [group, groupVersion, key].filter((p): p is string => p !== undefined && p !== "").map((p) => p.toUpperCase()).join("_");
  }

  /** The file Flyte mounts for a secret. */
  filePath(group?: string, key?: string, groupVersion?: string): string {
    const parts = [group, groupVersion, key].filter((p): p is string => p !== undefined && p !== "").map((p) => p.toLowerCase());
    parts[parts.length - 1] = `${this.config.filePrefix}${parts[parts.length - 1] ?? ""}`;
    return join(this.config.defaultDir, ...parts);
  }

  /** The secret's value, trimmed; throws SecretNotFoundError naming where it looked. */
  get(group?: string, key?: string, groupVersion?: string): string {
    const prefixes = this.local ? [this.config.envPrefix, ""] : [this.config.envPrefix];
    let envVar = "";
    for (const prefix of prefixes) {
      envVar = this.envVarName(group, key, groupVersion, prefix);
      const v = this.env[envVar];
      if (v !== undefined) return this.remember(v.trim());
    }
    const path = this.filePath(group, key, groupVersion);
    if (existsSync(path)) return this.remember(readFileSync(path, "utf8").trim());
    throw new SecretNotFoundError({
      subject: `secret ${[group, groupVersion, key].filter((p) => p !== undefined && p !== "").join("/")}`,
      problem: `Unable to find secret for key ${String(key)} in group ${String(group)} in Env Var: ${envVar} and FilePath: ${path}`,
      fix: `make sure to add secretRequests: [new Secret({ group: ${JSON.stringify(group)}, key: ${JSON.stringify(key)} })] to the task`,
    });
  }

  private remember(value: string): string {
    if (value !== "") this.seen.add(value);
    return value;
  }

  /** The values read so far, to mask in logs and errors. */
  get values(): readonly string[] {
    return [...this.seen];
  }

  /** Replaces every secret read so far with `****`. */
  mask(text: string): string {
    return this.seen.size === 0 ? text : maskText(text, this.values);
  }

  toJSON(): string {
    return "[Secrets]";
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "[Secrets]";
  }
}

/** What masks a secret's value wherever it appears. */
export const MASK = "****";

/** Text with every secret in it replaced by `****`, longer secrets first (one inside another is masked whole). */
export function maskText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].filter((s) => s !== "").sort((a, b) => b.length - a.length)) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  return out;
}

/** How deep into an error's properties and causes secrets are looked for (and masked). */
const MASK_DEPTH = 16;

/** Whether a secret appears in a value: a string, or (deeply) an object's own properties, an error's message, stack and cause. */
function holdsSecret(value: unknown, secrets: readonly string[], seen: Set<object>, depth: number): boolean {
  if (typeof value === "string") return secrets.some((s) => value.includes(s));
  if (typeof value !== "object" || value === null || depth > MASK_DEPTH || seen.has(value) || ArrayBuffer.isView(value)) return false;
  seen.add(value);
  if (value instanceof Map) return [...value].some(([k, v]) => holdsSecret(k, secrets, seen, depth + 1) || holdsSecret(v, secrets, seen, depth + 1));
  if (value instanceof Set) return [...value].some((v) => holdsSecret(v, secrets, seen, depth + 1));
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor !== undefined && "value" in descriptor && holdsSecret(descriptor.value, secrets, seen, depth + 1)) return true;
  }
  return false;
}

/** A copy of a value with every secret masked; what holds none is kept as it is (the same object). */
function maskedCopy(value: unknown, secrets: readonly string[], copies: Map<object, unknown>, depth: number): unknown {
  if (typeof value === "string") return maskText(value, secrets);
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value)) return value;
  if (copies.has(value)) return copies.get(value);
  if (depth > MASK_DEPTH || !holdsSecret(value, secrets, new Set(), 0)) return value;
  if (value instanceof Map) {
    const copy = new Map();
    copies.set(value, copy);
    for (const [k, v] of value) copy.set(maskedCopy(k, secrets, copies, depth + 1), maskedCopy(v, secrets, copies, depth + 1));
    return copy;
  }
  if (value instanceof Set) {
    const copy = new Set();
    copies.set(value, copy);
    for (const v of value) copy.add(maskedCopy(v, secrets, copies, depth + 1));
    return copy;
  }
  // The same class and the same properties (non-enumerable ones too: an error's message, stack,
  // cause and a FlyteError's fields), each masked.
  const copy: object = Array.isArray(value) ? [] : (Object.create(Object.getPrototypeOf(value) as object | null) as object);
  copies.set(value, copy);
  for (const key of Reflect.ownKeys(value)) {
    let descriptor = Object.getOwnPropertyDescriptor(value, key)!;
    // Where an error's stack is an accessor (newer engines), its text is what is copied.
    if (key === "stack" && !("value" in descriptor)) descriptor = { value: (value as { stack?: unknown }).stack, writable: true, enumerable: false, configurable: true };
    if ("value" in descriptor) descriptor.value = maskedCopy(descriptor.value, secrets, copies, depth + 1);
    Object.defineProperty(copy, key, descriptor);
  }
  return copy;
}

/**
 * A value as it may be shown, thrown or written, given the secrets read: when one appears anywhere
 * in it (an error's message and stack, its own properties however deep, its cause chain, an
 * AggregateError's errors), a copy of the same class with every one masked as `****`; otherwise
 * the value itself.
 */
export function maskSecrets<T>(value: T, secrets: readonly string[]): T {
  const real = secrets.filter((s) => s !== "");
  if (real.length === 0) return value;
  return maskedCopy(value, real, new Map(), 0) as T;
}
