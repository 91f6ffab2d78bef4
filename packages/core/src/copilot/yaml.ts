// inputs.yaml as CoPilot writes it: ghodss/yaml's Marshal, which is Go's json.Marshal of the values,
// that JSON read back by go-yaml v2 (YAML 1.1 rules: `3` an int, `1e+21` a float, quoted strings
// strings) and written by go-yaml v2's emitter (block style, two-space indent, sequences in a map
// not indented, keys in its "natural" order, a string quoted only when plain text would read back
// as something else or cannot be written plain, lines folded past 80 columns).
import { formatFloatG } from "./go.js";

type Node =
  | { kind: "scalar"; tag: "null" | "bool" | "int" | "float" | "str"; text: string }
  | { kind: "seq"; items: Node[] }
  | { kind: "map"; entries: [string, Node][] };

/** A document go-yaml v2 cannot read back (CoPilot's download fails on it). */
export class GoYamlError extends Error {}

/** YAML text of a JSON document, as ghodss/yaml's JSONToYAML over go-yaml v2 writes it. */
export function goYaml(json: string): string {
  const node = parseJson(json);
  const out: string[] = [];
  const e = new Emitter(out);
  e.document(node);
  return out.join("");
}

// ---------------------------------------------------------------------------------------------
// JSON, read as go-yaml reads it: a number's text resolved by YAML 1.1's rules.

function parseJson(text: string): Node {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const value = (): Node => {
    ws();
    const c = text[i]!;
    if (c === "{") {
      i++;
      const entries: [string, Node][] = [];
      ws();
      if (text[i] === "}") {
        i++;
        return { kind: "map", entries };
      }
      for (;;) {
        ws();
        if (/^"(?:[^"\\]|\\.)*\u0085/.test(text.slice(i))) throw new GoYamlError("yaml: did not find expected ',' or '}' (a key holding U+0085 reads as several lines)");
        const key = string();
        ws();
        i++; // ':'
        entries.push([key, value()]);
        ws();
        if (text[i++] === "}") return { kind: "map", entries };
      }
    }
    if (c === "[") {
      i++;
      const items: Node[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return { kind: "seq", items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i++] === "]") return { kind: "seq", items };
      }
    }
    if (c === '"') return { kind: "scalar", tag: "str", text: string() };
    const m = /^(true|false|null|-?[0-9][0-9.eE+-]*)/.exec(text.slice(i))!;
    i += m[1]!.length;
    return resolvePlain(m[1]!);
  };
  const string = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    // Go's JSON leaves U+0085 (NEL) raw; go-yaml reads it inside a quoted scalar as a line break and
    // folds it (one break: a space; n breaks: n-1 newlines; the spaces around them dropped, tabs kept).
    return (JSON.parse(text.slice(start, i)) as string).replace(/ *\u0085(?: *\u0085)* */g, (m) => {
      const breaks = [...m].filter((c) => c === "\u0085").length;
      return breaks === 1 ? " " : "\n".repeat(breaks - 1);
    });
  };
  return value();
}

/** A JSON literal or number as go-yaml v2 resolves it, then writes it back (strconv's forms). */
function resolvePlain(text: string): Node {
  if (text === "null") return { kind: "scalar", tag: "null", text: "null" };
  if (text === "true" || text === "false") return { kind: "scalar", tag: "bool", text };
  if (/^-?[0-9]+$/.test(text)) {
    const v = BigInt(text);
    if (v >= -(1n << 63n) && v < 1n << 64n) return { kind: "scalar", tag: "int", text: v.toString() };
  }
  return { kind: "scalar", tag: "float", text: yamlFloat(Number(text)) };
}

/** go-yaml v2's float: strconv.FormatFloat(v, 'g', -1, 64), `.inf`, `-.inf`, `.nan`. */
function yamlFloat(v: number): string {
  if (Number.isNaN(v)) return ".nan";
  if (v === Infinity) return ".inf";
  if (v === -Infinity) return "-.inf";
  return formatFloatG(v);
}

// ---------------------------------------------------------------------------------------------
// What a string would read back as, unquoted (go-yaml v2's resolve), and whether it may be plain.

const RESOLVE_MAP = new Set([
  "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
  "on", "On", "ON", "off", "Off", "OFF", "~", "null", "Null", "NULL", "",
  ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN",
]);

/** Whether go-yaml v2 reads the text, unquoted, as something other than a string (so the encoder quotes it). */
function readsAsNonString(s: string): boolean {
  if (RESOLVE_MAP.has(s)) return true;
  const c = s[0]!;
  if (c === ".") return /^\.[0-9]+([eE][+-]?[0-9]+)?$/.test(s);
  if (!"+-0123456789".includes(c)) return false;
  const plain = s.replaceAll("_", "");
  if (/^[+-]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]*|[1-9][0-9]*|0[bB][01]+)$/.test(plain)) return true;
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(plain)) return true;
  if (/^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]*)?(Z|[+-][0-9]{1,2}(:[0-9]{2})?)?)?$/.test(s)) return true;
  return /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s); // base 60
}

const isBreak = (c: string) => c === "\n" || c === "\r" || c === "\u0085" || c === "\u2028" || c === "\u2029";
const isBlankz = (c: string | undefined) => c === undefined || c === " " || c === "\t" || isBreak(c) || c === "\0";

/** go-yaml v2's is_printable: no C1 controls, no BOM, and no character beyond the BMP (so an emoji is escaped). */
function isPrintable(c: string): boolean {
  const u = c.codePointAt(0)!;
  return u === 0x0a || (u >= 0x20 && u <= 0x7e) || (u >= 0xa0 && u <= 0xd7ff) || (u >= 0xe000 && u <= 0xfffd && u !== 0xfeff);
}

interface Analysis {
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

/** libyaml's yaml_emitter_analyze_scalar (go-yaml v2's port), unicode output on. */
function analyze(value: string): Analysis {
  if (value === "") return { multiline: false, flowPlain: false, blockPlain: true, singleQuoted: true, block: false };
  const chars = [...value];
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  if (value.startsWith("---") || value.startsWith("...")) blockIndicators = flowIndicators = true;
  let precededByWhitespace = true;
  let followedByWhitespace = isBlankz(chars[1]);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const first = i === 0;
    const last = i === chars.length - 1;
    if (first) {
      if ("#,[]{}&*!|>'\"%@`".includes(c)) flowIndicators = blockIndicators = true;
      if (c === "?" || c === ":") {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (c === "-" && followedByWhitespace) flowIndicators = blockIndicators = true;
    } else {
      if (",?[]{}".includes(c)) flowIndicators = true;
      if (c === ":") {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (c === "#" && precededByWhitespace) flowIndicators = blockIndicators = true;
    }
    if (!isPrintable(c)) special = true;
    if (isBreak(c)) lineBreaks = true;
    if (c === " ") {
      if (first) leadingSpace = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      if (first) leadingBreak = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousBreak = true;
      previousSpace = false;
    } else {
      previousSpace = previousBreak = false;
    }
    precededByWhitespace = isBlankz(c);
    followedByWhitespace = isBlankz(chars[i + 2]);
  }
  const a: Analysis = { multiline: lineBreaks, flowPlain: true, blockPlain: true, singleQuoted: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.flowPlain = a.blockPlain = false;
  if (trailingSpace) a.block = false;
  if (breakSpace) a.flowPlain = a.blockPlain = a.singleQuoted = false;
  if (spaceBreak || special) a.flowPlain = a.blockPlain = a.singleQuoted = a.block = false;
  if (lineBreaks) a.flowPlain = a.blockPlain = false;
  if (flowIndicators) a.flowPlain = false;
  if (blockIndicators) a.blockPlain = false;
  return a;
}

// ---------------------------------------------------------------------------------------------
// go-yaml v2's key order (keyList.Less): letters by code point, digit runs by value, other
// characters before letters.

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string) => /\p{Nd}/u.test(c);

function keyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === "0" || br[i] === "0") {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== "0") {
          an = bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + (ar[ai]!.codePointAt(0)! - 48);
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + (br[bi]!.codePointAt(0)! - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
  }
  return ar.length < br.length;
}

// ---------------------------------------------------------------------------------------------
// The emitter

const BEST_WIDTH = 80;
const ESCAPES: Record<string, string> = {
  "\0": "0", "\x07": "a", "\b": "b", "\t": "t", "\n": "n", "\x0b": "v", "\f": "f", "\r": "r", "\x1b": "e",
  '"': '"', "\\": "\\", "\u0085": "N", "\u00a0": "_", "\u2028": "L", "\u2029": "P",
};

class Emitter {
  private column = 0;
  /** The last thing written was a line break (column 0). */
  private fresh = false;

  constructor(private readonly out: string[]) {}

  private write(s: string): void {
    this.fresh = false;
    this.out.push(s);
    this.column += [...s].length;
  }

  /** Starts a line at `indent` (no new line when a block scalar's own break has just ended one). */
  private newline(indent: number): void {
    this.out.push((this.fresh ? "" : "\n") + " ".repeat(indent));
    this.column = indent;
    this.fresh = false;
  }

  document(node: Node): void {
    this.node(node, 0, "top");
    if (!this.fresh) this.out.push("\n");
  }

  /** Writes a node where the cursor is; `indent` is the block indent of its children. */
  private node(node: Node, indent: number, place: "top" | "value" | "item"): void {
    if (node.kind === "scalar") {
      // A scalar's folded lines continue one step in from its map's keys, or beside its dash.
      this.scalar(node.text, node.tag === "str", place === "value" ? indent + 2 : indent, false);
      return;
    }
    if (node.kind === "seq") {
      if (node.items.length === 0) return this.write("[]");
      // In a map, a sequence's dashes sit at the key's indent (go-yaml v2 does not indent them).
      node.items.forEach((item, i) => {
        if (i > 0 || place === "value") this.newline(indent);
        this.write("- ");
        this.node(item, indent + 2, "item");
      });
      return;
    }
    if (node.entries.length === 0) return this.write("{}");
    const entries = [...node.entries].sort(([a], [b]) => (keyLess(a, b) ? -1 : keyLess(b, a) ? 1 : 0));
    entries.forEach(([key, value], i) => {
      if (i > 0 || place === "value") this.newline(indent);
      // libyaml writes a key of several lines, or of more than 128 bytes, as a complex key: `? key` then `: value`.
      if ([...key].some(isBreak) || Buffer.byteLength(key) > 128) {
        this.write("? ");
        this.scalar(key, true, indent + 2, false);
        this.newline(indent);
      } else {
        this.scalar(key, true, indent, true);
      }
      this.write(":");
      if (value.kind === "scalar" || isEmpty(value)) {
        this.write(" ");
        this.node(value, indent, "value");
      } else if (value.kind === "seq") {
        this.node(value, indent, "value");
      } else {
        this.node(value, indent + 2, "value");
      }
    });
  }

  private scalar(text: string, isString: boolean, indent: number, simpleKey: boolean): void {
    if (!isString) return this.write(text);
    const wantPlain = !readsAsNonString(text);
    const a = analyze(text);
    let style: "plain" | "single" | "double" | "literal" = text.includes("\n") ? "literal" : wantPlain ? "plain" : "double";
    if (simpleKey && a.multiline) style = "double";
    if (style === "plain" && (!a.blockPlain || (text === "" && simpleKey))) style = "single";
    if (style === "single" && !a.singleQuoted) style = "double";
    if (style === "literal" && (!a.block || simpleKey)) style = "double";
    switch (style) {
      case "plain":
        return this.plain(text, indent, !simpleKey);
      case "single":
        return this.single(text, indent, !simpleKey);
      case "double":
        return this.double(text, indent, !simpleKey);
      case "literal":
        return this.literal(text, indent);
    }
  }

  private plain(text: string, indent: number, allowBreaks: boolean): void {
    const chars = [...text];
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      if (c === " ") {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== " ") this.newline(indent);
        else this.write(c);
        spaces = true;
      } else {
        this.write(c);
        spaces = false;
      }
    }
  }

  private single(text: string, indent: number, allowBreaks: boolean): void {
    this.write("'");
    const chars = [...text];
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      if (c === " ") {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1 && chars[i + 1] !== " ") this.newline(indent);
        else this.write(c);
        spaces = true;
      } else if (isBreak(c)) {
        // A line break is written as it is (a newline doubled), the next line indented.
        if (!breaks && c === "\n") this.lineBreak("\n");
        this.lineBreak(c);
        breaks = true;
      } else {
        if (breaks) this.write(" ".repeat(Math.max(0, indent - this.column)));
        this.write(c === "'" ? "''" : c);
        spaces = false;
        breaks = false;
      }
    }
    this.write("'");
  }

  private lineBreak(c: string): void {
    this.out.push(c);
    this.column = 0;
    this.fresh = true;
  }

  private double(text: string, indent: number, allowBreaks: boolean): void {
    this.write('"');
    const bom = text.startsWith("\ufeff");
    const chars = [...text];
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      const u = c.codePointAt(0)!;
      // go-yaml v2's is_bom looks at the scalar's first character whatever the position: after a
      // leading BOM every character is escaped.
      if (!isPrintable(c) || u === 0xfeff || bom || isBreak(c) || c === '"' || c === "\\") {
        const short = ESCAPES[c];
        if (short !== undefined) this.write(`\\${short}`);
        else if (u <= 0xff) this.write(`\\x${u.toString(16).toUpperCase().padStart(2, "0")}`);
        else if (u <= 0xffff) this.write(`\\u${u.toString(16).toUpperCase().padStart(4, "0")}`);
        else this.write(`\\U${u.toString(16).toUpperCase().padStart(8, "0")}`);
        spaces = false;
      } else if (c === " ") {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
          this.newline(indent);
          if (chars[i + 1] === " ") this.write("\\");
        } else this.write(c);
        spaces = true;
      } else {
        this.write(c);
        spaces = false;
      }
    }
    this.write('"');
  }

  /** A block literal (`|`, `|-`, `|+`, with an indentation indicator when the text starts with a space or a break), as libyaml writes it. */
  private literal(text: string, indent: number): void {
    const chars = [...text];
    let hints = "";
    if (chars[0] === " " || isBreak(chars[0]!)) hints += "2";
    if (!isBreak(chars[chars.length - 1]!)) hints += "-";
    else if (chars.length === 1 || isBreak(chars[chars.length - 2]!)) hints += "+";
    this.write(`|${hints}`);
    this.lineBreak("\n");
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) {
        this.lineBreak(c);
        breaks = true;
      } else {
        if (breaks) this.write(" ".repeat(indent));
        this.write(c);
        breaks = false;
      }
    }
  }
}

function isEmpty(node: Node): boolean {
  return (node.kind === "seq" && node.items.length === 0) || (node.kind === "map" && node.entries.length === 0);
}
