// How a deck looks: one self-contained HTML page (inline CSS and script, nothing fetched), a tab per
// deck as flytekit's template lays them out, and values shown for a person: records and maps as
// nested tables, lists as lists, long text, long lists and bytes cut with their size said.
// Everything that comes from a value is escaped; HTML a task appends itself is its own.
import { maskText } from "./secrets.js";

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * The page with every secret replaced by `****`, as written and as escaped (values are in the page
 * escaped, so `p&ss<w>rd` is there as `p&amp;ss&lt;w&gt;rd`), in its text and attribute values but
 * never in its markup, styles or scripts: a secret that happens to be `td` or `flyte` masks text,
 * not the tags and classes the page is made of.
 */
export function maskHtml(html: string, secrets: readonly string[]): string {
  const given = secrets.filter((s) => s !== "");
  if (given.length === 0) return html;
  // A secret with markup in it can be in the page as written only where a task appended it raw:
  // masked wherever it is, before the page is cut into markup and text.
  const page = maskText(html, given.filter((s) => /[<>]/.test(s)));
  const forms = [...new Set(given.flatMap((s) => [s, escapeHtml(s)]))];
  return page.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>|<(?:[^>"']|"[^"]*"|'[^']*')*>|[^<]+|</gi, (part, block: string | undefined) => {
    if (block !== undefined) return part;
    if (part.startsWith("<")) return part.replace(/"[^"]*"|'[^']*'/g, (value) => maskText(value, forms));
    return maskText(part, forms);
  });
}

/** How much of a value is shown. */
export interface ValueLimits {
  /** Characters of a string. @default 1000 */
  maxText: number;
  /** Items of a list, set or map, keys of a record. @default 50 */
  maxItems: number;
  /** Levels of nesting. @default 6 */
  maxDepth: number;
  /** Bytes of a binary value shown (in hex). @default 32 */
  maxBytes: number;
}

export const DEFAULT_LIMITS: ValueLimits = { maxText: 1000, maxItems: 50, maxDepth: 6, maxBytes: 32 };

const number = new Intl.NumberFormat("en-US");

/** "1,234 characters" */
function count(n: number, unit: string): string {
  return `${number.format(n)} ${unit}${n === 1 ? "" : "s"}`;
}

function cutNote(text: string): string {
  return `<div class="flyte-cut">${escapeHtml(text)}</div>`;
}

/** A value as HTML, escaped and cut to the limits. */
export function renderValue(value: unknown, limits: ValueLimits = DEFAULT_LIMITS): string {
  return render(value, limits, 0, new Set());
}

function render(value: unknown, limits: ValueLimits, depth: number, seen: Set<object>): string {
  if (value === undefined) return `<span class="flyte-none">undefined</span>`;
  if (value === null) return `<span class="flyte-none">null</span>`;
  switch (typeof value) {
    case "string":
      return renderString(value, limits);
    case "number":
    case "boolean":
      return `<span class="flyte-scalar">${escapeHtml(String(value))}</span>`;
    case "bigint":
      return `<span class="flyte-scalar">${escapeHtml(value.toString())}</span>`;
    case "symbol":
    case "function":
      return `<span class="flyte-scalar">${escapeHtml(String(value))}</span>`;
  }
  const object = value as object;
  if (object instanceof Date) return `<span class="flyte-scalar">${escapeHtml(Number.isNaN(object.getTime()) ? "Invalid Date" : object.toISOString())}</span>`;
  if (object instanceof Uint8Array) return renderBytes(object, limits);
  if (seen.has(object)) return `<span class="flyte-none">(the value again: it contains itself)</span>`;
  if (depth >= limits.maxDepth) return `<span class="flyte-cut">${escapeHtml(summary(object))}, nested too deep to show</span>`;
  seen.add(object);
  try {
    if (Array.isArray(object)) return renderList(object, limits, depth, seen, "list");
    if (object instanceof Set) return renderList([...object], limits, depth, seen, "set");
    if (object instanceof Map) return renderEntries([...object.entries()], limits, depth, seen, undefined, "map");
    const name = constructorName(object);
    const entries = Object.entries(object);
    if (entries.length === 0 && name !== undefined) {
      // A class without enumerable fields (a file, a handle): what it says of itself.
      const text = String(object);
      return renderString(text === "[object Object]" ? name : text, limits);
    }
    return renderEntries(entries, limits, depth, seen, name, "record");
  } finally {
    seen.delete(object);
  }
}

function constructorName(object: object): string | undefined {
  const proto = Object.getPrototypeOf(object) as { constructor?: { name?: unknown } } | null;
  if (proto === null || proto === Object.prototype) return undefined;
  const name = proto.constructor?.name;
  return typeof name === "string" && name !== "" && name !== "Object" ? name : undefined;
}

function summary(object: object): string {
  if (Array.isArray(object)) return `a list of ${count(object.length, "item")}`;
  if (object instanceof Map || object instanceof Set) return `a ${object instanceof Map ? "map" : "set"} of ${count(object.size, "item")}`;
  return `${constructorName(object) ?? "a record"} of ${count(Object.keys(object).length, "field")}`;
}

function renderString(text: string, limits: ValueLimits): string {
  if (text.length <= limits.maxText) return `<span class="flyte-text">${escapeHtml(text)}</span>`;
  // Cut between characters, not inside a surrogate pair.
  let end = limits.maxText;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `<span class="flyte-text">${escapeHtml(text.slice(0, end))}…</span>${cutNote(`${count(text.length, "character")} in all; the first ${number.format(end)} shown`)}`;
}

function renderBytes(bytes: Uint8Array, limits: ValueLimits): string {
  const shown = bytes.subarray(0, limits.maxBytes);
  const hex = [...shown].map((b) => b.toString(16).padStart(2, "0")).join(" ");
  const more = bytes.length > shown.length ? ` …` : "";
  return `<span class="flyte-bytes">${count(bytes.length, "byte")}${hex === "" ? "" : `: <code>${hex}${more}</code>`}</span>`;
}

function renderList(items: readonly unknown[], limits: ValueLimits, depth: number, seen: Set<object>, kind: "list" | "set"): string {
  if (items.length === 0) return `<span class="flyte-none">(an empty ${kind})</span>`;
  const shown = items.slice(0, limits.maxItems);
  const lis = shown.map((v) => `<li>${render(v, limits, depth + 1, seen)}</li>`).join("");
  const note = items.length > shown.length ? cutNote(`${count(items.length, "item")} in all; the first ${number.format(shown.length)} shown`) : "";
  return `<ol class="flyte-list" start="0" data-kind="${kind}">${lis}</ol>${note}`;
}

function renderEntries(entries: readonly (readonly [unknown, unknown])[], limits: ValueLimits, depth: number, seen: Set<object>, caption: string | undefined, kind: "map" | "record"): string {
  if (entries.length === 0) return `<span class="flyte-none">(an empty ${kind})</span>`;
  const shown = entries.slice(0, limits.maxItems);
  const rows = shown
    .map(([k, v]) => `<tr><th scope="row">${typeof k === "string" ? escapeHtml(k) : render(k, limits, depth + 1, seen)}</th><td>${render(v, limits, depth + 1, seen)}</td></tr>`)
    .join("");
  const cap = caption === undefined ? "" : `<caption>${escapeHtml(caption)}</caption>`;
  const note = entries.length > shown.length ? cutNote(`${count(entries.length, kind === "map" ? "entry" : "field")} in all; the first ${number.format(shown.length)} shown`) : "";
  return `<table class="flyte-record" data-kind="${kind}">${cap}<tbody>${rows}</tbody></table>${note}`;
}

/** Rows of objects as a table, a column per key (the keys of all rows, in order met, unless given). */
export function renderTable(rows: readonly Readonly<Record<string, unknown>>[], columns?: readonly string[], limits: ValueLimits = DEFAULT_LIMITS): string {
  const names = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const shown = rows.slice(0, limits.maxItems);
  const head = `<thead><tr>${names.map((n) => `<th scope="col">${escapeHtml(n)}</th>`).join("")}</tr></thead>`;
  const body = shown.map((r) => `<tr>${names.map((n) => `<td>${Object.hasOwn(r, n) ? renderValue(r[n], limits) : ""}</td>`).join("")}</tr>`).join("");
  const note = rows.length > shown.length ? cutNote(`${count(rows.length, "row")} in all; the first ${number.format(shown.length)} shown`) : "";
  return `<table class="flyte-table">${head}<tbody>${body}</tbody></table>${note}`;
}

/** One named value of a task (an input or an output) for its deck. */
export interface NamedValue {
  name: string;
  type: string;
  value: unknown;
}

/** Inputs or outputs: a row per value with its name, type and the value shown. */
export function renderNamedValues(values: readonly NamedValue[], none: string): string {
  if (values.length === 0) return `<p class="flyte-none">${escapeHtml(none)}</p>`;
  const rows = values.map((v) => `<tr><th scope="row">${escapeHtml(v.name)}</th><td class="flyte-type">${escapeHtml(v.type)}</td><td>${renderValue(v.value)}</td></tr>`).join("");
  return `<table class="flyte-table flyte-values"><thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Value</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Source text, escaped, in a block that keeps its lines. */
export function renderSource(text: string): string {
  return `<pre class="flyte-source"><code>${escapeHtml(text)}</code></pre>`;
}

/** A bar from `start` to `end` within `[from, to]`, as percentages of the width. */
function bar(start: number, end: number, from: number, to: number, failed = false): string {
  const span = Math.max(to - from, 1);
  const left = ((start - from) / span) * 100;
  const width = Math.max(((end - start) / span) * 100, 0.3);
  return `<div class="flyte-track"><div class="flyte-bar${failed ? " flyte-failed" : ""}" style="left:${left.toFixed(2)}%;width:${Math.min(width, 100 - left).toFixed(2)}%"></div></div>`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(6);
}

/** One timed part of a run, for the timeline (see DeckSet.time). */
export interface TimelineRow {
  name: string;
  start: Date;
  end: Date;
  wallMs: number;
  cpuMs: number;
}

/** A call an eager task made, for its timeline (the eager run's InnerCall, as the timeline reads it). */
export interface TimelineCall {
  task: string;
  started: Date;
  ended?: Date | undefined;
  attempts: number;
  cached: boolean;
  error?: unknown;
  execution?: string | undefined;
  calls?: readonly TimelineCall[];
}

/** The timeline panel: the parts of the run (flytekit's wall and process times), then every call an eager task made. */
export function renderTimeline(rows: readonly TimelineRow[], calls: readonly TimelineCall[] | undefined, now: Date = new Date()): string {
  const parts: string[] = [];
  if (rows.length > 0) {
    const from = Math.min(...rows.map((r) => r.start.getTime()));
    const to = Math.max(...rows.map((r) => r.end.getTime()));
    const body = rows
      .map((r) => `<tr><th scope="row">${escapeHtml(r.name)}</th><td>${escapeHtml(r.start.toISOString())}</td><td class="flyte-num">${seconds(r.wallMs)}</td><td class="flyte-num">${seconds(r.cpuMs)}</td><td>${bar(r.start.getTime(), r.end.getTime(), from, to)}</td></tr>`)
      .join("");
    parts.push(
      `<table class="flyte-table flyte-timeline"><thead><tr><th scope="col">Name</th><th scope="col">Start</th><th scope="col">Wall Time(s)</th><th scope="col">Process Time(s)</th><th scope="col">Timeline</th></tr></thead><tbody>${body}</tbody></table>`,
    );
  }
  if (calls !== undefined) parts.push(renderCalls(calls, now));
  if (parts.length === 0) return `<p class="flyte-none">nothing was timed</p>`;
  parts.push(
    `<p class="flyte-note">Wall time is the time that passed; process time, the CPU this process spent meanwhile (for all its work, not this part's alone). A part shorter than a millisecond may not show on the bars.</p>`,
  );
  return parts.join("\n");
}

function flatten(calls: readonly TimelineCall[], depth: number, out: { call: TimelineCall; depth: number }[]): void {
  for (const call of calls) {
    out.push({ call, depth });
    if (call.calls !== undefined) flatten(call.calls, depth + 1, out);
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Every inner call of an eager task (nested ones indented): task, start, end, duration, attempts, cached, how it ended. */
export function renderCalls(calls: readonly TimelineCall[], now: Date = new Date()): string {
  const flat: { call: TimelineCall; depth: number }[] = [];
  flatten(calls, 0, flat);
  if (flat.length === 0) return `<h3>Inner calls</h3><p class="flyte-none">the eager task called no task</p>`;
  const from = Math.min(...flat.map((f) => f.call.started.getTime()));
  const to = Math.max(...flat.map((f) => (f.call.ended ?? now).getTime()));
  const body = flat
    .map(({ call, depth }) => {
      const end = call.ended;
      const failed = call.error !== undefined;
      const outcome = failed ? `failed: ${errorText(call.error)}` : end === undefined ? "running" : "succeeded";
      const duration = end === undefined ? "" : seconds(end.getTime() - call.started.getTime());
      return (
        `<tr class="flyte-call" data-depth="${depth}"><th scope="row" style="padding-left:${0.5 + depth * 1.5}em">${escapeHtml(call.task)}</th>` +
        `<td>${escapeHtml(call.started.toISOString())}</td><td>${end === undefined ? "" : escapeHtml(end.toISOString())}</td>` +
        `<td class="flyte-num">${duration}</td><td class="flyte-num">${call.attempts}</td><td>${call.cached ? "yes" : "no"}</td>` +
        `<td>${renderString(outcome, DEFAULT_LIMITS)}${call.execution === undefined ? "" : `<div class="flyte-type">${escapeHtml(call.execution)}</div>`}</td>` +
        `<td>${bar(call.started.getTime(), (end ?? now).getTime(), from, to, failed)}</td></tr>`
      );
    })
    .join("");
  return (
    `<h3>Inner calls</h3><table class="flyte-table flyte-calls"><thead><tr><th scope="col">Task</th><th scope="col">Start</th><th scope="col">End</th>` +
    `<th scope="col">Duration(s)</th><th scope="col">Attempts</th><th scope="col">Cached</th><th scope="col">Result</th><th scope="col">Timeline</th></tr></thead><tbody>${body}</tbody></table>`
  );
}

/** A panel of the page: a tab with its name, and its HTML. */
export interface DeckPanel {
  name: string;
  html: string;
}

/**
 * The deck page: a tab per panel, in order, the first shown. Inline CSS and script only; the
 * page fetches nothing, so it opens the same from a file, an object store or Flyte's console.
 */
export function renderDeckPage(title: string, panels: readonly DeckPanel[]): string {
  const tabs = panels
    .map((p, i) => `<button type="button" role="tab" id="flyte-tab-${i}" aria-controls="flyte-panel-${i}" aria-selected="${i === 0}" class="${i === 0 ? "active" : ""}">${escapeHtml(p.name)}</button>`)
    .join("");
  const bodies = panels
    .map((p, i) => `<section role="tabpanel" id="flyte-panel-${i}" aria-labelledby="flyte-tab-${i}" class="${i === 0 ? "active" : ""}"${i === 0 ? "" : " hidden"}>\n${p.html}\n</section>`)
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<nav id="flyte-frame-nav"><div id="flyte-frame-tabs" role="tablist">${tabs}</div></nav>
<main id="flyte-frame-container">
${bodies}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

const STYLE = `
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222; font-size: 14px; }
#flyte-frame-nav { border-bottom: 1px solid #ddd; }
#flyte-frame-tabs { display: flex; flex-wrap: wrap; justify-content: center; gap: 12px; }
#flyte-frame-tabs button { cursor: pointer; padding: 8px; min-width: 126px; border: 0; border-bottom: 4px solid transparent; background: none; font: inherit; font-weight: 700; color: #666; }
#flyte-frame-tabs button.active { border-bottom-color: rgb(163, 26, 255); color: #333; }
#flyte-frame-container > section { padding: 2rem; }
#flyte-frame-container > section[hidden] { display: none; }
table { border-collapse: collapse; }
.flyte-table { width: 100%; }
.flyte-table > thead th { text-align: left; background: #f4f0fa; }
.flyte-table th, .flyte-table td, .flyte-record th, .flyte-record td { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; text-align: left; }
.flyte-record caption { text-align: left; font-style: italic; color: #555; }
.flyte-record th { font-weight: 600; background: #fafafa; }
.flyte-list { margin: 0; padding-left: 2em; }
.flyte-text { white-space: pre-wrap; word-break: break-word; }
pre.flyte-text, pre.flyte-source { background: #f7f7f7; padding: 1em; overflow: auto; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; }
.flyte-none { color: #888; font-style: italic; }
.flyte-cut { color: #8a4b00; font-size: 12px; }
.flyte-type { color: #555; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
.flyte-num { text-align: right; font-variant-numeric: tabular-nums; }
.flyte-calls td:nth-of-type(1), .flyte-calls td:nth-of-type(2), .flyte-timeline td:nth-of-type(1) { white-space: nowrap; }
.flyte-track { position: relative; min-width: 160px; height: 12px; background: #f0f0f0; }
.flyte-bar { position: absolute; top: 0; height: 12px; background: rgb(163, 26, 255); }
.flyte-bar.flyte-failed { background: #c62828; }
.flyte-note { color: #666; font-size: 12px; }
`;

// Tabs switch panels; nothing else runs.
const SCRIPT = `
(function () {
  var tabs = document.querySelectorAll('#flyte-frame-tabs > button');
  function show(index) {
    for (var i = 0; i < tabs.length; i++) {
      var on = i === index;
      var panel = document.getElementById(tabs[i].getAttribute('aria-controls'));
      tabs[i].classList.toggle('active', on);
      tabs[i].setAttribute('aria-selected', on ? 'true' : 'false');
      if (panel) { panel.hidden = !on; panel.classList.toggle('active', on); }
    }
  }
  for (var i = 0; i < tabs.length; i++) {
    (function (index) { tabs[index].addEventListener('click', function () { show(index); }); })(i);
  }
})();
`;
