// Tasks that take files and directories, for local calls and `flytekit-ts run` with s3:// URIs
// (test/storage-local-s3.test.ts).
import { Directory, File, FlyteDirectory, FlyteFile, Int, Str } from "@flytekit-ts/core";
import { task } from "@flytekit-ts/decorators";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** Every file under a directory, as "path=contents" lines, sorted. */
function listing(root: string): string {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(`${relative(root, p)}=${readFileSync(p, "utf8")}`);
    }
  };
  walk(root);
  return out.sort().join(";");
}

export class Remote {
  /** The file's first `lines` lines. */
  @task({ inputs: { f: File, lines: Int }, outputs: Str })
  static async head(f: FlyteFile, lines: number): Promise<string> {
    return readFileSync(await f.download(), "utf8").split("\n").slice(0, lines).join("\n");
  }

  /** Where the file is, without reading it. */
  @task({ inputs: { f: File }, outputs: Str })
  static where(f: FlyteFile): string {
    return f.path;
  }

  /** What the directory holds. */
  @task({ inputs: { d: Directory }, outputs: Str })
  static async contents(d: FlyteDirectory): Promise<string> {
    return listing(await d.download());
  }
}
