// A gzipped tar as Python's tarfile writes it (what `pyflyte package` makes and `flytectl register
// files` reads): PAX format, each member after a pax header carrying its mtime, mode 0644, owner
// root, and the archive padded to 20 blocks; gzip with the file's name in its header.
import * as zlib from "node:zlib";
import { deflateRawSync, gunzipSync } from "node:zlib";
import { DocumentError } from "../errors/flyte-error.js";

const BLOCK = 512;
const RECORD = BLOCK * 20;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, "0")}\0`;
}

function header(name: string, size: number, mtime: number, type: string): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, "utf8");
  h.write(octal(0o644, 8), 100, "ascii");
  h.write(octal(0, 8), 108, "ascii");
  h.write(octal(0, 8), 116, "ascii");
  h.write(octal(size, 12), 124, "ascii");
  h.write(octal(Math.floor(mtime), 12), 136, "ascii");
  h.fill(" ", 148, 156);
  h.write(type, 156, "ascii");
  h.write("ustar\0", 257, "ascii");
  h.write("00", 263, "ascii");
  h.write("root", 265, "ascii");
  h.write("root", 297, "ascii");
  h.write(octal(0, 8), 329, "ascii");
  h.write(octal(0, 8), 337, "ascii");
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
  return h;
}

function padded(data: Buffer): Buffer {
  const rest = data.length % BLOCK;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(BLOCK - rest)]);
}

/** A pax record "<len> <key>=<value>\n", where len counts the whole record's bytes (UTF-8). */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bytes = Buffer.byteLength(body, "utf8");
  let len = bytes + 1;
  while (String(len).length + bytes !== len) len = String(len).length + bytes;
  return `${len}${body}`;
}

/** The first 100 bytes of a name, in ASCII, for the ustar field of a member whose pax header has its whole name. */
function asciiPrefix(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, "_").slice(0, 100);
}

/** A tar archive of the files, in the order given. */
export function tar(files: readonly { name: string; data: Uint8Array }[], mtimeMs: number = Date.now()): Buffer {
  const parts: Buffer[] = [];
  const mtime = mtimeMs / 1000;
  for (const f of files) {
    // A name that does not fit the 100-byte ustar field (or is not ASCII) travels in the pax header, as tarfile does.
    const long = Buffer.byteLength(f.name, "utf8") > 100 || /[^\x20-\x7e]/.test(f.name);
    const records = (long ? paxRecord("path", f.name) : "") + paxRecord("mtime", mtime.toFixed(6).replace(/0+$/, "").replace(/\.$/, ""));
    const pax = Buffer.from(records, "utf8");
    parts.push(header("././@PaxHeader", pax.length, mtime, "x"), padded(pax));
    parts.push(header(long ? asciiPrefix(f.name) : f.name, f.data.length, mtime, "0"), padded(Buffer.from(f.data)));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  const body = Buffer.concat(parts);
  const total = Math.ceil(body.length / RECORD) * RECORD;
  return Buffer.concat([body, Buffer.alloc(total - body.length)]);
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 in JavaScript, for a Node without zlib.crc32. */
export function crc32InJs(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** gzip's CRC-32: zlib's where this Node has it (20.15 and later: about 10× faster on large inputs), else ours. */
export const crc32: (data: Uint8Array) => number = (zlib as { crc32?: (data: Uint8Array) => number }).crc32 ?? crc32InJs;

/** gzip with the file name and modification time in the header, best compression (as Python's gzip). */
export function gzip(data: Buffer, fileName: string, mtimeMs: number = Date.now()): Buffer {
  const head = Buffer.alloc(10);
  head[0] = 0x1f;
  head[1] = 0x8b;
  head[2] = 8;
  head[3] = 8; // FNAME
  head.writeUInt32LE(Math.floor(mtimeMs / 1000), 4);
  head[8] = 2; // best compression
  head[9] = 255; // unknown OS, as Python writes
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data) >>> 0, 0);
  trailer.writeUInt32LE(data.length % 2 ** 32, 4);
  return Buffer.concat([head, Buffer.from(`${fileName}\0`, "latin1"), deflateRawSync(data, { level: 9 }), trailer]);
}

// Reading. Archives come from outside (a code tarball from the blob store, a database over http), so
// every header is checked before it is believed: its checksum, its size (a non-negative octal
// number, or GNU's base-256), its data inside the archive, its pax records; a damaged archive fails
// at once, naming the member, and the reader always moves forward, so it ends within the archive's
// length. We keep this reader (and the writer above) rather than adopt node-tar (npm's `tar`): the
// writer lays archives out as tarfile does (a pax header with the mtime before every member, 20-block
// records, gzip's file name), where node-tar writes a pax header only when a field does not fit; the
// reader is small, synchronous and in memory, which is what its two callers want (fast-execute
// applies its own rules to each path before it writes anything, the sqlite plugin picks one member),
// and node-tar would add a dependency, with its own, to the core for a few dozen lines of ours.

/** A file or directory of a tar archive, as `untar` reads it. */
export interface TarEntry {
  path: string;
  type: "file" | "directory";
  data: Buffer;
  mode: number;
}

/**
 * The most a gzipped archive may unpack to: 2 GiB (Node's `readFileSync` reads no bigger file, and
 * the reader holds the archive and a copy of its members, so about twice this in memory). A gzip
 * bomb fails at this size instead of taking the machine's memory.
 */
export const GUNZIP_LIMIT = 2 ** 31;

function archiveSubject(name: string | undefined): string {
  return name === undefined ? "tar archive" : `archive ${name}`;
}

/** The bytes of a gzip stream, at most `maxBytes` of them; damaged data and bombs fail as DocumentErrors naming the archive. */
export function gunzip(data: Uint8Array, name?: string, maxBytes: number = GUNZIP_LIMIT): Buffer {
  try {
    return gunzipSync(data, { maxOutputLength: maxBytes });
  } catch (e) {
    const subject = name === undefined ? "gzip archive" : `archive ${name}`;
    if ((e as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") {
      throw new DocumentError({ subject, problem: `it unpacks to more than ${maxBytes} bytes, the most flytekit-ts unpacks` }, { cause: e });
    }
    throw new DocumentError({ subject, problem: `it is not valid gzip data: ${e instanceof Error ? e.message : String(e)}` }, { cause: e });
  }
}

/** A text field: up to its first NUL. */
function field(h: Buffer, start: number, length: number): string {
  const raw = h.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString("utf8");
}

/** A field's bytes as they may be shown in a message (up to its first NUL, non-printables escaped). */
function shown(h: Buffer, start: number, length: number): string {
  const raw = h.subarray(start, start + length);
  const end = raw.indexOf(0);
  return JSON.stringify(raw.subarray(0, end === -1 ? raw.length : end).toString("latin1"));
}

/** An octal number field ("0000644\0", " 644 "): digits between optional spaces, up to a NUL; undefined if it is not one. */
function octalField(h: Buffer, start: number, length: number, empty?: number): number | undefined {
  const text = h.subarray(start, start + length).toString("latin1");
  const end = text.indexOf("\0");
  const digits = (end === -1 ? text : text.slice(0, end)).trim();
  if (digits === "") return empty;
  if (!/^[0-7]+$/.test(digits)) return undefined;
  const value = parseInt(digits, 8);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** The size field: octal, or GNU's base-256 (first byte 0x80, then big-endian); a problem in words if it is neither. */
function sizeField(h: Buffer): number | string {
  const first = h[124]!;
  if (first & 0x80) {
    if (first === 0xff) return "the size field is a negative number (GNU base-256)";
    if (first !== 0x80) return "the size field is not a number (its first byte is neither an octal digit nor a GNU base-256 mark)";
    let value = 0;
    for (let i = 125; i < 136; i++) {
      value = value * 256 + h[i]!;
      if (value > Number.MAX_SAFE_INTEGER) return "the size field (GNU base-256) is larger than flytekit-ts reads";
    }
    return value;
  }
  return octalField(h, 124, 12, 0) ?? `the size field ${shown(h, 124, 12)} is not a non-negative octal number`;
}

/** Whether the header's checksum matches its bytes (the field counted as spaces; signed bytes too, as old writers summed). */
function checksumProblem(h: Buffer): string | undefined {
  const stored = octalField(h, 148, 8);
  if (stored === undefined) return `its checksum field ${shown(h, 148, 8)} is not an octal number`;
  let unsigned = 8 * 0x20;
  let signed = 8 * 0x20;
  for (let i = 0; i < BLOCK; i++) {
    if (i >= 148 && i < 156) continue;
    unsigned += h[i]!;
    signed += (h[i]! << 24) >> 24;
  }
  if (stored === unsigned || stored === signed) return undefined;
  return `its checksum does not match (the header says ${stored.toString(8)}, its bytes sum to ${unsigned.toString(8)})`;
}

/** The records of a pax header ("<len> <key>=<value>\n" each, len counting the whole record); a problem in words if one is damaged. */
function parsePax(data: Buffer): Record<string, string> | string {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    // What follows the last record may be NUL padding, nothing else.
    if (data.subarray(i).every((b) => b === 0)) break;
    const space = data.indexOf(0x20, i);
    const digits = space < 0 ? "" : data.subarray(i, space).toString("latin1");
    if (!/^[0-9]{1,19}$/.test(digits)) return `the record at byte ${i} does not start with its length`;
    const len = Number(digits);
    // The shortest record is "<len> k=\n".
    if (len < digits.length + 4 || len > data.length - i) return `the record at byte ${i} says it is ${len} bytes long, but ${data.length - i} remain`;
    if (data[i + len - 1] !== 0x0a) return `the record at byte ${i} does not end with a newline where its length says`;
    const record = data.subarray(space + 1, i + len - 1).toString("utf8");
    const eq = record.indexOf("=");
    if (eq <= 0) return `the record at byte ${i} has no key=value`;
    out[record.slice(0, eq)] = record.slice(eq + 1);
    i += len;
  }
  return out;
}

/**
 * The entries of a tar archive (files and directories; links and devices are left out), pax and
 * GNU long names understood. `name` names the archive in errors. A damaged header (its checksum, its
 * size, data past the end of the archive, a pax record) is a DocumentError naming the member.
 */
export function untar(archive: Buffer, name?: string): TarEntry[] {
  const where = archiveSubject(name);
  const entries: TarEntry[] = [];
  let offset = 0;
  let pending: { path?: string; size?: number } = {};
  while (offset + BLOCK <= archive.length) {
    const h = archive.subarray(offset, offset + BLOCK);
    if (h.every((b) => b === 0)) break;
    const type = String.fromCharCode(h[156]!);
    const ustar = h.subarray(257, 263).toString("latin1") === "ustar\0";
    const prefix = ustar ? field(h, 345, 155) : "";
    const headerName = prefix === "" ? field(h, 0, 100) : `${prefix}/${field(h, 0, 100)}`;
    const at = offset;
    const fail = (problem: string): never => {
      const member = (pending.path ?? headerName).replace(/[^\x20-\x7e\u00a0-\uffff]/g, "?");
      throw new DocumentError({ subject: `${where}, member '${member}'`, problem });
    };
    const damaged = (what: string): never => fail(`its header (at byte ${at}) is damaged: ${what}`);

    const badSum = checksumProblem(h);
    if (badSum !== undefined) {
      if (at === 0) throw new DocumentError({ subject: where, problem: `it is not a tar archive, or it is damaged: the first header's checksum does not match` });
      damaged(badSum);
    }
    const headerSize = sizeField(h);
    if (typeof headerSize === "string") damaged(headerSize);
    const meta = type === "x" || type === "g" || type === "L" || type === "K";
    // A pax header's size record, when there is one, is the next member's size (for those past 8 GiB).
    const size = meta ? (headerSize as number) : (pending.size ?? (headerSize as number));
    const start = at + BLOCK;
    if (size > archive.length - start) {
      fail(`its data (${size} bytes from byte ${start}) runs past the end of the archive (${archive.length} bytes): the archive is truncated or damaged`);
    }
    const data = archive.subarray(start, start + size);
    const next = start + Math.ceil(size / BLOCK) * BLOCK;
    // Each header moves the reader at least one block on: it always ends.
    if (!(next > offset)) damaged("it does not move the reader forward");
    offset = next;

    if (type === "x" || type === "g") {
      const records = parsePax(data);
      if (typeof records === "string") fail(`its pax header (at byte ${at}) is damaged: ${records}`);
      const pax = records as Record<string, string>;
      // A global header's values are defaults for all members; none that we read (path, size) belongs there.
      if (type === "g") continue;
      if (pax.size !== undefined && !/^[0-9]{1,16}$/.test(pax.size)) fail(`its pax header (at byte ${at}) is damaged: size ${JSON.stringify(pax.size)} is not a number`);
      pending = { path: pax.path ?? pending.path, size: pax.size === undefined ? pending.size : Number(pax.size) };
      continue;
    }
    if (type === "L") {
      pending = { ...pending, path: field(Buffer.from(data), 0, data.length) };
      continue;
    }
    if (type === "K") continue;
    const path = pending.path ?? headerName;
    pending = {};
    const mode = octalField(h, 100, 8, 0o644);
    if (mode === undefined) damaged(`the mode field ${shown(h, 100, 8)} is not an octal number`);
    // A pre-POSIX archive marks a directory by the slash at the end of its name.
    if (type === "5" || (type === "\0" && path.endsWith("/"))) entries.push({ path, type: "directory", data: Buffer.alloc(0), mode: mode! });
    else if (type === "0" || type === "\0" || type === "7") entries.push({ path, type: "file", data: Buffer.from(data), mode: mode! });
  }
  return entries;
}
