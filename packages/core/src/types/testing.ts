// Test helpers for the type engine (not exported from the package).
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { LiteralSchema, type Literal } from "../idl/gen/flyteidl/core/literals_pb.js";
import type { AnyFlyteType } from "./type.js";

/** A literal through protobuf bytes and back, as it travels between tasks. */
export function overTheWire(literal: Literal): Literal {
  return fromBinary(LiteralSchema, toBinary(LiteralSchema, literal));
}

/** A value to a literal, over the wire, and back to a value. */
export function roundTrip(type: AnyFlyteType, value: unknown): unknown {
  return type.fromLiteral(overTheWire(type.toLiteral(value)));
}

/** The message of what `fn` throws (fails the test if it does not throw). */
export function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`threw a non-Error: ${String(e)}`);
  }
  throw new Error("expected an error, none was thrown");
}
