// unpack: what flytekit-ts-fast-execute does with the code tarball before it runs anything. The
// tarball comes from the blob store; a damaged or hostile one must fail at once and write nothing
// outside the destination.
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it, onTestFinished } from "vitest";
import { FlyteError } from "../errors/flyte-error.js";
import { rawTar, rawTarHeader } from "../archive/raw-tar.js";
import { unpack } from "./fast-execute.js";

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-unpack-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("unpack: a damaged or hostile tarball", () => {
  it("fails at once on a header with a negative size (a 70-byte .tar.gz that made it loop forever)", () => {
    const hostile = gzipSync(Buffer.concat([rawTarHeader("evil.ts", "-0000001000"), Buffer.alloc(1024)]));
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
    const tail = rawTarHeader("b.ts", "00000000003\0");
    tail.write("0001234\0", 148); // its checksum, wrong
    expect(() => unpack(Buffer.concat([rawTar({ "a.ts": "a" }).subarray(0, 1024), tail, Buffer.from("bbb".padEnd(512, "\0")), Buffer.alloc(1024)]), dest)).toThrow(
      "archive, member 'b.ts': its header (at byte 1024) is damaged: its checksum does not match",
    );
    expect(readdirSync(dest)).toEqual([]);
  });

  it("refuses data that runs past the end of the archive", () => {
    expect(() => unpack(gzipSync(Buffer.concat([rawTarHeader("big.ts", "00000100000\0"), Buffer.alloc(1024)])), scratch(), "code.tar.gz")).toThrow(
      "archive code.tar.gz, member 'big.ts': its data (32768 bytes from byte 512) runs past the end of the archive (1536 bytes): the archive is truncated or damaged",
    );
  });
});

describe("unpack: symbolic links already in the destination", () => {
  /** A destination with links in it, and a directory outside it with one file. */
  function setUp() {
    const base = realpathSync(scratch());
    const dest = join(base, "dest");
    const outside = join(base, "outside");
    mkdirSync(dest);
    mkdirSync(outside);
    writeFileSync(join(outside, "target.txt"), "original");
    return { dest, outside };
  }

  it("refuses to write through a link that leads outside, naming the member and the link", () => {
    const { dest, outside } = setUp();
    symlinkSync(outside, join(dest, "link"));
    for (const member of ["link/evil.txt", "link/sub/evil.txt", "link/sub/"]) {
      expect(() => unpack(rawTar({ [member]: "pwned" }), dest, "code.tar.gz")).toThrow(
        `archive code.tar.gz, member '${member}': refusing to unpack it: link is a symbolic link to ${outside}, outside ${dest}`,
      );
    }
    // Nothing was written outside.
    expect(readdirSync(outside)).toEqual(["target.txt"]);
    // A link to a link outside, deeper in: the same.
    mkdirSync(join(dest, "pkg"));
    symlinkSync(join(dest, "link"), join(dest, "pkg", "hop"));
    expect(() => unpack(rawTar({ "pkg/hop/evil.txt": "pwned" }), dest)).toThrow(`archive, member 'pkg/hop/evil.txt': refusing to unpack it: pkg/hop is a symbolic link to ${outside}, outside ${dest}`);
    expect(readdirSync(outside)).toEqual(["target.txt"]);
  });

  it("replaces a link at a file member's own path instead of writing through it (as GNU tar does)", () => {
    const { dest, outside } = setUp();
    symlinkSync(join(outside, "target.txt"), join(dest, "config.ts"));
    symlinkSync(join(outside, "created.txt"), join(dest, "dangling.ts"));
    unpack(rawTar({ "config.ts": "ours", "dangling.ts": "ours too" }), dest);
    expect(readFileSync(join(outside, "target.txt"), "utf8")).toBe("original");
    expect(readdirSync(outside)).toEqual(["target.txt"]);
    expect(lstatSync(join(dest, "config.ts")).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(dest, "config.ts"), "utf8")).toBe("ours");
    expect(readFileSync(join(dest, "dangling.ts"), "utf8")).toBe("ours too");
  });

  it("follows a link that stays inside the destination, and a destination that is itself a link", () => {
    const { dest } = setUp();
    mkdirSync(join(dest, "vendor"));
    symlinkSync("vendor", join(dest, "lib"));
    const viaLink = join(dest, "..", "dest-link");
    symlinkSync(dest, viaLink);
    unpack(rawTar({ "lib/a.ts": "a", "src/b.ts": "b" }), viaLink);
    expect(readFileSync(join(dest, "vendor", "a.ts"), "utf8")).toBe("a");
    expect(readFileSync(join(dest, "src", "b.ts"), "utf8")).toBe("b");
    expect(lstatSync(join(dest, "lib")).isSymbolicLink()).toBe(true);
  });

  it("refuses a member whose directory is a file, or whose path is a directory, saying which", () => {
    const { dest } = setUp();
    writeFileSync(join(dest, "a"), "file");
    mkdirSync(join(dest, "d"));
    expect(() => unpack(rawTar({ "a/b.ts": "x" }), dest)).toThrow("archive, member 'a/b.ts': refusing to unpack it: a is in the way (it is a file, not a directory)");
    expect(() => unpack(rawTar({ d: "x" }), dest)).toThrow("archive, member 'd': refusing to unpack it: d is a directory in the destination");
  });
});
