// The TypeScript task of the cluster-shaped storage tests (test/cluster-gcs.test.ts): between two
// Python tasks of test/interop/gcs_tasks.py, with every URI in an object store. It reads the
// int, record and file Python's `produce` wrote and returns a new record, a File and a Directory.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { field, task } from "@flytekit-ts/decorators";
import { currentContext, Directory, File, FlyteDirectory, FlyteFile, Int, List, Str } from "@flytekit-ts/core";

/** Python's `@dataclass class Sample`. */
export class Sample {
  @field(Str) name!: string;
  @field(Int) count!: number;
  @field(List(Str)) tags!: string[];
}

export class GcsClusterTasks {
  @task({ inputs: { n: Int, sample: Sample, data: File }, outputs: { total: Int, summary: Sample, report: File, bundle: Directory } })
  static async combine(n: number, sample: Sample, data: FlyteFile): Promise<{ total: number; summary: Sample; report: FlyteFile; bundle: FlyteDirectory }> {
    const text = readFileSync(await data.download(), "utf8");
    const scratch = currentContext().scratchDir;
    const report = join(scratch, "report.txt");
    writeFileSync(report, `ts saw: ${text}`);
    const summary = Object.assign(new Sample(), { name: `${sample.name}+ts`, count: sample.count + 1, tags: [...sample.tags, "ts"] });
    const dir = join(scratch, "bundle");
    mkdirSync(join(dir, "nested", "deep"), { recursive: true });
    writeFileSync(join(dir, "count.txt"), String(summary.count));
    writeFileSync(join(dir, "nested", "deep", "name.txt"), summary.name);
    return { total: n + 1, summary, report: new FlyteFile(report), bundle: new FlyteDirectory(dir) };
  }
}
