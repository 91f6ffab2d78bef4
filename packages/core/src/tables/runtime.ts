// Apache Arrow and Parquet, loaded on first use: requiring apache-arrow costs about 120 ms and
// parquet-wasm about 50 ms, which no task without tables should pay.
//
// apache-arrow (and arrow-js-ffi, which imports it) is loaded by import(): its ES build, the copy a
// user's `import ... from "apache-arrow"` gets, so that a Table the user made is an instance of the
// classes used here.
//
// parquet-wasm is Rust (arrow-rs's parquet crate) compiled to WebAssembly; its Node build is one
// CommonJS file of wasm-bindgen glue that compiles the .wasm beside it. That glue is evaluated here
// rather than required, for two reasons:
// - A Rust panic inside it (its async reader unwraps every decoding error: a corrupt page is a
//   panic) is a WebAssembly trap, thrown from the microtask in which wasm-bindgen-futures polls its
//   tasks: uncaught, it would end the process, and the read that caused it would wait forever. The
//   glue gets a `queueMicrotask` of ours that catches the trap and fails the instance instead
//   (`ParquetRuntime.trapped`), so that every operation on it ends with an error.
// - A trapped instance may hold half-done state (a borrowed cell, a task that never ends), and a
//   WebAssembly memory never shrinks: a fresh instance is the only way back to a clean, small one.
//   `release()` drops an instance; the next `loadParquet()` makes a new one.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { compileFunction } from "node:vm";

type Arrow = typeof import("apache-arrow");
type ParquetWasm = typeof import("parquet-wasm");
/**
 * What the codec uses of arrow-js-ffi. Its own .d.ts does not compile under `moduleResolution`
 * node16/nodenext (relative imports without extensions), which users' projects use: no .d.ts of
 * ours may import it, or their `tsc` fails on it.
 */
interface ArrowFfi {
  parseRecordBatch(buffer: ArrayBuffer, arrayPtr: number, schemaPtr: number, copy?: boolean): import("apache-arrow").RecordBatch;
  parseSchema(buffer: ArrayBuffer, ptr: number): import("apache-arrow").Schema;
}

let arrow: Promise<Arrow> | undefined;

/** The apache-arrow module (loaded once). */
export function loadArrow(): Promise<Arrow> {
  return (arrow ??= import("apache-arrow"));
}

let ffi: Promise<ArrowFfi> | undefined;

/** arrow-js-ffi (loaded once): it reads Arrow's C data interface out of WebAssembly memory into apache-arrow's classes. */
export function loadArrowFfi(): Promise<ArrowFfi> {
  return (ffi ??= import("arrow-js-ffi") as unknown as Promise<ArrowFfi>);
}

/** One parquet-wasm instance, with what the codecs need beside it. */
export interface ParquetRuntime {
  readonly wasm: ParquetWasm;
  readonly arrow: Arrow;
  readonly ffi: ArrowFfi;
  /**
   * Rejects (with the WebAssembly error) when the instance trapped: a Rust panic. Race every
   * promise of the instance against it: an operation the panic interrupted never settles.
   */
  readonly trapped: Promise<never>;
  /** True once the instance trapped or was released; `loadParquet()` no longer returns it. */
  readonly broken: boolean;
  /** Operations in flight on this instance (see `hold`). */
  readonly active: number;
  /** Marks an operation in flight; the returned function ends it. `releaseIfLarge` leaves an instance with operations in flight alone. */
  hold(): () => void;
  /**
   * Awaits a promise of the instance, failed by its trap: a panic fails every operation on the
   * instance and leaves the promise it interrupted pending for ever. The wait is forgotten once it
   * settles (racing the process-long `trapped` would keep every result alive).
   */
  settle<T>(promise: Promise<T>): Promise<T>;
}

class Runtime implements ParquetRuntime {
  broken = false;
  active = 0;
  readonly trapped: Promise<never>;
  private fail!: (error: unknown) => void;

  constructor(
    readonly wasm: ParquetWasm,
    readonly arrow: Arrow,
    readonly ffi: ArrowFfi,
  ) {
    this.trapped = new Promise<never>((_, reject) => (this.fail = reject));
    // Nobody may be racing against it when it trips.
    this.trapped.catch(() => undefined);
  }

  private readonly waiting = new Set<(error: unknown) => void>();
  private trapError: { error: unknown } | undefined;

  settle<T>(promise: Promise<T>): Promise<T> {
    if (this.trapError !== undefined) return Promise.reject(this.trapError.error);
    return new Promise<T>((resolve, reject) => {
      this.waiting.add(reject);
      promise.then(
        (value) => {
          this.waiting.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          this.waiting.delete(reject);
          reject(error);
        },
      );
    });
  }

  trap(error: unknown): void {
    this.broken = true;
    this.trapError ??= { error };
    for (const reject of this.waiting) reject(error);
    this.waiting.clear();
    this.fail(error);
    if (instance === this) {
      instance = undefined;
      current = undefined;
    }
  }

  hold(): () => void {
    this.active++;
    let done = false;
    return () => {
      if (!done) this.active--;
      done = true;
    };
  }
}

let current: Promise<Runtime> | undefined;
let instance: Runtime | undefined;

/** The current parquet-wasm instance, made on first use and again after a trap or `release()`. */
export function loadParquet(): Promise<ParquetRuntime> {
  if (current === undefined) {
    const made = makeRuntime();
    current = made;
    // A failure to load (a missing .wasm) is not kept: the next call tries again.
    made.catch(() => {
      if (current === made) current = undefined;
    });
  }
  return current;
}

async function makeRuntime(): Promise<Runtime> {
  const [arrowModule, ffiModule] = await Promise.all([loadArrow(), loadArrowFfi()]);
  let runtime: Runtime | undefined;
  const onTrap = (error: unknown) => {
    if (runtime !== undefined) runtime.trap(error);
    else throw error;
  };
  const wasm = evaluateGlue(onTrap);
  runtime = new Runtime(wasm, arrowModule, ffiModule);
  instance = runtime;
  return runtime;
}

/** parquet-wasm's Node glue, evaluated as Node would require it, with a `queueMicrotask` that reports traps to `onTrap`. */
function evaluateGlue(onTrap: (error: unknown) => void): ParquetWasm {
  const require = createRequire(import.meta.url);
  // The same file `require("parquet-wasm")` and `import("parquet-wasm")` load in Node (the "node" condition).
  const file = require.resolve("parquet-wasm");
  const source = readFileSync(file, "utf8");
  const module = { exports: {} as Record<string, unknown> };
  const run = compileFunction(source, ["exports", "require", "module", "__filename", "__dirname", "queueMicrotask"], { filename: file });
  const queue = (callback: () => void) =>
    queueMicrotask(() => {
      try {
        callback();
      } catch (error) {
        onTrap(error);
      }
    });
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file), queue);
  return module.exports as unknown as ParquetWasm;
}

/** Marks `runtime` broken (a synchronous trap, or a state that cannot be trusted): the next `loadParquet()` makes a new instance. */
export function discardParquet(runtime: ParquetRuntime, error: unknown): void {
  (runtime as Runtime).trap(error);
}

/**
 * Drops the current instance when nothing is in flight on it and its memory has grown past
 * `limitBytes`: a WebAssembly memory only grows, and a large read or write would otherwise keep
 * its peak for the life of the process. The next use makes a new instance (about 50 ms).
 */
export function releaseIfLarge(limitBytes: number): boolean {
  const runtime = instance;
  if (runtime === undefined || runtime.broken || runtime.active > 0) return false;
  if (runtime.wasm.wasmMemory().buffer.byteLength <= limitBytes) return false;
  runtime.broken = true;
  current = undefined;
  instance = undefined;
  return true;
}
