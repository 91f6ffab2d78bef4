// Go's own text for values, as Flyte's Go programs write and read it: CoPilot writes input files
// with strconv and time, marshals inputs.json with encoding/json, and parses output files with
// strconv.ParseInt/ParseFloat/ParseBool, time.ParseDuration and time.Parse(time.RFC3339); propeller
// renders `{{.inputs.x}}` with fmt's %v. Each function here is checked against the Go toolchain
// itself where one is installed (go.test.ts runs __fixtures__/gofmt.go).

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** The shortest decimal digits that read back as `v` (v finite, not 0), and where the point goes: v = 0.d1d2… × 10^dp. */
function shortest(v: number): { digits: string; dp: number } {
  const [mantissa, exponent] = Math.abs(v).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  return { digits, dp: Number(exponent) + 1 };
}

function signOf(v: number): string {
  return v < 0 || Object.is(v, -0) ? "-" : "";
}

function special(v: number): string | undefined {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return undefined;
}

function fixed(digits: string, dp: number): string {
  if (dp <= 0) return `0.${"0".repeat(-dp)}${digits}`;
  if (dp >= digits.length) return digits + "0".repeat(dp - digits.length);
  return `${digits.slice(0, dp)}.${digits.slice(dp)}`;
}

function exponential(digits: string, dp: number): string {
  const exp = dp - 1;
  const mantissa = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
  const abs = Math.abs(exp);
  return `${mantissa}e${exp < 0 ? "-" : "+"}${abs < 10 ? "0" : ""}${abs}`;
}

/** `strconv.FormatFloat(v, 'f', -1, 64)`: no exponent ever (`1000000000000000000000`), `NaN`, `+Inf`, `-Inf`, `-0`. */
export function formatFloatF(v: number): string {
  const s = special(v);
  if (s !== undefined) return s;
  if (v === 0) return `${signOf(v)}0`;
  const { digits, dp } = shortest(v);
  return signOf(v) + fixed(digits, dp);
}

/** `strconv.FormatFloat(v, 'g', -1, 64)`, which is also fmt's `%v` of a float64: `3`, `1.5`, `1e+06`, `1e-05`, `1.5e+300`. */
export function formatFloatG(v: number): string {
  const s = special(v);
  if (s !== undefined) return s;
  if (v === 0) return `${signOf(v)}0`;
  const { digits, dp } = shortest(v);
  const exp = dp - 1;
  return signOf(v) + (exp < -4 || exp >= 6 ? exponential(digits, dp) : fixed(digits, dp));
}

/** encoding/json's float64: 'f', or 'e' below 1e-6 and from 1e21 on, with `e-07` written `e-7`. NaN and ±Inf have no JSON form (undefined). */
export function formatFloatJson(v: number): string | undefined {
  if (!Number.isFinite(v)) return undefined;
  if (v === 0) return `${signOf(v)}0`;
  const abs = Math.abs(v);
  if (abs >= 1e-6 && abs < 1e21) return formatFloatF(v);
  const { digits, dp } = shortest(v);
  return signOf(v) + exponential(digits, dp).replace(/e-0(\d)$/, "e-$1");
}

// ---------------------------------------------------------------------------------------------
// Durations and timestamps

const NS_PER_SECOND = 1_000_000_000n;

/** Nanoseconds as Go's `time.Duration.String()`: `0s`, `1.5µs`, `300ms`, `5m0s`, `1h2m3.5s`, `-1m30s`. */
export function durationString(nanos: bigint): string {
  if (nanos === 0n) return "0s";
  const neg = nanos < 0n;
  let u = neg ? -nanos : nanos;
  let out: string;
  if (u < NS_PER_SECOND) {
    let prec: number;
    let unit: string;
    if (u < 1000n) [prec, unit] = [0, "ns"];
    else if (u < 1_000_000n) [prec, unit] = [3, "µs"];
    else [prec, unit] = [6, "ms"];
    const [frac, rest] = fraction(u, prec);
    out = `${rest}${frac}${unit}`;
  } else {
    const [frac, rest] = fraction(u, 9);
    u = rest;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** Go's fmtFrac: the `prec` lowest digits of v as `.ddd` with trailing zeros left out ("" when all zero), and v without them. */
function fraction(v: bigint, prec: number): [string, bigint] {
  const scale = 10n ** BigInt(prec);
  const frac = v % scale;
  const rest = v / scale;
  if (frac === 0n) return ["", rest];
  return [`.${frac.toString().padStart(prec, "0").replace(/0+$/, "")}`, rest];
}

/** A protobuf Duration as Go's time.Duration (`ptypes.Duration`), or an error text when it does not fit one (int64 nanoseconds). */
export function durationNanos(seconds: bigint, nanos: number): bigint | string {
  if (seconds < -315576000000n || seconds > 315576000000n) return `duration (seconds:${seconds} nanos:${nanos}): seconds out of range`;
  if (nanos <= -1e9 || nanos >= 1e9 || (seconds > 0n && nanos < 0) || (seconds < 0n && nanos > 0)) return `duration (seconds:${seconds} nanos:${nanos}): nanos out of range or of the wrong sign`;
  const total = seconds * NS_PER_SECOND + BigInt(nanos);
  if (total < INT64_MIN || total > INT64_MAX) return `duration (seconds:${seconds} nanos:${nanos}): out of range for time.Duration`;
  return total;
}

/** The first and last second a protobuf Timestamp may hold (0001-01-01 to 9999-12-31). */
const MIN_TS_SECONDS = -62135596800n;
const MAX_TS_SECONDS = 253402300799n;

/**
 * A protobuf Timestamp as `ptypes.TimestampString` writes it (time.RFC3339Nano in UTC):
 * `2024-01-02T03:04:05Z`, `2024-01-02T03:04:05.5Z`, `…05.000000001Z`; undefined when out of range.
 */
export function timestampString(seconds: bigint, nanos: number): string | undefined {
  if (seconds < MIN_TS_SECONDS || seconds > MAX_TS_SECONDS || nanos < 0 || nanos >= 1e9 || !Number.isInteger(nanos)) return undefined;
  const date = new Date(Number(seconds) * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  const frac = nanos === 0 ? "" : `.${String(nanos).padStart(9, "0").replace(/0+$/, "")}`;
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}${frac}Z`
  );
}

// ---------------------------------------------------------------------------------------------
// encoding/json

/**
 * A value as Go holds it before json.Marshal: bigint an int64, number a float64, Uint8Array a
 * []byte (base64), Map a map[string]interface{} (keys sorted), arrays, strings, booleans, null.
 */
export type GoValue = null | boolean | bigint | number | string | Uint8Array | readonly GoValue[] | ReadonlyMap<string, GoValue>;

/** A value Go's json.Marshal refuses (NaN or ±Inf): its error text, as Go words it. */
export class GoJsonError extends Error {}

/** Go's byte order of strings (UTF-8 bytes), which is how json.Marshal sorts a map's keys. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** `json.Marshal(v)` of Go's encoding/json: compact, map keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped. */
export function goJson(value: GoValue): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") {
    const text = formatFloatJson(value);
    if (text === undefined) throw new GoJsonError(`json: unsupported value: ${formatFloatG(value)}`);
    return text;
  }
  if (typeof value === "string") return goJsonString(value);
  if (value instanceof Uint8Array) return `"${Buffer.from(value).toString("base64")}"`;
  if (Array.isArray(value)) return `[${(value as readonly GoValue[]).map(goJson).join(",")}]`;
  const map = value as ReadonlyMap<string, GoValue>;
  const keys = [...map.keys()].sort(compareUtf8);
  return `{${keys.map((k) => `${goJsonString(k)}:${goJson(map.get(k)!)}`).join(",")}}`;
}

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** A string as encoding/json writes it (HTML-safe, as json.Marshal does; a lone surrogate, which UTF-8 cannot hold, as \ufffd). */
export function goJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (SHORT_ESCAPES[ch] !== undefined) out += SHORT_ESCAPES[ch];
    else if (c < 0x20 || ch === "<" || ch === ">" || ch === "&" || c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += ch + s[i + 1]!;
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) out += "\\ufffd";
    else out += ch;
  }
  return `${out}"`;
}

// ---------------------------------------------------------------------------------------------
// Parsing, as CoPilot parses an output file's text. Each returns undefined when Go returns an error.

/** `strconv.ParseInt(s, 10, 64)`: an optional sign and decimal digits, nothing else, within int64. */
export function parseGoInt(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

/** `strconv.ParseBool(s)`. */
export function parseGoBool(s: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  return undefined;
}

/** Go's underscoreOK: underscores only with a base prefix, and only between digits. */
function underscoreOK(text: string): boolean {
  let s = text;
  let saw = "^";
  let i = 0;
  if (s.length >= 1 && (s[0] === "-" || s[0] === "+")) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === "0" && "bBoOxX".includes(s[1]!)) {
    i = 2;
    saw = "0";
    hex = s[1] === "x" || s[1] === "X";
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= "0" && c <= "9") || (hex && /[a-fA-F]/.test(c))) {
      saw = "0";
      continue;
    }
    if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
      continue;
    }
    if (saw === "_") return false;
    saw = "!";
  }
  return saw !== "_";
}

/**
 * `strconv.ParseFloat(s, 64)`: decimal (`1`, `.5`, `5.`, `1e3`, `1_000`), hexadecimal with a `p`
 * exponent (`0x1.8p1`), `inf`/`infinity` with an optional sign and `nan` (no sign) in any case;
 * underscores only between digits; a value too large for a float64 is an error (Go returns ErrRange).
 */
export function parseGoFloat(s: string): number | undefined {
  const inf = /^([+-]?)(inf|infinity)$/i.exec(s);
  if (inf !== null) return inf[1] === "-" ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  // Decimal; underscores may separate digits (Go's underscoreOK), in the exponent too.
  if (/^[+-]?[0-9_.]*([eE][+-]?[0-9_]+)?$/.test(s)) {
    const plain = s.replaceAll("_", "");
    if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(plain) || (plain !== s && !underscoreOK(s))) return undefined;
    const v = Number(plain);
    return Number.isFinite(v) ? v : undefined;
  }
  const hex = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9_]+)$/.exec(s);
  if (hex === null || !underscoreOK(s)) return undefined;
  const intPart = hex[2]!.replaceAll("_", "");
  const fracPart = (hex[3] ?? "").replaceAll("_", "");
  if (intPart === "" && fracPart === "") return undefined;
  const mantissa = BigInt(`0x${intPart}${fracPart}` === "0x" ? "0" : `0x${intPart}${fracPart}`);
  const exp = Number(hex[4]!.replaceAll("_", "")) - 4 * fracPart.length;
  const v = Number(mantissa) * 2 ** exp;
  if (!Number.isFinite(v) && mantissa !== 0n) return undefined;
  const signed = Number.isNaN(v) ? 0 : v;
  return hex[1] === "-" ? -signed : signed;
}

const DURATION_UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  "µs": 1000n, // U+00B5 micro sign
  "μs": 1000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: NS_PER_SECOND,
  m: 60n * NS_PER_SECOND,
  h: 3600n * NS_PER_SECOND,
};

/** `time.ParseDuration(s)` in nanoseconds: `300ms`, `-1.5h`, `2h45m`, `1us`/`1µs`, `0`; within int64. */
export function parseGoDuration(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") return undefined;
  const LIMIT = 1n << 63n;
  let d = 0n;
  while (s !== "") {
    if (!(s[0] === "." || (s[0]! >= "0" && s[0]! <= "9"))) return undefined;
    // the integer part
    let i = 0;
    let v = 0n;
    while (i < s.length && s[i]! >= "0" && s[i]! <= "9") {
      if (v > LIMIT / 10n) return undefined;
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > LIMIT) return undefined;
      i++;
    }
    const pre = i > 0;
    s = s.slice(i);
    // the fraction
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s[0] === ".") {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      while (j < s.length && s[j]! >= "0" && s[j]! <= "9") {
        if (!overflow) {
          if (f > (LIMIT - 1n) / 10n) overflow = true;
          else {
            const next = f * 10n + BigInt(s.charCodeAt(j) - 48);
            if (next > LIMIT) overflow = true;
            else {
              f = next;
              scale *= 10;
            }
          }
        }
        j++;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) return undefined;
    // the unit
    let k = 0;
    while (k < s.length && s[k] !== "." && !(s[k]! >= "0" && s[k]! <= "9")) k++;
    if (k === 0) return undefined;
    const unit = DURATION_UNITS[s.slice(0, k)];
    s = s.slice(k);
    if (unit === undefined) return undefined;
    if (v > LIMIT / unit) return undefined;
    v *= unit;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > LIMIT) return undefined;
    }
    d += v;
    if (d > LIMIT) return undefined;
  }
  if (neg) return -d;
  return d > LIMIT - 1n ? undefined : d;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * `time.Parse(time.RFC3339, s)`, as seconds and nanoseconds since the epoch in UTC (what
 * ptypes.TimestampProto makes of it; undefined outside years 1 to 9999 too). Go's general parser
 * takes what its RFC 3339 fast path does not: an hour of one digit, a fraction after `,` as after `.`,
 * an offset up to ±24:60.
 */
export function parseGoRfc3339(s: string): { seconds: bigint; nanos: number } | undefined {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:[.,]([0-9]+))?(?:(Z)|([+-])([0-9]{2}):([0-9]{2}))$/.exec(s);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year) || hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (m[8] === undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 24 || om > 60) return undefined;
    offset = (m[9] === "-" ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const nanos = m[7] === undefined ? 0 : Number(m[7].slice(0, 9).padEnd(9, "0"));
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  const seconds = BigInt(date.getTime() / 1000) + BigInt(hour * 3600 + minute * 60 + second - offset);
  if (seconds < MIN_TS_SECONDS || seconds > MAX_TS_SECONDS) return undefined;
  return { seconds, nanos };
}
