import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { currentContext, DeckField, Dict, Int, List, Str, withServices } from "../index.js";
import { RecoverableError } from "./errors.js";
import { functionTask } from "./function-form.js";
import { eagerFunctionTask } from "../internal.js";

/** Runs `fn`, collecting its log lines; the deck's path from flytekit's line, and its HTML. */
async function run(fn: () => unknown, task = ""): Promise<{ lines: string[]; path?: string; html?: string; result?: unknown }> {
  const lines: string[] = [];
  const result = await withServices({ logSink: (_level, line) => lines.push(line) }, fn);
  const path = lines.map((l) => new RegExp(`${task} task creates flyte deck html to file://(.+)$`).exec(l)?.[1]).find((p) => p !== undefined);
  return { lines, path, html: path === undefined ? undefined : readFileSync(path, "utf8"), result };
}

function tabs(html: string): string[] {
  return [...html.matchAll(/role="tab"[^>]*>([^<]*)<\/button>/g)].map((m) => m[1]!);
}

describe("a local run's deck", () => {
  it("is written, with decks on, to a directory of its own under the temporary directory, and its path logged as flytekit logs it", async () => {
    const greet = functionTask({ name: "decks.greet", inputs: { name: Str, scores: List(Int) }, outputs: Str, enableDeck: true }, ({ name, scores }) => {
      currentContext().deck("Mine").append("<p id='mine'>my <b>own</b> html</p>");
      return `hello ${name}: ${scores.length}`;
    });
    const { lines, path, html, result } = await run(() => greet({ name: "<script>alert(1)</script>", scores: [1, 2, 3] }));
    expect(result).toBe("hello <script>alert(1)</script>: 3");
    expect(lines.filter((l) => l.includes("flyte deck html"))).toEqual([`[decks.greet] INFO greet task creates flyte deck html to file://${path}`]);
    expect(path!.startsWith(join(tmpdir(), "flytekit-ts", "decks", "greet-"))).toBe(true);
    expect(path!.endsWith("/deck.html")).toBe(true);
    // flytekit's order: the timeline (appended first), the task's own, then source, dependencies, input, output.
    expect(tabs(html!)).toEqual(["Timeline", "Mine", "Source Code", "Dependencies", "Input", "Output"]);
    expect(html).toContain("<p id='mine'>my <b>own</b> html</p>");
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    // The function as it runs (under vitest, with its imports rewritten).
    expect(html).toContain(".deck(&quot;Mine&quot;).append(");
    for (const part of ["Translate inputs to native values", "Execute user level code", "Translate outputs to literals"]) expect(html).toContain(part);
  });

  it("is not written with decks off (the default), nor with a failed task", async () => {
    const plain = functionTask({ name: "decks.plain", outputs: Int }, () => 1);
    expect((await run(() => plain())).path).toBeUndefined();
    const failing = functionTask({ name: "decks.failing", enableDeck: true }, () => {
      throw new RecoverableError("no");
    });
    const lines: string[] = [];
    expect(() => withServices({ logSink: (_l, line) => lines.push(line) }, () => failing())).toThrow("no");
    expect(lines.some((l) => l.includes("flyte deck html"))).toBe(false);
  });

  it("holds only the panels deckFields names, besides the task's own", async () => {
    const only = functionTask({ name: "decks.only", inputs: { m: Dict(Int) }, outputs: { total: Int, names: List(Str) }, enableDeck: true, deckFields: [DeckField.OUTPUT] }, ({ m }) => ({
      total: Object.values(m).reduce<number>((a, b) => a + Number(b), 0),
      names: Object.keys(m),
    }));
    const { html } = await run(() => only({ m: { a: 1, b: 2 } }));
    expect(tabs(html!)).toEqual(["Output"]);
    expect(html).toMatch(/<th scope="row">total<\/th><td class="flyte-type">[^<]*<\/td><td><span class="flyte-scalar">3<\/span>/);
    expect(html).toContain('<th scope="row">names</th>');
  });

  it("has the secrets the task read masked, as its log lines are", async () => {
    process.env._FSEC_DECKS_TOKEN = "deck-s3cr3t";
    try {
      const leaky = functionTask({ name: "decks.leaky", outputs: Str, enableDeck: true }, () => {
        const token = currentContext().secrets.get("decks", "token");
        currentContext().deck("Mine").appendText(`token ${token}`);
        return `returned ${token}`;
      });
      const { html, result } = await run(() => leaky());
      expect(result).toBe("returned deck-s3cr3t");
      expect(html).not.toContain("deck-s3cr3t");
      expect(html).toContain("token ****");
      expect(html).toContain("returned ****");
    } finally {
      delete process.env._FSEC_DECKS_TOKEN;
    }
  });

  it("masks a secret with characters HTML escapes (the page holds values escaped), and never the page's own markup", async () => {
    process.env._FSEC_DECKS_TOKEN = "p&ss<w>rd";
    process.env._FSEC_DECKS_SHORT = "td";
    try {
      const leaky = functionTask({ name: "decks.leakier", inputs: { note: Str }, outputs: Str, enableDeck: true }, ({ note }) => {
        const token = currentContext().secrets.get("decks", "token");
        currentContext().secrets.get("decks", "short");
        currentContext().deck("Mine").append(`<p title="${token}">${token}</p>`);
        return `returned ${token} with ${note}`;
      });
      const { html } = await run(() => leaky({ note: "a tdx" }));
      expect(html).not.toContain("p&amp;ss&lt;w&gt;rd");
      expect(html).not.toContain("p&ss<w>rd");
      expect(html).toContain("returned ****");
      expect(html).toContain('<p title="****">****</p>');
      // The short secret is masked in text ("a tdx" shows as "a ****x"), while the table cells stay cells.
      expect(html).toContain("a ****x");
      expect(html).toMatch(/<td class="flyte-type">/);
      expect(html).toContain("<style>");
    } finally {
      delete process.env._FSEC_DECKS_TOKEN;
      delete process.env._FSEC_DECKS_SHORT;
    }
  });

  it("is written for an async task too, after its body settles", async () => {
    const slow = functionTask({ name: "decks.slow", outputs: Int, enableDeck: true }, async () => {
      await new Promise((r) => setTimeout(r, 20));
      currentContext().deck("Late").appendText("after the wait");
      return 5;
    });
    const { html, result } = await run(() => slow());
    expect(result).toBe(5);
    expect(tabs(html!)).toEqual(["Timeline", "Late", "Source Code", "Dependencies", "Input", "Output"]);
    const wall = Number(/Execute user level code<\/th><td>[^<]*<\/td><td class="flyte-num">([\d.]+)</.exec(html!)?.[1]);
    expect(wall).toBeGreaterThanOrEqual(0.015);
  });
});

describe("an eager task's deck", () => {
  it("times every call its body made: start, end, attempts, cached, how it ended, nested calls under their eager task", async () => {
    const add = functionTask({ name: "decks.add", inputs: { x: Int, y: Int }, outputs: Int }, ({ x, y }) => Number(x) + Number(y));
    const double = functionTask({ name: "decks.double", inputs: { x: Int }, outputs: Int }, async ({ x }) => {
      await new Promise((r) => setTimeout(r, 5));
      return 2 * Number(x);
    });
    let tries = 0;
    const flaky = functionTask({ name: "decks.flaky", inputs: { x: Int }, outputs: Int, retries: 1 }, ({ x }) => {
      tries++;
      throw new RecoverableError(`<b>not</b> ${x}, try ${tries}`);
    });
    const inner = eagerFunctionTask({ name: "decks.inner", inputs: { x: Int }, outputs: Int }, async ({ x }) => add({ x, y: 100 }));
    const outer = eagerFunctionTask({ name: "decks.outer", inputs: { x: Int }, outputs: Int }, async ({ x }) => {
      const [a, b] = await Promise.all([double({ x }), double({ x: Number(x) + 1 })]);
      const c = await inner({ x: Number(a) + Number(b) });
      await (flaky({ x: c }) as Promise<unknown>).catch(() => undefined);
      return c;
    });
    const { html, result, lines } = await run(() => outer({ x: 1 }), "outer");
    // The nested eager task writes its own deck too (flytekit's local runs write one per task with decks).
    expect(lines.filter((l) => l.includes("task creates flyte deck html")).map((l) => /\] INFO (\w+) task/.exec(l)?.[1])).toEqual(["inner", "outer"]);
    expect(result).toBe(106);
    // The eager task's deck is always on; its timeline lists the calls (the inner tasks' own decks are off).
    expect(tabs(html!)).toEqual(["Timeline", "Source Code", "Dependencies", "Input", "Output"]);
    const rows = [...html!.matchAll(/<tr class="flyte-call" data-depth="(\d)"><th[^>]*>([^<]*)<\/th><td>([^<]*)<\/td><td>([^<]*)<\/td><td class="flyte-num">([^<]*)<\/td><td class="flyte-num">(\d+)<\/td><td>(yes|no)<\/td><td><span class="flyte-text">([^<]*)<\/span>/g)].map(
      (m) => ({ depth: Number(m[1]), task: m[2], started: m[3], ended: m[4], attempts: Number(m[6]), cached: m[7], result: m[8] }),
    );
    expect(rows.map(({ depth, task, attempts, cached, result }) => ({ depth, task, attempts, cached, result }))).toEqual([
      { depth: 0, task: "decks.double", attempts: 1, cached: "no", result: "succeeded" },
      { depth: 0, task: "decks.double", attempts: 1, cached: "no", result: "succeeded" },
      { depth: 0, task: "decks.inner", attempts: 1, cached: "no", result: "succeeded" },
      { depth: 1, task: "decks.add", attempts: 1, cached: "no", result: "succeeded" },
      { depth: 0, task: "decks.flaky", attempts: 2, cached: "no", result: "failed: Error encountered while executing &#39;decks.flaky&#39;:\n  &lt;b&gt;not&lt;/b&gt; 106, try 2" },
    ]);
    for (const r of rows) expect(Date.parse(r.ended!)).toBeGreaterThanOrEqual(Date.parse(r.started!));
    // The two doubles ran at once: each started before the other ended.
    expect(Date.parse(rows[1]!.started!)).toBeLessThan(Date.parse(rows[0]!.ended!));
  });
});
