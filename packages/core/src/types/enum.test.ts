import { describe, expect, it } from "vitest";
import { primitiveLiteral } from "./literals.js";
import { Enum } from "./builtins.js";
import { errorOf, roundTrip } from "./testing.js";

enum Color {
  RED = "red",
  GREEN = "green",
  BLUE = "blue",
}

enum Numeric {
  A,
  B,
}

describe("Enum", () => {
  it("declares a Flyte EnumType with the values in order", () => {
    expect(Enum(Color).literalType.type).toMatchObject({ case: "enumType", value: { values: ["red", "green", "blue"] } });
    expect(Enum(Color).tag).toBe("DefaultEnumTransformer");
  });

  it("round-trips members as their strings", () => {
    expect(roundTrip(Enum(Color), Color.GREEN)).toBe(Color.GREEN);
    expect(roundTrip(Enum(Color), "blue")).toBe(Color.BLUE);
  });

  it("rejects values outside the enum, both ways", () => {
    expect(errorOf(() => Enum(Color).toLiteral("purple")).message).toBe(
      'value: expected Enum("red" | "green" | "blue"), got "purple" (string): not one of "red", "green", "blue"',
    );
    expect(errorOf(() => Enum(Color, "Color").toLiteral(0)).message).toBe(
      'value: expected Color, got 0 (number): not one of "red", "green", "blue"',
    );
    expect(errorOf(() => Enum(Color, "Color").fromLiteral(primitiveLiteral({ case: "stringValue", value: "RED" }))).message).toBe(
      'value: expected Color, got a string literal "RED": not one of "red", "green", "blue"',
    );
  });

  it("refuses numeric enums when declared, since Flyte enums hold strings", () => {
    expect(() => Enum(Numeric as never, "Numeric")).toThrow(/Flyte enums hold strings, but member .* is .* \(a numeric enum\)/);
    expect(() => Enum({})).toThrow("Enum(): it needs an enum with at least one member");
  });
});
