// A fast binary encoder for protobuf-es messages, byte for byte what protobuf-es `toBinary` writes
// (fields by number, its presence rules, map entries in key order, unknown fields last). codec.ts
// uses it only where a benchmark target needs it: the TaskTemplate every registered task becomes.
//
// protobuf-es walks a message's fields through generic closures (`message[name]` for every field
// of every type), writes each nested message into a buffer of its own and joins them, and encodes
// each string with a TextEncoder. Here each message type is compiled once, on first use, into two
// functions of straight-line code with the field names written in (as protobufjs does): the first
// measures the message, pushing the length of every nested message and string in the order the
// second needs them; the second writes into one buffer of exactly the right size.
import type { DescField, DescMessage, JsonObject, JsonValue, Message } from "@bufbuild/protobuf";
import { ScalarType } from "@bufbuild/protobuf";
import { FlyteError } from "../errors/flyte-error.js";

/** An encoding that cannot be done (a message of another type, a required field unset): protobuf-es's refusals. */
function fail(problem: string): never {
  throw new FlyteError({ subject: "protobuf encoding", problem });
}

/** Whether a message type is one of google/protobuf/wrappers.proto's (held unboxed in singular fields). */
export function isWrapperDesc(desc: DescMessage): boolean {
  return (
    desc.typeName.startsWith("google.protobuf.") &&
    desc.typeName.endsWith("Value") &&
    desc.typeName !== "google.protobuf.Value" &&
    desc.fields.length === 1 &&
    desc.fields[0]!.number === 1
  );
}

/** Lengths measured by the sizer, read back in the same order by the writer. */
interface Lengths {
  v: number[];
  i: number;
}

type SizeFn = (m: unknown, L: Lengths) => number;
type WriteFn = (m: unknown, buf: Uint8Array, pos: number, L: Lengths) => number;

interface Codec {
  s: SizeFn;
  w: WriteFn;
}

// --- the primitives the generated code calls -------------------------------------------------------

function vs(v: number): number {
  if (v < 0) return 10; // a negative int32 is sign-extended to 64 bits
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  return 5;
}

function wv(buf: Uint8Array, pos: number, v: number): number {
  if (v < 0) return wv64(buf, pos, BigInt(v));
  while (v > 0x7f) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

const MASK64 = (1n << 64n) - 1n;

function big(v: unknown): bigint {
  return typeof v === "bigint" ? v : BigInt(v as string | number);
}

function vs64(value: unknown): number {
  let u = big(value) & MASK64;
  if (u < 0x80n) return 1;
  let n = 1;
  while (u > 0x7fn) {
    u >>= 7n;
    n++;
  }
  return n;
}

function wv64(buf: Uint8Array, pos: number, value: unknown): number {
  let u = big(value) & MASK64;
  if (u <= 0xffffffffn) {
    // Most int64 values fit 32 bits: no bigint arithmetic for them.
    let n = Number(u);
    while (n > 0x7f) {
      buf[pos++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    buf[pos++] = n;
    return pos;
  }
  while (u > 0x7fn) {
    buf[pos++] = Number(u & 0x7fn) | 0x80;
    u >>= 7n;
  }
  buf[pos++] = Number(u);
  return pos;
}

function zz64(value: unknown): bigint {
  const v = BigInt.asIntN(64, big(value));
  return ((v << 1n) ^ (v >> 63n)) & MASK64;
}

const scratch = new DataView(new ArrayBuffer(8));

function wf32(buf: Uint8Array, pos: number, v: number): number {
  scratch.setUint32(0, v >>> 0, true);
  for (let i = 0; i < 4; i++) buf[pos++] = scratch.getUint8(i);
  return pos;
}

function wf64(buf: Uint8Array, pos: number, v: unknown): number {
  scratch.setBigUint64(0, big(v) & MASK64, true);
  for (let i = 0; i < 8; i++) buf[pos++] = scratch.getUint8(i);
  return pos;
}

function wdouble(buf: Uint8Array, pos: number, v: number): number {
  scratch.setFloat64(0, v, true);
  for (let i = 0; i < 8; i++) buf[pos++] = scratch.getUint8(i);
  return pos;
}

function wfloat(buf: Uint8Array, pos: number, v: number): number {
  scratch.setFloat32(0, v, true);
  for (let i = 0; i < 4; i++) buf[pos++] = scratch.getUint8(i);
  return pos;
}

/** The UTF-8 length of a string, as TextEncoder encodes it (a lone surrogate becomes U+FFFD). */
function utf8(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair: two UTF-16 units, four bytes
      i++;
    } else n += 2;
  }
  return n;
}

const encoder = new TextEncoder();

function wstr(buf: Uint8Array, pos: number, s: string, length: number): number {
  pos = wv(buf, pos, length);
  if (length === s.length) {
    for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
    return pos;
  }
  return pos + encoder.encodeInto(s, buf.subarray(pos, pos + length)).written;
}

function wbytes(buf: Uint8Array, pos: number, b: Uint8Array): number {
  pos = wv(buf, pos, b.length);
  buf.set(b, pos);
  return pos + b.length;
}

function unknownSize(u: readonly { no: number; wireType: number; data: Uint8Array }[]): number {
  let n = 0;
  for (const f of u) n += vs((f.no << 3) | f.wireType) + f.data.length;
  return n;
}

function wunknown(buf: Uint8Array, pos: number, u: readonly { no: number; wireType: number; data: Uint8Array }[]): number {
  for (const f of u) {
    pos = wv(buf, pos, (f.no << 3) | f.wireType);
    buf.set(f.data, pos);
    pos += f.data.length;
  }
  return pos;
}

// google.protobuf.Struct, held as a JsonObject: map<string, Value> fields = 1; Value is a oneof of
// null_value (1, enum), number_value (2, double), string_value (3), bool_value (4),
// struct_value (5, Struct), list_value (6, ListValue: repeated Value values = 1).

function structSize(o: JsonObject, L: Lengths): number {
  let n = 0;
  for (const key of Object.keys(o)) {
    const slot = L.v.length;
    L.v.push(0);
    const k = utf8(key);
    L.v.push(k);
    const valueSlot = L.v.length;
    L.v.push(0);
    const v = valueSize(o[key]!, L);
    L.v[valueSlot] = v;
    const entry = 1 + vs(k) + k + 1 + vs(v) + v;
    L.v[slot] = entry;
    n += 1 + vs(entry) + entry;
  }
  return n;
}

function wstruct(buf: Uint8Array, pos: number, o: JsonObject, L: Lengths): number {
  for (const key of Object.keys(o)) {
    buf[pos++] = 0x0a;
    pos = wv(buf, pos, L.v[L.i++]!);
    buf[pos++] = 0x0a;
    pos = wstr(buf, pos, key, L.v[L.i++]!);
    buf[pos++] = 0x12;
    pos = wv(buf, pos, L.v[L.i++]!);
    pos = wvalue(buf, pos, o[key]!, L);
  }
  return pos;
}

function valueSize(v: JsonValue, L: Lengths): number {
  if (v === null) return 2;
  switch (typeof v) {
    case "number":
      return 9;
    case "boolean":
      return 2;
    case "string": {
      const n = utf8(v);
      L.v.push(n);
      return 1 + vs(n) + n;
    }
    default: {
      const slot = L.v.length;
      L.v.push(0);
      let n = 0;
      if (Array.isArray(v)) {
        for (const item of v) {
          const itemSlot = L.v.length;
          L.v.push(0);
          const s = valueSize(item, L);
          L.v[itemSlot] = s;
          n += 1 + vs(s) + s;
        }
      } else n = structSize(v, L);
      L.v[slot] = n;
      return 1 + vs(n) + n;
    }
  }
}

function wvalue(buf: Uint8Array, pos: number, v: JsonValue, L: Lengths): number {
  if (v === null) {
    buf[pos++] = 0x08;
    buf[pos++] = 0;
    return pos;
  }
  switch (typeof v) {
    case "number":
      buf[pos++] = 0x11;
      return wdouble(buf, pos, v);
    case "boolean":
      buf[pos++] = 0x20;
      buf[pos++] = v ? 1 : 0;
      return pos;
    case "string":
      buf[pos++] = 0x1a;
      return wstr(buf, pos, v, L.v[L.i++]!);
    default:
      buf[pos++] = Array.isArray(v) ? 0x32 : 0x2a;
      pos = wv(buf, pos, L.v[L.i++]!);
      if (!Array.isArray(v)) return wstruct(buf, pos, v, L);
      for (const item of v) {
        buf[pos++] = 0x0a;
        pos = wv(buf, pos, L.v[L.i++]!);
        pos = wvalue(buf, pos, item, L);
      }
      return pos;
  }
}

const H = { vs, wv, vs64, wv64, zz64, wf32, wf64, wdouble, wfloat, utf8, wstr, wbytes, unknownSize, wunknown, structSize, wstruct, hasOwn: Object.prototype.hasOwnProperty, fail };

// --- code generation -------------------------------------------------------------------------------

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

function wireTypeOf(type: ScalarType): number {
  switch (type) {
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return WIRE_FIXED64;
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return WIRE_FIXED32;
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return WIRE_LEN;
    default:
      return WIRE_VARINT;
  }
}

function tagBytes(number: number, wireType: number): number[] {
  let v = ((number << 3) | wireType) >>> 0;
  const out: number[] = [];
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

/** Statements that write constant bytes (a tag). */
function emitBytes(bytes: readonly number[]): string {
  return bytes.map((b) => `buf[pos++]=${b};`).join("");
}

/** Size and write code for a bare scalar value held in `x` (no tag). */
function scalarCode(type: ScalarType, x: string): { size: string; write: string } {
  switch (type) {
    case ScalarType.STRING:
      // The sizer pushes the UTF-8 length; the writer reads it back.
      return { size: `(k=H.utf8(${x}),L.v.push(k),H.vs(k)+k)`, write: `pos=H.wstr(buf,pos,${x},L.v[L.i++]);` };
    case ScalarType.BYTES:
      return { size: `(H.vs(${x}.length)+${x}.length)`, write: `pos=H.wbytes(buf,pos,${x});` };
    case ScalarType.BOOL:
      return { size: "1", write: `buf[pos++]=${x}?1:0;` };
    case ScalarType.DOUBLE:
      return { size: "8", write: `pos=H.wdouble(buf,pos,${x});` };
    case ScalarType.FLOAT:
      return { size: "4", write: `pos=H.wfloat(buf,pos,${x});` };
    case ScalarType.INT32:
      return { size: `H.vs(${x})`, write: `pos=H.wv(buf,pos,${x});` };
    case ScalarType.UINT32:
      return { size: `H.vs(${x}>>>0)`, write: `pos=H.wv(buf,pos,${x}>>>0);` };
    case ScalarType.SINT32:
      return { size: `H.vs(((${x}<<1)^(${x}>>31))>>>0)`, write: `pos=H.wv(buf,pos,((${x}<<1)^(${x}>>31))>>>0);` };
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return { size: "4", write: `pos=H.wf32(buf,pos,${x});` };
    case ScalarType.INT64:
    case ScalarType.UINT64:
      return { size: `H.vs64(${x})`, write: `pos=H.wv64(buf,pos,${x});` };
    case ScalarType.SINT64:
      return { size: `H.vs64(H.zz64(${x}))`, write: `pos=H.wv64(buf,pos,H.zz64(${x}));` };
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return { size: "8", write: `pos=H.wf64(buf,pos,${x});` };
  }
}

/** The condition under which an implicit-presence scalar in `x` is written (it is not its zero). */
function notZero(type: ScalarType, x: string): string {
  switch (type) {
    case ScalarType.STRING:
      return `${x}!==""`;
    case ScalarType.BOOL:
      return `${x}!==false`;
    case ScalarType.BYTES:
      return `(!(${x} instanceof Uint8Array)||${x}.byteLength>0)`;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return `!Object.is(${x},0)`;
    default:
      // Loose inequality, as protobuf-es: 0, 0n and "0" are all zero.
      return `${x}!=0`;
  }
}

/** Whether a field holds a google.protobuf.Struct as JSON (as protobuf-es does, except inside Value). */
function holdsJson(field: DescField): boolean {
  return field.message?.typeName === "google.protobuf.Struct" && field.parent.typeName !== "google.protobuf.Value";
}

const codecs = new Map<DescMessage, Codec>();
const registry: Codec[] = [];

/** The codec of a message type, compiled on first use. */
function codecOf(desc: DescMessage): Codec {
  let codec = codecs.get(desc);
  if (codec === undefined) {
    // A stand-in first, so that recursive types (Literal in LiteralMap in Literal) find it.
    const slot: Codec = { s: () => 0, w: () => 0 };
    codecs.set(desc, slot);
    registry.push(slot);
    const compiled = generate(desc);
    slot.s = compiled.s;
    slot.w = compiled.w;
    codec = slot;
  }
  return codec;
}

/** Size and write code for a length-delimited child held in `x`: a message, a Struct's JSON, or an unboxed wrapper. */
function childCode(field: DescField, number: number, x: string, unboxed: boolean): { size: string; write: string } {
  const tag = tagBytes(number, WIRE_LEN);
  const message = field.message!;
  if (holdsJson(field)) {
    return {
      size: `slot=L.v.length;L.v.push(0);k=H.structSize(${x},L);L.v[slot]=k;n+=${tag.length}+H.vs(k)+k;`,
      write: `${emitBytes(tag)}pos=H.wv(buf,pos,L.v[L.i++]);pos=H.wstruct(buf,pos,${x},L);`,
    };
  }
  if (unboxed) {
    // A wrapper held as its scalar: a message whose only field (1) has implicit presence.
    const inner = message.fields[0]!;
    const type = inner.scalar!;
    const innerTag = tagBytes(1, wireTypeOf(type));
    const sc = scalarCode(type, x);
    return {
      size: `slot=L.v.length;L.v.push(0);k=(${notZero(type, x)})?${innerTag.length}+${sc.size}:0;L.v[slot]=k;n+=${tag.length}+H.vs(k)+k;`,
      write: `${emitBytes(tag)}k=L.v[L.i++];pos=H.wv(buf,pos,k);if(k>0){${emitBytes(innerTag)}${sc.write}}`,
    };
  }
  const index = registry.indexOf(codecOf(message));
  return {
    size: `slot=L.v.length;L.v.push(0);k=C[${index}].s(${x},L);L.v[slot]=k;n+=${tag.length}+H.vs(k)+k;`,
    write: `${emitBytes(tag)}pos=H.wv(buf,pos,L.v[L.i++]);pos=C[${index}].w(${x},buf,pos,L);`,
  };
}

function mapKeyCode(type: ScalarType): string {
  switch (type) {
    case ScalarType.STRING:
      return "key";
    case ScalarType.BOOL:
      return 'key==="true"';
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return "BigInt(key)";
    default:
      return "Number.parseInt(key,10)";
  }
}

const IMPLICIT = 2; // google.protobuf.FeatureSet.FieldPresence.IMPLICIT
const LEGACY_REQUIRED = 3;

function fieldCode(field: DescField): { size: string; write: string } {
  const access = `m[${JSON.stringify(field.localName)}]`;
  const s: string[] = [];
  const w: string[] = [];

  if (field.fieldKind === "list") {
    s.push(`a=${access};`);
    w.push(`a=${access};`);
    if (field.listKind === "message") {
      const child = childCode(field, field.number, "a[i]", false);
      s.push(`for(i=0;i<a.length;i++){${child.size}}`);
      w.push(`for(i=0;i<a.length;i++){${child.write}}`);
    } else {
      const type = field.listKind === "enum" ? ScalarType.INT32 : field.scalar;
      const sc = scalarCode(type, "a[i]");
      if (field.packed) {
        const tag = tagBytes(field.number, WIRE_LEN);
        s.push(`if(a.length>0){slot=L.v.length;L.v.push(0);e=0;for(i=0;i<a.length;i++){e+=${sc.size};}L.v[slot]=e;n+=${tag.length}+H.vs(e)+e;}`);
        w.push(`if(a.length>0){${emitBytes(tag)}pos=H.wv(buf,pos,L.v[L.i++]);for(i=0;i<a.length;i++){${sc.write}}}`);
      } else {
        const tag = tagBytes(field.number, wireTypeOf(type));
        s.push(`for(i=0;i<a.length;i++){n+=${tag.length}+${sc.size};}`);
        w.push(`for(i=0;i<a.length;i++){${emitBytes(tag)}${sc.write}}`);
      }
    }
    return { size: s.join(""), write: w.join("") };
  }

  if (field.fieldKind === "map") {
    const tag = tagBytes(field.number, WIRE_LEN);
    const keyTag = tagBytes(1, wireTypeOf(field.mapKey));
    const keySc = scalarCode(field.mapKey, "kv");
    let valueSize: string;
    let valueWrite: string;
    if (field.mapKind === "message") {
      const child = childCode(field, 2, "r[key]", false);
      // childCode adds to n; measure the value into e instead.
      valueSize = child.size.replace(/n\+=/g, "e+=");
      valueWrite = child.write;
    } else {
      const type = field.mapKind === "enum" ? ScalarType.INT32 : field.scalar;
      const valueTag = tagBytes(2, wireTypeOf(type));
      const sc = scalarCode(type, "r[key]");
      valueSize = `e+=${valueTag.length}+${sc.size};`;
      valueWrite = `${emitBytes(valueTag)}${sc.write}`;
    }
    const keyExpr = mapKeyCode(field.mapKey);
    // The entry's own slot is pushed before what its key and value push, and read back first.
    s.push(
      `r=${access};ks=Object.keys(r);for(j=0;j<ks.length;j++){key=ks[j];kv=${keyExpr};entry=L.v.length;L.v.push(0);e=${keyTag.length}+${keySc.size};${valueSize}L.v[entry]=e;n+=${tag.length}+H.vs(e)+e;}`,
    );
    w.push(`r=${access};ks=Object.keys(r);for(j=0;j<ks.length;j++){key=ks[j];kv=${keyExpr};${emitBytes(tag)}pos=H.wv(buf,pos,L.v[L.i++]);${emitBytes(keyTag)}${keySc.write}${valueWrite}}`);
    return { size: s.join(""), write: w.join("") };
  }

  // A singular field: its value, and the rule that says whether it is written.
  let valueSize: string;
  let valueWrite: string;
  let written: string; // condition on v
  if (field.fieldKind === "message") {
    const unboxed = field.oneof === undefined && isWrapperDesc(field.message);
    const child = childCode(field, field.number, "v", unboxed);
    valueSize = child.size;
    valueWrite = child.write;
    written = "true";
  } else {
    const type = field.fieldKind === "enum" ? ScalarType.INT32 : field.scalar;
    const tag = tagBytes(field.number, wireTypeOf(type));
    const sc = scalarCode(type, "v");
    valueSize = `n+=${tag.length}+${sc.size};`;
    valueWrite = `${emitBytes(tag)}${sc.write}`;
    written = field.fieldKind === "enum" ? `v!==${field.enum.values[0]!.number}` : notZero(type, "v");
  }
  if (field.oneof !== undefined) {
    const o = `m[${JSON.stringify(field.oneof.localName)}]`;
    const test = `o=${o};if(o.case===${JSON.stringify(field.localName)}){v=o.value;`;
    return { size: `${test}${valueSize}}`, write: `${test}${valueWrite}}` };
  }
  if (field.presence !== IMPLICIT || field.fieldKind === "message") {
    // Explicit presence: set when there is an own value (proto2 keeps defaults on the prototype).
    const name = JSON.stringify(field.localName);
    const required = field.presence === LEGACY_REQUIRED ? `else H.fail(${JSON.stringify(`cannot encode ${field.toString()} to binary: required field not set`)});` : "";
    const test = `v=${access};if(v!==undefined&&H.hasOwn.call(m,${name})){`;
    return { size: `${test}${valueSize}}${required}`, write: `${test}${valueWrite}}` };
  }
  return { size: `v=${access};if(${written}){${valueSize}}`, write: `v=${access};if(${written}){${valueWrite}}` };
}

function generate(desc: DescMessage): Codec {
  const size: string[] = [];
  const write: string[] = [];
  for (const field of [...desc.fields].sort((a, b) => a.number - b.number)) {
    if ((field as { delimitedEncoding?: boolean }).delimitedEncoding === true) fail(`${field.toString()}: group encoding is not supported`);
    const code = fieldCode(field);
    size.push(code.size);
    write.push(code.write);
  }
  const typeName = JSON.stringify(desc.typeName);
  const check = `if(m.$typeName!==${typeName}&&m.$typeName!==undefined)H.fail("cannot encode "+m.$typeName+" as "+${typeName});`;
  const vars = "let n=0,v,k,slot,a,r,i,j,ks,key,kv,e,entry,o;";
  const sizeBody = `${check}${vars}${size.join("\n")}\nif(m.$unknown!==undefined)n+=H.unknownSize(m.$unknown);return n;`;
  const writeBody = `let v,k,a,r,i,j,ks,key,kv,o;${write.join("\n")}\nif(m.$unknown!==undefined)pos=H.wunknown(buf,pos,m.$unknown);return pos;`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const s = new Function("H", "C", `return function size_${desc.typeName.replace(/\W/g, "_")}(m,L){${sizeBody}}`)(H, registry) as SizeFn;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const w = new Function("H", "C", `return function write_${desc.typeName.replace(/\W/g, "_")}(m,buf,pos,L){${writeBody}}`)(H, registry) as WriteFn;
  return { s, w };
}

/** The message's bytes: exactly what protobuf-es `toBinary(schema, message)` writes, faster. */
export function encodeBinary(schema: DescMessage, message: Message): Uint8Array {
  const codec = codecOf(schema);
  const L: Lengths = { v: [], i: 0 };
  const size = codec.s(message, L);
  const buf = new Uint8Array(size);
  const end = codec.w(message, buf, 0, L);
  if (end !== size) fail(`encodeBinary(${schema.typeName}): wrote ${end} bytes, measured ${size}`);
  return buf;
}
