// A gzipped tar as Python's tarfile writes it (what `pyflyte package` makes and `flytectl register
// files` reads): PAX format, each member after a pax header carrying its mtime, mode 0644, owner
// root, and the archive padded to 20 blocks; gzip with the file's name in its header.
import { deflateRawSync } from "node:zlib";

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

/** gzip's CRC-32 (node:zlib has one only from Node 20.15). */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

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

function field(h: Buffer, start: number, length: number): string {
  const raw = h.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString("utf8");
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    if (space < 0) break;
    const len = Number(data.subarray(i, space).toString("ascii"));
    if (!Number.isInteger(len) || len <= 0) break;
    const record = data.subarray(space + 1, i + len - 1).toString("utf8");
    const eq = record.indexOf("=");
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    i += len;
  }
  return out;
}

/** The entries of a tar archive (files and directories), pax and GNU long names understood. */
export function untar(archive: Buffer): { path: string; type: "file" | "directory"; data: Buffer; mode: number }[] {
  const entries: { path: string; type: "file" | "directory"; data: Buffer; mode: number }[] = [];
  let offset = 0;
  let pending: { path?: string } = {};
  while (offset + BLOCK <= archive.length) {
    const h = archive.subarray(offset, offset + BLOCK);
    if (h.every((b) => b === 0)) break;
    const size = parseInt(field(h, 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(h[156]!);
    const prefix = field(h, 345, 155);
    const name = prefix === "" ? field(h, 0, 100) : `${prefix}/${field(h, 0, 100)}`;
    const data = archive.subarray(offset + BLOCK, offset + BLOCK + size);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "x") {
      pending = { ...pending, path: parsePax(Buffer.from(data)).path ?? pending.path };
      continue;
    }
    if (type === "L") {
      pending = { ...pending, path: field(Buffer.from(data), 0, data.length) };
      continue;
    }
    const path = pending.path ?? name;
    pending = {};
    const mode = parseInt(field(h, 100, 8).trim() || "644", 8);
    if (type === "0" || type === "\0" || type === "") entries.push({ path, type: "file", data: Buffer.from(data), mode });
    else if (type === "5") entries.push({ path, type: "directory", data: Buffer.alloc(0), mode });
  }
  return entries;
}
