// Decks (Flyte's reports): the panels of HTML a task's run adds to, rendered into one deck.html
// when its decks are on (flytekit's Deck, TimeLineDeck and ExecutionParameters.decks). A task adds
// its own through `currentContext().deck(name).append(html)`; the SDK adds the timeline, the
// source, the dependencies, the inputs and the outputs (tasks/decks.ts). How a deck is laid out
// and how values are shown is deck-html.ts.
import { escapeHtml, renderTable, renderValue } from "./deck-html.js";

/** One panel (a tab) of a task's deck. */
export class Deck {
  private parts: string[] = [];

  constructor(
    readonly name: string,
    html = "",
  ) {
    if (html !== "") this.parts.push(html);
  }

  /**
   * Adds HTML to the panel, as it is: what you append is yours to make safe (flytekit's
   * `Deck.append`). For text, use `appendText`; for values, `appendValue` or `appendTable`.
   */
  append(html: string): this {
    if (typeof html !== "string") throw new TypeError(`deck '${this.name}': append() takes a string of HTML, got ${typeof html}`);
    this.parts.push(html);
    return this;
  }

  /** Adds text, shown as written (escaped; line breaks kept). */
  appendText(text: string): this {
    this.parts.push(`<pre class="flyte-text">${escapeHtml(String(text))}</pre>`);
    return this;
  }

  /** Adds any value as the deck shows inputs: records and maps as tables, lists as lists, large values cut with their size. */
  appendValue(value: unknown): this {
    this.parts.push(`<div class="flyte-value">${renderValue(value)}</div>`);
    return this;
  }

  /** Adds rows (objects) as a table, a column per key; every cell escaped and cut as values are. */
  appendTable(rows: readonly Readonly<Record<string, unknown>>[], columns?: readonly string[]): this {
    this.parts.push(renderTable(rows, columns));
    return this;
  }

  /** The panel's HTML. */
  get html(): string {
    return this.parts.join("\n");
  }
}

/** One timed part of a task's run (flytekit's `timeit` rows). */
export interface TimelineEntry {
  name: string;
  start: Date;
  end: Date;
  /** Wall-clock milliseconds. */
  wallMs: number;
  /** CPU milliseconds of this process (user and system) meanwhile. */
  cpuMs: number;
}

/** The decks of one task's run, in the order they were made; and its timeline. */
export class DeckSet {
  private readonly decks = new Map<string, Deck>();
  readonly timeline: TimelineEntry[] = [];

  /** The deck of that name, made (as the next tab) on first use. */
  deck(name: string): Deck {
    if (typeof name !== "string" || name === "") throw new TypeError(`a deck's name must be a non-empty string, got ${JSON.stringify(name)}`);
    let deck = this.decks.get(name);
    if (deck === undefined) {
      deck = new Deck(name);
      this.decks.set(name, deck);
    }
    return deck;
  }

  has(name: string): boolean {
    return this.decks.has(name);
  }

  /** Every deck, in the order made. */
  get all(): readonly Deck[] {
    return [...this.decks.values()];
  }

  /** Runs `fn` (sync or async) and records how long it took under `name`; what it returns or throws passes through. */
  time<T>(name: string, fn: () => T): T {
    const start = new Date();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const done = () => {
      const cpu = process.cpuUsage(c0);
      this.timeline.push({ name, start, end: new Date(), wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 });
    };
    let result: T;
    try {
      result = fn();
    } catch (e) {
      done();
      throw e;
    }
    if (result !== null && typeof result === "object" && typeof (result as { then?: unknown }).then === "function") {
      return Promise.resolve(result).finally(done) as T;
    }
    done();
    return result;
  }
}
