// Tasks that end their work in ways a container must still report truthfully (test/entrypoint-
// guarantees.test.ts): a rejection nobody awaits, process.exit, a promise that never settles, a
// timer that throws after the task returned. Loaded by flytekit-ts-execute in a process of its own.
import { task } from "@flytekit-ts/decorators";
import { File, FlyteFile, Int, Json, registerStorage, Str, type JsonRecord } from "@flytekit-ts/core";
import { LocalStorage } from "@flytekit-ts/core/extend";

/**
 * A store as slow as a real object store: `slow:///path` is the local path, and every write takes
 * 150 ms, so that what a task left running can act while its document is being written.
 */
class SlowStore extends LocalStorage {
  private local(uri: string): string {
    return uri.replace(/^slow:\/\//, "");
  }
  override read(uri: string) {
    return super.read(this.local(uri));
  }
  override async write(uri: string, bytes: Uint8Array) {
    await new Promise((r) => setTimeout(r, 150));
    return super.write(this.local(uri), bytes);
  }
  override upload(path: string, uri: string) {
    return super.upload(path, this.local(uri));
  }
  override download(uri: string, path: string) {
    return super.download(this.local(uri), path);
  }
  override exists(uri: string) {
    return super.exists(this.local(uri));
  }
}
registerStorage("slow", new SlowStore());

export class Hostile {
  /** Starts a promise that rejects, never awaits it, and returns in the same tick. */
  @task({ inputs: { x: Int }, outputs: Int })
  static rejectSameTick(x: number): number {
    void Promise.reject(new Error(`nobody awaited this (${x})`));
    return x;
  }

  /** Throws from a microtask after returning. */
  @task({ inputs: { x: Int }, outputs: Int })
  static throwInMicrotask(x: number): number {
    queueMicrotask(() => {
      throw new Error(`thrown from a microtask (${x})`);
    });
    return x;
  }

  /** Throws from a timer that is due at once, after returning. */
  @task({ inputs: { x: Int }, outputs: Int })
  static throwInDueTimer(x: number): number {
    setTimeout(() => {
      throw new Error(`thrown from a due timer (${x})`);
    }, 0);
    return x;
  }

  /** Ends the process with 0 instead of returning: Flyte would read no document and exit 0 as success. */
  @task({ inputs: { x: Int } })
  static exitZero(x: number): void {
    if (x >= 0) process.exit(0);
  }

  /** Ends the process with its own code. */
  @task({ inputs: { x: Int }, outputs: Int })
  static async exitThree(x: number): Promise<number> {
    await new Promise((r) => setTimeout(r, 5));
    process.exit(3);
    return x;
  }

  /** Calls process.exit and catches what stops it, then returns as if nothing happened. */
  @task({ inputs: { x: Int }, outputs: Int })
  static exitCaught(x: number): number {
    try {
      process.exit(0);
    } catch {
      // carry on
    }
    return x;
  }

  /** Returns a promise that never settles, with nothing else left to run. */
  @task({ inputs: { x: Int }, outputs: Int })
  static neverSettles(x: number): Promise<number> {
    return new Promise<number>(() => void x);
  }

  /** Returns, leaving a timer that throws later: the outputs stand, the error is logged. */
  @task({ inputs: { x: Int }, outputs: Int })
  static throwLater(x: number): number {
    setTimeout(() => {
      throw new Error(`thrown from a timer after the task returned (${x})`);
    }, 50);
    return x;
  }

  /** Returns, leaving an interval running for ever: the process still ends. */
  @task({ inputs: { x: Int }, outputs: Int })
  static leaveInterval(x: number): number {
    setInterval(() => {}, 1000);
    return x;
  }

  /** Returns, and calls process.exit(0) from a timer while its outputs are being written. */
  @task({ inputs: { x: Int }, outputs: Int })
  static exitWhileWriting(x: number): number {
    setTimeout(() => process.exit(0), 50);
    return x;
  }

  /** Returns, and leaves a promise that rejects while its outputs are being written. */
  @task({ inputs: { x: Int }, outputs: Int })
  static rejectWhileWriting(x: number): number {
    setTimeout(() => void Promise.reject(new Error(`rejected while the outputs were written (${x})`)), 50);
    return x;
  }

  /** Returns 48 MiB: long enough to write that a kill can land during it. */
  @task({ inputs: { x: Int }, outputs: Str })
  static bigOutput(x: number): string {
    return String(x % 10).repeat(48 * 1024 * 1024);
  }

  /** Reads a Json input. */
  @task({ inputs: { doc: Json }, outputs: Int })
  static keys(doc: JsonRecord): number {
    return Object.keys(doc).length;
  }

  /** Reads a File input. */
  @task({ inputs: { f: File }, outputs: Int })
  static size(f: FlyteFile): number {
    return f.path.length;
  }
}
