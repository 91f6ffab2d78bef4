import { describe, expect, it } from "vitest";
import { primitiveLiteral } from "./literals.js";
import { MsgpackWriter, decodeMsgpack } from "./msgpack.js";
import { errorOf, roundTrip } from "./testing.js";
import { Datetime, duration, Duration, durationToMillis, isoformatUtc, nanosOfSecond, parseIsoDatetime } from "./time.js";

function timestampOf(date: Date) {
  const lit = Datetime.toLiteral(date);
  const v = lit.value;
  if (v.case !== "scalar" || v.value.value.case !== "primitive" || v.value.value.value.value.case !== "datetime") throw new Error("not a datetime");
  const ts = v.value.value.value.value.value;
  return { seconds: ts.seconds, nanos: ts.nanos };
}

describe("Datetime", () => {
  it("writes a Date as a UTC Timestamp, before 1970 too", () => {
    expect(timestampOf(new Date("2024-05-06T07:08:09.123Z"))).toEqual({ seconds: 1714979289n, nanos: 123_000_000 });
    expect(timestampOf(new Date(0))).toEqual({ seconds: 0n, nanos: 0 });
    expect(timestampOf(new Date("1969-12-31T23:59:59.999Z"))).toEqual({ seconds: -1n, nanos: 999_000_000 });
    expect(timestampOf(new Date("1900-01-01T00:00:00.001Z"))).toEqual({ seconds: -2208988800n, nanos: 1_000_000 });
  });

  it("round-trips to the millisecond", () => {
    for (const iso of ["2024-05-06T07:08:09.123Z", "1969-12-31T23:59:59.999Z", "0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z"]) {
      expect((roundTrip(Datetime, new Date(iso)) as Date).toISOString()).toBe(iso);
    }
  });

  it("carries sub-millisecond precision from a literal through an unchanged Date", () => {
    const literal = primitiveLiteral({
      case: "datetime",
      value: { $typeName: "google.protobuf.Timestamp", seconds: 1714979289n, nanos: 123_456_789 },
    });
    const date = Datetime.fromLiteral(literal);
    expect(date.toISOString()).toBe("2024-05-06T07:08:09.123Z");
    expect(nanosOfSecond(date)).toBe(123_456_789);
    expect(timestampOf(date)).toEqual({ seconds: 1714979289n, nanos: 123_456_789 });
    // Once the Date changes, the finer digits no longer belong to it.
    date.setTime(date.getTime() + 1);
    expect(timestampOf(date)).toEqual({ seconds: 1714979289n, nanos: 124_000_000 });
  });

  it("rejects Invalid Date and non-Dates", () => {
    expect(errorOf(() => Datetime.toLiteral(new Date(Number.NaN))).message).toBe(
      "value: expected Datetime, got Invalid Date (Date): an Invalid Date",
    );
    expect(errorOf(() => Datetime.toLiteral("2024-01-01")).message).toBe('value: expected Datetime, got "2024-01-01" (string)');
    expect(errorOf(() => Datetime.toLiteral(1714979289)).message).toBe("value: expected Datetime, got 1714979289 (number)");
  });

  it("writes the isoformat mashumaro writes inside a dataclass", () => {
    expect(isoformatUtc(new Date("2024-01-02T03:04:05.123Z"))).toBe("2024-01-02T03:04:05.123000+00:00");
    expect(isoformatUtc(new Date("2024-01-02T03:04:05.000Z"))).toBe("2024-01-02T03:04:05+00:00");
    expect(isoformatUtc(parseIsoDatetime("2024-01-02T03:04:05.123456+00:00")!)).toBe("2024-01-02T03:04:05.123456+00:00");
    expect(errorOf(() => isoformatUtc(new Date("+010000-01-01T00:00:00Z"))).message).toMatch(/outside years 1 to 9999/);
  });

  it("parses Python's isoformat: naive is UTC, offsets are applied", () => {
    expect(parseIsoDatetime("2024-01-02T03:04:05")!.toISOString()).toBe("2024-01-02T03:04:05.000Z");
    expect(parseIsoDatetime("2024-01-02T03:04:05+05:30")!.toISOString()).toBe("2024-01-01T21:34:05.000Z");
    expect(parseIsoDatetime("2024-01-02T03:04:05.5-01:00")!.toISOString()).toBe("2024-01-02T04:04:05.500Z");
    expect(parseIsoDatetime("2024-01-02")!.toISOString()).toBe("2024-01-02T00:00:00.000Z");
    expect(parseIsoDatetime("0050-06-01T00:00:00Z")!.toISOString()).toBe("0050-06-01T00:00:00.000Z");
    expect(parseIsoDatetime("not a date")).toBeUndefined();
  });

  it("reads a dataclass field's isoformat string", () => {
    const w = new MsgpackWriter();
    Datetime.writeMsgpack(w, new Date("2024-01-02T03:04:05.123Z"));
    const raw = decodeMsgpack(w.finish(), "Datetime");
    expect(raw).toBe("2024-01-02T03:04:05.123000+00:00");
    expect(Datetime.fromMsgpack(raw).toISOString()).toBe("2024-01-02T03:04:05.123Z");
    expect(errorOf(() => Datetime.fromMsgpack("yesterday")).message).toBe(
      'value: expected Datetime, got "yesterday" (string): in MessagePack data',
    );
  });

  it("writes a Date read from MessagePack in the form it came, naive or with its offset, until its time changes", () => {
    const again = (text: string, change?: (d: Date) => void): string => {
      const date = Datetime.fromMsgpack(text);
      change?.(date);
      const w = new MsgpackWriter();
      Datetime.writeMsgpack(w, date);
      return decodeMsgpack(w.finish(), "Datetime") as string;
    };
    expect(again("2024-05-01T12:00:00")).toBe("2024-05-01T12:00:00");
    expect(again("2024-05-01T12:00:00.123456")).toBe("2024-05-01T12:00:00.123456");
    expect(again("2024-05-01T12:00:00+02:00")).toBe("2024-05-01T12:00:00+02:00");
    // Changed (even to the same time through another Date), it is written in our form: UTC.
    expect(again("2024-05-01T12:00:00", (d) => d.setUTCHours(13))).toBe("2024-05-01T13:00:00+00:00");
    expect(again("2024-05-01T12:00:00+02:00", (d) => d.setTime(d.getTime() + 1))).toBe("2024-05-01T10:00:00.001000+00:00");
    const copy = new Date(Datetime.fromMsgpack("2024-05-01T12:00:00"));
    const w = new MsgpackWriter();
    Datetime.writeMsgpack(w, copy);
    expect(decodeMsgpack(w.finish(), "Datetime")).toBe("2024-05-01T12:00:00+00:00");
    // The form does not show in equality: a naive datetime is its UTC time.
    expect(Datetime.fromMsgpack("2024-05-01T12:00:00")).toEqual(new Date("2024-05-01T12:00:00Z"));
  });
});

describe("Duration", () => {
  it("round-trips seconds and nanoseconds, negative ones included", () => {
    expect(roundTrip(Duration, { seconds: 90, nanos: 5000 })).toEqual({ seconds: 90, nanos: 5000 });
    expect(roundTrip(Duration, { seconds: 0, nanos: -1000 })).toEqual({ seconds: 0, nanos: -1000 });
    expect(roundTrip(Duration, { seconds: -86395 })).toEqual({ seconds: -86395, nanos: 0 });
    expect(roundTrip(Duration, { seconds: 315_576_000_000n })).toEqual({ seconds: 315_576_000_000, nanos: 0 });
  });

  it("normalises mixed signs as protobuf requires", () => {
    expect(roundTrip(Duration, { seconds: -1, nanos: 500_000_000 })).toEqual({ seconds: 0, nanos: -500_000_000 });
    expect(roundTrip(Duration, { seconds: 2, nanos: -1 })).toEqual({ seconds: 1, nanos: 999_999_999 });
  });

  it("rejects malformed values", () => {
    expect(errorOf(() => Duration.toLiteral({ seconds: 1.5 })).message).toMatch(/seconds must be a whole number/);
    expect(errorOf(() => Duration.toLiteral({ seconds: 1, nanos: 1e9 })).message).toMatch(/nanos a whole number between/);
    expect(errorOf(() => Duration.toLiteral(90)).message).toBe(
      "value: expected Duration, got 90 (number): a Duration is { seconds, nanos }; build one with duration({ ... })",
    );
    expect(errorOf(() => Duration.toLiteral({ seconds: 315_576_000_001 })).message).toMatch(/10,000 years/);
  });

  it("is written inside a dataclass as float seconds and read back to the microsecond", () => {
    const w = new MsgpackWriter();
    Duration.writeMsgpack(w, { seconds: 90, nanos: 500_000 });
    const raw = decodeMsgpack(w.finish(), "Duration");
    expect(raw).toBe(90.0005);
    expect(Duration.fromMsgpack(raw)).toEqual({ seconds: 90, nanos: 500_000 });
    expect(Duration.fromMsgpack(-86399.999999)).toEqual({ seconds: -86399, nanos: -999_999_000 });
  });

  it("is built from parts by duration()", () => {
    expect(duration({ minutes: 5 })).toEqual({ seconds: 300, nanos: 0 });
    expect(duration({ seconds: 1.5 })).toEqual({ seconds: 1, nanos: 500_000_000 });
    expect(duration({ days: -1, seconds: 5 })).toEqual({ seconds: -86395, nanos: 0 });
    expect(duration({ milliseconds: 1, microseconds: 2, nanoseconds: 3 })).toEqual({ seconds: 0, nanos: 1_002_003 });
    expect(() => duration({ seconds: Number.NaN })).toThrow("duration(), seconds: expected a finite number, got NaN");
    expect(durationToMillis({ seconds: 2, nanos: 500_000 })).toBe(2000.5);
  });
});

describe("command-line and JSON forms", () => {
  it("reads a duration as pyflyte's flag does (pytimeparse's forms), plain seconds too", () => {
    const cases: [string, { seconds: number; nanos: number }][] = [
      ["90", { seconds: 90, nanos: 0 }],
      ["1.5", { seconds: 1, nanos: 500_000_000 }],
      ["1:24", { seconds: 84, nanos: 0 }],
      [":22", { seconds: 22, nanos: 0 }],
      ["1:02:03.25", { seconds: 3723, nanos: 250_000_000 }],
      ["1h30m", { seconds: 5400, nanos: 0 }],
      ["10 days", { seconds: 864_000, nanos: 0 }],
      ["1 minute", { seconds: 60, nanos: 0 }],
      ["2 weeks, 1 day and 5s", { seconds: 1_296_005, nanos: 0 }],
      ["250ms", { seconds: 0, nanos: 250_000_000 }],
      ["-5s", { seconds: -5, nanos: 0 }],
    ];
    for (const [text, value] of cases) expect(Duration.fromText(text), text).toEqual(value);
    for (const text of ["", "abc", "1 fortnight", "5 s x", "1::2", "PT5M"]) expect(() => Duration.fromText(text), text).toThrow(/expected Duration/);
  });

  it("reads a datetime flag as pyflyte does: ISO, and ISO, now or today shifted by a duration", () => {
    expect((Datetime.fromText("2024-05-01 - 1 day") as Date).toISOString()).toBe("2024-04-30T00:00:00.000Z");
    expect((Datetime.fromText("2024-05-01T12:00:00+02:00 + 1:30:00") as Date).toISOString()).toBe("2024-05-01T11:30:00.000Z");
    const before = Date.now();
    const now = (Datetime.fromText("now - 1h") as Date).getTime();
    expect(now).toBeGreaterThanOrEqual(before - 3_600_000);
    expect(now).toBeLessThanOrEqual(Date.now() - 3_600_000);
    expect((Datetime.fromText("today") as Date).getUTCHours()).toBe(0);
    expect(() => Datetime.fromText("2024-05-01 - soon")).toThrow('"soon" is not a duration');
    expect(() => Datetime.fromText("yesterday")).toThrow(/expected Datetime, got "yesterday"/);
  });

  it("reads JSON as a dataclass's JSON holds it (a date-time an ISO string, a duration seconds) and writes it back so", () => {
    expect((Datetime.fromJsonValue("2024-05-01T12:00:00Z") as Date).toISOString()).toBe("2024-05-01T12:00:00.000Z");
    expect(() => Datetime.fromJsonValue("noon")).toThrow('expected Datetime, got "noon" (string): not an ISO 8601 date-time');
    expect(Duration.fromJsonValue(1.5)).toEqual({ seconds: 1, nanos: 500_000_000 });
    expect(() => Duration.fromJsonValue("1:00")).toThrow("in JSON a Duration is a number of seconds");
    expect(Duration.toJsonValue({ seconds: 90, nanos: 500_000_000 })).toBe(90.5);
  });
});
