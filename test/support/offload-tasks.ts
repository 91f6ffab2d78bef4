// Tasks of the offloaded-literal tests (test/offloaded-literals.test.ts), run by flytekit-ts-execute.
// `relay` is the TypeScript step between two Python tasks of test/interop/offload_tasks.py.
import { task } from "@flytekit-ts/decorators";
import { isDeepStrictEqual } from "node:util";
import { Int, List, Str } from "@flytekit-ts/core";

/** What test/interop/offload_tasks.py's produce_big writes (BIG there): 1,200,000 characters, past 1 MiB. */
export const BIG = "offload ".repeat(150_000);
export const LINES = ["a".repeat(600_000), "b".repeat(600_000)];

export class Offload {
  @task({ name: "offload.echo", inputs: { text: Str, xs: List(Int) }, outputs: { text: Str, total: Int } })
  static echo(text: string, xs: number[]): { text: string; total: number } {
    return { text, total: xs.reduce((a, b) => a + b, 0) };
  }

  @task({ name: "offload.big", inputs: { size: Int }, outputs: { o: Str, small: Int } })
  static big(size: number): { o: string; small: number } {
    return { o: "x".repeat(size), small: size };
  }

  @task({ name: "offload.tight", inputs: { size: Int }, outputs: { o: Str, small: Int }, maxInlineIoBytes: 1000 })
  static tight(size: number): { o: string; small: number } {
    return { o: "x".repeat(size), small: size };
  }

  @task({ name: "offload.relay", inputs: { text: Str, lines: List(Str), n: Int }, outputs: { text: Str, lines: List(Str), n: Int } })
  static relay(text: string, lines: string[], n: number): { text: string; lines: string[]; n: number } {
    if (text !== BIG || !isDeepStrictEqual(lines, LINES) || n !== 7) {
      throw new Error(`relay read other values than produce_big writes: text of ${text.length}, lines of ${lines.map((l) => l.length).join("/")}, n ${n}`);
    }
    return { text, lines: [...lines].reverse(), n: n + 1 };
  }
}
