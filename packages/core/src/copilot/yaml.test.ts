// inputs.yaml against go-yaml v2.4.0 itself (what ghodss/yaml, and so CoPilot, uses): the Go
// program in __fixtures__/goyaml, built once into .cache/ with the module fetched from the Go module
// proxy and checked against the committed go.sum. Go missing is a failure. Pinned cases besides.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "../idl/testing.js";
import { goJson, type GoValue } from "./go.js";
import { GoYamlError, goYaml } from "./yaml.js";

/** A Go program of __fixtures__, built once by the shared builder (test/support/go.ts, loaded by path: it is outside core's layers). */
async function goProgram(name: string): Promise<(input: unknown) => unknown> {
  const { goProgram: build } = (await import(join(import.meta.dirname, "../../../../test/support/go.ts"))) as { goProgram(dir: string): Promise<(input: unknown) => unknown> };
  return build(join(import.meta.dirname, "__fixtures__", name));
}


// Seeded, so a failure names a case that comes back.
const rand = seededRandom(1416);
const ALPHABET = [" ", " ", ":", "#", "-", "'", '"', "\n", "\t", "a", "b", "1", "0", ".", "é", "😀", "\u0085", "\u2028", "?", "{", "&", "*", "!", "|", ">", "%", "@", "`", "~", ",", "[", "]", "\\", "e", "x", "_", "+", "\u00a0", "\r"];
const randomString = () => Array.from({ length: Math.floor(rand() * 10) }, () => ALPHABET[Math.floor(rand() * ALPHABET.length)]!).join("");
const words = (n: number) => Array.from({ length: n }, (_, i) => ["alpha", "be", "gamma", "d", "epsilonic", "zeta:", "#eta", "theta's"][i % 8]).join(" ");

const STRINGS = [
  "", "plain", "yes", "No", "ON", "off", "y", "n", "true", "False", "null", "Null", "~", "123", "-1", "+1", "0x1F", "0o17", "0b101", "017", "1_000", "1e3", ".5", "5.", "1.5",
  ".inf", "-.Inf", ".NaN", "<<", "1:20", "1:60", "2024-01-02", "2024-1-2", "2024-01-02T03:04:05Z", "2024-01-02 03:04:05", "2024-01-02t03:04:05.5+02:00",
  "a: b", "a:b", "a:", ":a", "- a", "-a", "-", "--", "---", "...", "? x", "?x", "#x", "a #b", "a#b", " lead", "trail ", "a\tb", "\ttab", "quote'", "'q'", '"dq"',
  "back\\slash", "line1\nline2", "line\n", "line\n\n", "\nlead", " x\ny", "x \ny", "x\n y", "\u0085", "a\u2028b", "\u00a0", "é", "😀", "\u0007bell", "\u001b", "\ufeffbom",
  "[a]", "{a}", "a,b", "&anchor", "*alias", "!tag", "|pipe", ">fold", "%pct", "@at", "`tick`", "a]", "a}",
  words(30), words(40).replaceAll(" ", "  "), `${words(25)}\t`, `'${words(25)}`, `${words(20)}\n${words(20)}`, "x".repeat(120), `${words(15)}: ${words(15)}`,
  ...Array.from({ length: 1000 }, randomString),
];

const NUMBERS: GoValue[] = [0n, -5n, 9223372036854775807n, -9223372036854775808n, 0, -0, 1.5, 1e21, 1e20, 1e-7, 1e-6, 123456789.25, 1234567, 0.1, 5e-324, 1.7976931348623157e308, 3];

const KEYS = ["a10", "a9", "a", "B", "b", "_x", "1", "10", "2", "é", "a01", "a1", "a001", "A", "-", " ", "zz", "a b", "a0", "00", "0", "x1y2", "x1y10", "x01"];

/** The documents both sides write: each string as a value and as a key, numbers, nesting, order. */
function documents(): string[] {
  const docs: GoValue[] = [];
  for (const s of STRINGS) docs.push(new Map<string, GoValue>([["k", s]]), new Map<string, GoValue>([[s, 1n]]), new Map<string, GoValue>([["l", [s, s]]]));
  for (const n of NUMBERS) docs.push(new Map<string, GoValue>([["n", n]]));
  docs.push(new Map(KEYS.map((k, i) => [k, BigInt(i)])));
  docs.push(
    new Map<string, GoValue>([
      ["list", [1n, [2n, [3n, []]], new Map([["a", [new Map([["b", "c"]])]]]), new Map(), null, true, new Uint8Array([1, 2, 3])]],
      ["map", new Map<string, GoValue>([["inner", new Map<string, GoValue>([["deep", ["x", "y"]], ["e", new Map()]])], ["s", words(30)]])],
      ["empty", []],
      ["none", null],
      ["multi", new Map<string, GoValue>([["m", "a\nb"], ["l", ["p\nq", new Map([["r", "s\nt\n"]])]]])],
    ]),
  );
  docs.push(new Map());
  return docs.map(goJson);
}

describe("inputs.yaml, compared with go-yaml v2.4.0's own output", () => {
  const docs = documents();
  let theirs: string[];
  beforeAll(async () => {
    theirs = (await goProgram("goyaml"))(docs) as string[];
  }, 600_000);

  it(`writes ${documents().length} documents as go-yaml v2 writes them`, () => {
    const ours = (doc: string) => {
      try {
        return goYaml(doc);
      } catch (e) {
        if (!(e instanceof GoYamlError)) throw e;
        return "error";
      }
    };
    // Where go-yaml fails (a key holding U+0085), ours fails too; the error texts differ.
    const mismatches = docs
      .map((doc, i) => ({ doc, ours: ours(doc), theirs: theirs[i]!.startsWith("error: ") ? "error" : theirs[i] }))
      .filter((c) => c.ours !== c.theirs);
    expect(mismatches.slice(0, 10)).toEqual([]);
  });
});

describe("inputs.yaml, pinned", () => {
  it("quotes what would read back as something else (YAML 1.1: n is false), keeps the rest plain", () => {
    expect(goYaml('{"a":"yes","b":"a: b","c":[1,2],"m":"l1\\nl2","n":1e+21,"t":"a\\tb","yes":"x"}')).toBe('a: "yes"\nb: \'a: b\'\nc:\n- 1\n- 2\nm: |-\n  l1\n  l2\n"n": 1e+21\nt: "a\\tb"\n"yes": x\n');
    expect(goYaml("{}")).toBe("{}\n");
  });
});
