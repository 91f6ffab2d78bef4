import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { crc32, gzip, tar, untar } from "./tar.js";

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
