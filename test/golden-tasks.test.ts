// Our TaskTemplates against the ones Python flytekit 1.16.24 wrote for the same declarations
// (golden/tasks). They must be equal except where we are a different SDK on purpose (see
// golden/README.md): the task type, the runtime metadata, and the container's entrypoint args.
// Each case is declared twice where TypeScript can say it: with tokens (support/golden-tasks.ts)
// and by TypeScript's types alone (fixtures/golden-typed/src/golden-tasks.ts, analysed in-process).
import { clone, create, equals, fromBinary, toBinary, toJson } from "@bufbuild/protobuf";
import { IdentifierSchema, TaskTemplateSchema, TypedInterfaceSchema, type TaskTemplate } from "@flytekit-ts/core/idl";
import { toTaskSpec } from "@flytekit-ts/core/registration";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { echo, goldenSqlite, GoldenTasks } from "./support/golden-tasks.js";
import { GoldenTasks as TypedGoldenTasks } from "./support/golden-typed.js";
import { pbjs } from "./support/pbjs.js";
import { templateToJson, toReferenceIdentifier } from "@flytekit-ts/core/internal";
import { ImageConfig, ReferenceTask, SerializationSettings, type Task, taskOf, templateToBinary, toTaskTemplate, VERSION } from "@flytekit-ts/core";

const here = import.meta.dirname;
const manifest = JSON.parse(readFileSync(join(here, "golden/tasks/manifest.json"), "utf8")) as {
  cases: { case: string; file: string; interface_file?: string }[];
};
const settings = new SerializationSettings({ project: "p", domain: "d", version: "v1", imageConfig: ImageConfig.auto("docker.io/xyz:some-git-hash") });

const declared: Record<string, () => Task> = {
  add: () => taskOf(GoldenTasks.add),
  retries_timeout_cache: () => taskOf(GoldenTasks.addRetriesCache),
  requests_limits: () => taskOf(GoldenTasks.addRequestsLimits),
  secrets: () => taskOf(GoldenTasks.addSecrets),
  pod_template: () => taskOf(GoldenTasks.addPodTemplate),
  namedtuple_output: () => taskOf(GoldenTasks.stats),
  echo: () => echo,
  reference_task: () => taskOf(GoldenTasks.ref),
  sqlite3: () => goldenSqlite,
  eager: () => taskOf(GoldenTasks.eagerWf),
};
/** The same cases declared by TypeScript's types alone: no input or output named by a token. */
const typed: Record<string, () => Task> = {
  add: () => taskOf(TypedGoldenTasks.add),
  retries_timeout_cache: () => taskOf(TypedGoldenTasks.addRetriesCache),
  requests_limits: () => taskOf(TypedGoldenTasks.addRequestsLimits),
  secrets: () => taskOf(TypedGoldenTasks.addSecrets),
  pod_template: () => taskOf(TypedGoldenTasks.addPodTemplate),
  namedtuple_output: () => taskOf(TypedGoldenTasks.stats),
  echo: () => taskOf(TypedGoldenTasks.echo),
  reference_task: () => taskOf(TypedGoldenTasks.ref),
  eager: () => taskOf(TypedGoldenTasks.eagerWf),
};
/** Golden cases declared with tokens only, each with the reason. */
const tokenOnly: Record<string, string> = {
  sqlite3: "a task object made with its config, not a typed function; its output is a Schema, which TypeScript's types cannot say",
};
/** Golden cases that belong to features not built yet, each with the reason. */
const later: Record<string, string> = {};

/** The parts we write differently on purpose, blanked out. */
function withoutIntendedDifferences(t: TaskTemplate): TaskTemplate {
  const c = clone(TaskTemplateSchema, t);
  c.type = "";
  if (c.metadata !== undefined) c.metadata.runtime = undefined;
  if (c.target.case === "container") {
    c.target.value.args = [];
    // An eager task's serialization settings, gzipped: compared by what they say (the deflate stream may differ in bytes).
    for (const e of c.target.value.env) if (e.key === "_F_SS_C") e.value = gunzipSync(Buffer.from(e.value, "base64")).toString("utf8");
    // SQLite3Task's default image: flytekit's own published image there, the settings' default here.
    if (t.type === "sqlite") c.target.value.image = "";
  }
  if (c.target.case === "k8sPod") {
    for (const container of (c.target.value.podSpec?.containers ?? []) as { args?: unknown }[]) container.args = [];
  }
  return c;
}

describe("TaskTemplates against flytekit 1.16.24's (golden/tasks)", () => {
  it("covers every golden case, and declares each by TypeScript's types too but the token-only ones", () => {
    expect([...Object.keys(declared), ...Object.keys(later)].sort()).toEqual(manifest.cases.map((c) => c.case).sort());
    expect([...Object.keys(typed), ...Object.keys(tokenOnly)].sort()).toEqual(Object.keys(declared).sort());
  });

  for (const g of manifest.cases.filter((c) => declared[c.case] !== undefined && c.case !== "reference_task")) {
    for (const [how, make] of [["", declared[g.case]!], [", typed by TypeScript alone", typed[g.case]]] as const) {
      if (make === undefined) continue;
      it(`${g.case}${how}: equal to flytekit's but for type, runtime and entrypoint args`, () => {
        const golden = fromBinary(TaskTemplateSchema, readFileSync(join(here, "golden/tasks", g.file)));
        const ours = toTaskTemplate(make(), settings);
        const a = withoutIntendedDifferences(ours);
        const b = withoutIntendedDifferences(golden);
        if (!equals(TaskTemplateSchema, a, b)) expect(toJson(TaskTemplateSchema, a)).toEqual(toJson(TaskTemplateSchema, b));
        // The differences themselves are ours.
        expect(ours.metadata?.runtime).toEqual(create(TaskTemplateSchema, { metadata: { runtime: { type: 1, version: VERSION, flavor: "typescript" } } }).metadata?.runtime);
        expect(ours.type).toBe(g.case === "echo" ? "echo" : g.case === "sqlite3" ? "sqlite" : "typescript-task");
      });
    }
  }

  it("typed by TypeScript alone, serialize to the bytes the tokens give, but for the module the container imports", () => {
    /** The template with the module after `task-module` in the container's args (or the pod's) named `M`; and that module. */
    const withModule = (t: TaskTemplate): [TaskTemplate, string[]] => {
      const c = clone(TaskTemplateSchema, t);
      const modules: string[] = [];
      const rename = (args: string[]) => args.map((a, i) => (args[i - 1] === "task-module" ? (modules.push(a), "M") : a));
      if (c.target.case === "container") c.target.value.args = rename(c.target.value.args);
      if (c.target.case === "k8sPod") for (const container of (c.target.value.podSpec?.containers ?? []) as { args?: string[] }[]) container.args = rename(container.args ?? []);
      return [c, modules];
    };
    for (const [name, make] of Object.entries(typed)) {
      if (name === "reference_task") continue;
      const [byTypes, typesModules] = withModule(toTaskTemplate(make(), settings));
      const [byTokens, tokensModules] = withModule(toTaskTemplate(declared[name]!(), settings));
      // An echo task has no container: nothing to import.
      const modules = name === "echo" ? 0 : 1;
      expect([typesModules, tokensModules], name).toEqual([Array(modules).fill("fixtures/golden-typed/src/golden-tasks.ts"), Array(modules).fill("support/golden-tasks.ts")]);
      expect(Buffer.from(templateToBinary(byTypes)).equals(Buffer.from(templateToBinary(byTokens))), name).toBe(true);
    }
  });

  it("eager: _F_SS_C holds exactly the JSON text flytekit's SerializationSettings.to_json() wrote", () => {
    const g = manifest.cases.find((c) => c.case === "eager")! as { serialized_context_json_text?: string };
    const ours = toTaskTemplate(taskOf(GoldenTasks.eagerWf), settings);
    const env = ours.target.case === "container" ? ours.target.value.env : [];
    expect(env.map((e) => e.key)).toEqual(["_F_SS_C"]);
    expect(gunzipSync(Buffer.from(env[0]!.value, "base64")).toString("utf8")).toBe(g.serialized_context_json_text);
    expect([ours.metadata?.isEager, ours.metadata?.generatesDeck]).toEqual([true, true]);
  });

  it("reference_task: its identifier exactly as given, its interface as flytekit's (declared with tokens and by types)", () => {
    const g = manifest.cases.find((c) => c.case === "reference_task")!;
    const goldenId = fromBinary(IdentifierSchema, readFileSync(join(here, "golden/tasks", g.file)));
    const goldenInterface = fromBinary(TypedInterfaceSchema, readFileSync(join(here, "golden/tasks", g.interface_file!)));
    for (const make of [declared.reference_task!, typed.reference_task!]) {
      const ref = make() as ReferenceTask;
      expect(equals(IdentifierSchema, toReferenceIdentifier(ref), goldenId)).toBe(true);
      expect(equals(TypedInterfaceSchema, ref.interface.toTypedInterface(), goldenInterface)).toBe(true);
      expect(() => toTaskTemplate(ref, settings)).toThrow(/is a reference to a registered task: it serializes to its identifier/);
    }
  });

  it("are read by Flyte's own protobufjs decoder, field for field", () => {
    for (const [name, make] of Object.entries(declared)) {
      if (name === "reference_task") continue;
      const ours = toTaskTemplate(make(), settings);
      // Our encoder's bytes (the ones serialize writes), equal to protobuf-es's.
      const bytes = templateToBinary(ours);
      expect(Buffer.from(bytes).equals(Buffer.from(toBinary(TaskTemplateSchema, ours))), name).toBe(true);
      const theirs = pbjs.flyteidl.core.TaskTemplate!.decode(bytes);
      expect(pbjs.flyteidl.core.TaskTemplate!.verify(theirs), name).toBeNull();
      expect(theirs.id.name).toBe(ours.id!.name);
      const back = fromBinary(TaskTemplateSchema, pbjs.flyteidl.core.TaskTemplate!.encode(theirs).finish());
      expect(equals(TaskTemplateSchema, back, ours), name).toBe(true);
    }
  });

  it("as readable JSON: templateToJson is protobuf JSON of the same template", () => {
    const ours = toTaskTemplate(taskOf(GoldenTasks.addRequestsLimits), settings);
    const json = templateToJson(ours) as { container: { resources: { limits: { name: string; value: string }[] } }; metadata: { runtime: { flavor: string } } };
    expect(json.container.resources.limits).toEqual([
      { name: "EPHEMERAL_STORAGE", value: "501Mi" },
      { name: "CPU", value: "2" },
      { name: "MEMORY", value: "400M" },
    ]);
    expect(json.metadata.runtime.flavor).toBe("typescript");
  });

  it("carry the version of the package that is installed (VERSION is @flytekit-ts/core's package.json version)", () => {
    const pkg = JSON.parse(readFileSync(join(here, "../packages/core/package.json"), "utf8")) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });

  it("write the container entrypoint that runs a TypeScript task", () => {
    const ours = toTaskTemplate(taskOf(GoldenTasks.add), settings);
    expect(ours.target.case === "container" && ours.target.value.args).toEqual([
      "flytekit-ts-execute",
      "--inputs",
      "{{.input}}",
      "--output-prefix",
      "{{.outputPrefix}}",
      "--raw-output-data-prefix",
      "{{.rawOutputDataPrefix}}",
      "--checkpoint-path",
      "{{.checkpointOutputPrefix}}",
      "--prev-checkpoint",
      "{{.prevCheckpointPrefix}}",
      "--resolver",
      "flytekit-ts.DefaultTaskResolver",
      "--",
      "task-module",
      "support/golden-tasks.ts",
      "task-name",
      "GoldenTasks.add",
    ]);
  });

  it("describe function tasks as flytekit does when they have no docs (a TaskSpec's description)", () => {
    const spec = toTaskSpec(taskOf(GoldenTasks.add), settings);
    expect(toJson(TaskTemplateSchema, spec.template!)).toEqual(toJson(TaskTemplateSchema, toTaskTemplate(taskOf(GoldenTasks.add), settings)));
    expect(spec.description?.longDescription?.format).toBe(3);
    expect(toTaskSpec(echo, settings).description).toBeUndefined();
  });
});
