const MAX = 60;

function clip(s: string): string {
  return s.length > MAX ? `${s.slice(0, MAX - 1)}…` : s;
}

/**
 * Describes a value for an error message: the value itself, shortened, and its kind in
 * parentheses: `"hello" (string)`, `1.5 (number)`, `null`, `[1,2] (array)`, `{x: 1} (Point)`.
 */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  switch (typeof value) {
    case "string":
      return `${clip(JSON.stringify(value))} (string)`;
    case "number":
      return `${String(value)} (number)`;
    case "bigint":
      return `${value}n (bigint)`;
    case "boolean":
      return `${value} (boolean)`;
    case "symbol":
      return `${value.toString()} (symbol)`;
    case "function":
      return `${value.name === "" ? "anonymous function" : `function ${value.name}`} (function)`;
  }
  if (Array.isArray(value)) return `${clip(safeJson(value))} (array)`;
  if (value instanceof Date) return `${Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString()} (Date)`;
  if (value instanceof Map) return `Map(${value.size}) (Map)`;
  if (value instanceof Uint8Array) return `${value.constructor.name}(${value.length}) (bytes)`;
  const ctor = Object.getPrototypeOf(value)?.constructor as { name?: string } | undefined;
  const kind = ctor === undefined || ctor === Object ? "object" : ctor.name || "object";
  return `${clip(safeJson(value))} (${kind})`;
}

function safeJson(value: unknown): string {
  try {
    const s = JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
    return s ?? String(value);
  } catch {
    return String(value);
  }
}
