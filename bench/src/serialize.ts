// Serializing 10,000 tasks to TaskTemplate bytes (toTaskTemplate + templateToBinary), against encoding
// 10,000 equal TaskTemplates that were built beforehand (protobuf-es toBinary alone).
import { toBinary } from "@bufbuild/protobuf";
import { functionTask, ImageConfig, Int, List, Resources, SerializationSettings, Str, templateToBinary, toTaskTemplate } from "@flytekit-ts/core";
import type { FunctionTask } from "@flytekit-ts/core/extend";
import { TaskTemplateSchema, type TaskTemplate } from "@flytekit-ts/core/idl";
import { formatNs, measure, type Row } from "./harness.js";

const N = 10_000;

function declare(): FunctionTask[] {
  const tasks: FunctionTask[] = [];
  for (let i = 0; i < N; i++) {
    const t = functionTask(
      {
        name: `bench.serialize.task_${i}`,
        inputs: { xs: List(Int), label: Str },
        outputs: { total: Int, label: Str },
        retries: 2,
        cache: true,
        cacheVersion: "1",
        requests: new Resources({ cpu: "1", mem: "1Gi" }),
        environment: { MODE: "bench" },
      },
      ({ xs, label }) => ({ total: xs.length, label }),
    );
    t.task.setLocation({ file: "/app/src/pipelines.ts", attributePath: `task_${i}` });
    tasks.push(t.task);
  }
  return tasks;
}

export function serializeBench(): Row {
  const tasks = declare();
  const settings = new SerializationSettings({ project: "p", domain: "d", version: "v1", imageConfig: ImageConfig.auto("ghcr.io/org/app:v1") });
  let templates: TaskTemplate[] = [];
  const ours = measure(
    () => {
      templates = tasks.map((t) => toTaskTemplate(t, settings));
      let bytes = 0;
      for (const template of templates) bytes += templateToBinary(template).length;
      return bytes;
    },
    { samples: 9, warmup: 2, gcBetweenSamples: true },
  );
  const built = templates;
  const baseline = measure(
    () => {
      let bytes = 0;
      for (const template of built) bytes += toBinary(TaskTemplateSchema, template).length;
      return bytes;
    },
    { samples: 9, warmup: 2, gcBetweenSamples: true },
  );
  const per = (m: typeof ours) => ({ ...m, medianNs: m.medianNs / N, minNs: m.minNs / N });
  return {
    name: `serializing ${N.toLocaleString("en")} tasks to TaskTemplate bytes, per task`,
    ours: per(ours),
    baselineName: "encoding an already built TaskTemplate (protobuf-es toBinary)",
    baseline: per(baseline),
    targetNs: 20_000,
    note: `${N.toLocaleString("en")} tasks in ${formatNs(ours.medianNs)}; Python flytekit 1.16 takes about 157 µs per task here`,
  };
}
