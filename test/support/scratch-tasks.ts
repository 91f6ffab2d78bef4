// Tasks that make files in their scratch directory (test/scratch-dirs.test.ts): one keeps them to
// itself, one returns one as its output, one fails after making them.
import { task } from "@flytekit-ts/decorators";
import { currentContext, File, FlyteFile, Int } from "@flytekit-ts/core";
import { writeFileSync } from "node:fs";
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
}
