// Flyte 2's task surface: a TaskEnvironment holds what a set of tasks share (image, resources, env
// vars, cache, queue); each task's own options win over it, and `override()` over both for one
// call. Retries can be paced by a backoff, honoured by local calls too. A Flyte 1 template keeps
// what Flyte 1 has a field for; the rest stays on the task for Flyte 2.
import {
  Cache,
  currentContext,
  ImageConfig,
  Int,
  RecoverableError,
  Resources,
  RetryStrategy,
  SerializationSettings,
  Str,
  TaskEnvironment,
  taskOf,
  Timeout,
  toTaskTemplate,
} from "@flytekit-ts/core";
import "@flytekit-ts/decorators";

export const etl = new TaskEnvironment({
  name: "etl",
  image: "ghcr.io/acme/etl:v1",
  resources: new Resources({ cpu: "1", mem: ["1Gi", "2Gi"] }),
  env: { STAGE: "example" },
  cache: new Cache({ version: "etl-1", maxAge: 86_400 }),
  queue: "batch",
});

/** The function form: named `etl.fetch`, with the environment's settings and a paced retry. */
export const fetch = etl.task(
  {
    inputs: { source: Str, failures: Int },
    outputs: Str,
    cache: false,
    // Waits 0.05 s, then 0.1 s, then 0.2 s (capped) before retries 1, 2 and 3.
    retries: new RetryStrategy({ count: 3, backoff: { base: 0.05, factor: 2, cap: 0.2 } }),
    timeout: new Timeout({ maxRuntime: 60, maxQueuedTime: 300 }),
  },
  async function fetch({ source, failures }) {
    const { attempt } = currentContext();
    if (attempt < failures) throw new RecoverableError(`${source} is busy (attempt ${attempt})`);
    return `${source}: fetched on attempt ${attempt}`;
  },
);

/** Decorated methods: named `etl.Steps.<member>`. */
export class Steps {
  @etl.task({ inputs: { text: Str }, outputs: Int })
  static count(text: string): number {
    return text.split(/\s+/).length;
  }

  @etl.task({ inputs: { n: Int }, outputs: Str, queue: "fast", shortName: "report" })
  static summarize(n: number): string {
    return `${n} words`;
  }
}

export async function main(): Promise<void> {
  const text = await fetch({ source: "s3://bucket/notes.txt", failures: 2 });
  console.log(text);
  const words = Steps.count(text);
  console.log(`${taskOf(Steps.count).name} -> ${words}; ${taskOf(Steps.summarize).name} (short name ${taskOf(Steps.summarize).shortName}) -> ${Steps.summarize(words)}`);

  // override(): a new task for this call; the declared one is unchanged.
  const urgent = fetch.override({ queue: "urgent", retries: 0 });
  console.log(`override: queue ${urgent.task.settings.flyte2.queue}, retries ${urgent.task.metadata.retries}; original: queue ${fetch.task.settings.flyte2.queue}, retries ${fetch.task.metadata.retries}`);
  try {
    await urgent({ source: "s3://bucket/busy.txt", failures: 1 });
  } catch (e) {
    console.log(`override without retries fails at once: ${(e as Error).message.split("\n").at(-1)?.trim()}`);
  }

  // aio() always gives a Promise; forward() runs the function itself (no literals, no cache, no retries).
  console.log(`aio: ${await taskOf(Steps.count).aio("one two")}; forward: ${taskOf(Steps.count).forward("one two three")}`);

  // What a Flyte 1 template keeps, and what stays on the task for Flyte 2.
  const settings = new SerializationSettings({ project: "p", domain: "d", version: "v1", imageConfig: ImageConfig.auto("ghcr.io/acme/etl:v1") });
  const template = toTaskTemplate(fetch.task, settings);
  const m = template.metadata!;
  const container = template.target.case === "container" ? template.target.value : undefined;
  const env = container?.env.map((kv) => `${kv.key}=${kv.value}`).join(" ");
  console.log(`Flyte 1 template: image ${container?.image}, env ${env}, cpu ${container?.resources?.requests[0]?.value}, retries ${m.retries?.retries}, timeout ${m.timeout?.seconds}s, cache ${m.discoverable}`);
  const f2 = fetch.task.settings.flyte2;
  console.log(`kept for Flyte 2: backoff base ${(f2.backoff?.base.nanos ?? 0) / 1e9}s x${f2.backoff?.factor}, queued timeout ${f2.queuedTimeout?.seconds}s, queue ${f2.queue}`);
  console.log(`environment's tasks: ${etl.tasks.map((t) => t.name).join(", ")}`);
}
