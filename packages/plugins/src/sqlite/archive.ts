// Archives a SQLite3Task's database may come in, as flytekit's unarchive_file takes them: the format
// from the file name (.zip, .tar, .tar.gz / .tgz), and exactly one entry at the top of the archive,
// which is the database.
import { DocumentError } from "@flytekit-ts/core";
import { crc32, gunzip, untar } from "@flytekit-ts/core/internal";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { inflateRawSync } from "node:zlib";

/** A file in an archive. */
interface Member {
  path: string;
  isDirectory: boolean;
  data: () => Buffer;
}

/** The members of a zip file (stored or deflated; no ZIP64, no encryption). */
export function unzip(zip: Buffer, name = "archive"): Member[] {
  // The end of central directory record: its signature, searched from the end (a comment may follow it).
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  function fail(problem: string): never {
    throw new DocumentError({ subject: `archive ${name}`, problem });
  }
  if (eocd < 0) fail("it is not a zip file (no end of central directory)");
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  if (offset === 0xffffffff) fail("ZIP64 archives are not supported");
  const members: Member[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) fail("its central directory is damaged");
    const flags = zip.readUInt16LE(offset + 8);
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    const path = zip.subarray(offset + 46, offset + 46 + nameLength).toString(flags & 0x800 ? "utf8" : "latin1");
    offset += 46 + nameLength + extraLength + commentLength;
    if (flags & 0x1) fail(`${path} is encrypted`);
    const crc = zip.readUInt32LE(offset - (46 + nameLength + extraLength + commentLength) + 16);
    const data = () => {
      const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
      const raw = zip.subarray(start, start + compressedSize);
      let out: Buffer;
      if (method === 0) out = Buffer.from(raw);
      else if (method === 8) out = inflateRawSync(raw);
      else fail(`${path} uses compression method ${method}; only stored and deflated files are supported`);
      if (crc32(out) !== crc) fail(`${path} is damaged (its CRC-32 does not match)`);
      return out;
    };
    members.push({ path, isDirectory: path.endsWith("/"), data });
  }
  return members;
}

function tarMembers(tar: Buffer, source: string): Member[] {
  return untar(tar, source).map((e) => ({ path: e.path, isDirectory: e.type === "directory", data: () => e.data }));
}

/** The members of an archive, by its file name's extension (as Python's shutil.unpack_archive). */
function membersOf(localPath: string, source: string): Member[] {
  const name = basename(localPath).toLowerCase();
  const bytes = () => readFileSync(localPath);
  if (name.endsWith(".zip")) return unzip(bytes(), source);
  if (name.endsWith(".tar")) return tarMembers(bytes(), source);
  if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) return tarMembers(gunzip(bytes(), source), source);
  if (/\.(tar\.bz2|tbz2|tar\.xz|txz)$/.test(name)) {
    throw new DocumentError({ subject: `archive ${source}`, problem: `Unknown archive format '${source}': bz2 and xz archives are not supported by flytekit-ts`, fix: "use .zip or .tar.gz" });
  }
  throw new DocumentError({ subject: `archive ${source}`, problem: `Unknown archive format '${source}'` });
}

/**
 * Unpacks the database from an archive into `<toDir>/_arch` and returns its path. The archive must
 * hold exactly one entry at its top, the database file, as flytekit requires.
 */
export function unarchiveFile(localPath: string, toDir: string, source: string = localPath): string {
  const members = membersOf(localPath, source);
  // A member's path must stay in the archive: its first part would name the file it is written to.
  const leaving = members.find((m) => m.path.startsWith("/") || m.path.split("/").includes(".."));
  if (leaving !== undefined) throw new DocumentError({ subject: `archive ${source}, member '${leaving.path}'`, problem: "refusing to unpack it: it is outside the archive" });
  const top = [...new Set(members.map((m) => m.path.replace(/^\.\//, "").split("/")[0]!).filter((p) => p !== ""))];
  if (top.length !== 1) {
    throw new DocumentError({ subject: `archive ${source}`, problem: `Uncompressed archive should contain only one file - found ${JSON.stringify(top)}!` });
  }
  const only = top[0]!;
  const file = members.find((m) => !m.isDirectory && m.path.replace(/^\.\//, "") === only);
  if (file === undefined) throw new DocumentError({ subject: `archive ${source}`, problem: `the archive's only entry, ${only}, is a directory, not a database file` });
  const dir = join(toDir, "_arch");
  mkdirSync(dir, { recursive: true });
  const target = join(dir, only);
  writeFileSync(target, file.data());
  return target;
}
