// Tasks the container entrypoint runs in the tests (test/entrypoint.test.ts), one per row of
// flytekit's failure table and for the golden cases of golden/entrypoint (module golden_entry).
// Loaded by flytekit-ts-execute in a process of its own, as TypeScript, through the TS loader.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { task } from "@flytekit-ts/decorators";
import { currentContext, Directory, File, FlyteDirectory, FlyteFile, IgnoreOutputs, Int, RecoverableError, Str } from "@flytekit-ts/core";

/** A user error that carries its own code, as a flytekit user's exception may (`error_code`). */
export class QuotaError extends Error {
  override name = "QuotaError";
  readonly errorCode = "QUOTA_EXCEEDED";
}

/** A numeric code becomes its text. */
export class NumberedError extends Error {
  override name = "NumberedError";
  readonly errorCode = 42;
}

export class EntryTasks {
  @task({ inputs: { x: Int, y: Int }, outputs: Int })
  static add(x: number, y: number): number {
    return x + y;
  }

  @task({ inputs: { x: Int }, outputs: Int })
  static failUser(x: number): number {
    throw new Error(`boom ${x}`);
  }

  @task({ inputs: { x: Int }, outputs: Int })
  static failRecoverable(x: number): number {
    throw new RecoverableError(`try again (x=${x})`);
  }

  @task({ inputs: { x: Int } })
  static noOutputs(x: number): void {
    if (x < 0) throw new Error("negative");
  }

  @task({ inputs: { x: Int }, outputs: Int })
  static failCode(x: number): number {
    throw new QuotaError(`custom failure for ${x}`);
  }

  @task({ inputs: { x: Int }, outputs: Int })
  static failNumberedCode(x: number): number {
    throw new NumberedError(`numbered failure for ${x}`);
  }

  @task({ inputs: { x: Int }, outputs: Int })
  static ignore(x: number): number {
    throw new IgnoreOutputs(`worker ${x} does not report`);
  }

  /** Throws a string, not an Error. */
  @task({ inputs: { x: Int }, outputs: Int })
  static throwString(x: number): number {
    throw `plain text failure ${x}`;
  }

  /** Its error escapes its own call: a timer throws while the task waits. */
  @task({ inputs: { x: Int }, outputs: Int })
  static async strayThrow(x: number): Promise<number> {
    setTimeout(() => {
      throw new Error(`thrown from a timer (${x})`);
    }, 1);
    await new Promise((r) => setTimeout(r, 2000));
    return x;
  }

  /** A promise it never awaits rejects. */
  @task({ inputs: { x: Int }, outputs: Int })
  static async strayReject(x: number): Promise<number> {
    void Promise.reject(new RecoverableError(`nobody awaited this (${x})`));
    await new Promise((r) => setTimeout(r, 2000));
    return x;
  }

  /** Declares an Int and returns a string: the outputs cannot be converted. */
  @task({ inputs: { x: Int }, outputs: Int })
  static badOutput(x: number): number {
    return `seven-${x}` as unknown as number;
  }

  /** What the entrypoint's context says, from the environment Flyte sets. */
  @task({ outputs: { execution: Str, task: Str, attempt: Int, raw: Str, checkpoint: Str } })
  static context(): { execution: string; task: string; attempt: number; raw: string; checkpoint: string } {
    const ctx = currentContext();
    const e = ctx.executionId;
    const t = ctx.taskId;
    return {
      execution: `${e.project}/${e.domain}/${e.name}`,
      task: t === undefined ? "" : `${t.project}/${t.domain}/${t.name}/${t.version}`,
      attempt: ctx.attempt,
      raw: ctx.rawOutputPrefix,
      checkpoint: ctx.checkpointPath ?? "",
    };
  }

  /** Writes a file and a directory in its scratch space: the entrypoint uploads both to the raw output prefix. */
  @task({ inputs: { text: Str }, outputs: { report: File, bundle: Directory } })
  static writeFiles(text: string): { report: FlyteFile; bundle: FlyteDirectory } {
    const scratch = currentContext().scratchDir;
    const report = join(scratch, "report.txt");
    writeFileSync(report, text);
    const dir = join(scratch, "bundle");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "a.txt"), `${text}-a`);
    writeFileSync(join(dir, "b.txt"), `${text}-b`);
    return { report: new FlyteFile(report), bundle: new FlyteDirectory(dir) };
  }

  /** Reads a file it is given (downloaded through the storage layer). */
  @task({ inputs: { f: File }, outputs: Str })
  static async readFile(f: FlyteFile): Promise<string> {
    return readFileSync(await f.download(), "utf8");
  }
}
