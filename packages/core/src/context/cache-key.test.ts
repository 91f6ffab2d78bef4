import { create, fromBinary } from "@bufbuild/protobuf";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LiteralMapSchema } from "../idl/core.js";
import { literalMapOf } from "../types/literals.js";
import { deterministicBytes, hashedInputs, joblibHashBytes, localCacheKey } from "./cache-key.js";
import { Dict, Int, Str } from "../index.js";

const golden = JSON.parse(readFileSync(join(import.meta.dirname, "../../../../test/golden/entrypoint/manifest.json"), "utf8")) as {
  local_cache: { expected_key: string; hashed_inputs_hex: string; joblib_pickle_stream_hex: string; md5: string; task_name: string; cache_version: string };
};

describe("the local cache key", () => {
  it("is flytekit's key for the same task, version and inputs (golden/entrypoint local_cache)", () => {
    const lc = golden.local_cache;
    const inputs = literalMapOf({ x: Int.toLiteral(3) });
    expect(Buffer.from(hashedInputs(inputs, [])).toString("hex")).toBe(lc.hashed_inputs_hex);
    expect(joblibHashBytes(hashedInputs(inputs, []))).toBe(lc.md5);
    expect(localCacheKey(lc.task_name, lc.cache_version, inputs, [])).toBe(lc.expected_key);
    expect(lc.expected_key).toBe("golden_cache.sq-v1-4b8b4613b3fc9258a7581ab7c6b3b2d0");
  });

  it("hashes an empty input map as flytekit does", () => {
    // test_local_cache: an empty input map gives t.produce_dc-1-ea65cfadb0079394a8be1f4aa1e96e2b.
    expect(localCacheKey("t.produce_dc", "1", literalMapOf({}), [])).toBe("t.produce_dc-1-ea65cfadb0079394a8be1f4aa1e96e2b");
  });

  it("pickles inputs of 256 bytes or more with a 4-byte length, as joblib does", () => {
    // joblib.hash(bytes([7]) * 300) and joblib.hash(b""), computed by joblib 1.2 beside flytekit 1.16.24.
    expect(joblibHashBytes(new Uint8Array(300).fill(7))).toBe("86b0a94c0f4836bf0781edf45a8dcac3");
    expect(joblibHashBytes(new Uint8Array(0))).toBe("ea65cfadb0079394a8be1f4aa1e96e2b");
  });

  it("does not depend on the order map entries were added", () => {
    const t = Dict(Int);
    const a = literalMapOf({ m: t.toLiteral({ a: 1, b: 2 }), s: Str.toLiteral("x") });
    const b = literalMapOf({ s: Str.toLiteral("x"), m: t.toLiteral({ b: 2, a: 1 }) });
    expect(deterministicBytes(a)).toEqual(deterministicBytes(b));
    expect(localCacheKey("t", "v", a, [])).toBe(localCacheKey("t", "v", b, []));
    expect(fromBinary(LiteralMapSchema, deterministicBytes(a))).toEqual(fromBinary(LiteralMapSchema, deterministicBytes(create(LiteralMapSchema, a))));
  });

  it("leaves ignored inputs out and puts hashes in place of values", () => {
    const withB = literalMapOf({ a: Int.toLiteral(1), b: Int.toLiteral(2) });
    const otherB = literalMapOf({ a: Int.toLiteral(1), b: Int.toLiteral(3) });
    expect(localCacheKey("t", "v", withB, ["b"])).toBe(localCacheKey("t", "v", otherB, ["b"]));
    expect(localCacheKey("t", "v", withB, [])).not.toBe(localCacheKey("t", "v", otherB, []));
    const hashed = (n: number) => literalMapOf({ a: { ...Int.toLiteral(n), hash: "same" } });
    expect(localCacheKey("t", "v", hashed(1), [])).toBe(localCacheKey("t", "v", hashed(2), []));
    expect(localCacheKey("t1", "v", withB, [])).not.toBe(localCacheKey("t2", "v", withB, []));
  });
});
