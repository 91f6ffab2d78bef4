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
    let out = text;
    for (const v of this.seen) out = out.split(v).join("****");
    return out;
  }

  toJSON(): string {
    return "[Secrets]";
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "[Secrets]";
  }
}
