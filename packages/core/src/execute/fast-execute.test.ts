// unpack: what flytekit-ts-fast-execute does with the code tarball before it runs anything. The
// tarball comes from the blob store; a damaged or hostile one must fail at once and write nothing
// outside the destination.
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { FlyteError } from "../errors/flyte-error.js";
import { unpack } from "./fast-execute.js";

/** A ustar header for a regular file (or `type`), the size field's text as given, the checksum right. */
function header(name: string, sizeField: string, type = "0"): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100);
  h.write("0000644\0", 100);
  h.write(sizeField, 124, 12, "latin1");
  h.fill(" ", 148, 156);
  h.write(type, 156);
  h.write("ustar\0", 257);
  h.write("00", 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return h;
}

/** A tar of files, and directories for names ending in "/". */
function tarOf(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    blocks.push(header(name, `${data.length.toString(8).padStart(11, "0")}\0`, name.endsWith("/") ? "5" : "0"), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), "flytekit-ts-unpack-"));
}

describe("unpack: a damaged or hostile tarball", () => {
  it("fails at once on a header with a negative size (a 70-byte .tar.gz that made it loop forever)", () => {
    const hostile = gzipSync(Buffer.concat([header("evil.ts", "-0000001000"), Buffer.alloc(1024)]));
    expect(hostile.length).toBeLessThan(100);
    const dest = join(scratch(), "dest");
    let error: unknown;
    try {
      unpack(hostile, dest, "s3://bucket/fast/code.tar.gz");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FlyteError);
    expect((error as FlyteError).message).toBe(
      `archive s3://bucket/fast/code.tar.gz, member 'evil.ts': its header (at byte 0) is damaged: the size field "-0000001000" is not a non-negative octal number`,
    );
  });

  it("writes nothing when any header is damaged, however far in", () => {
    const dest = scratch();
    const tail = header("b.ts", "00000000003\0");
    tail.write("0001234\0", 148); // its checksum, wrong
    expect(() => unpack(Buffer.concat([tarOf({ "a.ts": "a" }).subarray(0, 1024), tail, Buffer.from("bbb".padEnd(512, "\0")), Buffer.alloc(1024)]), dest)).toThrow(
      "archive, member 'b.ts': its header (at byte 1024) is damaged: its checksum does not match",
    );
    expect(readdirSync(dest)).toEqual([]);
  });

  it("refuses data that runs past the end of the archive", () => {
    expect(() => unpack(gzipSync(Buffer.concat([header("big.ts", "00000100000\0"), Buffer.alloc(1024)])), scratch(), "code.tar.gz")).toThrow(
      "archive code.tar.gz, member 'big.ts': its data (32768 bytes from byte 512) runs past the end of the archive (1536 bytes): the archive is truncated or damaged",
    );
  });
});
