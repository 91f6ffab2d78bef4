// Template-based tasks and plugins against the TaskTemplates Python flytekit 1.16.24 and its plugins
// wrote for the same declarations (golden-plugins/, see its README). Equal field by field, except
// where we are another SDK on purpose: runtime metadata, the container's entrypoint args, and the
// default image of SQLite3Task (flytekit's own published image there).
import { clone, equals, fromBinary, toJson, type JsonObject } from "@bufbuild/protobuf";
import { TaskTemplateSchema, type TaskTemplate } from "@flytekit-ts/core/idl";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as g from "./support/plugin-goldens.js";
import { pbjs, plain, type PbjsMessage } from "./support/pbjs.js";
import { ImageConfig, SerializationSettings, type Task, taskOf, templateToBinary, toTaskTemplate } from "@flytekit-ts/core";

const dir = join(import.meta.dirname, "golden-plugins");
const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { cases: { case: string; file: string; how: string; settings: string }[] };

const base = new SerializationSettings({ project: "p", domain: "d", version: "v1", imageConfig: ImageConfig.fromFlags(["docker.io/xyz:some-git-hash"]) });
const withEnv = new SerializationSettings({ project: "p", domain: "d", version: "v1", imageConfig: ImageConfig.fromFlags(["docker.io/xyz:some-git-hash"]), env: { FOO: "foo", BAR: "bar" } });

/** Each golden case: how we make the same template. */
const declared: Record<string, () => TaskTemplate> = {
  customized_container: () => toTaskTemplate(g.echo, base),
  customized_container_model: () => g.echoModel.serializeToModel(base),
  customized_container_env: () => toTaskTemplate(g.envTask, withEnv),
  sqlite3_minimal: () => toTaskTemplate(g.sqlMin, base),
  sqlite3_full: () => toTaskTemplate(g.sqlFull, base),
  sqlite3_task_template: () => g.sqlTt.taskTemplate,
  sqltask_base: () => toTaskTemplate(g.sqlBase, base),
  pod_basic: () => toTaskTemplate(taskOf(g.PodTasks.simplePodTask), base),
  pod_undefined_primary: () => toTaskTemplate(taskOf(g.PodTasks.undefinedPrimary), base),
  pod_default_primary: () => toTaskTemplate(taskOf(g.PodTasks.defaultPrimary), base),
  bigquery_full: () => toTaskTemplate(g.bqFull, base),
  bigquery_minimal: () => toTaskTemplate(g.bqMin, base),
  snowflake_full: () => toTaskTemplate(g.sfFull, base),
  snowflake_flyteschema: () => toTaskTemplate(g.sfSchema, base),
  athena_full: () => toTaskTemplate(g.athenaFull, base),
  athena_minimal: () => toTaskTemplate(g.athenaMin, base),
};

/** Cases of features flytekit-ts does not have yet, with the reason. */
const later: Record<string, string> = {
  pod_dynamic: "@dynamic tasks are not part of flytekit-ts yet",
};

/** Cases where flytekit writes its own published image and we the settings' default image. */
const flytekitDefaultImage = new Set(["sqlite3_minimal", "sqlite3_task_template"]);

/** The fields we write differently on purpose, blanked on both sides. */
function comparable(t: TaskTemplate, name: string): TaskTemplate {
  const c = clone(TaskTemplateSchema, t);
  // A customized container task without its own type: flytekit's default is python-task, ours typescript-task.
  if (c.type === "python-task" || c.type === "typescript-task") c.type = "";
  if (c.metadata !== undefined) c.metadata.runtime = undefined;
  if (c.target.case === "container") {
    c.target.value.args = [];
    if (flytekitDefaultImage.has(name)) c.target.value.image = "";
  }
  if (c.target.case === "k8sPod") {
    for (const container of ((c.target.value.podSpec?.containers ?? []) as JsonObject[])) if (Array.isArray(container.args) && container.args.some((a) => String(a).includes("{{.input}}"))) container.args = [];
  }
  return c;
}

describe("template-based tasks and plugins against flytekit 1.16.24's templates", () => {
  it("cover every golden case", () => {
    expect([...Object.keys(declared), ...Object.keys(later)].sort()).toEqual(manifest.cases.map((c) => c.case).sort());
  });

  for (const c of manifest.cases.filter((c) => declared[c.case] !== undefined)) {
    it(`${c.case}: equal to flytekit's (${c.how})`, () => {
      const golden = fromBinary(TaskTemplateSchema, readFileSync(join(dir, c.file)));
      const ours = declared[c.case]!();
      const a = comparable(ours, c.case);
      const b = comparable(golden, c.case);
      if (!equals(TaskTemplateSchema, a, b)) expect(toJson(TaskTemplateSchema, a)).toEqual(toJson(TaskTemplateSchema, b));
      // Read by Flyte's own protobufjs decoder from the bytes we write.
      const theirs = (pbjs.flyteidl.core.TaskTemplate as unknown as { decode(b: Uint8Array): PbjsMessage }).decode(templateToBinary(ours));
      expect((plain(theirs) as { type: string }).type).toBe(ours.type);
      expect(equals(TaskTemplateSchema, fromBinary(TaskTemplateSchema, templateToBinary(ours)), ours)).toBe(true);
    });
  }

  it("write our own entrypoint args: no checkpoints for template tasks, the executor's location last", () => {
    const args = (t: TaskTemplate) => (t.target.case === "container" ? t.target.value.args : []);
    expect(args(toTaskTemplate(g.sqlFull, base)).slice(-5)).toEqual(["--resolver", "flytekit-ts.TaskTemplateResolver", "--", "{{.taskTemplatePath}}", "@flytekit-ts/plugins/sqlite#SQLite3TaskExecutor"]);
    expect(args(toTaskTemplate(g.echo, base)).slice(-1)).toEqual(["support/plugin-goldens.ts#EchoExecutor"]);
    const pod = toTaskTemplate(taskOf(g.PodTasks.simplePodTask), base);
    const primary = ((pod.target.case === "k8sPod" ? pod.target.value.podSpec?.containers : []) as JsonObject[])[0]!;
    expect((primary.args as string[]).slice(0, 1)).toEqual(["flytekit-ts-execute"]);
    expect((primary.args as string[]).slice(-4)).toEqual(["task-module", "support/plugin-goldens.ts", "task-name", "PodTasks.simplePodTask"]);
  });

  it("serialize a pod task the same way twice (flytekit's plugin duplicates env vars on the second time)", () => {
    const t: Task = taskOf(g.PodTasks.simplePodTask);
    const first = toTaskTemplate(t, withEnv);
    const second = toTaskTemplate(t, withEnv);
    expect(equals(TaskTemplateSchema, first, second)).toBe(true);
  });
});
