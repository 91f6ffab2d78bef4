import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
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

/** A secret a task asks for (its `secretRequests`), as far as finding it goes. */
export interface SecretRequest {
  readonly group?: string;
  readonly key?: string;
  readonly groupVersion?: string;
  /** The environment variable Flyte is asked to put it in, instead of its own name. */
  readonly envVar?: string;
}

/** Who reads secrets: the task (for messages) and what it asks for. */
export interface SecretsReader {
  readonly task?: string;
  readonly requested?: readonly SecretRequest[];
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
    private readonly reader: SecretsReader = {},
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

  /** The secret's value, trimmed; throws SecretNotFoundError naming where it looked and what to do. */
  get(group?: string, key?: string, groupVersion?: string): string {
    const prefixes = this.local ? [this.config.envPrefix, ""] : [this.config.envPrefix];
    const envVars: string[] = [];
    for (const prefix of prefixes) {
      const envVar = this.envVarName(group, key, groupVersion, prefix);
      envVars.push(envVar);
      const v = this.env[envVar];
      if (v !== undefined) return this.remember(v.trim());
    }
    const path = this.filePath(group, key, groupVersion);
    if (existsSync(path)) return this.remember(readFileSync(path, "utf8").trim());
    throw new SecretNotFoundError({
      task: this.reader.task,
      subject: `secret ${[group, groupVersion, key].filter((p) => p !== undefined && p !== "").join("/")}`,
      problem: `Unable to find secret for key ${String(key)} in group ${String(group)} in Env Var: ${envVars.join(" or ")} and FilePath: ${path}`,
      fix: this.whatToDo(group, key, groupVersion, envVars, path),
    });
  }

  /** What to do about a secret not found: request it, or (requested) put it where it is looked for. */
  private whatToDo(group: string | undefined, key: string | undefined, groupVersion: string | undefined, envVars: readonly string[], path: string): string {
    const same = (a: string | undefined, b: string | undefined) => (a ?? "").toLowerCase() === (b ?? "").toLowerCase();
    const request = this.reader.requested?.find((r) => same(r.group, group) && same(r.key, key) && same(r.groupVersion, groupVersion));
    // Locally the variable without the prefix is the one to set; in a container Flyte sets the prefixed one.
    const provide = `set the environment variable ${this.local ? envVars[envVars.length - 1] : envVars[0]} or write the file ${path}`;
    if (request === undefined) {
      const spec = [group === undefined ? "" : `group: ${JSON.stringify(group)}`, key === undefined ? "" : `key: ${JSON.stringify(key)}`, groupVersion ? `groupVersion: ${JSON.stringify(groupVersion)}` : ""]
        .filter((s) => s !== "")
        .join(", ");
      return `add secretRequests: [new Secret({ ${spec} })] to the task (on Flyte a task is given only the secrets it requests)${this.local ? `; to run it locally, ${provide}` : ""}`;
    }
    if (request.envVar !== undefined && request.envVar !== "") {
      return `the task requests it with envVar ${JSON.stringify(request.envVar)}, so Flyte puts it in that variable: read process.env.${request.envVar}${this.local ? `; to run it locally, ${provide}` : ""}`;
    }
    if (this.local) return `the task requests it, and on Flyte it is mounted there; to run it locally, ${provide}`;
    return (
      `the task requests it, but it was not mounted: check that the cluster holds the secret (group ${String(group)}, key ${String(key)}) ` +
      "and that FLYTE_SECRETS_ENV_PREFIX and FLYTE_SECRETS_DEFAULT_DIR, if set, match where Flyte mounts secrets"
    );
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
  for (const secret of masked(secrets)) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  return out;
}

/** The shortest line of a multi-line secret masked on its own. */
const MIN_SECRET_LINE = 4;

/**
 * What is masked for these secrets, longest first: each secret whole, and each line of a
 * multi-line one (a PEM key), trimmed, so that output cut into lines (a command's stderr, a log)
 * shows none of it; lines shorter than MIN_SECRET_LINE would mask ordinary text and are left.
 */
function masked(secrets: readonly string[]): string[] {
  const all = new Set<string>();
  for (const secret of secrets) {
    if (secret === "") continue;
    all.add(secret);
    if (!/[\r\n]/.test(secret)) continue;
    for (const line of secret.split(/\r?\n|\r/)) {
      const trimmed = line.trim();
      if (trimmed.length >= MIN_SECRET_LINE) all.add(trimmed);
    }
  }
  return [...all].sort((a, b) => b.length - a.length);
}

/** How deep into an error's properties and causes secrets are looked for one property at a time; below that, by the text of what is there. */
const MASK_DEPTH = 16;

/** How a value is looked into for secrets. */
type Shape = "text" | "other" | "bytes" | "map" | "set" | "open" | "opaque-error" | "opaque";

function shapeOf(value: unknown): Shape {
  if (typeof value === "string") return "text";
  if (typeof value !== "object" || value === null) return "other";
  if (ArrayBuffer.isView(value)) return "bytes";
  if (value instanceof Map) return "map";
  if (value instanceof Set) return "set";
  if (Array.isArray(value)) return "open";
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === null || proto === Object.prototype) return "open";
  if (value instanceof Error) {
    // An error whose message is its own property is copied property by property; one whose state
    // lives elsewhere (a DOMException) is not.
    const message = Object.getOwnPropertyDescriptor(value, "message");
    return message !== undefined && "value" in message ? "open" : "opaque-error";
  }
  // A class instance, a URL, Headers: its state may live in private fields or internal slots,
  // where a copy cannot reach; it is looked at as its printed text.
  return "opaque";
}

/** The printed text of a value whose state a copy cannot reach. */
function textOf(value: object, shape: Shape): string {
  if (shape === "bytes") {
    const view = value as ArrayBufferView;
    return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString("utf8");
  }
  if (shape === "opaque-error") {
    const e = value as Error;
    return `${String(e.name)}: ${String(e.message)}\n${String(e.stack ?? "")}`;
  }
  try {
    return inspect(value, { depth: Infinity, breakLength: Infinity, maxStringLength: null, maxArrayLength: null });
  } catch {
    return "";
  }
}

/** Whether a secret appears in a value: a string, or (deeply) an object's own properties, an error's message, stack and cause. */
function holdsSecret(value: unknown, secrets: readonly string[], seen: Set<object>, depth: number): boolean {
  const shape = shapeOf(value);
  if (shape === "text") return secrets.some((s) => (value as string).includes(s));
  if (shape === "other" || seen.has(value as object)) return false;
  const object = value as object;
  seen.add(object);
  if (shape === "bytes" || shape === "opaque" || shape === "opaque-error" || depth > MASK_DEPTH) {
    const text = textOf(object, shape === "bytes" || shape === "opaque-error" ? shape : "opaque");
    return secrets.some((s) => text.includes(s));
  }
  if (shape === "map") return [...(object as Map<unknown, unknown>)].some(([k, v]) => holdsSecret(k, secrets, seen, depth + 1) || holdsSecret(v, secrets, seen, depth + 1));
  if (shape === "set") return [...(object as Set<unknown>)].some((v) => holdsSecret(v, secrets, seen, depth + 1));
  for (const key of Reflect.ownKeys(object)) {
    const descriptor = Object.getOwnPropertyDescriptor(object, key);
    if (descriptor !== undefined && "value" in descriptor && holdsSecret(descriptor.value, secrets, seen, depth + 1)) return true;
  }
  return false;
}

/** A copy of a value with every secret masked; what holds none is kept as it is (the same object). */
function maskedCopy(value: unknown, secrets: readonly string[], copies: Map<object, unknown>, depth: number): unknown {
  const shape = shapeOf(value);
  if (shape === "text") return maskText(value as string, secrets);
  if (shape === "other") return value;
  const object = value as object;
  if (copies.has(object)) return copies.get(object);
  if (!holdsSecret(object, secrets, new Set(), depth)) return value;
  if (shape === "opaque-error") {
    // Rebuilt from its text: the same name, message and stack, masked.
    const e = object as Error;
    const copy = new Error(maskText(String(e.message), secrets));
    Object.defineProperty(copy, "name", { value: String(e.name), writable: true, configurable: true });
    Object.defineProperty(copy, "stack", { value: maskText(String(e.stack ?? ""), secrets), writable: true, configurable: true });
    copies.set(object, copy);
    return copy;
  }
  // What a copy cannot reach, or lies deeper than it looks, is shown as its masked text.
  if (shape === "bytes" || shape === "opaque" || depth > MASK_DEPTH) {
    const text = maskText(textOf(object, shape === "bytes" ? "bytes" : "opaque"), secrets);
    copies.set(object, text);
    return text;
  }
  if (shape === "map") {
    const copy = new Map();
    copies.set(object, copy);
    for (const [k, v] of object as Map<unknown, unknown>) copy.set(maskedCopy(k, secrets, copies, depth + 1), maskedCopy(v, secrets, copies, depth + 1));
    return copy;
  }
  if (shape === "set") {
    const copy = new Set();
    copies.set(object, copy);
    for (const v of object as Set<unknown>) copy.add(maskedCopy(v, secrets, copies, depth + 1));
    return copy;
  }
  // The same class and the same properties (non-enumerable ones too: an error's message, stack,
  // cause and a FlyteError's fields), each masked.
  const copy: object = Array.isArray(object) ? [] : (Object.create(Object.getPrototypeOf(object) as object | null) as object);
  copies.set(object, copy);
  for (const key of Reflect.ownKeys(object)) {
    let descriptor = Object.getOwnPropertyDescriptor(object, key)!;
    // Where an error's stack is an accessor (newer engines), its text is what is copied.
    if (key === "stack" && !("value" in descriptor)) descriptor = { value: (object as { stack?: unknown }).stack, writable: true, enumerable: false, configurable: true };
    if ("value" in descriptor) descriptor.value = maskedCopy(descriptor.value, secrets, copies, depth + 1);
    Object.defineProperty(copy, key, descriptor);
  }
  return copy;
}

/**
 * A value as it may be shown, thrown or written, given the secrets read: when one appears anywhere
 * in it (an error's message and stack, its own properties, its cause chain, an AggregateError's
 * errors), a copy of the same class with every one masked as `****`; otherwise the value itself.
 * Plain objects, arrays, maps, sets and errors are copied property by property (16 levels deep);
 * what a copy cannot reach (a URL, Headers, a class instance, bytes, anything deeper) is replaced by
 * its printed text, masked. A copied error of a class with private fields loses them.
 */
export function maskSecrets<T>(value: T, secrets: readonly string[]): T {
  // The lines of a multi-line secret too: a value holding one line of it has a secret to mask.
  const real = masked(secrets);
  if (real.length === 0) return value;
  return maskedCopy(value, real, new Map(), 0) as T;
}
