// An eager task's TaskTemplate against the one the real flytekit 1.16.24 writes for
// `@eager(environment={"a": "b"})` (test/interop/eager_tasks.py), under the golden settings and
// under settings that use every field of the `_F_SS_C` JSON; and that JSON read back.
import { clone, equals, fromBinary, toJson } from "@bufbuild/protobuf";
import { TaskTemplateSchema, type TaskTemplate } from "@flytekit-ts/core/idl";
import { functionTask, ImageConfig, Int, Resources, SerializationSettings, toTaskTemplate } from "@flytekit-ts/core";
import { SERIALIZED_CONTEXT_ENV_VAR, serializationSettingsFromContext } from "@flytekit-ts/core/extend";
import { eagerFunctionTask, serializationSettingsJson } from "@flytekit-ts/core/internal";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { plainSettings, richSettings } from "./support/golden-settings.js";
import { ensureFlytekit, PY_DIR } from "./support/python.js";

const SETTINGS: Record<string, SerializationSettings> = {
  plain: plainSettings(),
  rich: richSettings({
    env: { E: "1", "\u00dc": "\u00e4" },
    defaultResources: { requests: new Resources({ cpu: "1", mem: "1Gi" }), limits: new Resources({ cpu: "2", ephemeralStorage: "1Gi" }) },
    fastSerialization: { enabled: true, destinationDir: ".", distribution: "s3://b/x.tar.gz" },
  }),
};

// Named functions: the default resolver finds them by name in this file.
const eagerEnv = eagerFunctionTask({ name: "eager_tasks.eager_env", inputs: { x: Int }, outputs: Int, environment: { a: "b" } }, async function eagerEnv({ x }) {
  return x;
});

let flytekit: Record<string, { json: string; template: string }>;
beforeAll(() => {
  const { python } = ensureFlytekit();
  const out = execFileSync(python, [join(PY_DIR, "eager_tasks.py")], { cwd: PY_DIR, encoding: "utf8", env: { ...process.env, PYTHONPATH: PY_DIR, PYTHONDONTWRITEBYTECODE: "1" } });
  flytekit = JSON.parse(out) as typeof flytekit;
}, 120_000);

function envOf(t: TaskTemplate): { key: string; value: string }[] {
  return t.target.case === "container" ? t.target.value.env.map((e) => ({ key: e.key, value: e.value })) : [];
}

/** The template with `_F_SS_C` decompressed (what it says, not the deflate stream's bytes) and our intended differences blanked. */
function comparable(t: TaskTemplate): TaskTemplate {
  const c = clone(TaskTemplateSchema, t);
  c.type = "";
  if (c.metadata !== undefined) c.metadata.runtime = undefined;
  if (c.target.case === "container") {
    c.target.value.args = [];
    for (const e of c.target.value.env) if (e.key === SERIALIZED_CONTEXT_ENV_VAR) e.value = gunzipSync(Buffer.from(e.value, "base64")).toString("utf8");
  }
  return c;
}

describe("an eager task's template against flytekit 1.16.24's @eager(environment={'a': 'b'})", () => {
  for (const name of Object.keys(SETTINGS)) {
    it(`${name} settings: equal but for type, runtime and entrypoint args, _F_SS_C compared decompressed`, () => {
      const theirs = fromBinary(TaskTemplateSchema, Buffer.from(flytekit[name]!.template, "base64"));
      const ours = toTaskTemplate(eagerEnv.task, SETTINGS[name]!);
      expect(ours.metadata?.isEager).toBe(true);
      expect(ours.metadata?.generatesDeck).toBe(true);
      // The env in flytekit's order: the settings' own, then _F_SS_C, then the task's.
      expect(envOf(ours).map((e) => e.key)).toEqual(envOf(theirs).map((e) => e.key));
      const a = comparable(ours);
      const b = comparable(theirs);
      if (!equals(TaskTemplateSchema, a, b)) expect(toJson(TaskTemplateSchema, a)).toEqual(toJson(TaskTemplateSchema, b));
      // The JSON text is flytekit's to_json(), byte for byte.
      expect(serializationSettingsJson(SETTINGS[name]!)).toBe(flytekit[name]!.json);
      // The gzip header is Python's GzipFile(mtime=0): magic, deflate, no flags, mtime 0, XFL 2, OS 255.
      const ctx = envOf(ours).find((e) => e.key === SERIALIZED_CONTEXT_ENV_VAR)!.value;
      expect([...Buffer.from(ctx, "base64").subarray(0, 10)]).toEqual([...Buffer.from(envOf(theirs).find((e) => e.key === SERIALIZED_CONTEXT_ENV_VAR)!.value, "base64").subarray(0, 10)]);
    });

    it(`${name} settings: flytekit's _F_SS_C reads back as the settings it was written from`, () => {
      const theirs = fromBinary(TaskTemplateSchema, Buffer.from(flytekit[name]!.template, "base64"));
      const env = Object.fromEntries(envOf(theirs).map((e) => [e.key, e.value]));
      const back = serializationSettingsFromContext(env)!;
      const given = SETTINGS[name]!;
      expect([back.project, back.domain, back.version]).toEqual([given.project, given.domain, given.version]);
      expect(back.imageConfig).toEqual(given.imageConfig);
      expect(back.env).toEqual(given.env);
      expect(back.defaultResources).toEqual(given.defaultResources);
      expect(back.fastSerialization).toEqual(given.fastSerialization);
      // What it reads writes the same JSON again.
      expect(serializationSettingsJson(back)).toBe(flytekit[name]!.json);
    });
  }

  it("keeps a _F_SS_C the settings already carry, as flytekit does", () => {
    const s = new SerializationSettings({ project: "p", domain: "d", version: "v", imageConfig: ImageConfig.auto("a/b:c"), env: { [SERIALIZED_CONTEXT_ENV_VAR]: "given" } });
    expect(envOf(toTaskTemplate(eagerEnv.task, s))).toEqual([
      { key: SERIALIZED_CONTEXT_ENV_VAR, value: "given" },
      { key: "a", value: "b" },
    ]);
  });

  it("reads no settings where _F_SS_C is not set, and names the variable when it does not read", () => {
    expect(serializationSettingsFromContext({})).toBeUndefined();
    expect(() => serializationSettingsFromContext({ [SERIALIZED_CONTEXT_ENV_VAR]: "bm90IGd6aXA=" })).toThrow(/^environment variable _F_SS_C: cannot read the serialization settings in it/);
  });

  it("a plain task's template carries neither is_eager nor _F_SS_C", () => {
    const plain = toTaskTemplate(functionTask({ name: "eager_tasks.plain", outputs: Int, environment: { a: "b" } }, function plain() {
      return 1;
    }).task, SETTINGS.plain!);
    expect(plain.metadata?.isEager).toBe(false);
    expect(envOf(plain)).toEqual([{ key: "a", value: "b" }]);
  });
});
