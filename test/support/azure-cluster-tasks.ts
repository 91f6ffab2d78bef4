// The TypeScript task of the Azure cluster-shaped test (test/cluster-azure.test.ts): it reads what
// test/interop/azure_tasks.py `produce` wrote (an int, a record, a file in the container) and
// returns a new record, a file and a directory, which the entrypoint uploads to the raw output
// prefix in the container for `check` to read.
import { field, task } from "@flytekit-ts/decorators";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { currentContext, Directory, File, Float, FlyteDirectory, FlyteFile, Int, List } from "@flytekit-ts/core";

/** azure_tasks.py's `@dataclass class Sample`. */
export class Sample {
  @field() name!: string;
  @field(Int) count!: number;
  @field(List(Float)) scores!: number[];
}

export class AzureCluster {
  @task({ inputs: { n: Int, sample: Sample, data: File }, outputs: { summary: Sample, report: File, bundle: Directory } })
  static async transform(n: number, sample: Sample, data: FlyteFile): Promise<{ summary: Sample; report: FlyteFile; bundle: FlyteDirectory }> {
    const text = readFileSync(await data.download(), "utf8");
    const scratch = currentContext().scratchDir;
    const summary = Object.assign(new Sample(), { name: `${sample.name}, seen by typescript`, count: n + 1, scores: [...sample.scores, text.length] });
    const report = join(scratch, "report.txt");
    writeFileSync(report, `typescript read ${text.length} bytes from python: ${text.split("\n")[0]}\n`);
    const bundle = join(scratch, "bundle");
    mkdirSync(join(bundle, "nested"), { recursive: true });
    writeFileSync(join(bundle, "count.txt"), String(summary.count));
    writeFileSync(join(bundle, "nested", "name.txt"), sample.name);
    return { summary, report: new FlyteFile(report), bundle: new FlyteDirectory(bundle) };
  }
}
