// A SQLite3Task the whole way: its template serialized and read by the independent protobufjs
// decoder, a local call returning real rows, and the container path as Flyte takes it — the template
// written to a file, flytekit-ts-execute started with the template's args, outputs.pb read back;
// for a Schema or Dataset output, the Parquet files it wrote under the raw output prefix.
import { toBinary } from "@bufbuild/protobuf";
import { ContainerError_Kind, ExecutionError_ErrorKind, LiteralMapSchema } from "@flytekit-ts/core/idl";
import { field } from "@flytekit-ts/decorators";
import { SQLite3Config, SQLite3Task } from "@flytekit-ts/plugins/sqlite";
import initSqlJs from "sql.js";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, EXECUTE_BIN, fillTemplates, readOutputs, runProcess, TEST_ROOT, workArea } from "./support/execute.js";
import { pbjs, plain, type PbjsMessage } from "./support/pbjs.js";
import { fromLiteralMap, outputLiterals, toLiteralMap } from "@flytekit-ts/core/internal";
import { LOCAL_CONVERSION } from "@flytekit-ts/core/extend";
import { Dataset, FlyteSchema, ImageConfig, Int, List, Optional, Schema, SerializationSettings, Str, StructuredDataset, templateToBinary, toTaskTemplate } from "@flytekit-ts/core";

class Album {
  @field(Int) AlbumId!: number;
  @field() Title!: string;
  @field(Optional(Str)) Label: string | null = null;
}

let dbPath: string;

beforeAll(async () => {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run("create table albums (AlbumId integer primary key, Title text not null, Label text)");
  for (const [id, title, label] of [
    [1, "For Those About To Rock We Salute You", "Atlantic"],
    [2, "Balls to the Wall", null],
    [3, "Restless and Wild", "RCA"],
  ] as const) {
    db.run("insert into albums values (?, ?, ?)", [id, title, label]);
  }
  dbPath = join(mkdtempSync(join(tmpdir(), "flytekit-ts-albums-")), "albums.db");
  writeFileSync(dbPath, db.export());
  db.close();
});

const settings = new SerializationSettings({ project: "p", domain: "d", version: "v1", imageConfig: ImageConfig.auto("ghcr.io/acme/sqlite-runner:1") });

function albumsTask(query = "select AlbumId, Title, Label from albums where AlbumId <= {{ .inputs.upTo }} order by AlbumId"): SQLite3Task {
  return new SQLite3Task({ name: "albums.upTo", queryTemplate: query, inputs: { upTo: Int }, rowType: Album, taskConfig: new SQLite3Config({ uri: dbPath }) });
}

/** Runs a template-based task in a process of its own, from its template's args, as Flyte does. */
async function runInContainer(task: SQLite3Task, inputs: Uint8Array = toBinary(LiteralMapSchema, toLiteralMap({}, {}))) {
  const template = toTaskTemplate(task, settings);
  const area = workArea(inputs);
  const templatePath = join(area.dir, "task_template.pb");
  writeFileSync(templatePath, templateToBinary(template));
  const args = template.target.case === "container" ? template.target.value.args : [];
  const filled = fillTemplates(args, { inputs: area.inputs, outputPrefix: area.out, raw: area.raw }).map((a) => (a === "{{.taskTemplatePath}}" ? templatePath : a));
  expect(filled.filter((a) => a.includes("{{"))).toEqual([]);
  expect(filled[0]).toBe("flytekit-ts-execute");
  return { ...readOutputs(area.out, await runProcess(process.execPath, [EXECUTE_BIN, ...filled.slice(1)], { cwd: TEST_ROOT, env: cleanEnv() })), raw: area.raw };
}

/** A table task on the albums. */
function tableTask(outputSchemaType: NonNullable<ConstructorParameters<typeof SQLite3Task>[0]["outputSchemaType"]>, query = "select AlbumId, Title, Label from albums order by AlbumId"): SQLite3Task {
  return new SQLite3Task({ name: "albums.table", queryTemplate: query, outputSchemaType, taskConfig: new SQLite3Config({ uri: dbPath }) });
}

describe("a SQLite3Task", () => {
  it("serializes a template the independent reader decodes: type, custom, image, args ending in the template path and executor", () => {
    const template = toTaskTemplate(albumsTask(), settings);
    const theirs = plain((pbjs.flyteidl.core.TaskTemplate as unknown as { decode(b: Uint8Array): PbjsMessage }).decode(templateToBinary(template))) as {
      type: string;
      custom: Record<string, unknown>;
      container: { image: string; args: string[] };
      interface: { outputs: { variables: Record<string, unknown> } };
    };
    expect(theirs.type).toBe("sqlite");
    expect(theirs.custom).toEqual({ query_template: "select AlbumId, Title, Label from albums where AlbumId <= {{ .inputs.upTo }} order by AlbumId", uri: dbPath, compressed: false });
    expect(theirs.container.image).toBe("ghcr.io/acme/sqlite-runner:1");
    expect(theirs.container.args.slice(-2)).toEqual(["{{.taskTemplatePath}}", "@flytekit-ts/plugins/sqlite#SQLite3TaskExecutor"]);
    expect(Object.keys(theirs.interface.outputs.variables)).toEqual(["results"]);
  });

  it("returns real rows from a local call", async () => {
    const { results } = (await albumsTask().invoke({ upTo: 2 })) as { results: Album[] };
    expect(results.map((a) => [a.AlbumId, a.Title, a.Label])).toEqual([
      [1, "For Those About To Rock We Salute You", "Atlantic"],
      [2, "Balls to the Wall", null],
    ]);
  });

  it("runs in its container from the template file: outputs.pb holds the rows", async () => {
    const r = await runInContainer(albumsTask(), toBinary(LiteralMapSchema, toLiteralMap({ upTo: Int }, { upTo: 3 })));
    expect(r.code, r.stderr).toBe(0);
    expect(r.files, r.error?.error?.message ?? r.stderr).toEqual(["outputs.pb"]);
    const { results } = fromLiteralMap({ results: List(Album) }, r.outputs!, "output");
    expect(results.map((a) => ({ ...a }))).toEqual([
      { AlbumId: 1, Title: "For Those About To Rock We Salute You", Label: "Atlantic" },
      { AlbumId: 2, Title: "Balls to the Wall", Label: null },
      { AlbumId: 3, Title: "Restless and Wild", Label: "RCA" },
    ]);
    // The same literal a local call makes.
    const local = outputLiterals(albumsTask(), await albumsTask().invoke({ upTo: 3 }), LOCAL_CONVERSION);
    expect(Buffer.from(toBinary(LiteralMapSchema, r.outputs!)).equals(Buffer.from(toBinary(LiteralMapSchema, local)))).toBe(true);
  });

  it("converts in its container exactly as in a local call, where the row type has defaults and its first field has one", async () => {
    class Sparse {
      @field(Optional(Str)) Label: string | null = null;
      @field(Int) AlbumId!: number;
      @field() Title!: string;
      @field(Int) Plays = 0;
    }
    const task = new SQLite3Task({
      name: "albums.sparse",
      queryTemplate: "select AlbumId, Title from albums where AlbumId <= {{ .inputs.upTo }} order by AlbumId",
      inputs: { upTo: Int },
      rowType: Sparse,
      taskConfig: new SQLite3Config({ uri: dbPath }),
    });
    const r = await runInContainer(task, toBinary(LiteralMapSchema, toLiteralMap({ upTo: Int }, { upTo: 2 })));
    expect(r.files, r.error?.error?.message).toEqual(["outputs.pb"]);
    const local = outputLiterals(task, await task.invoke({ upTo: 2 }), LOCAL_CONVERSION);
    expect(Buffer.from(toBinary(LiteralMapSchema, r.outputs!)).equals(Buffer.from(toBinary(LiteralMapSchema, local)))).toBe(true);
    const { results } = fromLiteralMap({ results: List(Sparse) }, r.outputs!, "output");
    expect(results.map((a) => ({ ...a }))).toEqual([
      { Label: null, AlbumId: 1, Title: "For Those About To Rock We Salute You", Plays: 0 },
      { Label: null, AlbumId: 2, Title: "Balls to the Wall", Plays: 0 },
    ]);
  });

  it("reports a query the database refuses as flytekit does an executor's error: SYSTEM, recoverable", async () => {
    const r = await runInContainer(albumsTask("select Nope from albums where AlbumId <= {{ .inputs.upTo }}"), toBinary(LiteralMapSchema, toLiteralMap({ upTo: Int }, { upTo: 1 })));
    expect(r.code).toBe(0);
    expect(r.files).toEqual(["error.pb"]);
    expect(r.error!.error).toMatchObject({ code: "SYSTEM", kind: ContainerError_Kind.RECOVERABLE, origin: ExecutionError_ErrorKind.SYSTEM });
    expect(r.error!.error!.message).toContain("no such column: Nope");
  });

  it("reports a damaged archive as a document that cannot be read: SYSTEM, NON_RECOVERABLE (a retry reads the same bytes)", async () => {
    const damaged = join(mkdtempSync(join(tmpdir(), "flytekit-ts-albums-")), "albums.tar.gz");
    writeFileSync(damaged, Buffer.from("1f8b0800000000000003ffffffff", "hex"));
    const task = new SQLite3Task({ name: "albums.damaged", queryTemplate: "select 1", rowType: Album, taskConfig: new SQLite3Config({ uri: damaged, compressed: true }) });
    const r = await runInContainer(task, toBinary(LiteralMapSchema, toLiteralMap({}, {})));
    expect(r.files, r.stderr).toEqual(["error.pb"]);
    expect(r.error!.error).toMatchObject({ code: "SYSTEM", kind: ContainerError_Kind.NON_RECOVERABLE, origin: ExecutionError_ErrorKind.SYSTEM });
    expect(r.error!.error!.message).toContain(`DocumentError: task 'albums.damaged', the database ${damaged}: could not read it: it is not valid gzip data`);
  });

  it("writes a Dataset output as flytekit lays it out: a folder under the raw output prefix holding the Parquet part 00000, the literal naming it", async () => {
    const r = await runInContainer(tableTask(Dataset));
    expect(r.files, r.error?.error?.message ?? r.stderr).toEqual(["outputs.pb"]);
    const literal = r.outputs!.literals.results!;
    const sd = literal.value.case === "scalar" && literal.value.value.value.case === "structuredDataset" ? literal.value.value.value.value : undefined;
    expect(sd?.uri.startsWith(`${r.raw}/`)).toBe(true);
    expect(sd?.metadata?.structuredDatasetType?.format).toBe("parquet");
    expect(readdirSync(sd!.uri)).toEqual(["00000"]);
    // Read back through core, as the next TypeScript task reads it.
    const { results } = fromLiteralMap({ results: Dataset }, r.outputs!, "input") as { results: StructuredDataset };
    const table = await results.all();
    expect(table.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual(["AlbumId: Int64", "Title: Utf8", "Label: Utf8"]);
    expect([...table.getChild("Label")!]).toEqual(["Atlantic", null, "RCA"]);
    expect([...table.getChild("AlbumId")!]).toEqual([1n, 2n, 3n]);
  });

  it("writes a Schema output with declared columns: those only, in their order, the schema literal naming its columns", async () => {
    const r = await runInContainer(tableTask(Schema.withColumns({ Title: Str, AlbumId: Int })));
    expect(r.files, r.error?.error?.message ?? r.stderr).toEqual(["outputs.pb"]);
    const literal = r.outputs!.literals.results!;
    const schema = literal.value.case === "scalar" && literal.value.value.value.case === "schema" ? literal.value.value.value.value : undefined;
    expect(schema?.type?.columns.map((c) => c.name)).toEqual(["Title", "AlbumId"]);
    expect(schema?.uri.startsWith(`${r.raw}/`)).toBe(true);
    expect(readdirSync(schema!.uri)).toEqual(["00000"]);
    const { results } = fromLiteralMap({ results: Schema }, r.outputs!, "input") as { results: FlyteSchema };
    const table = await results.all();
    expect(table.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual(["Title: Utf8", "AlbumId: Int64"]);
    expect(table.numRows).toBe(3);
  });

  it("fails a table whose declared column is missing, or whose column mixes types, as a conversion error: SYSTEM, NON_RECOVERABLE, nothing left under the raw prefix", async () => {
    const missing = await runInContainer(tableTask(Dataset.withColumns({ Artist: Str })));
    expect(missing.files, missing.stderr).toEqual(["error.pb"]);
    expect(missing.error!.error).toMatchObject({ code: "SYSTEM", kind: ContainerError_Kind.NON_RECOVERABLE, origin: ExecutionError_ErrorKind.SYSTEM });
    expect(missing.error!.error!.message).toContain(
      "TaskOutputError: task 'albums.table', output 'results', column 'Artist': expected a column of Str, got none: the query gives no column named 'Artist' (its columns: AlbumId, Title, Label); select it, or name it with AS",
    );
    expect(readdirSync(missing.raw)).toEqual([]);
    const mixed = await runInContainer(tableTask(Schema, "select AlbumId as c from albums union all select Title from albums"));
    expect(mixed.files, mixed.stderr).toEqual(["error.pb"]);
    expect(mixed.error!.error).toMatchObject({ code: "SYSTEM", kind: ContainerError_Kind.NON_RECOVERABLE });
    expect(mixed.error!.error!.message).toContain("task 'albums.table', output 'results', column 'c': it mixes INTEGER and TEXT values (rows 1 and 4)");
    expect(readdirSync(mixed.raw)).toEqual([]);
  });
});
