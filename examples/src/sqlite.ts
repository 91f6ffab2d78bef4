// A query against a SQLite database, flytekit's SQLite3Task in TypeScript: a task that runs no
// function of ours, only the plugin's executor reading the task's template. Locally the executor
// runs in-process; on Flyte, in a container started with the template's args — here too, with
// temporary directories for Flyte's storage.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { ImageConfig, Int, List, SerializationSettings, taskOf, templateToBinary, toTaskTemplate, TypeEngine } from "@flytekit-ts/core";
import { LiteralMapSchema } from "@flytekit-ts/core/idl";
import { customContainerTask, field } from "@flytekit-ts/decorators";
import { SQLite3Config, SQLite3Task } from "@flytekit-ts/plugins/sqlite";
import initSqlJs from "sql.js";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export class Track {
  @field(Int) TrackId!: number;
  @field() Name!: string;
  @field(Int) Milliseconds!: number;
}

/** A small music database, made here so that the example needs nothing from the network. */
async function musicDatabase(): Promise<string> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run("create table tracks (TrackId integer primary key, Name text, Milliseconds integer)");
  const tracks: [string, number][] = [["For Those About To Rock", 343719], ["Balls to the Wall", 342562], ["Fast As a Shark", 230619], ["Restless and Wild", 252051]];
  tracks.forEach(([name, ms], i) => db.run("insert into tracks values (?, ?, ?)", [i + 1, name, ms]));
  const file = join(mkdtempSync(join(tmpdir(), "flytekit-ts-music-")), "music.db");
  writeFileSync(file, db.export());
  db.close();
  return file;
}

export async function main(): Promise<void> {
  const db = await musicDatabase();

  // A SQLite3Task as a value, as in flytekit...
  const longest = new SQLite3Task({
    name: "music.longest",
    queryTemplate: "select TrackId, Name, Milliseconds from tracks order by Milliseconds desc limit {{ .inputs.limit }}",
    inputs: { limit: Int },
    rowType: Track,
    taskConfig: new SQLite3Config({ uri: db }),
  });
  const { results } = (await longest.invoke({ limit: 2 })) as { results: Track[] };
  console.log(`locally: ${results.map((t) => `${t.Name} (${Math.round(t.Milliseconds / 1000)} s)`).join(", ")}`);

  // ...or declared on a class.
  @customContainerTask({ config: new SQLite3Config({ uri: db }), queryTemplate: "select count(*) as n from tracks where Milliseconds > {{ .inputs.ms }}", inputs: { ms: Int } })
  class CountLong {}
  console.log(`tracks over 4 minutes: ${JSON.stringify(((await taskOf(CountLong).invoke({ ms: 240000 })) as { results: unknown[] }).results)}`);

  // On Flyte: the template is registered; the container gets its path and runs the executor from it.
  const template = toTaskTemplate(longest, new SerializationSettings({ project: "flytesnacks", domain: "development", version: "v1", imageConfig: ImageConfig.auto("ghcr.io/acme/sqlite:1") }));
  const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-sqlite-container-"));
  writeFileSync(join(dir, "task_template.pb"), templateToBinary(template));
  writeFileSync(join(dir, "inputs.pb"), toBinary(LiteralMapSchema, TypeEngine.toLiteralMap({ limit: Int }, { limit: 3 })));
  const fill: Record<string, string> = {
    "{{.input}}": join(dir, "inputs.pb"),
    "{{.outputPrefix}}": join(dir, "out"),
    "{{.rawOutputDataPrefix}}": join(dir, "raw"),
    "{{.taskTemplatePath}}": join(dir, "task_template.pb"),
  };
  const args = (template.target.case === "container" ? template.target.value.args : []).map((a) => fill[a] ?? a);
  console.log(`container args: ${args.slice(-5).join(" ")}`);
  const bin = join(dirname(createRequire(import.meta.url).resolve("@flytekit-ts/core/package.json")), "bin/flytekit-ts-execute.js");
  execFileSync(process.execPath, [bin, ...args.slice(1)], { cwd: join(dirname(fileURLToPath(import.meta.url)), ".."), stdio: ["ignore", "ignore", "inherit"] });
  const outputs = TypeEngine.fromLiteralMap({ results: List(Track) }, fromBinary(LiteralMapSchema, readFileSync(join(dir, "out", "outputs.pb"))), "output");
  console.log(`in its container: ${outputs.results.map((t) => t.Name).join(", ")}`);
}
