// Decks as a person sees them: deck.html from a local run and from a container run
// (flytekit-ts-execute), opened in a real headless Chromium (Debian's package, installed into
// .cache/chromium by test/support/chromium.ts) through puppeteer-core. The page must load with no
// request beyond itself and no console error; its tabs switch; the inputs and outputs read as
// tables; a value holding markup shows as text and runs nothing; large values show cut with their
// size; the task's own deck shows its HTML.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toLiteralMap } from "@flytekit-ts/core/internal";
import { Int, List, Str, withServices } from "@flytekit-ts/core";
import { ensureChromium } from "./support/chromium.js";
import { DeckTasks, Sample } from "./support/deck-tasks.js";
import { executeArgs, runExecute, workArea } from "./support/execute.js";

const MODULE = "support/deck-tasks.ts";
/** The tasks' names: the module's path from test/, then the class. */
const TASKS = "support.deck-tasks.DeckTasks";
const HOSTILE = `<script>window.__ran = "script"</script></textarea><img src="x" onerror="window.__ran = 'img'">`;
const NUMBERS = Array.from({ length: 120 }, (_, i) => i * 7);
const NOTES = "n".repeat(4990) + "0123456789";

/** What the page shows of an element (HTMLElement's innerText; the tests' types have no DOM library). */
type Shown = { innerText: string };

let browser: Browser;

beforeAll(async () => {
  const chromium = await ensureChromium();
  browser = await puppeteer.launch({
    executablePath: chromium.executablePath,
    env: { ...process.env, ...chromium.env },
    headless: true,
    // As root, Chromium runs only without its sandbox.
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check"],
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

interface Opened {
  page: Page;
  requests: string[];
  failed: string[];
  errors: string[];
}

/** Opens a deck file, recording every request, failed request, console error and page error. */
async function open(path: string): Promise<Opened> {
  const page = await browser.newPage();
  const opened: Opened = { page, requests: [], failed: [], errors: [] };
  page.on("request", (r) => opened.requests.push(r.url()));
  page.on("requestfailed", (r) => opened.failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warn") opened.errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => opened.errors.push(`pageerror: ${String(e)}`));
  await page.goto(pathToFileURL(path).href, { waitUntil: "load" });
  return opened;
}

/** The tabs as shown, and which is selected. */
function tabs(page: Page): Promise<{ names: string[]; selected: string }> {
  return page.$$eval("#flyte-frame-tabs button", (buttons) => ({
    names: buttons.map((b) => (b as unknown as Shown).innerText),
    selected: buttons.filter((b) => b.classList.contains("active")).map((b) => (b as unknown as Shown).innerText).join(","),
  }));
}

/** Clicks a tab by its visible name; the names of the panels then visible. */
async function show(page: Page, name: string): Promise<string[]> {
  const buttons = await page.$$("#flyte-frame-tabs button");
  for (const b of buttons) if ((await b.evaluate((e) => (e as unknown as Shown).innerText)) === name) await b.click();
  return page.$$eval("#flyte-frame-container > section", (sections) =>
    sections.filter((s) => s.checkVisibility()).map((s) => (s.ownerDocument.getElementById(s.getAttribute("aria-labelledby")!) as unknown as Shown).innerText),
  );
}

/** The visible panel's value table: a row per value, each cell's visible text. */
function valueRows(page: Page): Promise<string[][]> {
  return page.$$eval("#flyte-frame-container > section table.flyte-values > tbody > tr", (rows) =>
    rows.filter((r) => r.checkVisibility()).map((r) => [...r.children].map((c) => (c as unknown as Shown).innerText.trim())),
  );
}

async function checkLoadedCleanly(opened: Opened, path: string): Promise<void> {
  expect(opened.failed).toEqual([]);
  expect(opened.errors).toEqual([]);
  // Nothing beyond the page itself: no font, script or image fetched.
  expect(opened.requests).toEqual([pathToFileURL(path).href]);
  expect(await opened.page.evaluate(() => (globalThis as { __ran?: unknown }).__ran)).toBeUndefined();
}

/** What the report task's deck must show, wherever it ran. */
async function checkReport(path: string): Promise<void> {
  const opened = await open(path);
  const { page } = opened;
  try {
    await checkLoadedCleanly(opened, path);
    expect(await tabs(page)).toEqual({ names: ["Timeline", "Report", "Source Code", "Dependencies", "Input", "Output"], selected: "Timeline" });
    expect(await page.title()).toBe("report deck");

    // The timeline's parts, visible on the first tab.
    const timeline = await page.$$eval("table.flyte-timeline tbody th", (ths) => ths.filter((t) => t.checkVisibility()).map((t) => (t as unknown as Shown).innerText));
    expect(timeline).toEqual(["Translate inputs to native values", "Execute user level code", "Translate outputs to literals"]);

    expect(await show(page, "Input")).toEqual(["Input"]);
    const inputs = await valueRows(page);
    expect(inputs.map((r) => r.slice(0, 2))).toEqual([
      ["name", "Str"],
      ["sample", expect.stringContaining("Sample") as unknown as string],
      ["numbers", "List(Int)"],
      ["notes", "Str"],
    ]);
    // The hostile value reads as the text it is; nothing in it ran or loaded (checked above too).
    expect(inputs[0]![2]).toBe(HOSTILE);
    expect(await page.$$eval("#flyte-frame-container img, #flyte-frame-container textarea", (els) => els.length)).toBe(0);
    // A record is a nested table of its fields.
    expect(inputs[1]![2]).toMatch(/^Sample\s+label\s+a <b>sample<\/b>\s+points\s+1\s+2\s+3$/);
    // A long list and a long string: cut, with their size said.
    expect(inputs[2]![2]).toMatch(/^0\s+7\s+14\s[\s\S]*\s343\s+120 items in all; the first 50 shown$/);
    expect(inputs[2]![2]).not.toContain("350");
    expect(inputs[3]![2]).toBe(`${"n".repeat(1000)}…\n5,000 characters in all; the first 1,000 shown`);

    expect(await show(page, "Output")).toEqual(["Output"]);
    const outputs = await valueRows(page);
    expect(outputs.map((r) => [r[0], r[2]])).toEqual([
      ["summary", expect.stringMatching(/^Sample\s+label\s+summary of a <b>sample<\/b>\s+points\s+0\s+7\s+14$/) as unknown as string],
      ["counts", expect.stringMatching(/^numbers\s+120\s+notes\s+5000$/) as unknown as string],
    ]);

    // The task's own deck: its HTML rendered as HTML, its text as text.
    expect(await show(page, "Report")).toEqual(["Report"]);
    expect(await page.$eval("#user-heading", (e) => (e as unknown as Shown).innerText)).toBe("Made by the task");
    expect(await page.$eval("#user-paragraph em", (e) => (e as unknown as Shown).innerText)).toBe("user HTML");
    expect(await page.$eval("pre.flyte-text", (e) => (e as unknown as Shown).innerText)).toBe(`text from the task: ${HOSTILE}`);

    expect(await show(page, "Source Code")).toEqual(["Source Code"]);
    expect(await page.$eval("pre.flyte-source", (e) => (e as unknown as Shown).innerText)).toContain('deck("Report")');
    expect(await show(page, "Timeline")).toEqual(["Timeline"]);
    // Clicking through raised nothing either.
    expect(opened.errors).toEqual([]);
  } finally {
    await page.close();
  }
}

const sample = () => Object.assign(new Sample(), { label: "a <b>sample</b>", points: [1, 2, 3] });

describe("a deck in a real browser", () => {
  it("from a local run: tables, tabs, escaping, cut values and the task's own deck", async () => {
    const lines: string[] = [];
    await withServices({ logSink: (_level, line) => lines.push(line) }, () => DeckTasks.report(HOSTILE, sample(), NUMBERS, NOTES));
    const path = lines.map((l) => /report task creates flyte deck html to file:\/\/(.+)$/.exec(l)?.[1]).find((p) => p !== undefined);
    expect(path, lines.join("\n")).toBeDefined();
    await checkReport(path!);
  });

  it("from a container run: written to <output prefix>/deck.html beside outputs.pb", async () => {
    const inputs = toLiteralMap({ name: Str, sample: Sample, numbers: List(Int), notes: Str }, { name: HOSTILE, sample: sample(), numbers: NUMBERS, notes: NOTES });
    const area = workArea(inputs);
    const result = await runExecute(executeArgs(area, MODULE, "DeckTasks.report"), area.out);
    expect(result.files, result.stderr).toEqual(["deck.html", "outputs.pb"]);
    expect(result.stderr).toContain(`report task creates flyte deck html to ${join(area.out, "deck.html")}`);
    await checkReport(join(area.out, "deck.html"));
  });

  it("from a container run that failed: the task's own deck and the timeline, beside error.pb", async () => {
    const area = workArea(toLiteralMap({ x: Int }, { x: 4 }));
    const result = await runExecute(executeArgs(area, MODULE, "DeckTasks.failing"), area.out);
    expect(result.files, result.stderr).toEqual(["deck.html", "error.pb"]);
    const path = join(area.out, "deck.html");
    const opened = await open(path);
    try {
      await checkLoadedCleanly(opened, path);
      expect(await tabs(opened.page)).toEqual({ names: ["Timeline", "Progress"], selected: "Timeline" });
      expect(await show(opened.page, "Progress")).toEqual(["Progress"]);
      expect(await opened.page.$eval("#progress", (e) => (e as unknown as Shown).innerText)).toBe("got as far as 4");
      expect(readFileSync(path, "utf8")).not.toContain("flyte-values");
    } finally {
      await opened.page.close();
    }
  });

  it("of a local eager run: the timeline lists every call, at once where they ran at once, nested ones under their eager task", async () => {
    const lines: string[] = [];
    const result = await withServices({ logSink: (_level, line) => lines.push(line) }, () => DeckTasks.pipeline(1));
    expect(result).toBe(2 * (2 + 4 + 100));
    const path = lines.map((l) => /pipeline task creates flyte deck html to file:\/\/(.+)$/.exec(l)?.[1]).find((p) => p !== undefined);
    expect(path, lines.join("\n")).toBeDefined();
    const opened = await open(path!);
    try {
      await checkLoadedCleanly(opened, path!);
      expect((await tabs(opened.page)).selected).toBe("Timeline");
      const calls = await opened.page.$$eval("table.flyte-calls > tbody > tr", (rows) =>
        rows.filter((r) => r.checkVisibility()).map((r) => [...r.children].map((c) => (c as unknown as Shown).innerText.trim())),
      );
      // Task, start, end, duration, attempts, cached, result (and the bar, which has no text).
      expect(calls.map((c) => [c[0], c[4], c[5], c[6]])).toEqual([
        [`${TASKS}.double`, "1", "no", "succeeded"],
        [`${TASKS}.double`, "1", "no", "succeeded"],
        [`${TASKS}.inner`, "1", "no", "succeeded"],
        [`${TASKS}.double`, "1", "no", "succeeded"],
        [`${TASKS}.refuse`, "1", "no", `failed: Error encountered while executing '${TASKS}.refuse':\n  <i>refused</i> 212`],
      ]);
      // The nested call is indented under its eager task.
      const indents = await opened.page.$$eval("table.flyte-calls > tbody > tr > th", (ths) => ths.map((t) => t.getBoundingClientRect().left + Number.parseFloat((globalThis as unknown as { getComputedStyle(e: unknown): { paddingLeft: string } }).getComputedStyle(t).paddingLeft)));
      expect(indents[3]).toBeGreaterThan(indents[2]!);
      // The two doubles ran at once: each started before the other ended.
      const [first, second] = calls;
      expect(Date.parse(second![1]!)).toBeLessThan(Date.parse(first![2]!));
      for (const c of calls) expect(Number(c[3])).toBeGreaterThanOrEqual(0);
      // The bars are drawn: one per call, the failed one marked.
      expect(await opened.page.$$eval("table.flyte-calls .flyte-bar", (bars) => bars.map((b) => b.getBoundingClientRect().width > 0))).toEqual([true, true, true, true, true]);
      expect(await opened.page.$$eval("table.flyte-calls .flyte-bar.flyte-failed", (bars) => bars.length)).toBe(1);
    } finally {
      await opened.page.close();
    }
  });
});
