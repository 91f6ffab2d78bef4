// A test-only plugin that adds a type to the engine, in one file: Money, an amount in cents and a
// currency. Its token says how a value becomes a literal (a STRING "12.50 EUR" whose LiteralType
// carries the structure tag "money"), how it sits in a record, how a command line writes it; its
// registration says what it is inferred from (the Money class) and guessed from (that tag).
import type { JsonObject } from "@bufbuild/protobuf";
import { TypeEngine } from "@flytekit-ts/core";
import { describeValue, FlyteType, primitiveLiteral, TypeTransformerError, type MsgpackWriter } from "@flytekit-ts/core/extend";
import { create, LiteralTypeSchema, SimpleType, type Literal, type LiteralType } from "@flytekit-ts/core/idl";

/** An amount of money: whole cents and a currency code. */
export class Money {
  constructor(
    readonly cents: number,
    readonly currency: string,
  ) {}

  /** `12.50 EUR` */
  toString(): string {
    const sign = this.cents < 0 ? "-" : "";
    const abs = Math.abs(this.cents);
    return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")} ${this.currency}`;
  }

  static parse(text: string): Money | undefined {
    const m = /^\s*(-?)(\d+)(?:\.(\d{1,2}))?\s*([A-Z]{3})\s*$/.exec(text);
    if (m === null) return undefined;
    const cents = Number(m[2]) * 100 + Number((m[3] ?? "0").padEnd(2, "0"));
    return new Money(m[1] === "-" ? -cents : cents, m[4]!);
  }
}

class MoneyType extends FlyteType<Money> {
  readonly name = "Money";
  readonly tag = "money";

  protected buildLiteralType(): LiteralType {
    return create(LiteralTypeSchema, { type: { case: "simple", value: SimpleType.STRING }, structure: { tag: "money" } });
  }

  private check(value: unknown): Money {
    if (value instanceof Money && Number.isInteger(value.cents)) return value;
    throw TypeTransformerError.forValue(this.name, value);
  }

  toLiteral(value: unknown): Literal {
    return primitiveLiteral({ case: "stringValue", value: this.check(value).toString() });
  }

  protected decode(literal: Literal): Money {
    const v = literal.value;
    if (v.case === "scalar" && v.value.value.case === "primitive" && v.value.value.value.value.case === "stringValue") {
      const money = Money.parse(v.value.value.value.value.value);
      if (money !== undefined) return money;
    }
    throw this.cannotRead(literal);
  }

  writeMsgpack(w: MsgpackWriter, value: unknown): void {
    w.str(this.check(value).toString());
  }

  fromMsgpack(value: unknown): Money {
    const money = typeof value === "string" ? Money.parse(value) : undefined;
    if (money === undefined) throw this.cannotReadMsgpack(value);
    return money;
  }

  jsonSchema(): JsonObject {
    return { type: "string", format: "money" };
  }

  override get textHint(): string {
    return "an amount and a currency, e.g. 12.50 EUR";
  }

  override fromText(text: string): Money {
    const money = Money.parse(text);
    if (money === undefined) throw new TypeTransformerError(this.name, describeValue(text));
    return money;
  }

  override toText(value: unknown): string {
    return this.check(value).toString();
  }
}

/** The Money token. */
export const MoneyToken: FlyteType<Money> = new MoneyType();

TypeEngine.register({ name: "Money (test plugin)", token: MoneyToken, natives: [Money], literalTypes: ["tag:money"], guess: () => MoneyToken });
