// The same S3 store serves local calls and the CLI, on a real MinIO: a local call given a File or
// Directory by its s3:// URI downloads it only when the task reads it, through the built-in store
// configured by env as flytekit reads it (FLYTE_AWS_ENDPOINT, FLYTE_AWS_ACCESS_KEY_ID,
// FLYTE_AWS_SECRET_ACCESS_KEY); `flytekit-ts run` takes such URIs for its flags; the sqlite
// plugin's database `uri` may be one. MinIO is reached through a proxy that records the requests,
// so the test sees what was fetched and when. This file sets the variables in its own process
// (vitest runs each file in a process of its own) before the first s3:// use, which is when the
// built-in store reads them, and removes them at the end.
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { field } from "@flytekit-ts/decorators";
import { FlyteFile, Int, Optional, Str, taskOf } from "@flytekit-ts/core";
import { SQLite3Config, SQLite3Task } from "@flytekit-ts/plugins/sqlite";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { tarGzOf, tracksDatabase } from "../packages/plugins/src/sqlite/testing.js";
import { CLI_BIN, cleanEnv, runProcess } from "./support/execute.js";
import { startMinio, type Minio } from "./support/minio.js";
import { Remote } from "./support/remote-file-tasks.js";
import { stallingProxy, type StallingProxy } from "./support/tcp-proxy.js";

const BUCKET = "flyte";
let minio: Minio;
let proxy: StallingProxy;

beforeAll(async () => {
  minio = await startMinio([BUCKET]);
  proxy = await stallingProxy(minio.server.port);
  for (const [k, v] of Object.entries({ ...minio.env, FLYTE_AWS_ENDPOINT: proxy.endpoint })) vi.stubEnv(k, v);
  await put("data/notes.txt", "first line\nsecond line\nthird line\n");
  await put("data/dir/a.txt", "a");
  await put("data/dir/nested/b.txt", "b");
}, 600_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await proxy?.close();
  await minio?.stop();
});

async function put(key: string, body: string | Uint8Array): Promise<void> {
  await minio.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
}

/** The requests made for a key since `from` (an index into the proxy's record). */
function requestsFor(key: string, from = 0): string[] {
  return proxy.requests().slice(from).filter((r) => r.split(" ")[1]!.split("?")[0] === `/${BUCKET}/${key}`);
}

describe("a local call given s3:// files", () => {
  it("downloads a File given by its uri (a string, or a FlyteFile) when the task reads it", async () => {
    const head = taskOf(Remote.head);
    const before = proxy.requests().length;
    expect(await head.invoke({ f: `s3://${BUCKET}/data/notes.txt`, lines: 2 })).toBe("first line\nsecond line");
    expect(await head.invoke({ f: new FlyteFile(`s3://${BUCKET}/data/notes.txt`), lines: 1 })).toBe("first line");
    expect(requestsFor("data/notes.txt", before).filter((r) => r.startsWith("GET "))).toHaveLength(2);
  });

  it("and not before: a task that never reads its File fetches nothing", async () => {
    const before = proxy.requests().length;
    expect(await taskOf(Remote.where).invoke({ f: `s3://${BUCKET}/data/notes.txt` })).toBe(`s3://${BUCKET}/data/notes.txt`);
    expect(requestsFor("data/notes.txt", before)).toEqual([]);
  });

  it("downloads a Directory given by its uri, every file under it", async () => {
    expect(await taskOf(Remote.contents).invoke({ d: `s3://${BUCKET}/data/dir` })).toBe("a.txt=a;nested/b.txt=b");
  });

  it("a missing object fails the call with an error naming the uri", async () => {
    await expect(taskOf(Remote.head).invoke({ f: `s3://${BUCKET}/data/none.txt`, lines: 1 })).rejects.toThrow(
      `s3://${BUCKET}/data/none.txt: could not download it: no object is there, and no object is under it`,
    );
  });
});

describe("flytekit-ts run with s3:// inputs", () => {
  const env = () => ({ ...cleanEnv(), ...minio.env, HOME: mkdtempSync(join(tmpdir(), "flytekit-ts-home-")) });

  it("a File flag given as an s3:// uri", async () => {
    const r = await runProcess(process.execPath, [CLI_BIN, "run", "support/remote-file-tasks.ts", "Remote.head", "--f", `s3://${BUCKET}/data/notes.txt`, "--lines", "1"], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe("o0: 'first line'");
  });

  it("a Directory flag given as an s3:// uri", async () => {
    const r = await runProcess(process.execPath, [CLI_BIN, "run", "support/remote-file-tasks.ts", "Remote.contents", "--d", `s3://${BUCKET}/data/dir/`], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe("o0: 'a.txt=a;nested/b.txt=b'");
  });
});

class Track {
  @field(Int) TrackId!: number;
  @field() Name!: string;
  @field(Optional(Str)) Genre: string | null = null;
}

describe("the sqlite plugin's database at an s3:// uri", () => {
  it("a local call downloads the database through the store and queries it", async () => {
    await put("db/tracks.db", readFileSync(await tracksDatabase()));
    const t = new SQLite3Task({
      name: "s3-tracks",
      queryTemplate: "select TrackId, Name, Genre from tracks where Genre = '{{ .inputs.genre }}' order by TrackId",
      inputs: { genre: Str },
      rowType: Track,
      taskConfig: new SQLite3Config({ uri: `s3://${BUCKET}/db/tracks.db` }),
    });
    const { results } = (await t.invoke({ genre: "Metal" })) as { results: Track[] };
    expect(results.map((r) => r.Name)).toEqual(["Fast As a Shark", "Restless and Wild"]);
  });

  it("a compressed one too (a .tar.gz holding the database)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-sqlite-s3-"));
    await tracksDatabase(dir);
    await put("db/tracks.tar.gz", readFileSync(tarGzOf(dir, ["tracks.db"], join(dir, "tracks.tar.gz"))));
    const t = new SQLite3Task({ name: "s3-count", queryTemplate: "select count(*) as n from tracks", taskConfig: new SQLite3Config({ uri: `s3://${BUCKET}/db/tracks.tar.gz`, compressed: true }) });
    expect(await t.invoke({})).toEqual({ results: [{ n: 4 }] });
  });

  it("a database that is not there: the task and the uri named", async () => {
    const t = new SQLite3Task({ name: "s3-missing", queryTemplate: "select 1", taskConfig: new SQLite3Config({ uri: `s3://${BUCKET}/db/none.db` }) });
    await expect(t.invoke({})).rejects.toThrow(`task 's3-missing', the database s3://${BUCKET}/db/none.db: could not read it: could not download it: no object is there, and no object is under it`);
  });
});
