// Where FlyteAdmin is, read as flytekit 1.16 reads it inside an eager task's pod
// (configuration/__init__.py PlatformConfig.auto, configuration/internal.py Platform, file.py
// get_config_file): each setting from its environment variable first, then from a config file.
//
//   setting               environment variable                  flytectl YAML          legacy INI
//   endpoint              FLYTE_PLATFORM_URL                    admin.endpoint         [platform] url
//   insecure (h2c)        FLYTE_PLATFORM_INSECURE               admin.insecure         [platform] insecure
//   skip TLS verification FLYTE_PLATFORM_INSECURE_SKIP_VERIFY   admin.insecureSkipVerify [platform] insecure_skip_verify
//   CA certificate file   FLYTE_PLATFORM_CA_CERT_FILE_PATH      admin.caCertFilePath   [platform] ca_cert_file_path
//
// The config file is the first of: $_FLYTECTL_CONFIG_PYFLYTE_OVERRIDE or $FLYTECTL_CONFIG (YAML),
// ./flytekit.config (INI), ~/.flyte/config (INI), ~/.flyte/config.yaml (YAML), as flytekit looks.
// One difference on purpose: with no endpoint anywhere, flytekit quietly uses the sandbox's
// (localhost:30080, insecure); an eager task here fails naming what is missing, because on a cluster
// that is a pod without its platform configuration, and a sandbox address would only hang.
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { envFlag } from "../../context/environment.js";
import { brand, FlyteError } from "../../errors/flyte-error.js";

/** A missing or unreadable FlyteAdmin configuration. */
export class AdminConfigError extends FlyteError {}
brand(AdminConfigError, "AdminConfigError");

/** How to reach FlyteAdmin. */
export interface AdminConfig {
  /** host:port (flytekit's endpoint, `dns:///` removed). */
  endpoint: string;
  /** Plaintext HTTP/2 (h2c) rather than TLS. */
  insecure: boolean;
  /** TLS without checking the server's certificate. */
  insecureSkipVerify: boolean;
  /** A PEM file of the certificate authority to trust, in place of the system's. */
  caCertFilePath?: string;
  /** Where each setting was read, for messages: "FLYTE_PLATFORM_URL", "<file> admin.endpoint". */
  source: string;
}

/** The variables and files, in flytekit's words, that an endpoint can come from. */
export const ENDPOINT_SOURCES =
  "FLYTE_PLATFORM_URL, or admin.endpoint in the YAML file FLYTECTL_CONFIG names (or ~/.flyte/config.yaml), or [platform] url in ./flytekit.config (or ~/.flyte/config)";

interface FileSettings {
  file: string;
  endpoint?: string;
  insecure?: boolean;
  insecureSkipVerify?: boolean;
  caCertFilePath?: string;
}

/** flytekit's getboolean for INI values and YAML's booleans. */
function fileBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (["1", "yes", "true", "on"].includes(v)) return true;
  if (["0", "no", "false", "off"].includes(v)) return false;
  return undefined;
}

function unquote(value: string): string {
  const v = value.replace(/\s+#.*$/, "").trim();
  return /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v;
}

/** The `admin:` block of a flytectl YAML config: its scalar keys (what a pod's config file holds). */
export function readYamlAdmin(text: string, file: string): FileSettings {
  const out: Record<string, string> = {};
  let inAdmin = false;
  let indent = -1;
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*(#.*)?$/.test(raw)) continue;
    const lead = raw.length - raw.trimStart().length;
    if (lead === 0) {
      inAdmin = /^admin\s*:\s*(#.*)?$/.test(raw);
      indent = -1;
      continue;
    }
    if (!inAdmin) continue;
    if (indent === -1) indent = lead;
    if (lead !== indent) continue;
    const m = /^\s*([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(raw);
    if (m !== null && m[2] !== "") out[m[1]!] = unquote(m[2]!);
  }
  return {
    file,
    endpoint: out.endpoint,
    insecure: fileBool(out.insecure),
    insecureSkipVerify: fileBool(out.insecureSkipVerify),
    caCertFilePath: out.caCertFilePath,
  };
}

/** The `[platform]` section of a legacy flytekit INI config. */
export function readIniPlatform(text: string, file: string): FileSettings {
  const out: Record<string, string> = {};
  let inPlatform = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section !== null) {
      inPlatform = section[1]!.trim() === "platform";
      continue;
    }
    if (!inPlatform) continue;
    const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (m !== null) out[m[1]!.toLowerCase()] = m[2]!.trim();
  }
  return {
    file,
    endpoint: out.url,
    insecure: fileBool(out.insecure),
    insecureSkipVerify: fileBool(out.insecure_skip_verify),
    caCertFilePath: out.ca_cert_file_path,
  };
}

/** The config file flytekit would read, read; none when there is none. */
export function configFileSettings(env: NodeJS.ProcessEnv, cwd: string = process.cwd(), home: string = env.HOME ?? homedir()): FileSettings | undefined {
  const named = env._FLYTECTL_CONFIG_PYFLYTE_OVERRIDE ?? env.FLYTECTL_CONFIG;
  const read = (file: string, kind: "yaml" | "ini") => {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new AdminConfigError({ subject: `FlyteAdmin config file ${file}`, problem: `cannot be read: ${(e as Error).message}` });
    }
    return kind === "yaml" ? readYamlAdmin(text, file) : readIniPlatform(text, file);
  };
  // flytekit warns and goes on when the named file does not exist.
  if (named !== undefined && named !== "" && existsSync(resolve(cwd, named))) return read(resolve(cwd, named), "yaml");
  for (const [file, kind] of [
    [join(cwd, "flytekit.config"), "ini"],
    [join(home, ".flyte", "config"), "ini"],
    [join(home, ".flyte", "config.yaml"), "yaml"],
  ] as const) {
    if (existsSync(file)) return read(file, kind);
  }
  return undefined;
}

/**
 * FlyteAdmin's configuration from the environment and the config file, as flytekit reads it; an
 * AdminConfigError naming what is missing when no endpoint is configured. `who` says who needs it
 * (`eager task 'wf.pipeline'`).
 */
export function adminConfigFromEnv(env: NodeJS.ProcessEnv, who: { task?: string } = {}, where: { cwd?: string; home?: string } = {}): AdminConfig {
  const file = configFileSettings(env, where.cwd, where.home);
  const fromEnv = (name: string) => (env[name] === undefined || env[name] === "" ? undefined : env[name]);
  const rawEndpoint = fromEnv("FLYTE_PLATFORM_URL") ?? file?.endpoint;
  if (rawEndpoint === undefined || rawEndpoint.trim() === "") {
    throw new AdminConfigError({
      task: who.task,
      subject: "FlyteAdmin",
      problem: `no endpoint is configured: FLYTE_PLATFORM_URL is not set${file === undefined ? " and there is no config file" : `, and ${file.file} names none`}; an eager task launches its inner tasks through FlyteAdmin`,
      fix: `set ${ENDPOINT_SOURCES} (FLYTE_PLATFORM_INSECURE=true for a plaintext endpoint)`,
    });
  }
  const endpoint = rawEndpoint.trim().replace(/^dns:\/\/\//, "");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint)) {
    throw new AdminConfigError({
      task: who.task,
      subject: fromEnv("FLYTE_PLATFORM_URL") !== undefined ? "FLYTE_PLATFORM_URL" : `${file?.file} endpoint`,
      expected: "host:port (or dns:///host:port)",
      got: JSON.stringify(rawEndpoint),
      fix: "give the endpoint without a scheme, and FLYTE_PLATFORM_INSECURE=true for plaintext",
    });
  }
  const boolean = (name: string, fileValue: boolean | undefined) => {
    const value = fromEnv(name);
    return value !== undefined ? envFlag(value) : (fileValue ?? false);
  };
  return {
    endpoint,
    insecure: boolean("FLYTE_PLATFORM_INSECURE", file?.insecure),
    insecureSkipVerify: boolean("FLYTE_PLATFORM_INSECURE_SKIP_VERIFY", file?.insecureSkipVerify),
    caCertFilePath: fromEnv("FLYTE_PLATFORM_CA_CERT_FILE_PATH") ?? file?.caCertFilePath,
    source: fromEnv("FLYTE_PLATFORM_URL") !== undefined ? "FLYTE_PLATFORM_URL" : `${file!.file}`,
  };
}

/** The URL a gRPC transport is given: http:// for h2c, https:// for TLS; port 443 when none is named, as gRPC's default. */
export function adminBaseUrl(config: AdminConfig): string {
  const hasPort = /:\d+$/.test(config.endpoint);
  return `${config.insecure ? "http" : "https"}://${config.endpoint}${hasPort ? "" : ":443"}`;
}
