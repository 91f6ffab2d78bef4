// Decorating 1,000 tasks with @task (decorators only record), against declaring the same 1,000
// classes with a decorator that does nothing (so the metadata TypeScript emits is the same); and,
// for the record, what building those tasks costs afterwards.
import { Int, taskOf } from "@flytekit-ts/core";
import { taskStore } from "@flytekit-ts/core/internal";
import { task } from "@flytekit-ts/decorators";
import { formatNs, measure, type Row } from "./harness.js";

const N = 1_000;

function declareTasks(): Function[] {
  const handles: Function[] = [];
  for (let i = 0; i < N; i++) {
    class Job {
      @task({ inputs: { x: Int, y: Int }, outputs: Int })
      static add(x: number, y: number): number {
        return x + y;
      }
    }
    handles.push(Job.add);
  }
  return handles;
}

/** A decorator that does nothing: TypeScript still emits the same metadata for the method. */
function noop(): MethodDecorator {
  return () => undefined;
}

function declarePlain(): Function[] {
  const handles: Function[] = [];
  for (let i = 0; i < N; i++) {
    class Job {
      @noop()
      static add(x: number, y: number): number {
        return x + y;
      }
    }
    handles.push(Job.add);
  }
  return handles;
}

export function decorateBench(): Row {
  const ours = measure(() => {
    declareTasks();
    taskStore.clear();
  }, { samples: 15, warmup: 3, gcBetweenSamples: true });
  const baseline = measure(declarePlain, { samples: 15, warmup: 3, gcBetweenSamples: true });
  let handles: Function[] = [];
  const build = measure(
    () => {
      for (const h of handles) taskOf(h);
    },
    { samples: 9, warmup: 0, gcBetweenSamples: true, before: () => {
      taskStore.clear();
      handles = declareTasks();
    } },
  );
  taskStore.clear();
  const per = (m: typeof ours) => ({ ...m, medianNs: m.medianNs / N, minNs: m.minNs / N });
  return {
    name: `decorating ${N.toLocaleString("en")} tasks with @task (per task)`,
    ours: per(ours),
    baselineName: "declaring the same class with a no-op decorator (TypeScript emits the same metadata)",
    baseline: per(baseline),
    targetNs: 20_000,
    note: `building each task on first use (interface inference, options) costs ${formatNs(build.medianNs / N)} more; Python flytekit 1.16 takes about 590 µs per task here, building included`,
  };
}
