import { describe, expect, it } from "vitest";
import { parseParameters } from "./params.js";

const names = (fn: Function) => parseParameters(fn)?.map((p) => [p.name, p.hasDefault]);

describe("parseParameters", () => {
  it("reads names and defaults of methods, functions and arrows", () => {
    class C {
      add(x: number, y = 2): number {
        return x + y;
      }
      static async fetch(url: string, retries = Math.max(1, 2), opts = { a: [1, 2] }): Promise<string> {
        return url + retries + opts.a.length;
      }
    }
    expect(names(C.prototype.add)).toEqual([["x", false], ["y", true]]);
    expect(names(C.fetch)).toEqual([["url", false], ["retries", true], ["opts", true]]);
    expect(names(function plain(a: string, b: string) { return a + b; })).toEqual([["a", false], ["b", false]]);
    expect(names((a: number, b = "x,y") => a + b)).toEqual([["a", false], ["b", true]]);
    expect(names(async (a: number) => a)).toEqual([["a", false]]);
    expect(names(() => 1)).toEqual([]);
  });

  it("is not fooled by strings, templates, comments and nested brackets in defaults", () => {
    const f = new Function("a = ')', /* b, */ c = `${(1, 2)}`, d = [1, { e: 2 }], f = (x) => x, g = 'x=1'", "return a");
    expect(names(f)).toEqual([["a", true], ["c", true], ["d", true], ["f", true], ["g", true]]);
    const arrow = new Function("return x => x")() as Function;
    expect(names(arrow)).toEqual([["x", false]]);
    const cmp = new Function("return (a, b = a == 1 ? 2 : 3) => b")() as Function;
    expect(names(cmp)).toEqual([["a", false], ["b", true]]);
  });

  it("leaves destructured and rest parameters unnamed", () => {
    const parsed = parseParameters(new Function("{ a, b }", "[c]", "...rest", "return 1"));
    expect(parsed?.map((p) => [p.name, p.rest])).toEqual([[undefined, false], [undefined, false], ["rest", true]]);
  });

  it("gives up on native functions", () => {
    expect(parseParameters(Math.max)).toBeUndefined();
  });
});
