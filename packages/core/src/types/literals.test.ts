import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  BlobType_BlobDimensionality,
  LiteralMapSchema,
  LiteralSchema,
  LiteralTypeSchema,
  SimpleType,
} from "../idl/core.js";
import {
  binaryLiteral,
  blobLiteral,
  collectionLiteral,
  describeLiteral,
  genericLiteral,
  literalMapOf,
  mapLiteral,
  noneLiteral,
  primitiveLiteral,
  unionLiteral,
} from "./literals.js";

// The factories skip create()'s descriptor walk; they must build exactly what it builds.
describe("literal factories", () => {
  const intInit = { value: { case: "scalar", value: { value: { case: "primitive", value: { value: { case: "integer", value: 5n } } } } } } as const;

  it("build the same objects as create()", () => {
    expect(primitiveLiteral({ case: "integer", value: 5n })).toStrictEqual(create(LiteralSchema, intInit));
    expect(noneLiteral()).toStrictEqual(create(LiteralSchema, { value: { case: "scalar", value: { value: { case: "noneType", value: {} } } } }));
    expect(collectionLiteral([primitiveLiteral({ case: "integer", value: 5n })])).toStrictEqual(
      create(LiteralSchema, { value: { case: "collection", value: { literals: [intInit] } } }),
    );
    expect(mapLiteral({ a: primitiveLiteral({ case: "integer", value: 5n }) })).toStrictEqual(
      create(LiteralSchema, { value: { case: "map", value: { literals: { a: intInit } } } }),
    );
    expect(literalMapOf({})).toStrictEqual(create(LiteralMapSchema, {}));
    const intType = create(LiteralTypeSchema, { type: { case: "simple", value: SimpleType.INTEGER } });
    expect(unionLiteral(primitiveLiteral({ case: "integer", value: 5n }), intType)).toStrictEqual(
      create(LiteralSchema, { value: { case: "scalar", value: { value: { case: "union", value: { value: intInit, type: intType } } } } }),
    );
    expect(binaryLiteral(new Uint8Array([1]), "msgpack")).toStrictEqual(
      create(LiteralSchema, { value: { case: "scalar", value: { value: { case: "binary", value: { value: new Uint8Array([1]), tag: "msgpack" } } } } }),
    );
    expect(blobLiteral("s3://b/k", "csv", BlobType_BlobDimensionality.SINGLE)).toStrictEqual(
      create(LiteralSchema, {
        value: { case: "scalar", value: { value: { case: "blob", value: { metadata: { type: { format: "csv" } }, uri: "s3://b/k" } } } },
      }),
    );
    expect(genericLiteral({ a: 1 })).toStrictEqual(
      create(LiteralSchema, { value: { case: "scalar", value: { value: { case: "generic", value: { a: 1 } } } } }),
    );
  });

  it("describe literals for error messages", () => {
    expect(describeLiteral(primitiveLiteral({ case: "stringValue", value: "abc" }))).toBe('a string literal "abc"');
    expect(describeLiteral(primitiveLiteral({ case: "integer", value: -3n }))).toBe("an integer literal -3");
    expect(describeLiteral(collectionLiteral([]))).toBe("a collection literal of 0");
    expect(describeLiteral(mapLiteral({}))).toBe("a map literal of 0");
    expect(describeLiteral(noneLiteral())).toBe("a none literal");
    expect(describeLiteral(binaryLiteral(new Uint8Array(), "msgpack"))).toBe('a binary literal (tag "msgpack")');
    expect(describeLiteral(undefined)).toBe("no literal");
  });
});
