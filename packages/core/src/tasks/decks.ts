// A task's deck.html (flytekit's _write_decks and _output_deck): when its decks are on, the run
// is timed, and after its body the SDK adds the panels `deckFields` names (source code,
// dependencies, input, output) to those the task made itself; the page is written locally at the
// end of a local run, and by flytekit-ts-execute to `<output prefix>/deck.html` in a container.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { TaskExecutionContext } from "../context/context.js";
import { escapeHtml, maskHtml, renderDeckPage, renderNamedValues, renderSource, renderTimeline, type DeckPanel, type TimelineCall } from "../context/deck-html.js";
import type { Interface } from "../interface/interface.js";
import { VERSION } from "../version.js";
import { DeckField } from "./docs.js";
import type { TaskMetadata } from "./options.js";

/** What the deck needs of a task. */
export interface DeckTask {
  readonly name: string;
  readonly interface: Interface;
  readonly metadata: TaskMetadata;
  readonly settings: { readonly deckFields: readonly DeckField[] };
}

/** flytekit's DECK_FILE_NAME. */
export const DECK_FILE_NAME = "deck.html";

/** Whether the task writes a deck (`enableDeck`, or `report`). */
export function decksOn(task: DeckTask): boolean {
  return task.metadata.generatesDeck;
}

/** The name flytekit's log line and the page's title use: the last part of the task's name. */
export function deckTaskName(task: DeckTask): string {
  return task.name.split(".").pop() ?? task.name;
}

/** The function a task runs, when it has one (a function task's body), for the Source Code panel. */
function sourceOf(task: DeckTask): string | undefined {
  const fn = (task as { body?: { fn?: unknown } }).body?.fn;
  if (typeof fn !== "function") return undefined;
  try {
    return Function.prototype.toString.call(fn);
  } catch {
    return undefined;
  }
}

let dependencies: string | undefined;

/** The Dependencies panel: Node and flytekit-ts, and the dependencies of the package the process runs in (read once). */
function dependenciesHtml(): string {
  if (dependencies !== undefined) return dependencies;
  const rows: [string, string][] = [
    ["node", process.versions.node],
    ["flytekit-ts", VERSION],
  ];
  const manifest = nearestPackageJson(process.cwd());
  let from = "";
  if (manifest !== undefined) {
    try {
      const json = JSON.parse(readFileSync(manifest, "utf8")) as { dependencies?: Record<string, unknown> };
      for (const [name, range] of Object.entries(json.dependencies ?? {})) rows.push([name, String(range)]);
      from = `<p class="flyte-note">Besides Node and flytekit-ts, the dependencies of ${escapeHtml(manifest)}.</p>`;
    } catch {
      // a package.json that does not read says nothing
    }
  }
  const body = rows.map(([n, v]) => `<tr><th scope="row">${escapeHtml(n)}</th><td>${escapeHtml(v)}</td></tr>`).join("");
  dependencies = `<table class="flyte-table"><thead><tr><th scope="col">Name</th><th scope="col">Version</th></tr></thead><tbody>${body}</tbody></table>${from}`;
  return dependencies;
}

function nearestPackageJson(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, "package.json");
    if (existsSync(candidate)) return candidate;
    if (dirname(d) === d) return undefined;
  }
}

/** The outputs by name, from the body's result as the outputs read it (conversion.ts's outputLiterals). */
function outputsByName(iface: Interface, result: unknown): Record<string, unknown> {
  const outputs = iface.outputs;
  if (outputs.length === 0) return {};
  if (iface.returnsBareValue) return { o0: result };
  if (outputs.length === 1) {
    const only = outputs[0]!.name;
    const isMap = typeof result === "object" && result !== null && !Array.isArray(result) && Object.hasOwn(result, only);
    if (!isMap) return { [only]: result };
  }
  return typeof result === "object" && result !== null ? (result as Record<string, unknown>) : {};
}

/**
 * After the body: the panels the SDK adds (in flytekit's order: source code, dependencies, input,
 * output), each as `deckFields` says.
 */
export function addTaskDecks(task: DeckTask, context: TaskExecutionContext, inputs: Readonly<Record<string, unknown>>, result: unknown): void {
  const fields = task.settings.deckFields;
  const decks = context.decks;
  if (fields.includes(DeckField.SOURCE_CODE)) {
    const source = sourceOf(task);
    if (source !== undefined) decks.deck(DeckField.SOURCE_CODE).append(renderSource(source));
  }
  if (fields.includes(DeckField.DEPENDENCIES)) decks.deck(DeckField.DEPENDENCIES).append(dependenciesHtml());
  if (fields.includes(DeckField.INPUT)) {
    const values = task.interface.inputs.map((v) => ({ name: v.name, type: String(v.type), value: inputs[v.name] }));
    decks.deck(DeckField.INPUT).append(renderNamedValues(values, "the task takes no inputs"));
  }
  if (fields.includes(DeckField.OUTPUT)) {
    const byName = outputsByName(task.interface, result);
    const values = task.interface.outputs.map((v) => ({ name: v.name, type: String(v.type), value: byName[v.name] }));
    decks.deck(DeckField.OUTPUT).append(renderNamedValues(values, "the task returns no outputs"));
  }
}

/** The calls an eager task's body made (its run's records; a nested eager task's own, inside each). */
function innerCalls(context: TaskExecutionContext): readonly TimelineCall[] | undefined {
  return context.eager?.calls;
}

/** The deck page of the task's run: the timeline first (as flytekit appends it first), then every deck in the order made. */
export function renderTaskDeck(task: DeckTask, context: TaskExecutionContext): string {
  const panels: DeckPanel[] = [];
  if (task.settings.deckFields.includes(DeckField.TIMELINE)) panels.push({ name: DeckField.TIMELINE, html: renderTimeline(context.decks.timeline, innerCalls(context)) });
  for (const deck of context.decks.all) panels.push({ name: deck.name, html: deck.html });
  return renderDeckPage(`${deckTaskName(task)} deck`, panels);
}

/**
 * A local run's deck: written, as flytekit's, to a new directory of its own (under
 * `<tmpdir>/flytekit-ts/decks/`, kept after the process ends, as flytekit's local sandbox is), and
 * its path logged as flytekit logs it. A deck that cannot be written is logged, never fails the task.
 */
export function writeLocalDeck(task: DeckTask, context: TaskExecutionContext): string | undefined {
  try {
    const base = join(tmpdir(), "flytekit-ts", "decks");
    mkdirSync(base, { recursive: true });
    const dir = mkdtempSync(join(base, `${deckTaskName(task).replace(/[^\w.-]/g, "_").slice(0, 60)}-`));
    const path = join(dir, DECK_FILE_NAME);
    writeFileSync(path, maskHtml(renderTaskDeck(task, context), context.secretValues));
    context.logger.info(`${deckTaskName(task)} task creates flyte deck html to file://${path}`);
    return path;
  } catch (e) {
    context.logger.error(`Failed to write flyte deck html with error ${e instanceof Error ? e.message : String(e)}.`);
    return undefined;
  }
}
