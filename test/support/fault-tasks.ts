// Tasks of the storage fault tests (test/storage-faults-s3.test.ts): one returns a large File, so
// that its upload to the raw output prefix is in flight long enough to stop the server under it.
import { File, FlyteFile, Int, currentContext } from "@flytekit-ts/core";
import { task } from "@flytekit-ts/decorators";
import { closeSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";

export class Faults {
  /** A file of `mib` MiB (a pattern, not zeros, so nothing along the way can make it small). */
  @task({ inputs: { mib: Int }, outputs: { o0: File } })
  static async big(mib: number): Promise<FlyteFile> {
    const path = join(currentContext().scratchDir, "big.bin");
    const chunk = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31 + 7) & 0xff;
    const fd = openSync(path, "w");
    try {
      for (let i = 0; i < mib; i++) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
    return new FlyteFile(path);
  }
}
