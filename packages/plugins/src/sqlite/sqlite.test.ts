import { equals, fromBinary, toBinary } from "@bufbuild/protobuf";
import { customContainerTask, field } from "@flytekit-ts/decorators";
import { TaskTemplateSchema } from "@flytekit-ts/core/idl";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Table, tableFromArrays } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { SQLite3Config, SQLite3Task, SQLite3TaskExecutor, unarchiveFile } from "./index.js";
import { tarGzOf, tracksDatabase, zipOf } from "./testing.js";
import { rawTarHeader } from "@flytekit-ts/core/internal";
import { currentContext, Dataset, Float, FlyteSchema, ImageConfig, Int, mockTask, Optional, Schema, SerializationSettings, Str, StructuredDataset, TaskOutputError, taskOf, toTaskTemplate } from "@flytekit-ts/core";

class Track {
  @field(Int) TrackId!: number;
  @field() Name!: string;
  @field(Optional(Str)) Genre: string | null = null;
}

const settings = new SerializationSettings({ project: "p", domain: "d", version: "v1", imageConfig: ImageConfig.auto("docker.io/xyz:some-git-hash") });

describe("SQLite3Task: serialization", () => {
  it("writes flytekit's template: type sqlite, the query and database in custom, args ending in the template path and executor", () => {
    const t = new SQLite3Task({
      name: "tracks",
      queryTemplate: "\n  select TrackId, Name\n  from tracks\n  limit {{ .inputs.limit }}\n",
      inputs: { limit: Int },
      rowType: Track,
      taskConfig: new SQLite3Config({ uri: "https://example.org/chinook.zip", compressed: true }),
    });
    const template = toTaskTemplate(t, settings);
    expect(template.type).toBe("sqlite");
    expect(template.custom).toEqual({ query_template: "select TrackId, Name from tracks limit {{ .inputs.limit }}", uri: "https://example.org/chinook.zip", compressed: true });
    const container = template.target.case === "container" ? template.target.value : undefined;
    expect(container?.args.slice(-5)).toEqual(["--resolver", "flytekit-ts.TaskTemplateResolver", "--", "{{.taskTemplatePath}}", "@flytekit-ts/plugins/sqlite#SQLite3TaskExecutor"]);
    expect(container?.args).not.toContain("--checkpoint-path");
    expect(container?.image).toBe("docker.io/xyz:some-git-hash");
    expect(t.interface.toString()).toBe("(limit: Int) -> (results: List(Track))");
  });

  it("resolves an image template against the settings' images", () => {
    const t = new SQLite3Task({ name: "img", queryTemplate: "select 1", taskConfig: new SQLite3Config({ uri: "db" }), containerImage: "{{.images.sqlite.fqn}}:{{.images.sqlite.version}}" });
    const withImages = new SerializationSettings({ project: "p", domain: "d", version: "v1", imageConfig: ImageConfig.fromFlags(["docker.io/xyz:1", "sqlite=ghcr.io/acme/sqlite:3.4"]) });
    const template = toTaskTemplate(t, withImages);
    expect(template.target.case === "container" && template.target.value.image).toBe("ghcr.io/acme/sqlite:3.4");
  });

  it("declares a table output as flytekit does (Schema), and rows as Json by default", () => {
    const schema = new SQLite3Task({ name: "s", queryTemplate: "select 1", outputSchemaType: Schema.withColumns({ TrackId: Int, Name: Str }), taskConfig: new SQLite3Config({ uri: "db" }) });
    expect(schema.interface.toString()).toBe("() -> (results: Schema(TrackId: Int, Name: Str))");
    const rows = new SQLite3Task({ name: "r", queryTemplate: "select 1", taskConfig: new SQLite3Config({ uri: "db" }) });
    expect(rows.getTypeForOutputVar("results").name).toBe("List(Json)");
  });

  it("refuses what flytekit refuses, and what it cannot know", () => {
    expect(() => new SQLite3Config({ uri: "" })).toThrow('SQLite3Config, uri: expected a path or URI, got "" (string): SQLite DB uri is required');
    expect(() => new SQLite3Config({ uri: "db", compressed: "yes" as never })).toThrow('SQLite3Config, compressed: expected a boolean, got "yes" (string)');
    expect(() => new SQLite3Task({ name: "x", queryTemplate: "select 1", taskConfig: { uri: "db" } as never })).toThrow("task 'x', option 'taskConfig': expected a SQLite3Config, got {\"uri\":\"db\"} (object)");
    expect(() => new SQLite3Task({ name: "x", queryTemplate: "select 1", taskConfig: new SQLite3Config({ uri: "db" }), outputs: { n: Int } } as never)).toThrow(
      "task 'x', option 'outputs': a SQLite3Task sets its own; give rowType (rows) or outputSchemaType (a table)",
    );
    // Placeholders and inputs must match, as the executor would find out later.
    expect(() => new SQLite3Task({ name: "x", queryTemplate: "select {{ .inputs.nope }}", inputs: { a: Int }, taskConfig: new SQLite3Config({ uri: "db" }) })).toThrow(
      "task 'x', its query: it uses {{ .inputs.nope }}, which is not an input (inputs: a)",
    );
    expect(() => new SQLite3Task({ name: "x", queryTemplate: "select 1", inputs: { a: Int }, taskConfig: new SQLite3Config({ uri: "db" }) })).toThrow(
      "task 'x', input 'a': it is not used in its query; every input must be (as {{ .inputs.name }})",
    );
    expect(() => new SQLite3Task({ name: "x", queryTemplate: "select 1", taskConfig: new SQLite3Config({ uri: "db" }), rowType: Track, outputSchemaType: Schema })).toThrow(
      "task 'x', options 'rowType' and 'outputSchemaType': both are given; give rowType (rows) or outputSchemaType (a table), not both",
    );
  });
});

describe("SQLite3Task: a local call queries a real database", () => {
  it("returns the rows as records of the row type, the query's placeholders filled", async () => {
    const db = await tracksDatabase();
    const t = new SQLite3Task({
      name: "top",
      queryTemplate: "select TrackId, Name, Genre from tracks where Price >= {{ .inputs.price }} order by TrackId limit {{.inputs.limit}}",
      inputs: { limit: Int, price: Float },
      rowType: Track,
      taskConfig: new SQLite3Config({ uri: db }),
    });
    const { results: rows } = (await t.invoke({ limit: 2, price: 1 })) as { results: Track[] };
    expect(rows.map((r) => ({ ...r }))).toEqual([
      { TrackId: 3, Name: "Fast As a Shark", Genre: "Metal" },
      { TrackId: 4, Name: "Restless and Wild", Genre: "Metal" },
    ]);
    expect(rows[0]).toBeInstanceOf(Track);
  });

  it("gives Json rows by default, REAL columns as numbers and INTEGER past 2^53 exact", async () => {
    const db = await tracksDatabase();
    const t = new SQLite3Task({ name: "json", queryTemplate: "select TrackId, Price from tracks order by TrackId limit 1", taskConfig: new SQLite3Config({ uri: `file://${db}` }) });
    expect(await t.invoke({})).toEqual({ results: [{ TrackId: 1, Price: 0.99 }] });
    const big = new SQLite3Task({ name: "big", queryTemplate: "select n from big", taskConfig: new SQLite3Config({ uri: db }) });
    expect(await big.invoke({})).toEqual({ results: [{ n: 9007199254740993n }] });
  });

  it("reads the database from a .zip or a .tar.gz holding it alone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-sqlite-arch-"));
    const db = await tracksDatabase(dir);
    const zip = join(dir, "chinook.zip");
    writeFileSync(zip, zipOf({ "chinook.db": readFileSync(db) }));
    const deflated = join(dir, "deflated.zip");
    writeFileSync(deflated, zipOf({ "chinook.db": readFileSync(db) }, { deflate: true }));
    expect(readFileSync(deflated).length).toBeLessThan(readFileSync(zip).length);
    const tgz = tarGzOf(dir, ["tracks.db"], join(dir, "tracks.tar.gz"));
    for (const uri of [zip, deflated, tgz]) {
      const t = new SQLite3Task({ name: "count", queryTemplate: "select count(*) as n from tracks", taskConfig: new SQLite3Config({ uri, compressed: true }) });
      expect(await t.invoke({})).toEqual({ results: [{ n: 4 }] });
    }
  });

  it("downloads the database over HTTP", async () => {
    const db = readFileSync(await tracksDatabase());
    const server = createServer((req, res) => {
      if (req.url === "/data/tracks.db") res.end(db);
      else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const port = (server.address() as { port: number }).port;
      const t = new SQLite3Task({ name: "http", queryTemplate: "select Name from tracks where TrackId = 2", taskConfig: new SQLite3Config({ uri: `http://127.0.0.1:${port}/data/tracks.db` }) });
      expect(await t.invoke({})).toEqual({ results: [{ Name: "Balls to the Wall" }] });
      const missing = new SQLite3Task({ name: "404", queryTemplate: "select 1", taskConfig: new SQLite3Config({ uri: `http://127.0.0.1:${port}/nothing.db` }) });
      await expect(missing.invoke({})).rejects.toThrow(`task '404', the database http://127.0.0.1:${port}/nothing.db: could not read it: could not fetch it: HTTP 404 Not Found`);
    } finally {
      server.close();
    }
  });

  it("fails clearly: a bad query, columns the row type does not have, an input the query does not use", async () => {
    const db = await tracksDatabase();
    const config = new SQLite3Config({ uri: db });
    await expect(new SQLite3Task({ name: "bad", queryTemplate: "select nope from tracks", taskConfig: config }).invoke({})).rejects.toThrow("no such column: nope");
    await expect(new SQLite3Task({ name: "cols", queryTemplate: "select TrackId, Name, Price from tracks", rowType: Track, taskConfig: config }).invoke({})).rejects.toThrow(
      /output 'results'.*it has a field "Price" that Track does not declare/s,
    );
    await expect(new SQLite3Task({ name: "missing", queryTemplate: "select 1", taskConfig: new SQLite3Config({ uri: "/no/such/file.db" }) }).invoke({})).rejects.toThrow(
      /^task 'missing', the database \/no\/such\/file\.db: could not read it: ENOENT/,
    );
  });

  it("returns a table for a Schema or Dataset output: the query's rows as an Arrow table in Parquet files, read back through the handle", async () => {
    const db = await tracksDatabase();
    const config = new SQLite3Config({ uri: db });
    const query = "select TrackId, Name, Price, Genre from tracks order by TrackId";
    const dataset = (await new SQLite3Task({ name: "ds", queryTemplate: query, outputSchemaType: Dataset, taskConfig: config }).invoke({})) as { results: StructuredDataset };
    expect(dataset.results).toBeInstanceOf(StructuredDataset);
    expect(dataset.results.fileFormat).toBe("parquet");
    expect(readdirSync(dataset.results.uri!)).toEqual(["00000"]);
    const schema = (await new SQLite3Task({ name: "sc", queryTemplate: query, outputSchemaType: Schema, taskConfig: config }).invoke({})) as { results: FlyteSchema };
    expect(schema.results).toBeInstanceOf(FlyteSchema);
    for (const table of [await dataset.results.all(), await schema.results.all()]) {
      expect(table.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual(["TrackId: Int64", "Name: Utf8", "Price: Float64", "Genre: Utf8"]);
      expect([...table.getChild("TrackId")!]).toEqual([1n, 2n, 3n, 4n]);
      expect([...table.getChild("Price")!]).toEqual([0.99, 0.99, 1, 1.49]);
      expect([...table.getChild("Genre")!]).toEqual(["Rock", null, "Metal", "Metal"]);
    }
    // The executor's own value is an Arrow Table (what flytekit's executor returns as a DataFrame).
    const template = toTaskTemplate(new SQLite3Task({ name: "ds", queryTemplate: query, outputSchemaType: Dataset, taskConfig: config }), settings);
    expect(await new SQLite3TaskExecutor().executeFromModel(template, {}, currentContext())).toBeInstanceOf(Table);
  });

  it("keeps only declared columns, with their types, and fails naming a column the query lacks", async () => {
    const db = await tracksDatabase();
    const config = new SQLite3Config({ uri: db });
    const query = "select TrackId, Name, Price, Genre from tracks where TrackId <= {{ .inputs.upTo }} order by TrackId";
    const declared = new SQLite3Task({ name: "cols", queryTemplate: query, inputs: { upTo: Int }, outputSchemaType: Schema.withColumns({ Name: Str, TrackId: Int }), taskConfig: config });
    const { results } = (await declared.invoke({ upTo: 2 })) as { results: FlyteSchema };
    const table = await results.all();
    expect(table.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual(["Name: Utf8", "TrackId: Int64"]);
    expect([...table.getChild("Name")!]).toEqual(["For Those About To Rock", "Balls to the Wall"]);
    const missing = new SQLite3Task({ name: "cols", queryTemplate: query, inputs: { upTo: Int }, outputSchemaType: Dataset.withColumns({ Milliseconds: Int }), taskConfig: config });
    const error = await Promise.resolve(missing.invoke({ upTo: 2 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskOutputError);
    expect((error as Error).message).toBe(
      "task 'cols', output 'results', column 'Milliseconds': expected a column of Int, got none: the query gives no column named 'Milliseconds' (its columns: TrackId, Name, Price, Genre); select it, or name it with AS",
    );
  });

  it("can be mocked like any task", () => {
    const t = new SQLite3Task({ name: "mocked", queryTemplate: "select 1", taskConfig: new SQLite3Config({ uri: "/nowhere.db" }) });
    // Like its executor, a mock returns the output's value (flytekit's single-output rule).
    const mock = mockTask(t).returns([{ a: 1 }]);
    try {
      expect(t.invoke({})).toEqual({ results: [{ a: 1 }] });
    } finally {
      mock.restore();
    }
  });

  it("can be mocked with a table for a table output", async () => {
    const t = new SQLite3Task({ name: "mockedTable", queryTemplate: "select 1", outputSchemaType: Dataset, taskConfig: new SQLite3Config({ uri: "/nowhere.db" }) });
    const mock = mockTask(t).returns(tableFromArrays({ a: Int32Array.from([1, 2]) }));
    try {
      const { results } = (await t.invoke({})) as { results: StructuredDataset };
      expect([...(await results.all()).getChild("a")!]).toEqual([1, 2]);
    } finally {
      mock.restore();
    }
  });
});

describe("unarchiveFile", () => {
  it("takes the archive's only top-level entry, and refuses two, a directory, or an unknown format", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-unarchive-"));
    const db = readFileSync(await tracksDatabase());
    const two = join(dir, "two.zip");
    writeFileSync(two, zipOf({ "a.db": db, "b.db": db }));
    expect(() => unarchiveFile(two, join(dir, "x1"))).toThrow('Uncompressed archive should contain only one file - found ["a.db","b.db"]!');
    const nested = join(dir, "nested.zip");
    writeFileSync(nested, zipOf({ "sub/t.db": db }));
    expect(() => unarchiveFile(nested, join(dir, "x2"))).toThrow("the archive's only entry, sub, is a directory, not a database file");
    const noext = join(dir, "noext");
    writeFileSync(noext, zipOf({ "t.db": db }));
    expect(() => unarchiveFile(noext, join(dir, "x3"))).toThrow(`Unknown archive format '${noext}'`);
    const damaged = zipOf({ "t.db": db });
    damaged[40] = damaged[40]! ^ 0xff; // a byte of the database, inside the zip
    writeFileSync(join(dir, "damaged.zip"), damaged);
    expect(() => unarchiveFile(join(dir, "damaged.zip"), join(dir, "x5"), "https://example.org/damaged.zip")).toThrow(/damaged\.zip: t\.db is damaged \(its CRC-32 does not match\)/);
    const escaping = join(dir, "escaping.zip");
    writeFileSync(escaping, zipOf({ "../t.db": db }));
    expect(() => unarchiveFile(escaping, join(dir, "x6"))).toThrow(`archive ${escaping}, member '../t.db': refusing to unpack it: it is outside the archive`);
    const one = join(dir, "one.zip");
    writeFileSync(one, zipOf({ "t.db": db }));
    mkdirSync(join(dir, "x4"));
    expect(unarchiveFile(one, join(dir, "x4"))).toBe(join(dir, "x4", "_arch", "t.db"));
  });
});


describe("unarchiveFile: damaged and hostile archives fail at once", () => {
  it("a .tar.gz whose header has a negative size (which made the reader loop forever), read from a file or over HTTP", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-unarchive-evil-"));
    const hostile = gzipSync(Buffer.concat([rawTarHeader("evil.db", "-0000001000"), Buffer.alloc(1024)]));
    expect(hostile.length).toBeLessThan(100);
    const local = join(dir, "evil.tar.gz");
    writeFileSync(local, hostile);
    const problem = `member 'evil.db': its header (at byte 0) is damaged: the size field "-0000001000" is not a non-negative octal number`;
    expect(() => unarchiveFile(local, join(dir, "x1"))).toThrow(`archive ${local}, ${problem}`);
    const server = createServer((_req, res) => res.end(hostile));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const uri = `http://127.0.0.1:${(server.address() as { port: number }).port}/evil.tar.gz`;
      const t = new SQLite3Task({ name: "evil", queryTemplate: "select 1", taskConfig: new SQLite3Config({ uri, compressed: true }) });
      await expect(t.invoke({})).rejects.toThrow(`task 'evil', the database ${uri}: could not read it: archive ${uri}, ${problem}`);
    } finally {
      server.close();
    }
  });

  it("a header whose checksum does not match, data past the archive's end, bytes that are not gzip", () => {
    const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-unarchive-damaged-"));
    const checksum = join(dir, "checksum.tar");
    writeFileSync(checksum, Buffer.concat([rawTarHeader("t.db", "00000000000\0", { checksum: "0000777\0" }), Buffer.alloc(1024)]));
    expect(() => unarchiveFile(checksum, join(dir, "x1"))).toThrow(`archive ${checksum}: it is not a tar archive, or it is damaged: the first header's checksum does not match`);
    const truncated = join(dir, "truncated.tar.gz");
    writeFileSync(truncated, gzipSync(Buffer.concat([rawTarHeader("t.db", "00000100000\0"), Buffer.alloc(1024)])));
    expect(() => unarchiveFile(truncated, join(dir, "x2"))).toThrow(
      `archive ${truncated}, member 't.db': its data (32768 bytes from byte 512) runs past the end of the archive (1536 bytes): the archive is truncated or damaged`,
    );
    const notGzip = join(dir, "not.tgz");
    writeFileSync(notGzip, "SQLite format 3\0");
    expect(() => unarchiveFile(notGzip, join(dir, "x3"))).toThrow(`archive ${notGzip}: it is not valid gzip data: incorrect header check`);
  });
});

describe("SQLite3Task: a uri that names a directory", () => {
  const problem = (uri: string, dots: string) => `the database ${uri}: its path ends in '${dots}', which names a directory, not a database file; give the uri of the database file itself`;

  it("is refused when the task is declared, local or remote, escaped or not", () => {
    for (const [uri, dots] of [
      ["/data/sub/..", ".."],
      ["/data/.", "."],
      ["..", ".."],
      ["file:///data/sub/../", ".."],
      ["https://example.org/data/..", ".."],
      ["s3://bucket/data/%2e%2E?x=1", ".."],
    ] as const) {
      expect(() => new SQLite3Task({ name: "dots", queryTemplate: "select 1", taskConfig: new SQLite3Config({ uri }) }), uri).toThrow(`task 'dots', ${problem(uri, dots)}`);
    }
    // A name with dots in it is a file name.
    expect(() => new SQLite3Task({ name: "dots", queryTemplate: "select 1", taskConfig: new SQLite3Config({ uri: "/data/..db" }) })).not.toThrow();
  });

  it("is refused by the executor (a template from elsewhere), before anything is copied", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-sqlite-dots-"));
    // Named uniquely: the old executor copied `<dir>/sub/..` (all of dir) into the temporary folder's parent.
    const sub = `flytekit-ts-dots-${Date.now()}-${process.pid}`;
    const marker = `${sub}.db`;
    writeFileSync(join(dir, marker), "not a database");
    mkdirSync(join(dir, sub));
    const template = toTaskTemplate(new SQLite3Task({ name: "dots", queryTemplate: "select 1", taskConfig: new SQLite3Config({ uri: join(dir, marker) }) }), settings);
    try {
      for (const [uri, dots] of [
        [`${dir}/${sub}/..`, ".."],
        [`${dir}/.`, "."],
        [`file://${dir}/${sub}/..`, ".."],
      ] as const) {
        template.custom = { ...template.custom, uri };
        await expect(new SQLite3TaskExecutor().executeFromModel(template, {}, currentContext()), uri).rejects.toThrow(`task 'dots', ${problem(uri, dots)}`);
      }
      expect(existsSync(join(tmpdir(), marker))).toBe(false);
    } finally {
      rmSync(join(tmpdir(), marker), { force: true });
      rmSync(join(tmpdir(), sub), { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("@customContainerTask with a SQLite3Config", () => {
  it("builds a SQLite3Task from a decorated class, with the plugin's own options", async () => {
    const db = await tracksDatabase();
    @customContainerTask({ config: new SQLite3Config({ uri: db }), queryTemplate: "select TrackId, Name, Genre from tracks where Genre = '{{ .inputs.genre }}'", inputs: { genre: Str }, rowType: Track })
    class MetalTracks {}
    const t = taskOf(MetalTracks);
    expect(t).toBeInstanceOf(SQLite3Task);
    const { results: rows } = (await t.invoke({ genre: "Metal" })) as { results: Track[] };
    expect(rows.map((r) => r.TrackId)).toEqual([3, 4]);
    // Serialized, then read back: the template Flyte registers, whole.
    const template = toTaskTemplate(t, settings);
    expect(equals(TaskTemplateSchema, fromBinary(TaskTemplateSchema, toBinary(TaskTemplateSchema, template)), template)).toBe(true);
    expect(template.custom).toEqual({ query_template: "select TrackId, Name, Genre from tracks where Genre = '{{ .inputs.genre }}'", uri: db, compressed: false });
  });
});

