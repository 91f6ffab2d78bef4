// An eager pipeline (flytekit's @eager): an async method that calls tasks and awaits them as
// plain functions. `Promise.all` runs several at once, an eager task may call another, and each
// inner call keeps its own cache, retries and timeout. Locally the calls run inline, each recorded
// in the eager task's run (`currentContext().eager.calls`); on a cluster each runs as an execution
// of its own. A failed call is re-thrown naming both tasks.
import { currentContext, ImageConfig, Int, List, RecoverableError, SerializationSettings, Str, taskOf, toTaskTemplate } from "@flytekit-ts/core";
import type { InnerCall } from "@flytekit-ts/core/extend";
import { eager, task } from "@flytekit-ts/decorators";

let attempts = 0;

export class Steps {
  @task({ inputs: { url: Str }, outputs: Str })
  static async fetch(url: string): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return `<page of ${url}>`;
  }

  @task({ inputs: { page: Str }, outputs: Int })
  static words(page: string): number {
    return page.split(/\s+/).length;
  }

  /** Fails once, then succeeds: retried as on Flyte. */
  @task({ inputs: { counts: List(Int) }, outputs: Int, retries: 2 })
  static total(counts: number[]): number {
    if (attempts++ === 0) throw new RecoverableError("the database blinked");
    return counts.reduce((a, b) => a + b, 0);
  }

  @task({ inputs: { n: Int }, outputs: {} })
  static refuse(n: number): void {
    throw new Error(`${n} is too many`);
  }
}

export class Crawl {
  /** Fetches one site's pages at once, then counts their words. */
  @eager({ inputs: { site: Str }, outputs: Int })
  static async site(site: string): Promise<number> {
    const pages = await Promise.all(["a", "b", "c"].map((p) => Steps.fetch(`${site}/${p}`)));
    const counts = await Promise.all(pages.map((page) => Steps.words(page)));
    return await Steps.total(counts);
  }

  /** Calls the eager task above for each site (nested eager), and handles a failure of its own. */
  @eager({ inputs: { sites: List(Str) }, outputs: Int })
  static async everything(sites: string[]): Promise<number> {
    let sum = 0;
    for (const site of sites) sum += await Crawl.site(site);
    try {
      await Steps.refuse(sum);
    } catch (e) {
      console.log(`caught: ${(e as Error).message.replace(/\n\s*/g, " ")}`);
    }
    printCalls(currentContext().eager!.calls, "  ");
    return sum;
  }
}

/** The run's records: each inner call, its attempts and time, and a nested eager task's calls. */
function printCalls(calls: readonly InnerCall[], indent: string): void {
  for (const c of calls) {
    const ms = c.ended === undefined ? "?" : `${c.ended.getTime() - c.started.getTime()}ms`;
    const how = c.error !== undefined ? "failed" : c.cached ? "cached" : `${c.attempts} attempt${c.attempts === 1 ? "" : "s"}`;
    console.log(`${indent}${c.task.replace(/^.*\.(\w+\.\w+)$/, "$1")}: ${how}, ${ms}`);
    printCalls(c.calls, `${indent}  `);
  }
}

export async function main(): Promise<void> {
  console.log(`words on two sites: ${await Crawl.everything(["example.org", "flyte.org"])}`);
  // Serialized as flytekit serializes @eager: is_eager, decks on, the settings in _F_SS_C.
  const settings = new SerializationSettings({ project: "p", domain: "d", version: "v1", imageConfig: ImageConfig.auto("ghcr.io/acme/app:v1") });
  const template = toTaskTemplate(taskOf(Crawl.everything), settings);
  const env = template.target.case === "container" ? template.target.value.env.map((e) => e.key) : [];
  console.log(`template: is_eager ${template.metadata?.isEager}, generates_deck ${template.metadata?.generatesDeck}, env ${env.join(", ")}`);
}
