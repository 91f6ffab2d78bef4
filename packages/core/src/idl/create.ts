// A fast `create` for protobuf-es messages: the same message protobuf-es `create(schema, init)`
// makes (the same own properties, in the same order, with the same values and conversions), for
// the SDK's hot paths, where templates and literals are built by the thousand.
//
// protobuf-es walks a list of members with a switch and `message[name]` for every field of every
// type; here each message type is compiled once into straight-line code with its field names
// written in. Message types whose presence needs a prototype chain (proto2) use protobuf-es itself.
import { create, ScalarType, type DescField, type DescMessage, type DescOneof, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";

type CreateFn = (init: unknown) => unknown;

const IMPLICIT = 2; // google.protobuf.FeatureSet.FieldPresence.IMPLICIT
const EDITION_PROTO2 = 998;
const EDITION_PROTO3 = 999;

function needsPrototypeChain(desc: DescMessage): boolean {
  switch (desc.file.edition as number) {
    case EDITION_PROTO3:
      return false;
    case EDITION_PROTO2:
      return true;
    default:
      return desc.fields.some((f) => f.presence !== IMPLICIT && f.fieldKind !== "message" && f.oneof === undefined);
  }
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

function toU8Arr(value: unknown): unknown {
  return Array.isArray(value) ? new Uint8Array(value as number[]) : value;
}

function isObject(arg: unknown): arg is Record<string, unknown> {
  return arg !== null && typeof arg === "object" && !Array.isArray(arg);
}

function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/** The zero value of a scalar or enum field (or its declared default), as protobuf-es computes it. */
function zeroValue(field: DescField & { fieldKind: "scalar" | "enum" }): unknown {
  const declared = field.getDefaultValue();
  if (declared !== undefined) return field.fieldKind === "scalar" && field.longAsString ? declared.toString() : declared;
  if (field.fieldKind === "enum") return field.enum.values[0]!.number;
  switch (field.scalar) {
    case ScalarType.STRING:
      return "";
    case ScalarType.BOOL:
      return false;
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SFIXED64:
    case ScalarType.FIXED64:
    case ScalarType.SINT64:
      return field.longAsString ? "0" : 0n;
    case ScalarType.BYTES:
      return new Uint8Array(0);
    default:
      return 0;
  }
}

const compiled = new Map<DescMessage, CreateFn>();

/** The create function of a message type, compiled on first use. */
function createFnOf(desc: DescMessage): CreateFn {
  let fn = compiled.get(desc);
  if (fn === undefined) {
    if (needsPrototypeChain(desc)) fn = (init) => create(desc, init as never);
    else {
      // A stand-in first, so that recursive message types resolve to the compiled function.
      let real: CreateFn | undefined;
      compiled.set(desc, (init) => real!(init));
      real = generate(desc);
      fn = real;
    }
    compiled.set(desc, fn);
  }
  return fn;
}

/**
 * How an init value of a message field becomes the field's value (protobuf-es compileConvertMessage):
 * wrappers in a singular field stay scalars, a Struct stays JSON, a message stays as it is, an
 * init object becomes a message.
 */
function messageConverter(field: DescField): ((value: unknown) => unknown) | undefined {
  const message = field.message!;
  if (field.fieldKind === "message" && field.oneof === undefined && isWrapperDesc(message)) {
    return message.fields[0]!.scalar === ScalarType.BYTES ? toU8Arr : undefined;
  }
  if (message.typeName === "google.protobuf.Struct" && field.parent.typeName !== "google.protobuf.Value") return undefined;
  const typeName = message.typeName;
  let fn: CreateFn | undefined;
  return (value) => {
    if (!isObject(value) || (typeof value.$typeName === "string" && value.$typeName === typeName)) return value;
    fn ??= createFnOf(message);
    return fn(value);
  };
}

function oneofConverters(oneof: DescOneof): Map<string, (value: unknown) => unknown> {
  const converters = new Map<string, (value: unknown) => unknown>();
  for (const field of oneof.fields) {
    let convert: ((value: unknown) => unknown) | undefined;
    if (field.fieldKind === "message") convert = messageConverter(field);
    else if (field.fieldKind === "scalar" && field.scalar === ScalarType.BYTES) convert = toU8Arr;
    converters.set(field.localName, convert ?? ((value) => value));
  }
  return converters;
}

function generate(desc: DescMessage): CreateFn {
  const constants: unknown[] = [];
  const constant = (value: unknown) => {
    constants.push(value);
    return `K[${constants.length - 1}]`;
  };
  const lines: string[] = [`const m={$typeName:${JSON.stringify(desc.typeName)}};let v;`];
  for (const member of desc.members) {
    const name = JSON.stringify(member.localName);
    lines.push(`v=init==null?undefined:init[${name}];`);
    if (member.kind === "oneof") {
      const converters = constant(oneofConverters(member));
      lines.push(`if(v!=null&&v.case!=null&&${converters}.has(v.case))m[${name}]={case:v.case,value:${converters}.get(v.case)(v.value)};else m[${name}]={case:undefined};`);
      continue;
    }
    switch (member.fieldKind) {
      case "message": {
        const convert = messageConverter(member);
        lines.push(`if(v!=null)m[${name}]=${convert === undefined ? "v" : `${constant(convert)}(v)`};`);
        break;
      }
      case "list": {
        const convert = member.listKind === "message" ? (messageConverter(member) ?? ((x: unknown) => x)) : member.scalar === ScalarType.BYTES ? toU8Arr : undefined;
        lines.push(
          convert === undefined
            ? `m[${name}]=v!=null?v:[];`
            : `m[${name}]=Array.isArray(v)?v.map(${constant(convert)}):(v!=null?v:[]);`,
        );
        break;
      }
      case "map": {
        const convert = member.mapKind === "message" ? (messageConverter(member) ?? ((x: unknown) => x)) : member.scalar === ScalarType.BYTES ? toU8Arr : undefined;
        if (convert === undefined) lines.push(`m[${name}]=v!=null?v:{};`);
        else {
          lines.push(
            `if(!H.isObject(v))m[${name}]=v!=null?v:{};else{const c={};const ks=Object.keys(v);for(let i=0;i<ks.length;i++)H.setOwn(c,ks[i],${constant(convert)}(v[ks[i]]));m[${name}]=c;}`,
          );
        }
        break;
      }
      default: {
        const field = member as DescField & { fieldKind: "scalar" | "enum" };
        const bytes = field.fieldKind === "scalar" && field.scalar === ScalarType.BYTES;
        const value = bytes ? `H.toU8Arr(v)` : "v";
        if (field.presence === IMPLICIT) lines.push(`m[${name}]=v!=null?${value}:${constant(zeroValue(field))};`);
        else lines.push(`if(v!=null)m[${name}]=${value};`);
      }
    }
  }
  lines.push("return m;");
  const helpers = { isObject, setOwn, toU8Arr };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function("K", "H", `return function create_${desc.typeName.replace(/\W/g, "_")}(init){${lines.join("\n")}}`)(constants, helpers) as CreateFn;
}

/** The message protobuf-es `create(schema, init)` makes, made faster. A message of the schema's type is returned as it is. */
export function createMessage<Desc extends DescMessage>(schema: Desc, init?: MessageInitShape<Desc>): MessageShape<Desc> {
  const i = init as { $typeName?: unknown } | undefined;
  if (i !== null && i !== undefined && typeof i === "object" && typeof i.$typeName === "string" && i.$typeName === schema.typeName) {
    return init as MessageShape<Desc>;
  }
  return createFnOf(schema)(init) as MessageShape<Desc>;
}
