// Test helpers: a real SQLite database file, and archives holding it (test-only).
import { crc32 } from "@flytekit-ts/core/internal";
import initSqlJs from "sql.js";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";

/** A database of tracks: TrackId (INTEGER), Name (TEXT), Milliseconds (INTEGER), Price (REAL), Genre (TEXT, nullable). */
export async function tracksDatabase(dir = mkdtempSync(join(tmpdir(), "flytekit-ts-sqlite-db-"))): Promise<string> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run("create table tracks (TrackId integer primary key, Name text not null, Milliseconds integer, Price real, Genre text)");
  const rows: [number, string, number, number, string | null][] = [
    [1, "For Those About To Rock", 343719, 0.99, "Rock"],
    [2, "Balls to the Wall", 342562, 0.99, null],
    [3, "Fast As a Shark", 230619, 1.0, "Metal"],
    [4, "Restless and Wild", 252051, 1.49, "Metal"],
  ];
  for (const r of rows) db.run("insert into tracks values (?, ?, ?, ?, ?)", r);
  db.run("create table big (n integer)");
  db.run("insert into big values (9007199254740993)");
  const file = join(dir, "tracks.db");
  writeFileSync(file, db.export());
  db.close();
  return file;
}

/**
 * A database of one table, `v`, whose columns hold each kind of value a query gives a table:
 * id (INTEGER), i (INTEGER with a NULL), big (INTEGER past 2^53), r (REAL with a NULL), ir (INTEGER
 * and REAL), s (TEXT with a NULL, not ASCII), b (BLOB with a NULL), tb (TEXT and BLOB), z (only
 * NULL), at (dates as SQLite writes them), ok (0 and 1), inf (REAL infinities). Table `mixed`:
 * c holds an INTEGER and a TEXT.
 */
export async function valuesDatabase(dir = mkdtempSync(join(tmpdir(), "flytekit-ts-sqlite-values-"))): Promise<string> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run("create table v (id integer primary key, i integer, big integer, r real, ir, s text, b blob, tb, z, at text, ok integer, inf real)");
  const rows: unknown[][] = [
    [1, 10, 9007199254740993n, 0.5, 1, "héllo", new Uint8Array([0, 1, 2]), "text", null, "2024-05-01 12:30:00", 1, Infinity],
    [2, null, -9007199254740993n, null, 2.5, null, null, new Uint8Array([255]), null, "2024-05-01 12:30:00.123456", 0, -Infinity],
    [3, -7, 0, -1e300, -3, "", new Uint8Array([]), "", null, null, null, 0],
  ];
  const insert = db.prepare("insert into v values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const r of rows) {
    // sql.js binds a bigint as text unless told; bind INTEGERs past 2^53 through SQL instead.
    insert.run(r.map((v) => (typeof v === "bigint" ? null : v)) as never);
  }
  insert.free();
  db.run("update v set big = 9007199254740993 where id = 1");
  db.run("update v set big = -9007199254740993 where id = 2");
  db.run("create table mixed (c)");
  db.run("insert into mixed values (1), ('a')");
  const file = join(dir, "values.db");
  writeFileSync(file, db.export());
  db.close();
  return file;
}

/** A zip of files, stored or deflated, written by hand: no zip tool needed. */
export function zipOf(files: Record<string, Buffer>, options: { deflate?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, original] of Object.entries(files)) {
    const nameBytes = Buffer.from(name, "utf8");
    const crc = crc32(original) >>> 0;
    const data = options.deflate === true ? deflateRawSync(original) : original;
    const method = options.deflate === true ? 8 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(original.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(original.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A .tar.gz of a directory's entries, made by the system's tar. */
export function tarGzOf(dir: string, entries: string[], out: string): string {
  mkdirSync(join(out, ".."), { recursive: true });
  execFileSync("tar", ["-czf", out, "-C", dir, ...entries]);
  return out;
}
