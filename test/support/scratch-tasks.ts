// Tasks that make files in their scratch directory (test/scratch-dirs.test.ts): one keeps them to
// itself, one returns one as its output, one fails after making them.
import { task } from "@flytekit-ts/decorators";
import { currentContext, File, FlyteFile, Int } from "@flytekit-ts/core";
import { realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export class Scratch {
  /** Uses its scratch directory and its local raw output prefix, and returns a number. */
  @task({ inputs: { x: Int }, outputs: Int })
  static work(x: number): number {
    const ctx = currentContext();
    writeFileSync(join(ctx.scratchDir, "notes.txt"), String(x));
    writeFileSync(join(ctx.rawOutputPrefix, "big.bin"), Buffer.alloc(16));
    return x + 1;
  }

  /** Fails after writing into its scratch directory. */
  @task({ inputs: { x: Int }, outputs: Int })
  static failAfterWriting(x: number): number {
    writeFileSync(join(currentContext().scratchDir, "partial.txt"), String(x));
    throw new Error(`failed after writing (${x})`);
  }

  /** Returns a file it wrote into its scratch directory. */
  @task({ inputs: { x: Int }, outputs: File })
  static report(x: number): FlyteFile {
    const path = join(currentContext().scratchDir, "report.txt");
    writeFileSync(path, `report ${x}`);
    return new FlyteFile(path);
  }

  /** A cached task that returns a file it wrote into its scratch directory, and which process wrote it. */
  @task({ inputs: { x: Int }, outputs: File, cache: true, cacheVersion: "1" })
  static cachedReport(x: number): FlyteFile {
    const path = join(currentContext().scratchDir, "report.txt");
    writeFileSync(path, `report ${x} from process ${process.pid}`);
    return new FlyteFile(path);
  }

  /** Returns a file by the real path of its scratch directory (which differs where tmp is a symbolic link). */
  @task({ inputs: { x: Int }, outputs: File })
  static reportByRealPath(x: number): FlyteFile {
    const path = join(realpathSync(currentContext().scratchDir), "real.txt");
    writeFileSync(path, `real ${x}`);
    return new FlyteFile(path);
  }

  /** Runs past its timeout, then writes into its scratch directory. */
  @task({ inputs: { x: Int }, outputs: Int, timeout: { seconds: 0, nanos: 50_000_000 } })
  static async slowWriter(x: number): Promise<number> {
    await new Promise((r) => setTimeout(r, 250));
    writeFileSync(join(currentContext().scratchDir, "late.txt"), String(x));
    return x;
  }
}
