// The TypeScript task of the cluster-shaped S3 test (test/cluster-s3.test.ts): it reads what
// test/interop/cluster_tasks.py's `produce` writes (an int, a record, a FlyteFile in the bucket)
// and returns a new record, a File and a Directory, which that module's `check` reads.
import { Directory, File, FlyteDirectory, FlyteFile, Float, Int, List, currentContext } from "@flytekit-ts/core";
import { field, task } from "@flytekit-ts/decorators";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** flytekit's `@dataclass class Sample`. */
export class Sample {
  @field() name!: string;
  @field(Int) count!: number;
  @field(List(Float)) scores!: number[];
}

/** flytekit's `@dataclass class Summary`. */
export class Summary {
  @field() source!: string;
  @field(Int) total!: number;
  @field() text!: string;
  @field(List(Float)) scores!: number[];
}

export class Cluster {
  @task({ inputs: { n: Int, sample: Sample, data: File }, outputs: { summary: Summary, report: File, bundle: Directory } })
  static async transform(n: number, sample: Sample, data: FlyteFile): Promise<{ summary: Summary; report: FlyteFile; bundle: FlyteDirectory }> {
    if (!(sample instanceof Sample)) throw new Error(`sample is not a Sample: ${JSON.stringify(sample)}`);
    const text = readFileSync(await data.download(), "utf8");
    const total = n + sample.count;
    const scratch = currentContext().scratchDir;
    const report = join(scratch, "report.txt");
    writeFileSync(report, `report: ${total} from ${sample.name}\n${text}`);
    const bundle = join(scratch, "bundle");
    mkdirSync(join(bundle, "nested", "deeper"), { recursive: true });
    writeFileSync(join(bundle, "a.txt"), `a of ${sample.name}`);
    writeFileSync(join(bundle, "nested", "deeper", "b.txt"), `b: ${total}`);
    const summary = Object.assign(new Summary(), { source: `${sample.name}+ts`, total, text, scores: sample.scores.map((s) => s * 2) });
    return { summary, report: new FlyteFile(report), bundle: new FlyteDirectory(bundle) };
  }
}
