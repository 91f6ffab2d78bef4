// Parameter names and defaults from a function's source text. TypeScript's metadata gives the
// parameter types but not their names; `Function.prototype.toString()` gives the compiled source,
// whose parameter list we read here. A minifier that renames parameters, a destructured parameter
// or a rest parameter defeats it: then the task declares its inputs by name instead.

export interface ParsedParameter {
  /** The parameter's name, or undefined for a destructured or rest parameter. */
  name: string | undefined;
  /** Whether it has a default value (`y = 1`). */
  hasDefault: boolean;
  /** The default's source text (`1` for `y = 1`), when it has one. */
  defaultText?: string;
  /** Whether it is a rest parameter (`...xs`). */
  rest: boolean;
  /** The parameter's source text, for messages. */
  text: string;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** The text between a function's parameter parentheses, or undefined if it cannot be found. */
function parameterListOf(source: string): string | undefined {
  let i = 0;
  const n = source.length;
  // An arrow function with a single bare parameter: `x => ...` or `async x => ...`.
  const bareArrow = /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(source);
  if (bareArrow !== null) return bareArrow[1];
  // Otherwise the list starts at the first "(" that is not inside a computed member name.
  while (i < n && source[i] !== "(") {
    if (source[i] === "[") return undefined; // a computed method name such as [Symbol.iterator]
    i++;
  }
  if (i === n) return undefined;
  const start = i + 1;
  let depth = 0;
  for (; i < n; i++) {
    const c = source[i]!;
    if (c === '"' || c === "'" || c === "`") {
      i = skipString(source, i);
      continue;
    }
    if (c === "/" && source[i + 1] === "/") {
      const end = source.indexOf("\n", i);
      i = end === -1 ? n : end;
      continue;
    }
    if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      i = end === -1 ? n : end + 1;
      continue;
    }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return source.slice(start, i);
    }
  }
  return undefined;
}

/** The index of the closing quote of the string starting at `i`. */
function skipString(source: string, i: number): number {
  const quote = source[i];
  for (let j = i + 1; j < source.length; j++) {
    const c = source[j];
    if (c === "\\") j++;
    else if (c === quote) return j;
    else if (quote === "`" && c === "$" && source[j + 1] === "{") {
      // A template substitution: skip to its matching brace.
      let depth = 1;
      j += 2;
      for (; j < source.length && depth > 0; j++) {
        const d = source[j];
        if (d === '"' || d === "'" || d === "`") j = skipString(source, j);
        else if (d === "{") depth++;
        else if (d === "}") depth--;
      }
      j--;
    }
  }
  return source.length;
}

/** Splits a parameter list at its top-level commas, dropping comments. */
function splitParameters(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    if (c === '"' || c === "'" || c === "`") {
      const end = skipString(list, i);
      current += list.slice(i, end + 1);
      i = end;
      continue;
    }
    if (c === "/" && list[i + 1] === "/") {
      const end = list.indexOf("\n", i);
      i = end === -1 ? list.length : end;
      continue;
    }
    if (c === "/" && list[i + 1] === "*") {
      const end = list.indexOf("*/", i + 2);
      i = end === -1 ? list.length : end + 1;
      continue;
    }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    if (c === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
      continue;
    }
    current += c;
  }
  if (current.trim() !== "") parts.push(current.trim());
  return parts;
}

/** Reads the parameters of a function, method or arrow function from its source. */
export function parseParameters(fn: Function): ParsedParameter[] | undefined {
  let source: string;
  try {
    source = Function.prototype.toString.call(fn);
  } catch {
    return undefined;
  }
  if (source.includes("[native code]")) return undefined;
  const list = parameterListOf(source);
  if (list === undefined) return undefined;
  return splitParameters(list).map((text) => {
    const rest = text.startsWith("...");
    const body = rest ? text.slice(3).trim() : text;
    const eq = topLevelEquals(body);
    const head = (eq === -1 ? body : body.slice(0, eq)).trim();
    const parameter: ParsedParameter = { name: IDENT.test(head) ? head : undefined, hasDefault: eq !== -1, rest, text };
    if (eq !== -1) parameter.defaultText = body.slice(eq + 1).trim();
    return parameter;
  });
}

/** The index of a parameter's default `=` (not `==`, `=>` or inside brackets), or -1. */
function topLevelEquals(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === "`") {
      i = skipString(text, i);
      continue;
    }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "=" && depth === 0 && text[i + 1] !== "=" && text[i + 1] !== ">" && text[i - 1] !== "=") return i;
  }
  return -1;
}
