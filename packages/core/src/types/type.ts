import type { JsonObject } from "@bufbuild/protobuf";
import { AsyncLocalStorage } from "node:async_hooks";
import { inspect } from "node:util";
import type { Literal } from "../idl/gen/flyteidl/core/literals_pb.js";
import type { LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";
import { defaultStorage } from "../storage/router.js";
import type { Storage } from "../storage/storage.js";
import { brand } from "../errors/flyte-error.js";
import { TypeTransformerError } from "./errors.js";
import { JsonSyntaxError, parseJsonText } from "./json-text.js";
import type { PendingWork } from "./pending.js";
import { binaryLiteral, describeLiteral } from "./literals.js";
import { decodeMsgpack, MSGPACK_TAG, MsgpackWriter } from "./msgpack.js";

/** Decides where local files a task returns go (in a container: under Flyte's raw output prefix). */
export interface UploadPlanner {
  /**
   * The URI a local file or directory will have once copied; the copy happens before the outputs
   * are written. With `contentsOnly`, a directory's contents go straight into a new folder (a
   * table's part files: flytekit's `<raw output prefix>/<random>/00000`).
   */
  plan(localPath: string, isDirectory: boolean, options?: { contentsOnly?: boolean }): string;
}

/**
 * What converting a value may need from where the task runs (flytekit's FlyteContext, for its type
 * transformers): the store files are read from, and where local files a task returns are to go. A
 * task's execution context is one; conversions outside a task use the local one.
 */
export interface ConversionContext {
  /** Every URI a value refers to is read through this. */
  readonly storage: Storage;
  /** Plans local files for upload (in a container); without one, local paths stay as they are. */
  readonly uploads?: UploadPlanner | undefined;
  /**
   * A new directory for what a value fetches (a downloaded file), removed when the running task's
   * call ends; without one, a directory removed when the process exits.
   */
  tempDir?(prefix: string): string;
  /**
   * Where a conversion records work it cannot do at once (writing a table's files); the execution
   * path does it before the body runs or the outputs are written. Without one, such a value is refused.
   */
  readonly pending?: PendingWork | undefined;
}

/** Conversions outside a task: storage by the process-wide registrations, local paths kept. */
export const LOCAL_CONVERSION: ConversionContext = Object.freeze({ storage: defaultStorage });

/**
 * What runs now, as far as converting a value goes: the execution path runs a task's body (and
 * `withServices` its function) inside a frame whose `conversion` is the running task's context. One
 * store for the whole SDK; the context layer puts more in its frames (the task's context, services).
 */
const frames = new AsyncLocalStorage<{ readonly conversion: ConversionContext }>();

/** Runs `fn` inside `frame` (sync or async): what `conversionNow()` and the context layer read. */
export function runInFrame<F extends { readonly conversion: ConversionContext }, T>(frame: F, fn: () => T): T {
  return frames.run(frame, fn);
}

/** The frame `fn` runs in, or undefined outside any. */
export function currentFrame(): { readonly conversion: ConversionContext } | undefined {
  return frames.getStore();
}

/**
 * The conversion context now: the running task's, else local conversions'. It is what a conversion
 * that was given none uses, so a type that forgets to hand its context to the types inside it still
 * converts in the right one.
 */
export function conversionNow(): ConversionContext {
  return frames.getStore()?.conversion ?? LOCAL_CONVERSION;
}

/**
 * A Flyte type token: how one kind of TypeScript value becomes a Flyte `Literal` and back, and
 * which `LiteralType` declares it in an interface. `Out` is the value a task receives, `In` what
 * it may be given (`Dict(Int)` takes a `Map` or a plain object and gives a plain object).
 *
 * Conversion throws {@link TypeTransformerError} and never returns a partial literal. A new kind of
 * type subclasses this and registers with `TypeEngine.register` what it is inferred and guessed from.
 */
export abstract class FlyteType<Out = unknown, In = Out> {
  /** Phantom members that carry the native types for inference; never set at run time. */
  declare readonly __out?: Out;
  declare readonly __in?: In;

  /** Our notation, used in messages: `Int`, `List(Str)`, `Optional(Point)`. */
  abstract readonly name: string;
  /** The union variant tag flytekit writes for this type (its transformer's name): `int`, `Typed List`. */
  abstract readonly tag: string;

  private cachedLiteralType: LiteralType | undefined;

  /** The Flyte LiteralType. Built once and shared: treat it as read-only. */
  get literalType(): LiteralType {
    return (this.cachedLiteralType ??= this.buildLiteralType());
  }

  protected abstract buildLiteralType(): LiteralType;

  /** Converts a native value; throws TypeTransformerError when it does not fit. */
  abstract toLiteral(value: unknown, context?: ConversionContext): Literal;

  /**
   * Converts a literal to the native value. A MessagePack binary scalar (what flytekit passes for
   * an attribute of a dataclass, `dc.x`) is read as this type's MessagePack form.
   */
  fromLiteral(literal: Literal, context: ConversionContext = conversionNow()): Out {
    const v = literal.value;
    if (v.case === "scalar" && v.value.value.case === "binary" && !this.readsBinaryItself) {
      const binary = v.value.value.value;
      if (binary.tag !== MSGPACK_TAG) throw this.cannotRead(literal);
      return this.fromMsgpack(decodeMsgpack(binary.value, this.name), context);
    }
    return this.decode(literal, context);
  }

  /** Types whose own literal is a binary scalar (records, Json) decode it in `decode`. */
  protected get readsBinaryItself(): boolean {
    return false;
  }

  /** Converts a literal of this type's own form. */
  protected abstract decode(literal: Literal, context: ConversionContext): Out;

  /** Writes the value as flytekit writes it inside a dataclass's MessagePack. */
  abstract writeMsgpack(w: MsgpackWriter, value: unknown, context?: ConversionContext): void;

  /** Reads a value decoded from a dataclass's MessagePack. */
  abstract fromMsgpack(value: unknown, context?: ConversionContext): Out;

  /** The JSON schema of a dataclass field of this type, as mashumaro writes it. */
  abstract jsonSchema(): JsonObject;

  /** How a value is written on a command line (`flytekit-ts run ... --x VALUE`), for `--help`. */
  get textHint(): string {
    return "JSON";
  }

  /**
   * A command-line text as a value of this type (checked by `toLiteral` next): JSON unless the type
   * says otherwise, its integers past 2^53 read as bigints with every digit (as Python's `json` does).
   */
  fromText(text: string): unknown {
    let parsed: unknown;
    try {
      parsed = parseJsonText(text);
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
      throw TypeTransformerError.forValue(this.name, text, `not valid JSON (${e.message})`);
    }
    return this.fromJsonValue(parsed);
  }

  /**
   * A value parsed from JSON (a command-line flag, or inside one) as this type takes it, in the form
   * pyflyte reads a dataclass's JSON (mashumaro's): a Datetime is an ISO 8601 string, a Duration a
   * number of seconds. An integer past 2^53 comes as a bigint. Containers convert what they hold; the rest pass as they are, for `toLiteral`
   * to check.
   */
  fromJsonValue(value: unknown): unknown {
    return value;
  }

  /**
   * A value of this type in the JSON form `fromJsonValue` reads (what `flytekit-ts run --json`
   * prints): containers give their contents' forms, a Duration a number of seconds; the rest is
   * given as it is, for the writer of the document (a Date, a bigint, a file as their own text).
   */
  toJsonValue(value: unknown): unknown {
    return value;
  }

  /** A value as the command line prints it (`flytekit-ts run` shows a task's outputs so). */
  toText(value: unknown): string {
    return inspect(value, { depth: null, colors: false, breakLength: 100 });
  }

  /** Whether `null` (and `undefined`) are values of this type. */
  get acceptsNone(): boolean {
    return false;
  }

  /** The error for a literal this type cannot read. */
  protected cannotRead(literal: Literal, detail = ""): TypeTransformerError {
    return new TypeTransformerError(this.name, describeLiteral(literal), detail);
  }

  /** The error for a MessagePack value this type cannot read. */
  protected cannotReadMsgpack(value: unknown): TypeTransformerError {
    return TypeTransformerError.forValue(this.name, value, "in MessagePack data");
  }

  toString(): string {
    return this.name;
  }
}

// A token from another copy of the package is a token too (its conversions are its own).
brand(FlyteType, "FlyteType", { setName: false });

/**
 * A type whose literal is its MessagePack form, a binary scalar tagged `msgpack` (records, Json):
 * it writes and reads that binary itself.
 */
export abstract class MsgpackStructType<Out = unknown, In = Out> extends FlyteType<Out, In> {
  protected override get readsBinaryItself(): boolean {
    return true;
  }

  toLiteral(value: unknown, context: ConversionContext = conversionNow()): Literal {
    const w = new MsgpackWriter(128);
    this.writeMsgpack(w, value, context);
    return binaryLiteral(w.finish(), MSGPACK_TAG);
  }
}

/** Any type token. */
export type AnyFlyteType = FlyteType<unknown, unknown>;

/** A constructor, such as a record class or `Number`. */
export type Constructor<T = unknown> = abstract new (...args: never[]) => T;

/**
 * What may stand where a type is wanted: a token (`Int`, `List(Str)`), a record class (`Point`),
 * a builtin constructor (`Number` = Float, `String` = Str, `Boolean` = Bool, `Date` = Datetime,
 * `BigInt` = Int), or an arrow function returning one of those, for a class declared later.
 */
export type TypeSpec = AnyFlyteType | Constructor | BigIntConstructor | (() => TypeSpec);

/** The value of a builtin constructor or a record class (the same given as taken). */
type ConstructedValue<S> = S extends NumberConstructor
  ? number
  : S extends StringConstructor
    ? string
    : S extends BooleanConstructor
      ? boolean
      : S extends DateConstructor
        ? Date
        : S extends BigIntConstructor
          ? number | bigint
          : S extends abstract new (...args: never[]) => infer I
            ? I
            : never;

type NativeDirect<S> = S extends FlyteType<infer O, unknown> ? O : ConstructedValue<S>;

type InputDirect<S> = S extends FlyteType<unknown, infer I> ? I : ConstructedValue<S>;

/** The value a task receives for a type: `NativeOf<typeof Int>` is `number | bigint`. */
export type NativeOf<S> = [NativeDirect<S>] extends [never]
  ? S extends () => infer T
    ? NativeDirect<T>
    : never
  : NativeDirect<S>;

/** The value a type may be given: a `Dict(Int)` takes a Map as well as a plain object. */
export type InputOf<S> = [InputDirect<S>] extends [never]
  ? S extends () => infer T
    ? InputDirect<T>
    : never
  : InputDirect<S>;
