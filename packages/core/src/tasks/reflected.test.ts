// The check of a declared token against the constructor TypeScript reflects, as the registry
// knows it: what no registration speaks for is never refused, and a type of one's own says what
// it takes with `takes`.
import { describe, expect, it } from "vitest";
import { TypeRegistry, typeRegistry } from "../types/registry.js";
import { Int, Str } from "../index.js";
import { inferFunctionInterface, type FunctionInterfaceSource } from "./infer.js";
import { Json } from "../types/json.js";
import type { Literal } from "../idl/gen/flyteidl/core/literals_pb.js";
import type { MsgpackWriter } from "../types/msgpack.js";
import { FlyteType } from "../types/type.js";

function build(paramType: unknown, declared: FunctionInterfaceSource["inputs"], hasMetadata = true) {
  return inferFunctionInterface({ task: "t", fn: function f(n: unknown) { return n; }, paramTypes: [paramType], returnType: undefined, hasMetadata, inputs: declared, outputs: {}, isAsync: false });
}

describe("a declared token against the reflected constructor", () => {
  it("asks the registry what a token holds: natives, takes, and families", () => {
    expect(typeRegistry.takes(Int, Number)).toBe(true);
    expect(typeRegistry.takes(Int, BigInt)).toBe(true);
    expect(typeRegistry.takes(Str, Number)).toBe(false);
    expect(typeRegistry.takes(Json, Map)).toBe(true); // a Python dict with int keys
    expect(typeRegistry.takes(Json, Set)).toBe(false);
    expect(typeRegistry.tokensTaking(Number).map((t) => t.name)).toEqual(["Float", "Int"]);
  });

  it("refuses nothing it cannot know: a token of no registered type, an unknown class, no metadata, Object", () => {
    // A token of one's own, never registered: nothing says what it holds.
    class Unregistered extends FlyteType<string> {
      readonly name = "Unregistered";
      readonly tag = "unregistered";
      protected buildLiteralType() {
        return Str.literalType;
      }
      toLiteral(value: unknown) {
        return Str.toLiteral(value);
      }
      protected decode(literal: Literal) {
        return Str.fromLiteral(literal);
      }
      writeMsgpack(w: MsgpackWriter, value: unknown) {
        Str.writeMsgpack(w, value);
      }
      fromMsgpack(value: unknown) {
        return Str.fromMsgpack(value);
      }
      jsonSchema() {
        return Str.jsonSchema();
      }
    }
    const own = new Unregistered();
    expect(typeRegistry.takes(own, Number)).toBeUndefined();
    expect(build(Number, { n: own }).inputs[0]!.type).toBe(own);
    class SomeClass {}
    expect(build(SomeClass, { n: Str }).inputs[0]!.type).toBe(Str);
    expect(build(undefined, { n: Str }, false).inputs[0]!.type).toBe(Str);
    expect(build(Object, { n: Str }).inputs[0]!.type).toBe(Str);
    expect(() => build(Number, { n: Str })).toThrow("task 't', parameter 0 'n': it is declared Str, but TypeScript reflects the parameter as Number (number)");
  });

  it("lets a type say what else it takes, and refuses a list of constructors without a token", () => {
    const registry = new TypeRegistry();
    registry.register({ name: "decimal", token: Json, natives: [], takes: [String] });
    expect(registry.takes(Json, String)).toBe(true);
    expect(registry.takes(Json, Number)).toBe(false);
    expect(() => new TypeRegistry().register({ name: "loose", takes: [String] })).toThrow("type loose: it lists what it takes but gives no token");
    expect(() => new TypeRegistry().register({ name: "odd", token: Json, takes: ["x" as never] })).toThrow("type odd: takes lists what is not a constructor");
  });
});
