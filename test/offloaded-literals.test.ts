// Offloaded literals on the container path, run by the built flytekit-ts-execute: offloaded inputs
// (at the top and in a list) are read; an output at the threshold goes to
// <output-prefix>/<name>_offloaded_metadata.pb with flytekit's layout, size, inferred type and
// hash; below it (or where nothing turns offloading on) it stays inline; the hard limit and a
// missing offloaded file are error documents. Then the real flytekit 1.16.24 on both sides: a
// Python task's offloaded outputs are a TypeScript task's inputs, and the TypeScript task's
// offloaded outputs are the next Python task's inputs.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { Int, List, Str, taskOf } from "@flytekit-ts/core";
import { ContainerError_Kind, ExecutionError_ErrorKind, LiteralSchema, type Literal, type LiteralMap } from "@flytekit-ts/core/idl";
import { computeHashString } from "@flytekit-ts/core/internal";
import { beforeAll, describe, expect, it } from "vitest";
import { executeArgs, outputsOf, runExecute, workArea, type ExecuteResult } from "./support/execute.js";
import { BIG, LINES, Offload } from "./support/offload-tasks.js";
import { ensureFlytekit, runPyflyteExecute } from "./support/python.js";

const TS_MODULE = "support/offload-tasks.ts";
const MIB = 1024 * 1024;

async function run(task: string, inputs: LiteralMap | Uint8Array, env: NodeJS.ProcessEnv = {}, prepare?: (out: string) => void): Promise<ExecuteResult> {
  const area = workArea(inputs);
  prepare?.(area.out);
  return runExecute(executeArgs(area, TS_MODULE, task), area.out, { env });
}

const map = (literals: Record<string, Literal>): LiteralMap => ({ $typeName: "flyteidl.core.LiteralMap", literals });
const offloadedAt = (uri: string, size: number, inferredType = Str.literalType): Literal => ({
  $typeName: "flyteidl.core.Literal",
  value: { case: "offloadedMetadata", value: { $typeName: "flyteidl.core.LiteralOffloadedMetadata", uri, sizeBytes: BigInt(size), inferredType } },
  hash: "",
  metadata: {},
});

/** Writes a literal to a file as a cluster offloads it; the offloaded_metadata literal pointing at it. */
function offload(path: string, literal: Literal, inferredType = Str.literalType): Literal {
  const bytes = toBinary(LiteralSchema, literal);
  writeFileSync(path, bytes);
  return offloadedAt(path, bytes.length, inferredType);
}

/** An offloaded output checked against what flytekit writes for it: the layout, the size of the file, the declared type, flytekit's hash. */
function expectOffloaded(r: ExecuteResult, name: string, value: Literal, declared = Str.literalType): Literal {
  const literal = r.outputs!.literals[name]!;
  expect(literal.value.case, `${name} is offloaded`).toBe("offloadedMetadata");
  const meta = literal.value.value as { uri: string; sizeBytes: bigint; inferredType: unknown };
  expect(meta.uri).toBe(join(r.outDir, `${name}_offloaded_metadata.pb`));
  const bytes = readFileSync(meta.uri);
  expect(meta.sizeBytes).toBe(BigInt(bytes.length));
  expect(meta.inferredType).toEqual(declared);
  const stored = fromBinary(LiteralSchema, bytes);
  expect(stored).toEqual(value);
  expect(literal.hash).toBe(computeHashString(LiteralSchema, stored));
  return literal;
}

describe("flytekit-ts-execute reads offloaded inputs", () => {
  it("reads an offloaded input in place of its offloaded_metadata literal, at the top and inside a list, by path and by file://", async () => {
    const area = workArea();
    const text = offload(join(area.dir, "text.pb"), Str.toLiteral(BIG));
    const inList = offload(join(area.dir, "n.pb"), Int.toLiteral(40), Int.literalType);
    const list = List(Int).toLiteral([1, 1]);
    if (list.value.case !== "collection") throw new Error("a list literal is a collection");
    list.value.value.literals.push(inList, offloadedAt(pathToFileURL(join(area.dir, "n.pb")).href, 0, Int.literalType));
    const r = await run("Offload.echo", map({ text, xs: list }));
    const outputs = outputsOf(r, "echo");
    expect(outputs.literals.total).toEqual(Int.toLiteral(82));
    // Without offloading on, a large output comes back inline: the value read was the whole text.
    expect(outputs.literals.text).toEqual(Str.toLiteral(BIG));
  });

  it("fails with an error document naming the task, the input and the uri when the offloaded file is missing, and writes no outputs", async () => {
    const missing = join(workArea().dir, "gone_offloaded_metadata.pb");
    const r = await run("Offload.echo", map({ text: offloadedAt(missing, 123), xs: List(Int).toLiteral([]) }));
    expect(r.files).toEqual(["error.pb"]);
    expect(r.error!.error).toMatchObject({ code: "SYSTEM", kind: ContainerError_Kind.RECOVERABLE, origin: ExecutionError_ErrorKind.SYSTEM });
    expect(r.error!.error!.message).toContain(`StorageError: task 'offload.echo', input 'text': the offloaded literal at ${missing} could not be read`);
  });

  it("refuses a file that is not a Literal, or one that contradicts its inferred type, as a document that reads the same on a retry", async () => {
    const area = workArea();
    writeFileSync(join(area.dir, "junk.pb"), Buffer.from("not a literal \xff\xff"));
    const junk = await run("Offload.echo", map({ text: offloadedAt(join(area.dir, "junk.pb"), 10), xs: List(Int).toLiteral([]) }));
    expect(junk.files).toEqual(["error.pb"]);
    expect(junk.error!.error).toMatchObject({ code: "SYSTEM", kind: ContainerError_Kind.NON_RECOVERABLE });
    expect(junk.error!.error!.message).toContain(`DocumentError: task 'offload.echo', input 'text': expected the offloaded literal at ${join(area.dir, "junk.pb")} to hold a serialized flyteidl.core.Literal`);
    const wrong = offload(join(area.dir, "wrong.pb"), Int.toLiteral(3), Str.literalType);
    const r = await run("Offload.echo", map({ text: wrong, xs: List(Int).toLiteral([]) }));
    expect(r.files).toEqual(["error.pb"]);
    expect(r.error!.error!.message).toContain(`task 'offload.echo', input 'text': expected a STRING primitive, as the offloaded literal at ${join(area.dir, "wrong.pb")} declares in its inferred_type, got an integer literal 3`);
  });
});

describe("flytekit-ts-execute offloads large outputs", () => {
  const size = 1_200_000; // past 1 MiB
  const on = { _F_L_MIN_SIZE_MB: "1" };

  it("writes an output at the threshold to <output-prefix>/<name>_offloaded_metadata.pb, with flytekit's layout, size, inferred type and hash", async () => {
    const r = await run("Offload.big", map({ size: Int.toLiteral(size) }), on);
    expect(r.files, r.stderr).toEqual(["o_offloaded_metadata.pb", "outputs.pb"]);
    const declared = taskOf(Offload.big).interface.outputs.find((o) => o.name === "o")!.type.literalType;
    expectOffloaded(r, "o", Str.toLiteral("x".repeat(size)), declared);
    expect(r.outputs!.literals.small).toEqual(Int.toLiteral(size));
  });

  it("keeps outputs below the threshold inline, and offloads nothing where neither the cluster nor the task turns it on", async () => {
    const below = await run("Offload.big", map({ size: Int.toLiteral(MIB - 100) }), on);
    expect(outputsOf(below, "big below").literals.o).toEqual(Str.toLiteral("x".repeat(MIB - 100)));
    const off = await run("Offload.big", map({ size: Int.toLiteral(size) }));
    expect(outputsOf(off, "big without offloading").literals.o).toEqual(Str.toLiteral("x".repeat(size)));
  });

  it("offloads from the task's own maxInlineIoBytes, and from the smaller of it and the cluster's", async () => {
    for (const env of [{}, on]) {
      const r = await run("Offload.tight", map({ size: Int.toLiteral(2000) }), env);
      expect(r.files).toEqual(["o_offloaded_metadata.pb", "outputs.pb"]);
      expectOffloaded(r, "o", Str.toLiteral("x".repeat(2000)));
    }
  });

  it("fails past the hard limit with an error document naming the task, the output and both sizes, and writes nothing else", async () => {
    const r = await run("Offload.big", map({ size: Int.toLiteral(size) }), { ...on, _F_L_MAX_SIZE_MB: "1" });
    expect(r.files).toEqual(["error.pb"]);
    // flytekit raises a ValueError outside the task's code (SYSTEM, recoverable); the literal is as
    // big on every retry, so ours is not recoverable.
    expect(r.error!.error).toMatchObject({ code: "SYSTEM", kind: ContainerError_Kind.NON_RECOVERABLE, origin: ExecutionError_ErrorKind.SYSTEM });
    const literalSize = toBinary(LiteralSchema, Str.toLiteral("x".repeat(size))).length;
    expect(r.error!.error!.message).toContain(`LiteralSizeError: task 'offload.big', output 'o': its literal is ${literalSize} bytes, at or past the hard limit of ${MIB} bytes (_F_L_MAX_SIZE_MB=1)`);
  });

  it("fails an input past the hard limit before reading it", async () => {
    const r = await run("Offload.echo", map({ text: offloadedAt("/nowhere/text.pb", 3 * MIB), xs: List(Int).toLiteral([]) }), { _F_L_MAX_SIZE_MB: "2" });
    expect(r.files).toEqual(["error.pb"]);
    expect(r.error!.error).toMatchObject({ code: "SYSTEM", kind: ContainerError_Kind.NON_RECOVERABLE });
    expect(r.error!.error!.message).toContain(`task 'offload.echo', input 'text': its literal is ${3 * MIB} bytes, at or past the hard limit of ${2 * MIB} bytes (_F_L_MAX_SIZE_MB=2)`);
  });

  it("writes no outputs.pb when an offloaded file cannot be written: a storage error, SYSTEM and recoverable", async () => {
    // A directory where the offloaded file is to go: the write fails.
    const r = await run("Offload.big", map({ size: Int.toLiteral(size) }), on, (out) => mkdirSync(join(out, "o_offloaded_metadata.pb"), { recursive: true }));
    expect(r.files).toEqual(["error.pb", "o_offloaded_metadata.pb"]);
    expect(r.error!.error).toMatchObject({ code: "SYSTEM", kind: ContainerError_Kind.RECOVERABLE, origin: ExecutionError_ErrorKind.SYSTEM });
    expect(r.error!.error!.message).toContain("StorageError");
  });
});

describe("with the real flytekit 1.16.24 on both sides", () => {
  let pyflyteExecute: string;
  let produced: ExecuteResult;
  beforeAll(async () => {
    ({ pyflyteExecute } = ensureFlytekit());
    produced = await runPyflyteExecute(pyflyteExecute, "offload_tasks", "produce_big", new Uint8Array(), { env: { _F_L_MIN_SIZE_MB: "1" } });
  }, 600_000);

  it("Python's offloaded outputs are a TypeScript task's inputs, and ours are the next Python task's, field by field as flytekit writes them", async () => {
    expect(produced.files, produced.stderr).toEqual(["lines_offloaded_metadata.pb", "outputs.pb", "text_offloaded_metadata.pb"]);
    // flytekit's own offloaded literals: our hash of the literal it stored is its hash.
    const pyText = expectOffloaded(produced, "text", Str.toLiteral(BIG));
    const pyLines = expectOffloaded(produced, "lines", List(Str).toLiteral(LINES), List(Str).literalType);
    expect(produced.outputs!.literals.n).toEqual(Int.toLiteral(7));

    const ours = await run("Offload.relay", produced.outputsBytes!, { _F_L_MIN_SIZE_MB: "1" });
    expect(ours.files, ours.error?.error?.message ?? ours.stderr).toEqual(["lines_offloaded_metadata.pb", "outputs.pb", "text_offloaded_metadata.pb"]);
    const tsText = expectOffloaded(ours, "text", Str.toLiteral(BIG));
    expectOffloaded(ours, "lines", List(Str).toLiteral([...LINES].reverse()), List(Str).literalType);
    expect(ours.outputs!.literals.n).toEqual(Int.toLiteral(8));
    // The same value offloaded by each side: the same literal but for where it lives.
    const py = pyText.value.value as { uri: string };
    const ts = tsText.value.value as { uri: string };
    expect({ ...tsText, value: { ...tsText.value, value: { ...ts, uri: "" } } }).toEqual({ ...pyText, value: { ...pyText.value, value: { ...py, uri: "" } } });
    expect(pyLines.hash).not.toBe(expectOffloaded(ours, "lines", List(Str).toLiteral([...LINES].reverse()), List(Str).literalType).hash);

    const checked = await runPyflyteExecute(pyflyteExecute, "offload_tasks", "check_big", ours.outputsBytes!);
    const outputs = outputsOf(checked, "pyflyte-execute check_big");
    expect(outputs.literals.o0).toEqual(Str.toLiteral(`ok ${BIG.length} ['b', 'a'] 8`));
  });

  it("a wrong value is caught: check_big refuses Python's own offloaded outputs (not what relay returns)", async () => {
    const r = await runPyflyteExecute(pyflyteExecute, "offload_tasks", "check_big", produced.outputsBytes!);
    expect(r.files).toEqual(["error.pb"]);
    expect(r.error!.error!.message).toContain("check_big read other values than relay writes: text of 1200000, lines of [600000, 600000], n 7");
  });
});
