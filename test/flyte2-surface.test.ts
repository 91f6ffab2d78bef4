// The Flyte 2 settings flytekit-ts keeps on a task for its Flyte 2 target, checked against the real
// flyte-sdk (the `flyte` package, 2.12): the field names and values its serializer writes for a
// RetryStrategy, a Timeout and a ReusePolicy are those of `task.settings.flyte2`, Backoff's delays
// are ours, and its checks refuse what ours refuse, in the same words.
import { Cache, Int, RetryStrategy, ReusePolicy, TaskDefinitionError, Timeout, functionTask } from "@flytekit-ts/core";
import { backoffDelaySeconds } from "@flytekit-ts/core/internal";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { runProcess, TEST_ROOT } from "./support/execute.js";
import { ensureFlyte2 } from "./support/python.js";

type Duration = { seconds: number; nanos: number } | undefined;
/** A Duration as protobuf's JSON writes it. */
const json = (d: Duration) => (d === undefined ? undefined : `${d.seconds + d.nanos / 1e9}s`);
const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
/** The problem of an error, without the value it got (Python shows timedeltas and reprs). */
const problem = (s: string | null) => (s === null ? null : s.replace(/, got .*$/, ""));

const ERRORS: { kind: string; spec: Record<string, unknown>; ours: () => unknown }[] = [
  { kind: "backoff", spec: { base: -1 }, ours: () => new RetryStrategy({ count: 1, backoff: { base: -1 } }) },
  { kind: "backoff", spec: { base: 1, factor: 0.5 }, ours: () => new RetryStrategy({ count: 1, backoff: { base: 1, factor: 0.5 } }) },
  { kind: "backoff", spec: { base: 1, factor: 2 }, ours: () => new RetryStrategy({ count: 1, backoff: { base: 1, factor: 2 } }) },
  { kind: "backoff", spec: { base: 1, cap: -3 }, ours: () => new RetryStrategy({ count: 1, backoff: { base: 1, cap: -3 } }) },
  { kind: "retry", spec: { count: -2 }, ours: () => new RetryStrategy({ count: -2 }) },
  { kind: "retry", spec: { count: 1.5 }, ours: () => new RetryStrategy({ count: 1.5 }) },
  { kind: "reuse", spec: { scope: "process" }, ours: () => new ReusePolicy({ scope: "process" as never }) },
  { kind: "reuse", spec: { replicas: [1, 2, 3] }, ours: () => new ReusePolicy({ replicas: [1, 2, 3] as never }) },
  { kind: "reuse", spec: { replicas: -1 }, ours: () => new ReusePolicy({ replicas: -1 }) },
  { kind: "reuse", spec: { replicas: [3, 1] }, ours: () => new ReusePolicy({ replicas: [3, 1] }) },
  { kind: "reuse", spec: { concurrency: 0 }, ours: () => new ReusePolicy({ concurrency: 0 }) },
  { kind: "reuse", spec: { idle_ttl: 10 }, ours: () => new ReusePolicy({ idleTtl: 10 }) },
  { kind: "reuse", spec: { scaledown_ttl: 29 }, ours: () => new ReusePolicy({ scaledownTtl: 29 }) },
  { kind: "cache", spec: { max_age: -1 }, ours: () => new Cache({ version: "1", maxAge: -1 }) },
  // Accepted by both.
  { kind: "reuse", spec: { replicas: [0, 3], concurrency: 4, idle_ttl: 30 }, ours: () => new ReusePolicy({ replicas: [0, 3], concurrency: 4, idleTtl: 30 }) },
  { kind: "backoff", spec: { base: 0 }, ours: () => new RetryStrategy({ count: 1, backoff: { base: 0 } }) },
];

function ourProblem(make: () => unknown): string | null {
  try {
    make();
  } catch (e) {
    expect(e).toBeInstanceOf(TaskDefinitionError);
    return (e as TaskDefinitionError).problem ?? null;
  }
  return null;
}

describe("Flyte 2's task settings, against flyte-sdk 2.12", () => {
  it("are written by flyte-sdk with the names and values task.settings.flyte2 holds, delayed as ours, refused as ours", async () => {
    const { python } = ensureFlyte2();
    vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const cases = {
      wire: {
        count: 3,
        backoff: { base: 5, factor: 2, cap: 60 },
        max_runtime: 600,
        max_queued_time: 120,
        deadline: 3600,
        reuse: { replicas: [2, 4], idle_ttl: 60, scaledown_ttl: 45, concurrency: 2, scope: "run" },
      },
      delays: [
        { backoff: { base: 10, factor: 2, cap: 45 }, n: [0, 1, 2, 3, 4, 5000] },
        { backoff: { base: 0.5 }, n: [0, 1, 7] },
        { backoff: { base: 1.5, factor: 3, cap: 100 }, n: [0, 1, 2, 3, 4] },
      ],
      errors: ERRORS.map(({ kind, spec }) => ({ kind, spec })),
    };
    const r = await runProcess(python, [join(TEST_ROOT, "interop/flyte2_surface.py"), JSON.stringify(cases)]);
    expect(r.code, r.stderr).toBe(0);
    const theirs = JSON.parse(r.stdout) as { retries: unknown; timeouts: unknown; reusePolicy: unknown; delays: number[][]; errors: (string | null)[] };

    async function fn() {
      return 1;
    }
    const task = functionTask(
      {
        name: "f2.t",
        outputs: Int,
        retries: new RetryStrategy({ count: 3, backoff: { base: 5, factor: 2, cap: 60 } }),
        timeout: new Timeout({ maxRuntime: 600, maxQueuedTime: 120, deadline: 3600 }),
        reusable: new ReusePolicy({ replicas: [2, 4], idleTtl: 60, scaledownTtl: 45, concurrency: 2, scope: "run" }),
      },
      fn,
    ).task;
    const f2 = task.settings.flyte2;
    expect(theirs.retries).toEqual({ retries: task.metadata.retries, backoff: { base: json(f2.backoff?.base), factor: f2.backoff?.factor, cap: json(f2.backoff?.cap) } });
    expect(theirs.timeouts).toEqual({ queuedTimeout: json(f2.queuedTimeout), deadline: json(f2.deadline) });
    const p = f2.reusePolicy!;
    expect(theirs.reusePolicy).toEqual({
      minReplicas: p.minReplicas,
      maxReplicas: p.maxReplicas,
      concurrency: p.concurrency,
      idleTtl: json(p.idleTtl),
      scaledownTtl: json(p.scaledownTtl),
      scope: p.scope.toUpperCase(),
    });

    const ours = cases.delays.map((d) => {
      const s = new RetryStrategy({ count: 1, backoff: d.backoff });
      return d.n.map((n) => backoffDelaySeconds(s.backoff, n));
    });
    expect(ours).toEqual(theirs.delays);

    const pairs = ERRORS.map((e, i) => ({ spec: `${e.kind} ${JSON.stringify(e.spec)}`, theirs: problem(theirs.errors[i] === null ? null : camel(theirs.errors[i]!)), ours: problem(ourProblem(e.ours)) }));
    expect(pairs.map((p) => ({ spec: p.spec, ours: p.ours }))).toEqual(pairs.map((p) => ({ spec: p.spec, ours: p.theirs })));
  }, 120_000);
});
