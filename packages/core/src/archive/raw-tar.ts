// Tar archives as a test needs them, broken on purpose or not: a header whose fields are the bytes
// given (a negative size, a wrong checksum), and a plain archive of files. For tests (shipped only
// through "@flytekit-ts/core/internal", for the other packages' tests).

/** A 512-byte ustar header: the size field's bytes as given, the type ("0" a file, "5" a directory), the checksum right unless given. */
export function rawTarHeader(name: string, size: string | Buffer, options: { type?: string; checksum?: string } = {}): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100);
  h.write("0000644\0", 100);
  if (typeof size === "string") h.write(size, 124, 12, "latin1");
  else size.copy(h, 124);
  h.fill(" ", 148, 156);
  h.write(options.type ?? "0", 156);
  h.write("ustar\0", 257);
  h.write("00", 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(options.checksum ?? `${sum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
  return h;
}

/** The size field of `n` bytes, as tar writes it. */
export function tarSize(n: number): string {
  return `${n.toString(8).padStart(11, "0")}\0`;
}

/** A tar of files (and directories, for names ending in "/"), then the two zero blocks that end it. */
export function rawTar(files: Record<string, string | Buffer>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    blocks.push(rawTarHeader(name, tarSize(data.length), { type: name.endsWith("/") ? "5" : "0" }), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
