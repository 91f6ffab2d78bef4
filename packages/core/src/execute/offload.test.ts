import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { DocumentError } from "../errors/flyte-error.js";
import { create, decode, encode } from "../idl/codec.js";
import { LiteralSchema, type Literal } from "../idl/gen/flyteidl/core/literals_pb.js";
import { LiteralTypeSchema, SimpleType, type LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";
import { defaultStorage } from "../storage/router.js";
import { StorageError } from "../storage/storage.js";
import { TaskInputError } from "../tasks/errors.js";
import { collectionLiteral, literalMapOf, mapLiteral, primitiveLiteral } from "../types/literals.js";
import { contradiction, loadOffloadedInputs, LiteralSizeError, OffloadSettingError, offloadLimits, offloadOutputs } from "./offload.js";
import { computeHashString } from "./pbhash.js";

const MIB = 1024 * 1024;
const dir = () => mkdtempSync(join(tmpdir(), "flytekit-ts-offload-"));
const int = (n: bigint) => primitiveLiteral({ case: "integer", value: n });
const str = (s: string) => primitiveLiteral({ case: "stringValue", value: s });
const simple = (t: SimpleType): LiteralType => create(LiteralTypeSchema, { type: { case: "simple", value: t } });
const listOf = (t: LiteralType): LiteralType => create(LiteralTypeSchema, { type: { case: "collectionType", value: t } });
const offloaded = (uri: string, size: number, inferredType?: LiteralType): Literal =>
  create(LiteralSchema, { value: { case: "offloadedMetadata", value: { uri, sizeBytes: BigInt(size), inferredType } } });

/** Writes a literal where an offloaded_metadata literal points; returns the pointer. */
function stash(at: string, literal: Literal, type?: LiteralType): Literal {
  const bytes = encode(LiteralSchema, literal);
  writeFileSync(at, bytes);
  return offloaded(at, bytes.length, type);
}

describe("offloadLimits", () => {
  it("offloads nothing where neither the cluster nor the task turns it on, as flytekit", () => {
    expect(offloadLimits({}, undefined)).toMatchObject({ threshold: undefined, hardLimit: 1000 * MIB });
  });
  it("takes the cluster's _F_L_MIN_SIZE_MB, or 10 MiB when it is set empty", () => {
    expect(offloadLimits({ _F_L_MIN_SIZE_MB: "3" }, undefined).threshold).toBe(3 * MIB);
    expect(offloadLimits({ _F_L_MIN_SIZE_MB: "" }, undefined).threshold).toBe(10 * MIB);
  });
  it("takes the smaller of the cluster's and the task's, and the task's alone where the cluster says nothing", () => {
    expect(offloadLimits({ _F_L_MIN_SIZE_MB: "3" }, 1000).threshold).toBe(1000);
    expect(offloadLimits({ _F_L_MIN_SIZE_MB: "3" }, 50 * MIB).threshold).toBe(3 * MIB);
    expect(offloadLimits({}, 1000).threshold).toBe(1000);
  });
  it("takes _F_L_MAX_SIZE_MB as the hard limit, and refuses what is not a whole number of MiB", () => {
    expect(offloadLimits({ _F_L_MAX_SIZE_MB: "2" }, undefined)).toMatchObject({ hardLimit: 2 * MIB, hardLimitSource: "_F_L_MAX_SIZE_MB=2" });
    expect(() => offloadLimits({ _F_L_MIN_SIZE_MB: "1.5" }, undefined)).toThrow(OffloadSettingError);
    expect(() => offloadLimits({ _F_L_MAX_SIZE_MB: "lots" }, undefined)).toThrow('environment variable _F_L_MAX_SIZE_MB: expected a whole number of MiB, got "lots"');
  });
});

describe("contradiction", () => {
  it("finds where a literal does not fit a type, inside collections too, and lets unions fit anything", () => {
    expect(contradiction(int(1n), simple(SimpleType.INTEGER))).toBeUndefined();
    expect(contradiction(str("x"), simple(SimpleType.INTEGER))).toMatchObject({ path: "", expected: "a INTEGER primitive" });
    expect(contradiction(collectionLiteral([int(1n), str("x")]), listOf(simple(SimpleType.INTEGER)))).toMatchObject({ path: "[1]" });
    expect(contradiction(int(1n), listOf(simple(SimpleType.INTEGER)))).toMatchObject({ expected: "a collection" });
    expect(contradiction(int(1n), create(LiteralTypeSchema, { type: { case: "unionType", value: { variants: [] } } }))).toBeUndefined();
    expect(contradiction(int(1n), undefined)).toBeUndefined();
  });
});

describe("loadOffloadedInputs", () => {
  const limits = offloadLimits({}, undefined);

  it("reads offloaded literals in their place, at the top, in a collection and in a map, by path and by file:// uri", async () => {
    const d = dir();
    const big = stash(join(d, "a.pb"), str("a".repeat(1000)), simple(SimpleType.STRING));
    const inner = stash(join(d, "b.pb"), int(7n));
    const viaUrl = offloaded(pathToFileURL(join(d, "b.pb")).href, 0);
    const inputs = literalMapOf({ s: big, xs: collectionLiteral([int(1n), inner, viaUrl]), m: mapLiteral({ k: inner }), plain: int(3n) });
    const read = await loadOffloadedInputs(inputs, { task: "t", storage: defaultStorage, limits, inputsSize: 0 });
    expect(read).toEqual(literalMapOf({ s: str("a".repeat(1000)), xs: collectionLiteral([int(1n), int(7n), int(7n)]), m: mapLiteral({ k: int(7n) }), plain: int(3n) }));
  });

  it("gives the map it was given when nothing is offloaded", async () => {
    const inputs = literalMapOf({ x: int(1n) });
    expect(await loadOffloadedInputs(inputs, { task: "t", storage: defaultStorage, limits, inputsSize: 10 })).toBe(inputs);
  });

  it("names the task, the input and the uri when the file is missing, is not a Literal, or contradicts its inferred type", async () => {
    const d = dir();
    const load = (literal: Literal) => loadOffloadedInputs(literalMapOf({ x: literal }), { task: "t", storage: defaultStorage, limits, inputsSize: 0 });
    const missing = join(d, "missing.pb");
    await expect(load(offloaded(missing, 10))).rejects.toThrow(StorageError);
    await expect(load(offloaded(missing, 10))).rejects.toThrow(`task 't', input 'x': the offloaded literal at ${missing} could not be read`);
    writeFileSync(join(d, "junk.pb"), Buffer.from([0xff, 0xff, 0xff]));
    await expect(load(offloaded(join(d, "junk.pb"), 3))).rejects.toThrow(DocumentError);
    await expect(load(offloaded(join(d, "junk.pb"), 3))).rejects.toThrow(`task 't', input 'x': expected the offloaded literal at ${join(d, "junk.pb")} to hold a serialized flyteidl.core.Literal, got 3 bytes that do not decode as one`);
    const wrong = stash(join(d, "w.pb"), collectionLiteral([int(1n), str("no")]), listOf(simple(SimpleType.INTEGER)));
    const inList = collectionLiteral([wrong]);
    await expect(load(inList)).rejects.toThrow(TaskInputError);
    await expect(load(inList)).rejects.toThrow(`task 't', input 'x'[0][1]: expected a INTEGER primitive, as [0]: the offloaded literal at ${join(d, "w.pb")} declares in its inferred_type, got a string literal "no"`);
  });

  it("refuses an offloaded input past the hard limit before reading it, naming both sizes", async () => {
    const tight = offloadLimits({ _F_L_MAX_SIZE_MB: "1" }, undefined);
    const load = loadOffloadedInputs(literalMapOf({ x: offloaded("/nowhere/x.pb", 2 * MIB) }), { task: "t", storage: defaultStorage, limits: tight, inputsSize: 0 });
    await expect(load).rejects.toThrow(LiteralSizeError);
    await expect(loadOffloadedInputs(literalMapOf({ x: offloaded("/nowhere/x.pb", 2 * MIB) }), { task: "t", storage: defaultStorage, limits: tight, inputsSize: 0 })).rejects.toThrow(
      `task 't', input 'x': its literal is ${2 * MIB} bytes, at or past the hard limit of ${MIB} bytes (_F_L_MAX_SIZE_MB=1)`,
    );
  });
});

describe("offloadOutputs", () => {
  const types = new Map([["o0", simple(SimpleType.STRING)]]);
  it("offloads an output at the threshold to <prefix>/<name>_offloaded_metadata.pb with its size, declared type and flytekit's hash", () => {
    const literal = str("x".repeat(100));
    const size = encode(LiteralSchema, literal).length;
    const { outputs, files } = offloadOutputs(literalMapOf({ o0: literal, o1: int(1n) }), { task: "t", outputTypes: types, limits: offloadLimits({}, size), outputPrefix: "s3://b/out/" });
    expect(files.map((f) => f.uri)).toEqual(["s3://b/out/o0_offloaded_metadata.pb"]);
    expect(decode(LiteralSchema, files[0]!.bytes)).toEqual(literal);
    expect(outputs.literals.o1).toEqual(int(1n));
    expect(outputs.literals.o0).toEqual(
      create(LiteralSchema, {
        value: { case: "offloadedMetadata", value: { uri: "s3://b/out/o0_offloaded_metadata.pb", sizeBytes: BigInt(size), inferredType: simple(SimpleType.STRING) } },
        hash: computeHashString(LiteralSchema, literal),
      }),
    );
    // One byte under the threshold stays inline.
    expect(offloadOutputs(literalMapOf({ o0: literal }), { task: "t", outputTypes: types, limits: offloadLimits({}, size + 1), outputPrefix: "/o" }).files).toEqual([]);
  });
  it("keeps a literal's own hash, as flytekit does", () => {
    const literal = create(LiteralSchema, { ...str("y"), hash: "mine" });
    const { outputs } = offloadOutputs(literalMapOf({ o0: literal }), { task: "t", outputTypes: types, limits: offloadLimits({}, 1), outputPrefix: "/o" });
    expect(outputs.literals.o0!.hash).toBe("mine");
  });
  it("refuses an output past the hard limit, offloading on or off, naming the task, the output and both sizes", () => {
    const literal = str("z".repeat(MIB));
    const size = encode(LiteralSchema, literal).length;
    for (const env of [{ _F_L_MAX_SIZE_MB: "1" }, { _F_L_MAX_SIZE_MB: "1", _F_L_MIN_SIZE_MB: "0" }]) {
      expect(() => offloadOutputs(literalMapOf({ o0: literal }), { task: "t", outputTypes: types, limits: offloadLimits(env, undefined), outputPrefix: "/o" })).toThrow(
        `task 't', output 'o0': its literal is ${size} bytes, at or past the hard limit of ${MIB} bytes (_F_L_MAX_SIZE_MB=1)`,
      );
    }
  });
});

