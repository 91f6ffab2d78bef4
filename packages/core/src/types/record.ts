// Record classes: flytekit's dataclasses in TypeScript. A class whose fields carry Flyte types
// converts the way flytekit 1.16 converts a dataclass: LiteralType STRUCT with mashumaro's JSON
// schema in `metadata`, the field types in `structure.dataclass_type`, and the value as a
// MessagePack binary scalar (tag "msgpack") with the fields in declaration order.
//
// Fields are declared with `@field()` from @flytekit-ts/decorators, or here with `defineRecord`.
// Reading a value builds a real instance with class-transformer's `plainToInstance`: the class's
// no-argument constructor runs (so fields missing from the data keep their initialisers), each
// declared field is converted by its Flyte type, and the class's own class-transformer
// decorators still apply.
import { type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { create } from "../idl/codec.js";
import type { ClassTransformOptions } from "class-transformer";
import { createRequire } from "node:module";
import { type Literal } from "../idl/gen/flyteidl/core/literals_pb.js";
import { LiteralTypeSchema, SimpleType, type LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";
import { DictType, isPlainObject, ListType, setOwn } from "./collections.js";
import { FlyteTypeError, rethrowWithin, TypeTransformerError } from "./errors.js";
import { MSGPACK_ANNOTATION } from "./literals.js";
import { decodeMsgpack, MSGPACK_TAG, MsgpackWriter } from "./msgpack.js";
import { classFound } from "../metadata/awaiting-class.js";
import { resolveSpec, typeRegistry } from "./registry.js";
import { noneValueOf } from "./union.js";
import { conversionNow, MsgpackStructType, type AnyFlyteType, type ConversionContext, type Constructor, type TypeSpec } from "./type.js";

interface FieldDeclaration {
  /** The TypeScript property. */
  property: string;
  /** The field's name in Flyte (the literal's MessagePack key, the JSON schema); the property unless aliased. */
  name: string;
  spec: TypeSpec;
  /**
   * Whether the type is what TypeScript's metadata said (`@field()` without a token, legacy
   * decorators), which a manifest's type replaces (see `typeFieldsFromManifest`).
   */
  fromMetadata?: boolean;
  /** What is wrong with the type the metadata gave (it erased it), until a manifest types the field. */
  unresolved?: Error;
}

/** What a record field may be declared with besides its type: `{ name: "by_key" }` names it in Flyte. */
export interface FieldOptions {
  /**
   * The field's name on the wire (the MessagePack key, the JSON schema, a command line's JSON), where
   * it differs from the TypeScript property: `@field({ name: "by_key" }) byKey!: number` meets a
   * Python dataclass's `by_key`.
   * @default the property's name
   */
  name?: string;
}

interface RecordDeclaration {
  /** Fields declared on this class itself, in declaration order. */
  fields: FieldDeclaration[];
}

/** A resolved field of a record type. */
export interface FieldLayout {
  /** The field's name in Flyte: the MessagePack key, the JSON schema's property, what Python names it. */
  name: string;
  /** The TypeScript property that holds it (the same as `name` unless the field is aliased). */
  property: string;
  type: AnyFlyteType;
  hasDefault: boolean;
  defaultValue: unknown;
  segment: string;
}

// Kept on globalThis so two copies of this package (a bundling accident) share one registry.
const STORE = Symbol.for("flytekit-ts.records");
interface RecordStore {
  declarations: WeakMap<Function, RecordDeclaration>;
  types: WeakMap<Function, RecordType<unknown>>;
  /** The module file that declares a record class, where `@field()` knew it (`noteRecordModule`). */
  modules: WeakMap<Function, string>;
  /** Those classes by name. */
  byName: Map<string, WeakRef<Function>[]>;
}
const store: RecordStore = ((globalThis as Record<symbol, unknown>)[STORE] as RecordStore | undefined) ??
  ((globalThis as Record<symbol, unknown>)[STORE] = {
    declarations: new WeakMap(),
    types: new WeakMap(),
    modules: new WeakMap(),
    byName: new Map(),
  } satisfies RecordStore) as RecordStore;
// A store made by an older copy of this package lacks the newer maps.
store.modules ??= new WeakMap();
store.byName ??= new Map();

/**
 * Declares a field of a record class (what `@field()` does). Fields keep the order in which they
 * are declared; a subclass's fields follow its base class's, and redeclaring a field keeps its place.
 */
export function defineRecordField(
  cls: Function,
  property: string,
  spec: TypeSpec,
  options: FieldOptions = {},
  how: { fromMetadata?: boolean; unresolved?: Error } = {},
): void {
  const subject = `record class ${cls.name}, field '${property}'`;
  const name = options.name ?? property;
  if (typeof name !== "string" || name === "") {
    throw new FlyteTypeError({ subject, expected: "a field name (a non-empty string)", got: describeName(name), fix: `@field({ name: "${snakeCase(property)}" })` });
  }
  const built = store.types.get(cls) as RecordType<unknown> | undefined;
  if (built?.isBuilt === true) {
    throw new FlyteTypeError({
      subject,
      problem: `it was declared after ${cls.name} was first used as a Flyte type`,
      fix: "declare every field before the class is used",
    });
  }
  let declaration = store.declarations.get(cls);
  if (declaration === undefined) {
    declaration = { fields: [] };
    store.declarations.set(cls, declaration);
  }
  const existing = declaration.fields.findIndex((f) => f.property === property);
  const declared: FieldDeclaration = { property, name, spec };
  if (how.fromMetadata === true) declared.fromMetadata = true;
  if (how.unresolved !== undefined) declared.unresolved = how.unresolved;
  if (existing >= 0) declaration.fields[existing] = declared;
  else declaration.fields.push(declared);
}

/**
 * Gives the fields of a record class (and of the classes it extends) that `@field()` typed from
 * TypeScript's metadata the type a manifest says (by property), before the class is first used:
 * the manifest read TypeScript's own types (`int`, `number[]`, a string enum), which the metadata
 * erases. A field given a token keeps it. Once the record's fields are resolved, they stay.
 */
export function typeFieldsFromManifest(cls: Function, typeOf: (property: string) => TypeSpec | undefined): void {
  if ((store.types.get(cls) as RecordType<unknown> | undefined)?.isBuilt === true) return;
  for (let c: unknown = cls; typeof c === "function" && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    for (const f of store.declarations.get(c as Function)?.fields ?? []) {
      if (f.fromMetadata !== true) continue;
      const spec = typeOf(f.property);
      if (spec !== undefined) {
        f.spec = spec;
        f.fromMetadata = false;
        f.unresolved = undefined;
      }
    }
  }
}

/**
 * Notes the module that declares a class (what `@field()` knows; what the resolver knows of the
 * classes a task's module exports), so that a manifest's record, named by module and name, finds
 * the class: `recordClassesNamed`. The first note of a class stands.
 */
export function noteRecordModule(cls: Function, fileOf: () => string | undefined): void {
  if (store.modules.has(cls)) return;
  const file = fileOf();
  if (file === undefined) return;
  store.modules.set(cls, file);
  const list = store.byName.get(cls.name);
  if (list === undefined) store.byName.set(cls.name, [new WeakRef(cls)]);
  else list.push(new WeakRef(cls));
}

/**
 * What gives a record class's fields typed by TypeScript's metadata the types of its own module's
 * manifest (`cls`, the file `@field()` noted for it): set by the tasks layer, which reads manifests.
 */
let fromOwnManifest: ((cls: Function, file: string) => void) | undefined;

/** Sets what types a record class's metadata-typed fields from its module's manifest when its layout is first built. */
export function typeRecordFieldsWith(hook: (cls: Function, file: string) => void): void {
  fromOwnManifest = hook;
}

/**
 * Gives the fields of a record class (and of its base classes) TypeScript's metadata typed, or left
 * untyped, the types of the manifest of the class's own module, where `@field()` noted it: whichever
 * task (or none) met the class first. The class's own manifest first, then each base class's.
 */
function typeFromOwnManifests(cls: Function): void {
  if (fromOwnManifest === undefined) return;
  const chain: Function[] = [];
  for (let c: unknown = cls; typeof c === "function" && c !== Function.prototype; c = Object.getPrototypeOf(c)) chain.push(c as Function);
  if (!chain.some((c) => store.declarations.get(c)?.fields.some((f) => f.fromMetadata === true))) return;
  for (const c of chain) {
    const file = store.modules.get(c);
    if (file !== undefined) fromOwnManifest(c, file);
  }
}

/** The classes of a name whose module is known (record classes, and classes a task's module exports), with it. */
export function recordClassesNamed(name: string): { cls: Function; file: string }[] {
  const out: { cls: Function; file: string }[] = [];
  for (const ref of store.byName.get(name) ?? []) {
    const cls = ref.deref();
    const file = cls === undefined ? undefined : store.modules.get(cls);
    if (cls !== undefined && file !== undefined) out.push({ cls, file });
  }
  return out;
}

function describeName(name: unknown): string {
  return typeof name === "string" ? JSON.stringify(name) : `${String(name)} (${typeof name})`;
}

function snakeCase(property: string): string {
  return property.replace(/(?<=[a-z0-9])([A-Z])/g, "_$1").toLowerCase();
}

/** How a field is named in messages: `"by_key" (property byKey)` when aliased, else `"x"`. */
export function fieldLabel(f: { name: string; property: string }): string {
  return f.name === f.property ? `"${f.name}"` : `"${f.name}" (property ${f.property})`;
}

/** A field for `defineRecord` whose Flyte name differs from its property: `{ type: Int, name: "by_key" }`. */
export interface NamedFieldSpec extends FieldOptions {
  type: TypeSpec;
}

/**
 * Declares a record class without decorators: `defineRecord(Point, { x: Int, y: Float })`, a field
 * named otherwise in Flyte as `{ byKey: { type: Int, name: "by_key" } }`. Returns its type token.
 */
export function defineRecord<C>(cls: Constructor<C>, fields: { [K in keyof C]?: TypeSpec | NamedFieldSpec }): RecordType<C> {
  if (!store.declarations.has(cls)) store.declarations.set(cls, { fields: [] });
  for (const [property, spec] of Object.entries(fields) as [string, TypeSpec | NamedFieldSpec][]) {
    if (isPlainObject(spec)) defineRecordField(cls, property, (spec as NamedFieldSpec).type, { name: (spec as NamedFieldSpec).name });
    else defineRecordField(cls, property, spec as TypeSpec);
  }
  return recordType(cls);
}

/** Whether fields were declared on this class or one of its base classes. */
export function isRecordClass(cls: unknown): boolean {
  if (typeof cls !== "function") return false;
  // Fields declared by standard decorators wait for their class: meeting it places them.
  classFound(cls);
  for (let c: unknown = cls; typeof c === "function" && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    if (store.declarations.has(c as Function)) return true;
  }
  return false;
}

/** The type token of a record class; the same instance every time. */
export function recordType<C>(cls: Constructor<C>): RecordType<C> {
  let type = store.types.get(cls) as RecordType<C> | undefined;
  if (type === undefined) {
    if (!isRecordClass(cls)) {
      throw new FlyteTypeError({
        subject: `class ${cls.name}`,
        problem: "it is not a record",
        fix: `declare its fields with @field() (from @flytekit-ts/decorators) or with defineRecord(${cls.name}, { ... })`,
      });
    }
    typeFromOwnManifests(cls);
    // A field whose type the metadata erased (and no manifest gave) fails the class where it is used.
    for (let c: unknown = cls; typeof c === "function" && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
      const unresolved = store.declarations.get(c as Function)?.fields.find((f) => f.unresolved !== undefined)?.unresolved;
      if (unresolved !== undefined) throw unresolved;
    }
    type = new RecordType(cls);
    store.types.set(cls, type as RecordType<unknown>);
  }
  return type;
}

/** The context a raw object is being converted in, for its fields (class-transformer calls back without it). */
const conversionOf = new WeakMap<object, ConversionContext>();

const TO_INSTANCE: ClassTransformOptions = { excludeExtraneousValues: true, exposeUnsetFields: false };

// class-transformer is loaded when a record is first used, not when the SDK is imported: it is
// CommonJS of many files, and most programs that import the SDK never touch a record. It is never
// bundled, so the user's own class-transformer decorators and ours share one metadata store.
type ClassTransformer = typeof import("class-transformer");
let classTransformerModule: ClassTransformer | undefined;
function classTransformer(): ClassTransformer {
  return (classTransformerModule ??= createRequire(import.meta.url)("class-transformer") as ClassTransformer);
}

/** A record class as a Flyte type. */
export class RecordType<C> extends MsgpackStructType<C> {
  readonly name: string;
  readonly tag = "Object-Dataclass-Transformer";
  private layoutCache: FieldLayout[] | undefined;
  /** The fields by their Flyte name and by their property (a plain object may use either). */
  private byName = new Map<string, FieldLayout>();
  private byProperty = new Map<string, FieldLayout>();
  /**
   * Whether any object with the fields will do, not only instances of the class and plain objects
   * (records guessed from a template, whose class the caller cannot have).
   */
  structural = false;
  /**
   * Whether values are read back as plain objects of the fields rather than instances of the class
   * (a record made from an interface or a type alias, which has no class).
   */
  plainValues = false;

  constructor(readonly cls: Constructor<C>) {
    super();
    this.name = cls.name || "AnonymousRecord";
  }

  /** Whether the fields have been resolved (after which no field may be added). */
  get isBuilt(): boolean {
    return this.layoutCache !== undefined;
  }

  /** The fields, resolved on first use so that a field may name a class declared further down. */
  get fields(): readonly FieldLayout[] {
    return (this.layoutCache ??= this.buildLayout());
  }

  private buildLayout(): FieldLayout[] {
    const chain: Function[] = [];
    for (let c: unknown = this.cls; typeof c === "function" && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
      chain.unshift(c as Function);
    }
    typeFromOwnManifests(this.cls);
    const ordered: FieldDeclaration[] = [];
    for (const c of chain) {
      for (const f of store.declarations.get(c)?.fields ?? []) {
        const at = ordered.findIndex((o) => o.property === f.property);
        if (at >= 0) ordered[at] = f;
        else ordered.push(f);
      }
    }
    let defaults: Record<string, unknown>;
    try {
      defaults = new (this.cls as unknown as new () => Record<string, unknown>)();
    } catch (e) {
      throw new FlyteTypeError(
        {
          subject: `record class ${this.name}`,
          problem: `\`new ${this.name}()\` failed (${e instanceof Error ? e.message : String(e)})`,
          fix: "a record class needs a constructor that takes no arguments",
        },
        { cause: e },
      );
    }
    this.checkNames(ordered);
    const layout = ordered.map((f): FieldLayout => {
      const type = resolveSpec(f.spec, `record class ${this.name}, field '${f.property}'`);
      const defaultValue = defaults[f.property];
      return { name: f.name, property: f.property, type, hasDefault: defaultValue !== undefined, defaultValue, segment: `.${f.property}` };
    });
    this.byName = new Map(layout.map((f) => [f.name, f]));
    this.byProperty = new Map(layout.map((f) => [f.property, f]));
    this.registerWithClassTransformer(layout);
    return layout;
  }

  /**
   * Two fields may not share a Flyte name, and an alias may not be another field's property: a
   * plain object (or a command line's JSON) names fields by either, so it would be ambiguous.
   */
  private checkNames(fields: readonly FieldDeclaration[]): void {
    const seen = new Map<string, FieldDeclaration>();
    for (const f of fields) {
      const other = seen.get(f.name) ?? fields.find((o) => o !== f && o.property === f.name);
      if (other !== undefined) {
        throw new FlyteTypeError({
          subject: `record class ${this.name}, field '${f.property}'`,
          problem: `its Flyte name "${f.name}" is already ${other.name === f.name ? "the name" : "the property"} of field '${other.property}'`,
          fix: "give each field a name of its own",
        });
      }
      seen.set(f.name, f);
    }
  }

  private registerWithClassTransformer(layout: FieldLayout[]): void {
    const registered = classTransformerFields(this.cls);
    for (const f of layout) {
      if (registered.has(f.property)) continue;
      registered.add(f.property);
      const property = f.property;
      const { Expose, Transform } = classTransformer();
      // An aliased field is read from its Flyte name into its property.
      Expose(f.name === property ? {} : { name: f.name })(this.cls.prototype as object, property);
      // class-transformer walks the raw value first; the field's Flyte type then reads the raw
      // value itself (`obj[key]`), so what the walk made of it does not matter. The context of the
      // conversion comes with the raw object (see fromMsgpack).
      Transform(({ obj }) => this.readField(property, obj as Record<string, unknown>), { toClassOnly: true })(
        this.cls.prototype as object,
        property,
      );
    }
  }

  private readField(property: string, source: Record<string, unknown>): unknown {
    const f = this.byProperty.get(property);
    if (f === undefined) return source[property];
    const raw = source[f.name];
    if (raw === undefined) return f.hasDefault ? undefined : noneValueOf(f.type);
    try {
      return f.type.fromMsgpack(raw, conversionOf.get(source) ?? conversionNow());
    } catch (e) {
      rethrowWithin(e, f.segment);
    }
  }

  protected buildLiteralType(): LiteralType {
    const dataclassType: { [key: string]: LiteralType } = {};
    for (const f of this.fields) dataclassType[f.name] = f.type.literalType;
    return create(LiteralTypeSchema, {
      type: { case: "simple", value: SimpleType.STRUCT },
      metadata: this.jsonSchema(),
      structure: { dataclassType },
      annotation: { annotations: MSGPACK_ANNOTATION },
    });
  }

  writeMsgpack(w: MsgpackWriter, value: unknown, context: ConversionContext = conversionNow()): void {
    const fields = this.fields;
    let plain = false;
    if (!(value instanceof this.cls) && !(this.structural && typeof value === "object" && value !== null && !isPlainObject(value))) {
      if (!isPlainObject(value)) throw TypeTransformerError.forValue(this.name, value);
      plain = true;
      for (const key of Object.keys(value)) {
        const f = this.byProperty.get(key) ?? this.byName.get(key);
        if (f === undefined) {
          throw TypeTransformerError.forValue(
            this.name,
            value,
            `it has a field "${key}" that ${this.name} does not declare (fields: ${fields.map((f) => (f.name === f.property ? f.name : `${f.name} (property ${f.property})`)).join(", ")})`,
          );
        }
        if (f.name !== f.property && Object.hasOwn(value, f.name) && Object.hasOwn(value, f.property)) {
          throw TypeTransformerError.forValue(this.name, value, `it gives field ${fieldLabel(f)} twice, by both names`);
        }
      }
    }
    const source = value as Record<string, unknown>;
    w.mapHeader(fields.length);
    for (const f of fields) {
      w.str(f.name);
      // A plain object (a Python dict's form, a command line's JSON) may name a field in Flyte's words.
      let v = plain && !Object.hasOwn(source, f.property) ? source[f.name] : source[f.property];
      if (v === undefined && plain && f.hasDefault) v = f.defaultValue;
      if (v === undefined && !f.type.acceptsNone) throw this.missing(f);
      try {
        f.type.writeMsgpack(w, v, context);
      } catch (e) {
        rethrowWithin(e, f.segment);
      }
    }
  }

  /** A field without a value, named in both its words (`field "y_val" (property y) of P is missing`), going in or coming out. */
  private missing(f: FieldLayout): TypeTransformerError {
    return new TypeTransformerError(f.type.name, "nothing", `field ${fieldLabel(f)} of ${this.name} is missing`).within(f.segment);
  }

  protected decode(literal: Literal, context: ConversionContext): C {
    const v = literal.value;
    if (v.case === "scalar") {
      const s = v.value.value;
      if (s.case === "binary" && s.value.tag === MSGPACK_TAG) return this.fromMsgpack(decodeMsgpack(s.value.value, this.name), context);
      // Older flytekit versions and Flyte's console write dataclasses as a protobuf Struct.
      if (s.case === "generic") return this.fromMsgpack(s.value, context);
    }
    throw this.cannotRead(literal);
  }

  fromMsgpack(value: unknown, context: ConversionContext = conversionNow()): C {
    if (!isPlainObject(value)) throw this.cannotReadMsgpack(value);
    for (const f of this.fields) {
      if (value[f.name] === undefined && !f.hasDefault && !f.type.acceptsNone) throw this.missing(f);
    }
    conversionOf.set(value, context);
    if (this.plainValues) {
      const out: Record<string, unknown> = {};
      for (const f of this.fields) {
        const v = this.readField(f.property, value);
        if (v !== undefined) setOwn(out, f.property, v);
      }
      return out as C;
    }
    return classTransformer().plainToInstance(this.cls as unknown as new () => C, value, TO_INSTANCE);
  }

  /**
   * A record's JSON names its fields as its literal does; each field's value is read by the field's
   * type. A key the record does not declare is left for `toLiteral` to refuse.
   */
  override fromJsonValue(value: unknown): unknown {
    if (!isPlainObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) setOwn(out, key, value[key]);
    for (const f of this.fields) {
      // By the name its literal uses, or by its property where that differs (as toLiteral takes both).
      for (const key of new Set([f.name, propertyOf(f)])) {
        if (!Object.hasOwn(value, key)) continue;
        try {
          setOwn(out, key, f.type.fromJsonValue(value[key]));
        } catch (e) {
          rethrowWithin(e, f.segment);
        }
      }
    }
    return out;
  }

  /** The fields in declaration order, each by the name its literal uses, in its type's JSON form. */
  override toJsonValue(value: unknown): unknown {
    if (typeof value !== "object" || value === null) return value;
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const f of this.fields) setOwn(out, f.name, f.type.toJsonValue(source[propertyOf(f)]));
    return out;
  }

  jsonSchema(): JsonObject {
    const properties: JsonObject = {};
    const required: string[] = [];
    for (const f of this.fields) {
      const schema: JsonObject = { ...f.type.jsonSchema() };
      if (f.hasDefault) {
        const d = schemaDefault(f.defaultValue);
        if (d !== undefined) schema.default = d;
      } else {
        required.push(f.name);
      }
      properties[f.name] = schema;
    }
    const schema: JsonObject = { additionalProperties: false, properties, title: this.name, type: "object" };
    if (required.length > 0) schema.required = required;
    return schema;
  }
}

/** The property that holds a field: its own, where a field is named otherwise in Flyte; else its name. */
function propertyOf(f: { name: string; property?: string }): string {
  return f.property ?? f.name;
}

/** mashumaro writes a field's default into the schema when it is a JSON scalar. */
function schemaDefault(value: unknown): JsonValue | undefined {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "bigint") return Number(value);
  return undefined;
}

const CT_FIELDS = Symbol.for("flytekit-ts.records.class-transformer-fields");
function classTransformerFields(cls: Function): Set<string> {
  const holder = cls as unknown as { [CT_FIELDS]?: Set<string> };
  if (!Object.prototype.hasOwnProperty.call(holder, CT_FIELDS)) {
    Object.defineProperty(holder, CT_FIELDS, { value: new Set<string>(), enumerable: false });
  }
  return holder[CT_FIELDS]!;
}

/**
 * The fields of a record in declaration order, as far as the schema tells it: the order of its
 * properties (which a template written by flytekit-ts keeps; one written by flytekit sorts them).
 */
function fieldOrder(fields: string[], schema: JsonObject | undefined): string[] {
  const properties = schema?.properties !== null && typeof schema?.properties === "object" ? Object.keys(schema.properties as JsonObject) : [];
  return [...new Set([...properties, ...fields])].filter((n) => fields.includes(n));
}

/**
 * A field's default, as far as the schema tells it: its `default`, or for a field that is not
 * required and has none (Python's default_factory), the empty value of its type.
 */
function fieldDefault(name: string, type: AnyFlyteType, schema: JsonObject | undefined): { value: unknown } | undefined {
  const property = (schema?.properties as Record<string, JsonObject> | undefined)?.[name];
  if (property !== undefined && "default" in property) return { value: property.default };
  const required = Array.isArray(schema?.required) && (schema.required as unknown[]).includes(name);
  if (required) return undefined;
  if (type.acceptsNone) return { value: null };
  if (type instanceof ListType) return { value: [] };
  if (type instanceof DictType) return { value: {} };
  return undefined;
}

/**
 * A record type guessed from a dataclass's LiteralType (a template-only interface). The template
 * does not say which TypeScript class it was, so the record is a class made from the schema: its
 * name, its fields and their defaults, no methods; any object with the fields will do as a value.
 */
function recordFromStructure(lt: LiteralType, guess: (lt: LiteralType, where: string) => AnyFlyteType, where: string): AnyFlyteType {
  const structure = lt.structure?.dataclassType ?? {};
  const names = fieldOrder(Object.keys(structure), lt.metadata);
  const title = typeof lt.metadata?.title === "string" ? lt.metadata.title : "Record";
  const fields: Record<string, AnyFlyteType> = {};
  const defaults: Record<string, unknown> = {};
  for (const name of names) {
    fields[name] = guess(structure[name]!, `${where}.${name}`);
    const d = fieldDefault(name, fields[name], lt.metadata);
    if (d !== undefined) defaults[name] = d.value;
  }
  return structuralRecord(title, Object.entries(fields).map(([name, spec]) => ({ name, spec })), { defaults }) as unknown as AnyFlyteType;
}

/**
 * A record known only by its description (a template's schema, a manifest): a class of its own
 * named `name` (its defaults set by its constructor, no methods), whose values may be any object
 * with the fields (a field held by a `property` other than its Flyte name, where one is given). With `plainValues`, values read back are plain objects of the fields (an
 * interface's or a type alias's record). Each call makes a new class and a new type.
 */
export function structuralRecord(
  name: string,
  fields: readonly { name: string; spec: TypeSpec; property?: string }[],
  options: { defaults?: Readonly<Record<string, unknown>>; plainValues?: boolean } = {},
): RecordType<object> {
  const defaults = options.defaults ?? {};
  const hasDefaults = Object.keys(defaults).length > 0;
  const cls = {
    [name]: class {
      constructor() {
        if (hasDefaults) Object.assign(this, structuredClone(defaults));
      }
    },
  }[name]!;
  store.declarations.set(cls, { fields: [] });
  for (const f of fields) defineRecordField(cls, f.property ?? f.name, f.spec, { name: f.name });
  const record = recordType(cls as new () => object);
  record.structural = true;
  record.plainValues = options.plainValues === true;
  return record;
}

typeRegistry.register({
  name: "record classes",
  forNative: (cls) => (isRecordClass(cls) ? (recordType(cls as Constructor) as unknown as AnyFlyteType) : undefined),
  // A record holds an instance of its class (a subclass's too).
  takes: (t, c) => (t instanceof RecordType ? c === t.cls || c.prototype instanceof (t.cls as Function) : undefined),
  literalTypes: ["simple:STRUCT:dataclass"],
  guess: recordFromStructure,
});
