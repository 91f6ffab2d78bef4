// flytekit-ts-execute's whole process for a trivial task (start Node, load the SDK and the task,
// read inputs.pb, run, write outputs.pb), against a bare `node -e ''` started the same way.
import { toBinary } from "@bufbuild/protobuf";
import { Int, TypeEngine } from "@flytekit-ts/core";
import { LiteralMapSchema } from "@flytekit-ts/core/idl";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { timeProcess } from "./startup.js";
import type { Row } from "./harness.js";

export function entrypointBench(): Row {
  const benchRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
  const bin = join(dirname(createRequire(import.meta.url).resolve("@flytekit-ts/core/package.json")), "bin/flytekit-ts-execute.js");
  const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-bench-entry-"));
  const inputs = join(dir, "inputs.pb");
  writeFileSync(inputs, toBinary(LiteralMapSchema, TypeEngine.toLiteralMap({ x: Int, y: Int }, { x: 3, y: 4 })));
  const args = [
    bin,
    "--inputs", inputs,
    "--output-prefix", join(dir, "out"),
    "--raw-output-data-prefix", join(dir, "raw"),
    "--checkpoint-path", join(dir, "cp"),
    "--prev-checkpoint", '""',
    "--resolver", "flytekit-ts.DefaultTaskResolver",
    "--", "task-module", "dist/entry-task.js", "task-name", "Trivial.add",
  ];
  const runs = 15;
  const baseline = timeProcess(["-e", ""], runs, benchRoot);
  const ours = timeProcess(args, runs, benchRoot);
  // The runs must have worked: 3 + 4 written as flytekit writes it.
  const written = readFileSync(join(dir, "out", "outputs.pb")).toString("hex");
  if (written !== "0a0c0a026f3012060a040a020807") throw new Error(`flytekit-ts-execute wrote ${written}, not the outputs of 3 + 4`);
  return {
    name: "flytekit-ts-execute, a trivial task, whole process",
    ours,
    baselineName: "node -e ''",
    baseline,
    targetRatio: 3,
    note: "pyflyte-execute (flytekit 1.16.24) takes about 808 ms here for the same task",
  };
}
