import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { FlyteError } from "../errors/flyte-error.js";
import { crc32, crc32InJs, gunzip, gzip, tar, untar } from "./tar.js";
import { rawTarHeader } from "./raw-tar.js";

const files = [
  { name: "0_short_1.pb", data: new Uint8Array([1, 2, 3]) },
  // Longer than the 100 bytes of a ustar name: it must travel in the pax header.
  { name: `1_${"a.very.long.module.path.".repeat(6)}task_1.pb`, data: new Uint8Array(700).fill(7) },
  { name: "2_ünïcode.task_1.pb", data: new Uint8Array() },
];

describe("tar and gzip as pyflyte package writes them", () => {
  it("computes gzip's CRC-32 (checked by gunzip, and on a known value)", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
    const data = Buffer.from("x".repeat(100_000) + "ünïcode");
    expect(gunzipSync(gzip(data, "f")).equals(data)).toBe(true);
  });

  it("computes the same CRC-32 in JavaScript, for a Node without zlib's", () => {
    for (const data of [Buffer.from("123456789"), Buffer.alloc(0), Buffer.from("x".repeat(70_000) + "ünïcode")]) expect(crc32InJs(data)).toBe(crc32(data));
    expect(crc32InJs(Buffer.from("123456789"))).toBe(0xcbf43926);
  });

  it("reads back what it wrote, long and non-ASCII names included", () => {
    const entries = untar(gunzipSync(gzip(tar(files, 1_700_000_000_123), "flyte-package.tgz")));
    expect(entries.map((e) => [e.path, e.type, e.mode, Buffer.from(e.data).toString("hex")])).toEqual(
      files.map((f) => [f.name, "file", 0o644, Buffer.from(f.data).toString("hex")]),
    );
  });

  it("GNU tar lists and extracts the same names and bytes", () => {
    const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-tar-"));
    const archive = join(dir, "flyte-package.tgz");
    writeFileSync(archive, gzip(tar(files, 1_700_000_000_123), "flyte-package.tgz", 1_700_000_000_123));
    expect(execFileSync("tar", ["-tzf", archive], { encoding: "utf8" }).trim().split("\n")).toEqual(files.map((f) => f.name));
    execFileSync("tar", ["-xzf", archive, "-C", dir]);
    for (const f of files) expect(new Uint8Array(readFileSync(join(dir, f.name)))).toEqual(f.data);
    // The member times are the packaging time (the ustar field; the pax header has the fraction).
    const raw = gunzipSync(readFileSync(archive));
    expect(parseInt(raw.subarray(512 * 2 + 136, 512 * 2 + 148).toString("ascii"), 8)).toBe(1_700_000_000);
  });

  it("pads the archive to whole 10240-byte records and ends with two zero blocks", () => {
    const raw = tar(files.slice(0, 1), 0);
    expect(raw.length % 10240).toBe(0);
    // header + pax + header + data = 4 blocks, then two zero blocks at least.
    expect(raw.subarray(4 * 512, 6 * 512).every((b) => b === 0)).toBe(true);
  });
});

const END = Buffer.alloc(1024);
const ok = (name: string, data: string) => Buffer.concat([rawTarHeader(name, `${data.length.toString(8).padStart(11, "0")}\0`), Buffer.from(data.padEnd(512, "\0"))]);

/** What `fn` throws, which must be a FlyteError. */
function thrown(fn: () => unknown): FlyteError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FlyteError);
    return e as FlyteError;
  }
  throw new Error("it did not throw");
}

describe("untar refuses a damaged or hostile archive at once, naming the member", () => {
  it("a negative size (a 70-byte .tar.gz that made the reader loop forever)", () => {
    // -0o1000 = -512: the old reader's offset stood still and it collected entries until memory ran out.
    const hostile = gzipSync(Buffer.concat([rawTarHeader("evil", "-0000001000"), END]));
    expect(hostile.length).toBeLessThan(100);
    const e = thrown(() => untar(gunzipSync(hostile), "code.tar.gz"));
    expect(e.message).toBe(`archive code.tar.gz, member 'evil': its header (at byte 0) is damaged: the size field "-0000001000" is not a non-negative octal number`);
    expect(e.subject).toBe("archive code.tar.gz, member 'evil'");
    // -1 moved on by a block and gave a member of no data; it is as damaged.
    expect(() => untar(Buffer.concat([rawTarHeader("evil", "-1"), END]))).toThrow(`tar archive, member 'evil': its header (at byte 0) is damaged: the size field "-1" is not a non-negative octal number`);
    expect(() => untar(Buffer.concat([rawTarHeader("evil", "12x"), END]))).toThrow(`the size field "12x" is not a non-negative octal number`);
  });

  it("a header whose checksum does not match (the first: not a tar archive)", () => {
    const second = rawTarHeader("b.txt", "00000000003\0", { checksum: "0001234\0" });
    expect(() => untar(Buffer.concat([ok("a.txt", "aaa"), second, Buffer.from("bbb".padEnd(512, "\0")), END]), "x.tar")).toThrow(
      "archive x.tar, member 'b.txt': its header (at byte 1024) is damaged: its checksum does not match (the header says 1234, its bytes sum to ",
    );
    expect(() => untar(Buffer.concat([rawTarHeader("a", "0", { checksum: "zz\0" }), END]), "x.tar")).toThrow("archive x.tar: it is not a tar archive, or it is damaged: the first header's checksum does not match");
    expect(() => untar(Buffer.from("SQLite format 3\0".padEnd(4096, "\x01")), "db.tar")).toThrow("archive db.tar: it is not a tar archive, or it is damaged");
  });

  it("data that runs past the end of the archive", () => {
    const archive = Buffer.concat([ok("a.txt", "aaa"), rawTarHeader("big.bin", "77777777777\0"), Buffer.alloc(512)]);
    expect(() => untar(archive)).toThrow(
      `tar archive, member 'big.bin': its data (8589934591 bytes from byte 1536) runs past the end of the archive (2048 bytes): the archive is truncated or damaged`,
    );
  });

  it("a damaged pax record; a pax size is the next member's", () => {
    const pax = (records: string) => Buffer.concat([rawTarHeader("././@PaxHeader", `${records.length.toString(8).padStart(11, "0")}\0`, { type: "x" }), Buffer.from(records.padEnd(512, "\0"))]);
    expect(() => untar(Buffer.concat([pax("99 path=x\n"), ok("x", "x"), END]))).toThrow(
      "tar archive, member '././@PaxHeader': its pax header (at byte 0) is damaged: the record at byte 0 says it is 99 bytes long, but 10 remain",
    );
    expect(() => untar(Buffer.concat([pax("0 path=x\n"), ok("x", "x"), END]))).toThrow("the record at byte 0 says it is 0 bytes long");
    expect(() => untar(Buffer.concat([pax("9 path=xy\n"), ok("x", "x"), END]))).toThrow("the record at byte 0 does not end with a newline where its length says");
    // The member's header says 0 bytes; its pax header says 3, and is right.
    const sized = Buffer.concat([pax("10 size=3\n"), rawTarHeader("s.txt", "00000000000\0"), Buffer.from("abc".padEnd(512, "\0")), END]);
    expect(untar(sized).map((e) => [e.path, e.data.toString()])).toEqual([["s.txt", "abc"]]);
  });

  it("reads GNU base-256 sizes, and refuses negative ones", () => {
    const size = Buffer.alloc(12);
    size[0] = 0x80;
    size[11] = 3;
    expect(untar(Buffer.concat([rawTarHeader("b256", size), Buffer.from("xyz".padEnd(512, "\0")), END])).map((e) => e.data.toString())).toEqual(["xyz"]);
    const negative = Buffer.alloc(12, 0xff);
    expect(() => untar(Buffer.concat([rawTarHeader("neg", negative), END]))).toThrow("tar archive, member 'neg': its header (at byte 0) is damaged: the size field is a negative number (GNU base-256)");
  });

  it("gunzip refuses damaged data and more than its limit (a gzip bomb)", () => {
    expect(() => gunzip(Buffer.from("not gzip"), "code.tar.gz")).toThrow("archive code.tar.gz: it is not valid gzip data: incorrect header check");
    const bomb = gzipSync(Buffer.alloc(1 << 20));
    expect(() => gunzip(bomb, "code.tar.gz", 1 << 16)).toThrow("archive code.tar.gz: it unpacks to more than 65536 bytes, the most flytekit-ts unpacks");
    expect(gunzip(bomb, "code.tar.gz").length).toBe(1 << 20);
  });
});
