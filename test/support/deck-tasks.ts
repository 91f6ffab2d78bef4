// Tasks with decks on, for test/deck-browser.test.ts: run locally in the test's process and in a
// container by flytekit-ts-execute (as TypeScript, through the TS loader). One takes a record, a
// hostile string, a long string and a long list, adds a deck of its own, and returns a record and a
// dict; one fails after adding its deck; an eager one calls tasks at once, a nested eager task,
// and one that fails (caught), for the timeline of its calls.
import { eager, field, task } from "@flytekit-ts/decorators";
import { currentContext, Dict, Int, List, Str } from "@flytekit-ts/core";

/** A record with a nested list, shown as a nested table. */
export class Sample {
  @field() label!: string;
  @field(List(Int)) points!: number[];
}

export class DeckTasks {
  @task({ inputs: { name: Str, sample: Sample, numbers: List(Int), notes: Str }, outputs: { summary: Sample, counts: Dict(Int) }, enableDeck: true })
  static report(name: string, sample: Sample, numbers: number[], notes: string): { summary: Sample; counts: Record<string, number> } {
    currentContext().deck("Report").append(`<h2 id="user-heading">Made by the task</h2><p id="user-paragraph">${numbers.length} numbers, <em>user HTML</em></p>`).appendText(`text from the task: ${name}`);
    const summary = Object.assign(new Sample(), { label: `summary of ${sample.label}`, points: numbers.slice(0, 3) });
    return { summary, counts: { numbers: numbers.length, notes: notes.length } };
  }

  @task({ inputs: { x: Int }, outputs: Int, enableDeck: true })
  static failing(x: number): number {
    currentContext().deck("Progress").append(`<p id="progress">got as far as ${x}</p>`);
    throw new Error(`failed at ${x}`);
  }

  @task({ inputs: { x: Int }, outputs: Int })
  static async double(x: number): Promise<number> {
    await new Promise((r) => setTimeout(r, 10));
    return 2 * x;
  }

  @task({ inputs: { x: Int }, outputs: Int })
  static refuse(x: number): number {
    throw new Error(`<i>refused</i> ${x}`);
  }

  @eager({ inputs: { x: Int }, outputs: Int })
  static async inner(x: number): Promise<number> {
    return await DeckTasks.double(x + 100);
  }

  @eager({ inputs: { x: Int }, outputs: Int })
  static async pipeline(x: number): Promise<number> {
    const [a, b] = await Promise.all([DeckTasks.double(x), DeckTasks.double(x + 1)]);
    const c = await DeckTasks.inner(a + b);
    try {
      await DeckTasks.refuse(c);
    } catch {
      // the timeline shows it failed
    }
    return c;
  }
}
