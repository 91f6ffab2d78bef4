import { describe, expect, it } from "vitest";
import { escapeHtml, renderCalls, renderDeckPage, renderNamedValues, renderTable, renderTimeline, renderValue } from "./deck-html.js";
import { Deck, DeckSet } from "./deck.js";

/** The text a value's HTML shows, tags dropped and entities read back (what a person sees, near enough). */
function text(html: string): string {
  return html
    .replace(/<[^>]*>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

describe("deck values", () => {
  it("escape everything a value holds: markup in a value is text, never markup", () => {
    const hostile = `<script>alert(1)</script></textarea><img src=x onerror="x()">'&`;
    const html = renderValue({ [hostile]: [hostile, new Map([[hostile, hostile]])] });
    expect(html).not.toMatch(/<script|<\/textarea|<img/i);
    expect(escapeHtml(hostile)).toBe("&lt;script&gt;alert(1)&lt;/script&gt;&lt;/textarea&gt;&lt;img src=x onerror=&quot;x()&quot;&gt;&#39;&amp;");
    expect(text(html)).toContain(hostile);
    expect(renderNamedValues([{ name: "<b>", type: "<i>", value: "<u>" }], "")).not.toMatch(/<[biu]>/);
  });

  it("show records as nested tables, lists as lists, maps with their keys", () => {
    class Point {
      constructor(
        readonly x: number,
        readonly tags: string[],
      ) {}
    }
    const html = renderValue({ p: new Point(1, ["a", "b"]), m: new Map([[2, "two"]]), n: null, big: 12345678901234567890n, d: new Date(Date.UTC(2026, 0, 2)), e: [] });
    expect(html).toContain('<table class="flyte-record" data-kind="record"><tbody><tr><th scope="row">p</th><td><table class="flyte-record" data-kind="record"><caption>Point</caption>');
    expect(html).toContain('<ol class="flyte-list" start="0" data-kind="list"><li><span class="flyte-text">a</span></li><li><span class="flyte-text">b</span></li></ol>');
    expect(text(html)).toBe("p Point x 1 tags a b m 2 two n null big 12345678901234567890 d 2026-01-02T00:00:00.000Z e (an empty list)");
  });

  it("cut large values and say their size", () => {
    expect(text(renderValue("x".repeat(5000)))).toBe(`${"x".repeat(1000)}… 5,000 characters in all; the first 1,000 shown`);
    expect(text(renderValue(Array.from({ length: 120 }, (_, i) => i)))).toMatch(/^0 1 2 .* 49 120 items in all; the first 50 shown$/);
    expect(text(renderValue(new Uint8Array(1000).fill(255)))).toBe(`1,000 bytes: ${"ff ".repeat(32).trim()} …`);
    const rows = Array.from({ length: 60 }, (_, i) => ({ i }));
    expect(text(renderTable(rows))).toMatch(/60 rows in all; the first 50 shown$/);
    // A cut never splits a surrogate pair.
    expect(renderValue("a".repeat(999) + "😀" + "b", { maxText: 1000, maxItems: 50, maxDepth: 6, maxBytes: 32 })).toContain(`${"a".repeat(999)}…`);
  });

  it("stop at cycles and at depth", () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    expect(text(renderValue(loop))).toBe("a 1 self (the value again: it contains itself)");
    let deep: unknown = "bottom";
    for (let i = 0; i < 10; i++) deep = [deep];
    expect(text(renderValue(deep))).toContain("a list of 1 item, nested too deep to show");
  });
});

describe("the deck page", () => {
  it("is one self-contained page: a tab per deck, the first shown, nothing fetched", () => {
    const page = renderDeckPage("t deck", [
      { name: "A<1>", html: "<p>one</p>" },
      { name: "B", html: "<p>two</p>" },
    ]);
    expect(page).toContain('<button type="button" role="tab" id="flyte-tab-0" aria-controls="flyte-panel-0" aria-selected="true" class="active">A&lt;1&gt;</button>');
    expect(page).toContain('<section role="tabpanel" id="flyte-panel-1" aria-labelledby="flyte-tab-1" class="" hidden>');
    expect(page).not.toMatch(/\b(src|href)=|@import|url\(/);
  });

  it("times a run's parts and lists an eager task's calls, nested ones indented", () => {
    const t = new Date(Date.UTC(2026, 0, 1));
    const later = (ms: number) => new Date(t.getTime() + ms);
    const html = renderTimeline([{ name: "Execute user level code", start: t, end: later(1500), wallMs: 1500, cpuMs: 20 }], [
      { task: "m.a", started: t, ended: later(1000), attempts: 2, cached: false, calls: [{ task: "m.b<x>", started: later(10), ended: later(20), attempts: 1, cached: true, calls: [] }] },
      { task: "m.c", started: later(5), ended: later(30), attempts: 1, cached: false, error: new Error("boom <here>"), calls: [] },
    ]);
    expect(text(html)).toContain("Execute user level code 2026-01-01T00:00:00.000Z 1.500000 0.020000");
    expect(text(renderCalls([{ task: "m.c", started: t, ended: later(30), attempts: 3, cached: false, error: new Error("boom <here>"), calls: [] }]))).toBe(
      "Inner calls Task Start End Duration(s) Attempts Cached Result Timeline m.c 2026-01-01T00:00:00.000Z 2026-01-01T00:00:00.030Z 0.030000 3 no failed: boom <here>",
    );
    expect(html).toContain('<tr class="flyte-call" data-depth="1"><th scope="row" style="padding-left:2em">m.b&lt;x&gt;</th>');
  });
});

describe("decks", () => {
  it("keep the user's HTML as written, escape text, and make one deck per name in order", () => {
    const set = new DeckSet();
    set.deck("Report").append("<b>bold</b>").appendText("<i>not html</i>");
    set.deck("Other");
    set.deck("Report").appendTable([{ a: "<x>", b: 1 }]);
    expect(set.all.map((d) => d.name)).toEqual(["Report", "Other"]);
    expect(set.deck("Report").html).toBe(
      '<b>bold</b>\n<pre class="flyte-text">&lt;i&gt;not html&lt;/i&gt;</pre>\n<table class="flyte-table"><thead><tr><th scope="col">a</th><th scope="col">b</th></tr></thead><tbody><tr><td><span class="flyte-text">&lt;x&gt;</span></td><td><span class="flyte-scalar">1</span></td></tr></tbody></table>',
    );
    expect(() => new Deck("d").append(3 as unknown as string)).toThrow("deck 'd': append() takes a string of HTML, got number");
  });

  it("time sync and async work, and what fails", async () => {
    const set = new DeckSet();
    expect(set.time("a", () => 1)).toBe(1);
    expect(await set.time("b", async () => 2)).toBe(2);
    expect(() => set.time("c", () => { throw new Error("x"); })).toThrow("x");
    expect(set.timeline.map((e) => e.name)).toEqual(["a", "b", "c"]);
    expect(set.timeline.every((e) => e.wallMs >= 0 && e.end >= e.start)).toBe(true);
  });
});
