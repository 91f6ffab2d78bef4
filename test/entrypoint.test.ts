// flytekit-ts-execute, the process Flyte starts in a task's container: the golden cases that the
// real pyflyte-execute ran (golden/entrypoint), and one test per row of flytekit's failure table.
// Every test starts the entrypoint as a process of its own, with a container's args.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { normalizeTemplates, parseExecuteArgs, UsageError } from "@flytekit-ts/core/execute";
import { ContainerError_Kind, ErrorDocumentSchema, ExecutionError_ErrorKind, LiteralMapSchema } from "@flytekit-ts/core/idl";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { executeArgs, runExecute, workArea } from "./support/execute.js";
import { fromLiteralMap, toLiteralMap } from "@flytekit-ts/core/internal";
import { File, Int, Str } from "@flytekit-ts/core";

const golden = join(import.meta.dirname, "golden/entrypoint");
const manifest = JSON.parse(readFileSync(join(golden, "manifest.json"), "utf8")) as {
  entrypoint_cases: { case: string; exit_code: number; inputs_file: string; out_files: string[]; outputs_file?: string; error_file?: string }[];
};
const MODULE = "support/entry-tasks.ts";
const byGoldenCase: Record<string, string> = {
  add: "EntryTasks.add",
  fail_user: "EntryTasks.failUser",
  fail_recoverable: "EntryTasks.failRecoverable",
  no_outputs: "EntryTasks.noOutputs",
};

const x3 = () => toLiteralMap({ x: Int }, { x: 3 });

async function run(name: string, inputs: Parameters<typeof workArea>[0] = x3(), env: NodeJS.ProcessEnv = {}) {
  const area = workArea(inputs);
  const result = await runExecute(executeArgs(area, MODULE, name), area.out, { env });
  return { area, result };
}

describe("the golden cases pyflyte-execute ran", () => {
  it("covers every case of the manifest", () => {
    expect(manifest.entrypoint_cases.map((c) => c.case).sort()).toEqual(Object.keys(byGoldenCase).sort());
  });

  for (const c of manifest.entrypoint_cases) {
    it(`${c.case}: exit code, files and contents as pyflyte-execute wrote them`, async () => {
      const { result } = await run(byGoldenCase[c.case]!, readFileSync(join(golden, c.inputs_file)));
      expect(result.code, result.stderr).toBe(c.exit_code);
      expect(result.files).toEqual(c.out_files);
      if (c.outputs_file !== undefined) {
        // Byte for byte: the same LiteralMap, the same encoding (0 bytes for no outputs).
        expect(Buffer.from(result.outputsBytes!).toString("hex")).toBe(readFileSync(join(golden, c.outputs_file)).toString("hex"));
      }
      if (c.error_file !== undefined) {
        const expected = fromBinary(ErrorDocumentSchema, readFileSync(join(golden, c.error_file))).error!;
        const ours = result.error!.error!;
        // Field for field, except our own texts and stack frames (and the time it happened).
        expect({ code: ours.code, kind: ours.kind, origin: ours.origin, worker: ours.worker }).toEqual({
          code: expected.code,
          kind: expected.kind,
          origin: expected.origin,
          worker: expected.worker,
        });
        expect(ours.message).toMatch(/^Trace:\n\n {4}\S/);
        expect(ours.message).toMatch(/\n\nMessage:\n\n {4}\S[^\n]*$/);
        expect(Number(ours.timestamp!.seconds)).toBeGreaterThan(Date.now() / 1000 - 600);
      }
    });
  }

  it("the error message has flytekit's shape: the trace, then the error's type and message, both indented", async () => {
    const { result } = await run("EntryTasks.failUser");
    const message = result.error!.error!.message;
    expect(message.endsWith("\nMessage:\n\n    Error: boom 3")).toBe(true);
    // The trace is the user's error, raised in the task's own source.
    expect(message).toContain("    Error: boom 3\n        at ");
    expect(message).toContain("entry-tasks.ts");
  });
});

describe("flytekit's failure table", () => {
  it("a user error is USER:RuntimeError, NON_RECOVERABLE, origin USER, and the process exits 0", async () => {
    const { result } = await run("EntryTasks.failUser");
    expect(result.code).toBe(0);
    expect(result.files).toEqual(["error.pb"]);
    expect(result.error!.error).toMatchObject({ code: "USER:RuntimeError", kind: ContainerError_Kind.NON_RECOVERABLE, origin: ExecutionError_ErrorKind.USER, worker: "" });
    expect(result.stderr).toContain("!! Begin User Error Captured by Flyte !!");
  });

  it("a RecoverableError is USER:Recoverable and RECOVERABLE", async () => {
    const { result } = await run("EntryTasks.failRecoverable");
    expect(result.error!.error).toMatchObject({ code: "USER:Recoverable", kind: ContainerError_Kind.RECOVERABLE, origin: ExecutionError_ErrorKind.USER });
    expect(result.error!.error!.message).toContain("RecoverableError: try again (x=3)");
  });

  it("a user error with its own errorCode keeps it (a number becomes its text)", async () => {
    const named = await run("EntryTasks.failCode");
    expect(named.result.error!.error).toMatchObject({ code: "QUOTA_EXCEEDED", kind: ContainerError_Kind.NON_RECOVERABLE, origin: ExecutionError_ErrorKind.USER });
    expect(named.result.error!.error!.message).toContain("QuotaError: custom failure for 3");
    const numbered = await run("EntryTasks.failNumberedCode");
    expect(numbered.result.error!.error!.code).toBe("42");
  });

  it("a task that cannot be loaded is a user error: the document names the module and what was missing", async () => {
    const { result } = await run("EntryTasks.nothingHere");
    expect(result.code).toBe(0);
    expect(result.files).toEqual(["error.pb"]);
    expect(result.error!.error).toMatchObject({ code: "USER:RuntimeError", kind: ContainerError_Kind.NON_RECOVERABLE, origin: ExecutionError_ErrorKind.USER });
    expect(result.error!.error!.message).toContain(`TaskResolutionError: task module ${MODULE}: it has nothing at EntryTasks.nothingHere (no "nothingHere")`);
  });

  it("a module that is not there is a user error too", async () => {
    const area = workArea(x3());
    const result = await runExecute(executeArgs(area, "support/no-such-module.ts", "add"), area.out);
    expect(result.code).toBe(0);
    expect(result.error!.error).toMatchObject({ code: "USER:RuntimeError", origin: ExecutionError_ErrorKind.USER });
    expect(result.error!.error!.message).toContain("TaskResolutionError: task module support/no-such-module.ts: it does not exist (looked for ");
  });

  it("IgnoreOutputs writes no file at all, and exits 0", async () => {
    const { result } = await run("EntryTasks.ignore");
    expect(result.code).toBe(0);
    expect(result.files).toEqual([]);
    expect(result.stderr).toContain("IgnoreOutputs");
  });

  it("inputs that do not fit the interface are a SYSTEM, NON_RECOVERABLE error naming the input", async () => {
    const { result } = await run("EntryTasks.add", toLiteralMap({ x: Str, y: Int }, { x: "three", y: 4 }));
    expect(result.error!.error).toMatchObject({ code: "SYSTEM", kind: ContainerError_Kind.NON_RECOVERABLE, origin: ExecutionError_ErrorKind.SYSTEM });
    expect(result.error!.error!.message).toMatch(/Message:\n\n {4}TaskInputError: task 'support\.entry-tasks\.EntryTasks\.add', input 'x': expected Int, got a string literal "three"$/);
  });

  it("outputs that do not fit the interface are a SYSTEM, NON_RECOVERABLE error naming the output", async () => {
    const { result } = await run("EntryTasks.badOutput");
    expect(result.files).toEqual(["error.pb"]);
    expect(result.error!.error).toMatchObject({ code: "SYSTEM", kind: ContainerError_Kind.NON_RECOVERABLE, origin: ExecutionError_ErrorKind.SYSTEM });
    expect(result.error!.error!.message).toContain("TaskOutputError");
    expect(result.error!.error!.message).toContain("o0");
  });

  it("a storage failure (the inputs cannot be read) is SYSTEM and RECOVERABLE", async () => {
    const area = workArea();
    const result = await runExecute(executeArgs(area, MODULE, "EntryTasks.add"), area.out);
    expect(result.code).toBe(0);
    expect(result.error!.error).toMatchObject({ code: "SYSTEM", kind: ContainerError_Kind.RECOVERABLE, origin: ExecutionError_ErrorKind.SYSTEM });
    expect(result.error!.error!.message).toContain("ENOENT");
  });

  it("a store that is not there for the raw outputs (an upload failure) is SYSTEM and RECOVERABLE, with no outputs.pb", async () => {
    const area = workArea(toLiteralMap({ text: Str }, { text: "hi" }));
    const args = executeArgs(area, MODULE, "EntryTasks.writeFiles");
    args[args.indexOf("--raw-output-data-prefix") + 1] = "s3://bucket/raw";
    // An S3 endpoint on loopback where nothing listens (and no AWS metadata service to ask for credentials).
    const env = { FLYTE_AWS_ENDPOINT: "http://127.0.0.1:9", FLYTE_AWS_ACCESS_KEY_ID: "k", FLYTE_AWS_SECRET_ACCESS_KEY: "s", FLYTE_AWS_RETRIES: "0", AWS_EC2_METADATA_DISABLED: "true" };
    const result = await runExecute(args, area.out, { env });
    expect(result.files).toEqual(["error.pb"]);
    expect(result.error!.error).toMatchObject({ code: "SYSTEM", kind: ContainerError_Kind.RECOVERABLE, origin: ExecutionError_ErrorKind.SYSTEM });
    expect(result.error!.error!.message).toMatch(/s3:\/\/bucket\/raw\/\S+: could not upload to it: ECONNREFUSED/);
  });

  it("a store configured wrongly (one of a key pair) is SYSTEM and NON_RECOVERABLE, naming the variable: a retry is as wrong", async () => {
    const area = workArea(toLiteralMap({ text: Str }, { text: "hi" }));
    const args = executeArgs(area, MODULE, "EntryTasks.writeFiles");
    args[args.indexOf("--raw-output-data-prefix") + 1] = "s3://bucket/raw";
    const result = await runExecute(args, area.out, { env: { FLYTE_AWS_ACCESS_KEY_ID: "k", AWS_EC2_METADATA_DISABLED: "true" } });
    expect(result.files).toEqual(["error.pb"]);
    expect(result.error!.error).toMatchObject({ code: "SYSTEM", kind: ContainerError_Kind.NON_RECOVERABLE, origin: ExecutionError_ErrorKind.SYSTEM });
    expect(result.error!.error!.message).toContain("StorageConfigError: S3 configuration: FLYTE_AWS_ACCESS_KEY_ID is set but FLYTE_AWS_SECRET_ACCESS_KEY is not");
  });

  it("a resolver that cannot be found or imported is SYSTEM and RECOVERABLE", async () => {
    const area = workArea(x3());
    const unknown = await runExecute(executeArgs(area, MODULE, "EntryTasks.add", "no.such.Resolver"), area.out);
    expect(unknown.code).toBe(0);
    expect(unknown.files).toEqual(["error.pb"]);
    expect(unknown.error!.error).toMatchObject({ code: "SYSTEM", kind: ContainerError_Kind.RECOVERABLE, origin: ExecutionError_ErrorKind.SYSTEM });
    expect(unknown.error!.error!.message).toContain('TaskResolutionError: resolver "no.such.Resolver": no such resolver; a resolver is a built-in name or "<module>#<export>"');
    const area2 = workArea(x3());
    const broken = await runExecute(executeArgs(area2, MODULE, "EntryTasks.add", "./support/cli/bad-import.ts#resolver"), area2.out);
    expect(broken.error!.error).toMatchObject({ code: "SYSTEM", kind: ContainerError_Kind.RECOVERABLE });
    expect(broken.error!.error!.message).toContain("the settings service is unreachable");
  });

  it("a module that throws while it is imported is a user error; a RecoverableError there is RECOVERABLE", async () => {
    const area = workArea(x3());
    const thrown = await runExecute(executeArgs(area, "support/cli/bad-import.ts", "Fine.same"), area.out);
    expect(thrown.error!.error).toMatchObject({ code: "USER:RuntimeError", kind: ContainerError_Kind.NON_RECOVERABLE, origin: ExecutionError_ErrorKind.USER });
    expect(thrown.error!.error!.message).toContain("Error: the settings service is unreachable");
    // The trace points at the line in the TypeScript source.
    expect(thrown.error!.error!.message).toMatch(/bad-import\.ts:13:/);
    const area2 = workArea(x3());
    const recoverable = await runExecute(executeArgs(area2, "support/recoverable-import.ts", "nothing"), area2.out);
    expect(recoverable.error!.error).toMatchObject({ code: "USER:Recoverable", kind: ContainerError_Kind.RECOVERABLE, origin: ExecutionError_ErrorKind.USER });
  });

  it("a task that throws something other than an Error is still a user error", async () => {
    const { result } = await run("EntryTasks.throwString");
    expect(result.error!.error).toMatchObject({ code: "USER:RuntimeError", kind: ContainerError_Kind.NON_RECOVERABLE, origin: ExecutionError_ErrorKind.USER });
    expect(result.error!.error!.message).toContain('ThrownValueError: the task threw the string "plain text failure 3", which is not an Error');
  });

  it("an error the task's code raises outside its call (a timer, an unawaited promise) fails the task with a document", async () => {
    const thrown = await run("EntryTasks.strayThrow");
    expect(thrown.result.code, thrown.result.stderr).toBe(0);
    expect(thrown.result.files).toEqual(["error.pb"]);
    expect(thrown.result.error!.error).toMatchObject({ code: "USER:RuntimeError", kind: ContainerError_Kind.NON_RECOVERABLE, origin: ExecutionError_ErrorKind.USER });
    expect(thrown.result.error!.error!.message).toContain("Error: thrown from a timer (3)");
    const rejected = await run("EntryTasks.strayReject");
    expect(rejected.result.files).toEqual(["error.pb"]);
    expect(rejected.result.error!.error).toMatchObject({ code: "USER:Recoverable", kind: ContainerError_Kind.RECOVERABLE, origin: ExecutionError_ErrorKind.USER });
  });

  it("--test loads the resolver and runs nothing, as flytekit's dry run", async () => {
    const area = workArea(x3());
    const result = await runExecute(["--test", ...executeArgs(area, MODULE, "EntryTasks.failUser")], area.out);
    expect(result.code).toBe(0);
    expect(result.files).toEqual([]);
  });

  it("FLYTE_FAIL_ON_ERROR makes a failed task exit 1, after writing its error document", async () => {
    const { result } = await run("EntryTasks.failUser", x3(), { FLYTE_FAIL_ON_ERROR: "true" });
    expect(result.code).toBe(1);
    expect(result.files).toEqual(["error.pb"]);
    // flytekit's str2bool: "true", "t", "1"; anything else is false.
    expect((await run("EntryTasks.failUser", x3(), { FLYTE_FAIL_ON_ERROR: "T" })).result.code).toBe(1);
    expect((await run("EntryTasks.failUser", x3(), { FLYTE_FAIL_ON_ERROR: "yes" })).result.code).toBe(0);
    // A task that succeeds still exits 0.
    const ok = await run("EntryTasks.add", toLiteralMap({ x: Int, y: Int }, { x: 1, y: 2 }), { FLYTE_FAIL_ON_ERROR: "true" });
    expect(ok.result.code).toBe(0);
  });

  it("a distributed job's worker writes error-<uuid>.pb with its worker name (_F_DES, _F_WN)", async () => {
    const { result } = await run("EntryTasks.failUser", x3(), { _F_DES: "earliest", _F_WN: "worker-3" });
    expect(result.files).toHaveLength(1);
    expect(result.errorFile).toMatch(/^error-[0-9a-f]{32}\.pb$/);
    expect(result.error!.error!.worker).toBe("worker-3");
    const long = await run("EntryTasks.failUser", x3(), { FLYTE_INTERNAL_DIST_ERROR_STRATEGY: "earliest", FLYTE_INTERNAL_WORKER_NAME: "w0" });
    expect(long.result.error!.error!.worker).toBe("w0");
    // Set but empty is not set, as flytekit's get_one_of reads it.
    const empty = await run("EntryTasks.failUser", x3(), { _F_DES: "", _F_WN: "w1" });
    expect(empty.result.files).toEqual(["error.pb"]);
    expect(empty.result.error!.error!.worker).toBe("");
  });

  it("an error document that cannot be written makes the process fail", async () => {
    const area = workArea(x3());
    // The output prefix is under a regular file: nothing can be written there.
    writeFileSync(join(area.dir, "blocker"), "");
    const args = executeArgs(area, MODULE, "EntryTasks.failUser");
    args[args.indexOf("--output-prefix") + 1] = join(area.dir, "blocker", "out");
    const result = await runExecute(args, join(area.dir, "blocker", "out"));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("could not write the error document");
  });

  it("bad command-line arguments are a usage error (exit 2) naming the option", async () => {
    const area = workArea(x3());
    const result = await runExecute(["--inputs", area.inputs, "--bogus", "1"], area.out);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option --bogus");
  });
});

describe("outputs", () => {
  it("are written whole: only outputs.pb in the prefix, no temporary file, and it decodes", async () => {
    const { result } = await run("EntryTasks.add", toLiteralMap({ x: Int, y: Int }, { x: 20, y: 22 }));
    expect(result.files).toEqual(["outputs.pb"]);
    expect(fromLiteralMap({ o0: Int }, result.outputs!, "output")).toEqual({ o0: 42 });
  });

  it("files and directories a task returns are copied under the raw output prefix, and outputs.pb points there", async () => {
    const { area, result } = await run("EntryTasks.writeFiles", toLiteralMap({ text: Str }, { text: "hello" }));
    expect(result.files, result.stderr).toEqual(["outputs.pb"]);
    const report = result.outputs!.literals.report!;
    const bundle = result.outputs!.literals.bundle!;
    const reportUri = (report.value.value as { value: { value: { uri: string } } }).value.value.uri;
    const bundleUri = (bundle.value.value as { value: { value: { uri: string } } }).value.value.uri;
    expect(reportUri.startsWith(`${area.raw}/`)).toBe(true);
    expect(bundleUri.startsWith(`${area.raw}/`)).toBe(true);
    expect(readFileSync(reportUri, "utf8")).toBe("hello");
    expect(readdirSync(bundleUri).sort()).toEqual(["a.txt", "b.txt"]);
    expect(readFileSync(join(bundleUri, "b.txt"), "utf8")).toBe("hello-b");
  });

  it("a file input is read through the storage layer (file:// URIs too)", async () => {
    const area = workArea();
    const source = join(area.dir, "in.txt");
    writeFileSync(source, "from upstream");
    writeFileSync(area.inputs, toBinary(LiteralMapSchema, toLiteralMap({ f: File }, { f: `file://${source}` })));
    const result = await runExecute(executeArgs(area, MODULE, "EntryTasks.readFile"), area.out);
    expect(result.files, result.stderr).toEqual(["outputs.pb"]);
    expect(fromLiteralMap({ o0: Str }, result.outputs!, "output")).toEqual({ o0: "from upstream" });
  });

  it("an output prefix given as a file:// URI works as a path", async () => {
    const area = workArea(toLiteralMap({ x: Int, y: Int }, { x: 1, y: 1 }));
    const args = executeArgs(area, MODULE, "EntryTasks.add");
    args[args.indexOf("--output-prefix") + 1] = `file://${area.out}`;
    const result = await runExecute(args, area.out);
    expect(result.files).toEqual(["outputs.pb"]);
  });
});

describe("the execution context comes from the environment Flyte sets", () => {
  const readContext = (outputs: Parameters<typeof fromLiteralMap>[1]) =>
    fromLiteralMap({ execution: Str, task: Str, attempt: Int, raw: Str, checkpoint: Str }, outputs, "output");

  it("with Flyte's long names", async () => {
    const { area, result } = await run("EntryTasks.context", create(LiteralMapSchema), {
      FLYTE_INTERNAL_EXECUTION_PROJECT: "flytesnacks",
      FLYTE_INTERNAL_EXECUTION_DOMAIN: "development",
      FLYTE_INTERNAL_EXECUTION_ID: "a1b2c3",
      FLYTE_INTERNAL_TASK_PROJECT: "tp",
      FLYTE_INTERNAL_TASK_DOMAIN: "td",
      FLYTE_INTERNAL_TASK_NAME: "EntryTasks.context",
      FLYTE_INTERNAL_TASK_VERSION: "v7",
      FLYTE_ATTEMPT_NUMBER: "2",
    });
    expect(result.files, result.stderr).toEqual(["outputs.pb"]);
    expect(readContext(result.outputs!)).toEqual({
      execution: "flytesnacks/development/a1b2c3",
      task: "tp/td/EntryTasks.context/v7",
      attempt: 2,
      raw: area.raw,
      checkpoint: area.cp,
    });
  });

  it("with the short names (_F_PRJ, _F_DM, _F_NM, _F_TK_*)", async () => {
    const { result } = await run("EntryTasks.context", create(LiteralMapSchema), {
      _F_PRJ: "p",
      _F_DM: "d",
      _F_NM: "n",
      _F_TK_PRJ: "tp",
      _F_TK_DM: "td",
      _F_TK_NM: "t",
      _F_TK_V: "v",
    });
    expect(readContext(result.outputs!)).toMatchObject({ execution: "p/d/n", task: "tp/td/t/v", attempt: 0 });
  });
});

describe("parsing the container's args", () => {
  const base = ["--inputs", "in.pb", "--output-prefix", "out", "--resolver", "r", "--", "task-module", "m.ts", "task-name", "t"];

  it("reads flytekit's options and hands what follows -- to the resolver", () => {
    const args = parseExecuteArgs([...base.slice(0, 6), "--raw-output-data-prefix", "raw", "--checkpoint-path", "cp", "--prev-checkpoint", "prev", ...base.slice(6)]);
    expect(args).toMatchObject({ inputs: "in.pb", outputPrefix: "out", rawOutputDataPrefix: "raw", checkpointPath: "cp", prevCheckpoint: "prev", resolver: "r" });
    expect(args.loaderArgs).toEqual(["task-module", "m.ts", "task-name", "t"]);
  });

  it("takes --option=value too", () => {
    expect(parseExecuteArgs(["--inputs=a", "--output-prefix=b", "--resolver=r", "--", "x"])).toMatchObject({ inputs: "a", outputPrefix: "b" });
  });

  it("treats unfilled templates and an empty previous checkpoint as absent, as flytekit's normalize_inputs does", () => {
    const args = parseExecuteArgs([
      "--raw-output-data-prefix", "{{.rawOutputDataPrefix}}",
      "--checkpoint-path", "{{.checkpointOutputPrefix}}",
      "--prev-checkpoint", "{{.prevCheckpointPrefix}}",
      ...base,
    ]);
    expect(args.rawOutputDataPrefix).toBeUndefined();
    expect(args.checkpointPath).toBeUndefined();
    expect(args.prevCheckpoint).toBeUndefined();
    for (const empty of ['""', ""]) expect(normalizeTemplates({ ...args, prevCheckpoint: empty }).prevCheckpoint).toBeUndefined();
    expect(normalizeTemplates({ ...args, prevCheckpoint: "s3://b/prev" }).prevCheckpoint).toBe("s3://b/prev");
  });

  it("names what is missing or unknown", () => {
    const noInputs = () => parseExecuteArgs(base.filter((a) => a !== "--inputs" && a !== "in.pb"));
    expect(noInputs).toThrow(UsageError);
    expect(noInputs).toThrow("flytekit-ts-execute --inputs: it is required");
    expect(() => parseExecuteArgs(base.slice(0, 7))).toThrow("flytekit-ts-execute: no loader arguments after --: the resolver needs them to find the task; e.g. -- task-module m.js task-name T.run");
    expect(() => parseExecuteArgs(["--inputs"])).toThrow("flytekit-ts-execute --inputs: expected a value, got nothing");
    expect(() => parseExecuteArgs(["--nope", "1", ...base])).toThrow(/^flytekit-ts-execute: unknown option --nope; its options are --inputs, --output-prefix, /);
  });
});
