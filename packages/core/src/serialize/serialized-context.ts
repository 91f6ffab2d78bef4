// The serialization settings an eager task carries in its container's environment (`_F_SS_C`), so
// that in its container it can register the tasks it calls with the same project, domain, version
// and images. The value is what flytekit writes (configuration/__init__.py,
// SerializationSettings.serialized_context): base64 of gzip (mtime 0) of the JSON text of
// `SerializationSettings.to_json()`, whose fields and order are flytekit's dataclass's.
import { gunzipSync, gzipSync } from "node:zlib";
import { FlyteError } from "../errors/flyte-error.js";
import { Resources, type ResourceSpec } from "../tasks/resources.js";
import { Image, ImageConfig } from "./image.js";
import { SerializationSettings, type FastSerialization } from "./settings.js";

/** The environment variable that carries the settings (flytekit's SERIALIZED_CONTEXT_ENV_VAR). */
export const SERIALIZED_CONTEXT_ENV_VAR = "_F_SS_C";

/** flytekit's defaults for the Python interpreter fields, written as they are (a TypeScript task has no use for them). */
const PYTHON_INTERPRETER = "/opt/venv/bin/python3";
const VIRTUALENV_ROOT = "/opt/venv";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** JSON text as Python's `json.dumps` writes it by default: `", "` and `": "`, non-ASCII escaped. */
export function pythonJson(value: Json): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return JSON.stringify(value);
  if (typeof value === "string") return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`)
    .join(", ")}}`;
}

function imageJson(image: Image | undefined): Json {
  if (image === undefined) return null;
  return { name: image.name, fqn: image.fqn, tag: image.tag ?? null, digest: image.digest ?? null };
}

function resourcesJson(r: Resources): Json {
  const one = (v: Resources["cpu"]): Json => (v === undefined ? null : Array.isArray(v) ? [...v] : (v as string | number));
  return { cpu: one(r.cpu), mem: one(r.mem), gpu: one(r.gpu), ephemeral_storage: one(r.ephemeralStorage) };
}

function fastJson(fast: FastSerialization | undefined): Json {
  if (fast === undefined) return null;
  return { enabled: fast.enabled, destination_dir: fast.destinationDir ?? null, distribution_location: fast.distribution ?? null };
}

/** The JSON text flytekit's `SerializationSettings.to_json()` writes for these settings. */
export function serializationSettingsJson(settings: SerializationSettings): string {
  const images = settings.imageConfig;
  const env = settings.env === undefined ? null : { ...settings.env };
  const resources = settings.defaultResources;
  return pythonJson({
    image_config: { default_image: imageJson(images.defaultImage), images: images.images.map(imageJson) },
    project: settings.project,
    domain: settings.domain,
    version: settings.version,
    env,
    default_resources: resources === undefined ? null : { requests: resourcesJson(resources.requests), limits: resourcesJson(resources.limits) },
    git_repo: null,
    python_interpreter: PYTHON_INTERPRETER,
    flytekit_virtualenv_root: VIRTUALENV_ROOT,
    fast_serialization_settings: fastJson(settings.fastSerialization),
    source_root: null,
  });
}

/**
 * The value of `_F_SS_C` for these settings: base64 of the gzip of their JSON text, the header as
 * Python's `gzip.GzipFile(mtime=0)` writes it (level 9, OS 255). The deflate stream is Node's
 * zlib's, which may differ from Python's in bytes, never in what it decompresses to.
 */
export function serializedContext(settings: SerializationSettings): string {
  const env = settings.env?.[SERIALIZED_CONTEXT_ENV_VAR];
  // As flytekit: settings that carry one already keep it.
  if (env !== undefined) return env;
  const gz = gzipSync(Buffer.from(serializationSettingsJson(settings), "utf8"), { level: 9 });
  gz[9] = 255;
  return gz.toString("base64");
}

/** The settings with `_F_SS_C` added to their environment (flytekit's `with_serialized_context`); the same settings when they have it. */
export function withSerializedContext(settings: SerializationSettings): SerializationSettings {
  if (settings.env?.[SERIALIZED_CONTEXT_ENV_VAR] !== undefined) return settings;
  return new SerializationSettings({
    project: settings.project,
    domain: settings.domain,
    version: settings.version,
    imageConfig: settings.imageConfig,
    env: { ...settings.env, [SERIALIZED_CONTEXT_ENV_VAR]: serializedContext(settings) },
    defaultResources: settings.defaultResources,
    fastSerialization: settings.fastSerialization,
  });
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function imageFrom(v: unknown): Image | undefined {
  if (!isObj(v)) return undefined;
  const opt = (x: unknown) => (typeof x === "string" ? x : undefined);
  return new Image(String(v.name ?? ""), String(v.fqn ?? ""), opt(v.tag), opt(v.digest));
}

function resourcesFrom(v: unknown): Resources {
  if (!isObj(v)) return new Resources();
  const spec: ResourceSpec = {};
  for (const [from, to] of [["cpu", "cpu"], ["mem", "mem"], ["gpu", "gpu"], ["ephemeral_storage", "ephemeralStorage"]] as const) {
    const x = v[from];
    if (x !== null && x !== undefined) (spec as Obj)[to] = x;
  }
  return new Resources(spec);
}

/**
 * The serialization settings an eager task was registered with, read back from its container's
 * environment (`_F_SS_C`, flytekit's `SerializationSettings.from_transport`): what registering the
 * tasks it calls needs (project, domain, version, images, environment, default resources).
 * Undefined when the variable is not set; a value that does not read is a FlyteError naming it.
 */
export function serializationSettingsFromContext(env: Readonly<Record<string, string | undefined>>): SerializationSettings | undefined {
  const value = env[SERIALIZED_CONTEXT_ENV_VAR];
  if (value === undefined || value === "") return undefined;
  let json: Obj;
  try {
    const parsed: unknown = JSON.parse(gunzipSync(Buffer.from(value, "base64")).toString("utf8"));
    if (!isObj(parsed)) throw new Error("it is not a JSON object");
    json = parsed;
  } catch (e) {
    throw new FlyteError({
      subject: `environment variable ${SERIALIZED_CONTEXT_ENV_VAR}`,
      problem: `cannot read the serialization settings in it (base64 of gzipped JSON): ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  const images = isObj(json.image_config) ? json.image_config : {};
  const defaultImage = imageFrom(images.default_image);
  const all = Array.isArray(images.images) ? images.images.map(imageFrom).filter((i): i is Image => i !== undefined) : [];
  const others = defaultImage === undefined ? all : all.filter((i) => i.name !== defaultImage.name);
  const fast = isObj(json.fast_serialization_settings) ? json.fast_serialization_settings : undefined;
  const resources = isObj(json.default_resources) ? json.default_resources : undefined;
  const envJson = isObj(json.env) ? (Object.fromEntries(Object.entries(json.env).map(([k, v]) => [k, String(v)])) as Record<string, string>) : undefined;
  return new SerializationSettings({
    project: typeof json.project === "string" ? json.project : "",
    domain: typeof json.domain === "string" ? json.domain : "",
    version: typeof json.version === "string" ? json.version : "",
    imageConfig: new ImageConfig(defaultImage, others),
    env: envJson,
    defaultResources: resources === undefined ? undefined : { requests: resourcesFrom(resources.requests), limits: resourcesFrom(resources.limits) },
    fastSerialization:
      fast === undefined
        ? undefined
        : {
            enabled: fast.enabled === true,
            ...(typeof fast.distribution_location === "string" ? { distribution: fast.distribution_location } : {}),
            ...(typeof fast.destination_dir === "string" ? { destinationDir: fast.destination_dir } : {}),
          },
  });
}
