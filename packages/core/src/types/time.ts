import type { JsonObject } from "@bufbuild/protobuf";
import { type Literal } from "../idl/gen/flyteidl/core/literals_pb.js";
import { SimpleType, type LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";
import { FlyteTypeError, TypeTransformerError } from "./errors.js";
import { pbDurationOf, primitiveLiteral, timestampOf } from "./literals.js";
import type { MsgpackWriter } from "./msgpack.js";
import { simpleLiteralType } from "./scalars.js";
import { typeRegistry } from "./registry.js";
import { FlyteType } from "./type.js";

// A Date holds milliseconds and no time zone; a Flyte Timestamp holds nanoseconds, and a datetime
// inside a dataclass's MessagePack is Python's isoformat text, naive (`2024-05-01T12:00:00`) or with
// its offset (`+02:00`). A Date read from a literal keeps what it could not hold under this symbol
// (a non-enumerable property, so equality and JSON do not see it): the nanoseconds, and the text it
// was read from. Both are used only while the Date's time is the one read (`ms`), so a datetime that
// passes through a TypeScript task unchanged leaves it as it came, and a changed one is written in
// our own form (UTC, `+00:00`). A copy (`new Date(d)`) is a new value: it is written in our form.
const ORIGIN = Symbol.for("flytekit-ts.datetime.origin");
interface Origin {
  ms: number;
  nanos: number;
  /** The isoformat text the Date was read from, inside MessagePack. */
  text?: string;
}

function attachOrigin(date: Date, origin: Origin): Date {
  if (origin.nanos % 1_000_000 !== 0 || origin.text !== undefined) {
    Object.defineProperty(date, ORIGIN, { value: origin, enumerable: false, configurable: true });
  }
  return date;
}

/** What a Date kept from the literal it was read from, if its time has not changed since. */
function originOf(date: Date): Origin | undefined {
  const origin = (date as unknown as { [ORIGIN]?: Origin })[ORIGIN];
  return origin !== undefined && origin.ms === date.getTime() ? origin : undefined;
}

/**
 * The nanoseconds within the second of a Date: the milliseconds times 10^6, or, for a Date read
 * from a literal with finer precision and not changed since, the nanoseconds that literal held.
 */
export function nanosOfSecond(date: Date): number {
  const ms = date.getTime();
  return originOf(date)?.nanos ?? (ms - Math.floor(ms / 1000) * 1000) * 1_000_000;
}

function validDate(value: unknown, name: string): Date {
  if (!(value instanceof Date)) throw TypeTransformerError.forValue(name, value);
  if (Number.isNaN(value.getTime())) throw TypeTransformerError.forValue(name, value, "an Invalid Date");
  return value;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** A Date as Python's `datetime.isoformat()` writes an aware UTC datetime (mashumaro's form). */
export function isoformatUtc(date: Date, name = "Datetime"): string {
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) {
    throw TypeTransformerError.forValue(name, date, "outside years 1 to 9999, which Python datetimes hold");
  }
  const micros = Math.floor(nanosOfSecond(date) / 1000);
  const base =
    `${pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}` +
    `T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}`;
  return `${base}${micros === 0 ? "" : `.${pad(micros, 6)}`}+00:00`;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2}(?:\.\d{1,6})?)?)?)?$/;

/** Parses an ISO 8601 datetime as Python writes it; one without an offset is UTC, as in flytekit. */
export function parseIsoDatetime(text: string): Date | undefined {
  const m = ISO.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", zone = "Z"] = m;
  const fracNanos = Number(frac.padEnd(9, "0"));
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number(y) < 100) {
    // Date.UTC maps years 0..99 to 1900..1999.
    const fixed = new Date(ms);
    fixed.setUTCFullYear(Number(y));
    ms = fixed.getTime();
  }
  if (zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(/:/g, "");
    const offsetSeconds =
      Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4) || "0") * 60 + Number(digits.slice(4) || "0");
    ms -= sign * Math.round(offsetSeconds * 1000);
  }
  ms += Math.floor(fracNanos / 1_000_000);
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return undefined;
  return attachOrigin(date, { ms, nanos: fracNanos });
}

/** A datetime flag's base: `now`, `today` (midnight UTC; a date without an offset is UTC), or an ISO date-time. */
function datetimeFromText(text: string): Date | undefined {
  if (text === "now") return new Date();
  if (text === "today") {
    const now = new Date();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  }
  return parseIsoDatetime(text);
}

/** Flyte DATETIME (a protobuf Timestamp) as a Date, in UTC, to the millisecond. */
class DatetimeType extends FlyteType<Date> {
  readonly name = "Datetime";
  readonly tag = "datetime";

  protected buildLiteralType(): LiteralType {
    return simpleLiteralType(SimpleType.DATETIME);
  }

  toLiteral(value: unknown): Literal {
    const date = validDate(value, this.name);
    const ms = date.getTime();
    const seconds = Math.floor(ms / 1000);
    return primitiveLiteral({ case: "datetime", value: timestampOf(BigInt(seconds), nanosOfSecond(date)) });
  }

  protected decode(literal: Literal): Date {
    const v = literal.value;
    if (v.case === "scalar" && v.value.value.case === "primitive") {
      const p = v.value.value.value.value;
      if (p.case === "datetime") {
        const seconds = Number(p.value.seconds);
        const nanos = p.value.nanos;
        const ms = seconds * 1000 + Math.floor(nanos / 1_000_000);
        const date = new Date(ms);
        if (Number.isNaN(date.getTime())) throw this.cannotRead(literal, "outside the range of a Date");
        return attachOrigin(date, { ms, nanos });
      }
    }
    throw this.cannotRead(literal);
  }

  writeMsgpack(w: MsgpackWriter, value: unknown): void {
    const date = validDate(value, this.name);
    // Unchanged since it was read: the text it came as (a naive datetime stays naive).
    w.str(originOf(date)?.text ?? isoformatUtc(date, this.name));
  }

  fromMsgpack(value: unknown): Date {
    if (typeof value === "string") {
      const date = parseIsoDatetime(value);
      if (date !== undefined) return attachOrigin(date, { ms: date.getTime(), nanos: nanosOfSecond(date), text: value });
    }
    throw this.cannotReadMsgpack(value);
  }

  jsonSchema(): JsonObject {
    return { type: "string", format: "date-time" };
  }

  override get textHint(): string {
    return "ISO 8601 date-time, now, today, or one of those - or + a duration (today - 1 day)";
  }

  /** What pyflyte takes for a datetime flag: an ISO date-time, `now`, `today`, and either shifted (`now - 1h`). */
  override fromText(text: string): Date {
    const trimmed = text.trim();
    const shifted = /^(.+?)\s+([-+])\s+(.+)$/.exec(trimmed);
    const date = shifted === null ? datetimeFromText(trimmed) : datetimeFromText(shifted[1]!);
    if (date === undefined) throw TypeTransformerError.forValue(this.name, text);
    if (shifted === null) return date;
    const delta = parseDurationText(shifted[3]!);
    if (delta === undefined) throw TypeTransformerError.forValue(this.name, text, `${JSON.stringify(shifted[3])} is not a duration (${DURATION_HINT})`);
    const nanos = BigInt(delta.seconds) * NANOS_PER_SECOND + BigInt(delta.nanos);
    const ms = Number(nanos / 1_000_000n);
    return new Date(date.getTime() + (shifted[2] === "-" ? -ms : ms));
  }

  /** Inside JSON, a date-time is an ISO 8601 string, as pyflyte (mashumaro) reads a dataclass's datetime. */
  override fromJsonValue(value: unknown): unknown {
    if (typeof value !== "string") return value;
    const date = parseIsoDatetime(value);
    if (date === undefined) throw TypeTransformerError.forValue(this.name, value, `not an ${ISO_HINT}`);
    return date;
  }
}

const ISO_HINT = "ISO 8601 date-time (2024-05-01, 2024-05-01T12:00:00Z, 2024-05-01T12:00:00.5+02:00)";

/** A span of time as a protobuf Duration holds it: whole seconds and nanoseconds of the same sign. */
export interface DurationValue {
  seconds: number;
  nanos: number;
}

/** What a Duration may be given: seconds as a number or bigint, and nanoseconds (default 0). */
export interface DurationInput {
  seconds: number | bigint;
  nanos?: number;
}

const NANOS_PER_SECOND = 1_000_000_000n;
const MAX_DURATION_SECONDS = 315_576_000_000n; // protobuf's limit: 10,000 years

function totalNanos(value: unknown, name: string): bigint {
  if (typeof value !== "object" || value === null || Array.isArray(value) || !("seconds" in value)) {
    throw TypeTransformerError.forValue(name, value, "a Duration is { seconds, nanos }; build one with duration({ ... })");
  }
  const { seconds, nanos = 0 } = value as { seconds: unknown; nanos?: unknown };
  const secondsOk = typeof seconds === "bigint" || (typeof seconds === "number" && Number.isSafeInteger(seconds));
  if (!secondsOk || typeof nanos !== "number" || !Number.isInteger(nanos) || Math.abs(nanos) >= 1e9) {
    throw TypeTransformerError.forValue(
      name,
      value,
      "seconds must be a whole number and nanos a whole number between -999,999,999 and 999,999,999",
    );
  }
  const total = BigInt(seconds as number | bigint) * NANOS_PER_SECOND + BigInt(nanos);
  if (total > MAX_DURATION_SECONDS * NANOS_PER_SECOND || total < -MAX_DURATION_SECONDS * NANOS_PER_SECOND) {
    throw TypeTransformerError.forValue(name, value, "longer than the 10,000 years a protobuf Duration holds");
  }
  return total;
}

function fromTotalNanos(total: bigint): DurationValue {
  const seconds = total / NANOS_PER_SECOND; // truncates toward zero: same sign as nanos
  return { seconds: Number(seconds), nanos: Number(total - seconds * NANOS_PER_SECOND) };
}

const DURATION_HINT = "seconds (90, 1.5), [h:]m:s (1:24, :22), or amounts with units (1h30m, 10 days, 2 weeks)";

const UNIT_SECONDS: [RegExp, number][] = [
  [/^(weeks?|w)$/, 604_800],
  [/^(days?|d)$/, 86_400],
  [/^(hours?|hrs?|h)$/, 3_600],
  [/^(minutes?|mins?|m)$/, 60],
  [/^(seconds?|secs?|s)$/, 1],
  [/^(milliseconds?|ms)$/, 0.001],
];

/**
 * A duration as pyflyte reads a flag (pytimeparse's forms): `1:24` and `:22` (minutes and seconds),
 * `1:02:03`, amounts with units (`1h30m`, `10 days`, `1 minute`), and, beyond pyflyte, a plain number
 * of seconds (`90`, `1.5`). A leading `-` makes it negative. Undefined when it is none of those.
 */
export function parseDurationText(text: string): DurationValue | undefined {
  let t = text.trim();
  let sign = 1n;
  if (t.startsWith("-")) {
    sign = -1n;
    t = t.slice(1).trim();
  } else if (t.startsWith("+")) t = t.slice(1).trim();
  const toMicros = (seconds: number): bigint => BigInt(Math.round(seconds * 1e6));
  let micros: bigint;
  const plain = /^(\d+(?:\.\d*)?|\.\d+)$/.exec(t);
  const clock = /^(?:(\d+):(?=\d))?(\d*):(\d+(?:\.\d+)?)$/.exec(t);
  if (plain !== null) micros = toMicros(Number(plain[1]));
  else if (clock !== null) micros = toMicros(Number(clock[1] ?? 0) * 3600 + Number(clock[2] || 0) * 60 + Number(clock[3]));
  else {
    const term = /(\d+(?:\.\d+)?)\s*([a-z]+)[\s,]*(?:and\s+)?/y;
    let seconds = 0;
    let at = 0;
    for (let m = term.exec(t); m !== null; m = term.exec(t)) {
      const unit = m[2]!;
      const found = UNIT_SECONDS.find(([re]) => re.test(unit));
      if (found === undefined) return undefined;
      seconds += Number(m[1]) * found[1];
      at = term.lastIndex;
    }
    if (at === 0 || at !== t.length) return undefined;
    micros = toMicros(seconds);
  }
  if (micros > MAX_DURATION_SECONDS * 1_000_000n) return undefined;
  return fromTotalNanos(sign * micros * 1000n);
}

/** Flyte DURATION (a protobuf Duration) as `{ seconds, nanos }`. */
class DurationType extends FlyteType<DurationValue, DurationInput> {
  readonly name = "Duration";
  readonly tag = "timedelta";

  protected buildLiteralType(): LiteralType {
    return simpleLiteralType(SimpleType.DURATION);
  }

  toLiteral(value: unknown): Literal {
    const d = fromTotalNanos(totalNanos(value, this.name));
    return primitiveLiteral({ case: "duration", value: pbDurationOf(BigInt(d.seconds), d.nanos) });
  }

  protected decode(literal: Literal): DurationValue {
    const v = literal.value;
    if (v.case === "scalar" && v.value.value.case === "primitive") {
      const p = v.value.value.value.value;
      if (p.case === "duration") return fromTotalNanos(p.value.seconds * NANOS_PER_SECOND + BigInt(p.value.nanos));
    }
    throw this.cannotRead(literal);
  }

  writeMsgpack(w: MsgpackWriter, value: unknown): void {
    // mashumaro writes a timedelta as its total seconds, a float.
    const d = fromTotalNanos(totalNanos(value, this.name));
    w.float64(d.seconds + d.nanos / 1e9);
  }

  fromMsgpack(value: unknown): DurationValue {
    if (typeof value === "number" && Number.isFinite(value)) {
      // Python's timedelta(seconds=x) keeps microseconds; so do we.
      return fromTotalNanos(BigInt(Math.round(value * 1e6)) * 1000n);
    }
    if (typeof value === "bigint") return fromTotalNanos(value * NANOS_PER_SECOND);
    throw this.cannotReadMsgpack(value);
  }

  jsonSchema(): JsonObject {
    return { type: "number", format: "time-delta" };
  }

  override get textHint(): string {
    return DURATION_HINT;
  }

  /** Inside JSON, a duration is a number of seconds, as pyflyte (mashumaro) reads a dataclass's timedelta. */
  override fromJsonValue(value: unknown): unknown {
    if (typeof value === "string") throw TypeTransformerError.forValue(this.name, value, "in JSON a Duration is a number of seconds (90, 1.5)");
    if (typeof value !== "number") return value;
    if (!Number.isFinite(value)) throw TypeTransformerError.forValue(this.name, value, "not a finite number of seconds");
    return fromTotalNanos(BigInt(Math.round(value * 1e6)) * 1000n);
  }

  override toJsonValue(value: unknown): unknown {
    const d = fromTotalNanos(totalNanos(value, this.name));
    return d.seconds + d.nanos / 1e9;
  }

  override fromText(text: string): DurationValue {
    const value = parseDurationText(text);
    if (value === undefined) throw TypeTransformerError.forValue(this.name, text);
    return value;
  }
}

/** Parts of a duration; fractions are allowed (`{ seconds: 1.5 }`). */
export interface DurationParts {
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  milliseconds?: number;
  microseconds?: number;
  nanoseconds?: number;
}

const UNIT_NANOS: Record<keyof DurationParts, number> = {
  days: 86_400e9,
  hours: 3_600e9,
  minutes: 60e9,
  seconds: 1e9,
  milliseconds: 1e6,
  microseconds: 1e3,
  nanoseconds: 1,
};

/** Builds a normalised Duration value: `duration({ minutes: 5 })` is `{ seconds: 300, nanos: 0 }`. */
export function duration(parts: DurationParts): DurationValue {
  let total = 0n;
  for (const [unit, amount] of Object.entries(parts) as [keyof DurationParts, number | undefined][]) {
    if (amount === undefined) continue;
    const perUnit = UNIT_NANOS[unit];
    if (perUnit === undefined) throw new FlyteTypeError({ subject: "duration()", problem: `unknown part "${unit}"`, fix: `its parts are ${Object.keys(UNIT_NANOS).join(", ")}` });
    if (typeof amount !== "number" || !Number.isFinite(amount)) {
      throw new FlyteTypeError({ subject: `duration(), ${unit}`, expected: "a finite number", got: String(amount) });
    }
    const whole = Math.trunc(amount);
    total += BigInt(whole) * BigInt(perUnit) + BigInt(Math.round((amount - whole) * perUnit));
  }
  const value = fromTotalNanos(total);
  totalNanos(value, "Duration");
  return value;
}

/** A Duration value in milliseconds (fractional when it holds less than a millisecond). */
export function durationToMillis(d: DurationInput): number {
  return Number(d.seconds) * 1000 + (d.nanos ?? 0) / 1e6;
}

/** Flyte DATETIME: a Date, in UTC, to the millisecond (finer precision from Python is carried through). */
export const Datetime: FlyteType<Date> = new DatetimeType();
/** Flyte DURATION: `{ seconds, nanos }`; `duration({ minutes: 5 })` builds one. */
export const Duration: FlyteType<DurationValue, DurationInput> = new DurationType();

typeRegistry.register({ name: "Datetime", token: Datetime, natives: [Date], literalTypes: ["simple:DATETIME"], guess: () => Datetime });
typeRegistry.register({ name: "Duration", token: Duration, literalTypes: ["simple:DURATION"], guess: () => Duration });
