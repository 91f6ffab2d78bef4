// A customized container task with the user's own executor, in TypeScript, the whole way: the CLI
// serializes it, and flytekit-ts-execute runs it from the template file, importing the executor from
// the .ts module @taskExecutor() recorded.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { admin, LiteralMapSchema, TaskTemplateSchema } from "@flytekit-ts/core/idl";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI_BIN, cleanEnv, EXECUTE_BIN, fillTemplates, readOutputs, runProcess, workArea } from "./support/execute.js";
import { Greet } from "./support/greet-tasks.js";
import { fromLiteralMap, toLiteralMap } from "@flytekit-ts/core/internal";
import { Str, taskOf } from "@flytekit-ts/core";

describe("a customized container task with its own TypeScript executor", () => {
  it("runs locally in-process", () => {
    expect(taskOf(Greet).invoke({ name: "flyte" })).toBe("hello, flyte");
  });

  it("is serialized by the CLI and run in its container, the executor imported from its .ts module", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "flytekit-ts-greet-")), "specs");
    const cli = await runProcess(process.execPath, [CLI_BIN, "serialize", "--out", out, "--image", "docker.io/xyz:1", "support/greet-tasks.ts"], { env: cleanEnv() });
    expect(cli.code, cli.stderr).toBe(0);
    const spec = fromBinary(admin.TaskSpecSchema, readFileSync(join(out, readdirSync(out)[0]!)));
    const template = spec.template!;
    expect(template.type).toBe("greeter");
    const args = template.target.case === "container" ? template.target.value.args : [];
    expect(args.slice(-2)).toEqual(["{{.taskTemplatePath}}", "support/greet-tasks.ts#GreetExecutor"]);

    const area = workArea(toBinary(LiteralMapSchema, toLiteralMap({ name: Str }, { name: "flyte" })));
    const templatePath = join(area.dir, "task_template.pb");
    writeFileSync(templatePath, toBinary(TaskTemplateSchema, template));
    const filled = fillTemplates(args, { inputs: area.inputs, outputPrefix: area.out, raw: area.raw }).map((a) => (a === "{{.taskTemplatePath}}" ? templatePath : a));
    const r = readOutputs(area.out, await runProcess(process.execPath, [EXECUTE_BIN, ...filled.slice(1)], { env: cleanEnv() }));
    expect(r.files, r.error?.error?.message ?? r.stderr).toEqual(["outputs.pb"]);
    expect(fromLiteralMap({ o0: Str }, r.outputs!, "output")).toEqual({ o0: "hello, flyte (from its container)" });
  });
});
