import { type JsonObject } from "@bufbuild/protobuf";
import { mkdtempSync, statSync } from "node:fs";

import { basename, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { create } from "../idl/codec.js";
import { type Literal } from "../idl/gen/flyteidl/core/literals_pb.js";
import { BlobType_BlobDimensionality, LiteralTypeSchema, type LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";
import { defaultStorage } from "../storage/router.js";
import { processTempDir } from "../storage/temp.js";
import { isRemotePath, uriFileName, type Storage } from "../storage/storage.js";
import { isPlainObject } from "./collections.js";
import { TypeTransformerError } from "./errors.js";
import { blobLiteral } from "./literals.js";
import type { MsgpackWriter } from "./msgpack.js";
import { typeRegistry } from "./registry.js";
import { FlyteType, conversionNow, type ConversionContext } from "./type.js";

export { isRemotePath };

/** The local path of a path or file:// URI; a URI that names no path here is a TypeTransformerError. */
function localPath(path: string, what: string): string {
  let p = path;
  if (path.startsWith("file://")) {
    try {
      p = fileURLToPath(path);
    } catch (e) {
      throw TypeTransformerError.forValue(what, path, `not a file:// URI of a path on this machine (${(e as Error).message})`);
    }
  }
  if (p.includes("\0")) throw TypeTransformerError.forValue(what, path, "a path with a NUL character in it");
  return isAbsolute(p) ? p : resolve(p);
}

/** The file name a download of a remote URI is given: its own, or "file" when it has none. */
function remoteName(uri: string): string {
  const name = uriFileName(uri);
  return name === "" || name === "." || name === ".." ? "file" : name;
}

/** How a file or directory was made: where it is, where it came from, and the store it is read from. */
export interface BlobOptions {
  /** The URI it came from, when it was read from a remote literal. */
  remoteSource?: string;
  /** The store a remote path is downloaded from; a value read by a task has its context's. Default: the process-wide stores. */
  storage?: Storage;
  /** Where a download goes by default: a value read by a task downloads into its scratch directory. */
  tempDir?: (prefix: string) => string;
}

/** What FlyteFile and FlyteDirectory share: a path or URI, and a way to have it here. */
abstract class Blob {
  readonly path: string;
  readonly remoteSource: string | undefined;
  readonly #storage: Storage | undefined;
  readonly #tempDir: ((prefix: string) => string) | undefined;

  constructor(path: string, options: BlobOptions, what: string) {
    if (typeof path !== "string" || path === "") throw TypeTransformerError.forValue("a path or URI", path).at(what);
    this.path = path;
    this.remoteSource = options.remoteSource ?? (isRemotePath(path) ? path : undefined);
    this.#storage = options.storage;
    this.#tempDir = options.tempDir;
  }

  protected abstract get isDirectory(): boolean;

  /** Whether it is somewhere other than this machine. */
  get isRemote(): boolean {
    return isRemotePath(this.path);
  }

  /**
   * A local path to it: the path itself, or a copy downloaded (into `to`, default a new temporary
   * directory: inside the task's scratch directory for a value a task was given, removed when its
   * call ends; else one removed when the process exits) from the store it was read through.
   */
  async download(to?: string): Promise<string> {
    if (!this.isRemote) return localPath(this.path, this.isDirectory ? "Directory" : "File");
    const target = to ?? join(this.#tempDir?.("in") ?? mkdtempSync(join(processTempDir(), "in-")), this.isDirectory ? "dir" : remoteName(this.path));
    await (this.#storage ?? defaultStorage).download(this.path, target);
    return target;
  }

  toString(): string {
    return this.path;
  }
}

/**
 * A file a task takes or gives (flytekit's FlyteFile). `path` is where it is now: a local path, or
 * a remote URI for a file that has not been downloaded; `remoteSource` is the URI it came from.
 */
export class FlyteFile extends Blob {
  constructor(path: string, options: BlobOptions = {}) {
    super(path, options, "FlyteFile");
  }

  protected get isDirectory(): boolean {
    return false;
  }
}

/** A directory a task takes or gives (flytekit's FlyteDirectory), a multipart blob. */
export class FlyteDirectory extends Blob {
  constructor(path: string, options: BlobOptions = {}) {
    super(path, options, "FlyteDirectory");
  }

  protected get isDirectory(): boolean {
    return true;
  }
}

type BlobClass = typeof FlyteFile | typeof FlyteDirectory;

/** Flyte Blob: a single file (`File`) or a directory (`Directory`, multipart), with an optional format. */
export class BlobType<T extends FlyteFile | FlyteDirectory> extends FlyteType<T, T | string> {
  readonly name: string;
  readonly tag: string;

  constructor(
    private readonly cls: BlobClass,
    readonly dimensionality: BlobType_BlobDimensionality,
    readonly format: string,
  ) {
    super();
    const base = dimensionality === BlobType_BlobDimensionality.MULTIPART ? "Directory" : "File";
    this.name = format === "" ? base : `${base}(${JSON.stringify(format)})`;
    this.tag = dimensionality === BlobType_BlobDimensionality.MULTIPART ? "FlyteDirectory" : "FlyteFilePath";
  }

  /** The same kind of blob with a format: `File.withFormat("csv")`. */
  withFormat(format: string): BlobType<T> {
    return new BlobType<T>(this.cls, this.dimensionality, format);
  }

  private get isDirectory(): boolean {
    return this.dimensionality === BlobType_BlobDimensionality.MULTIPART;
  }

  protected buildLiteralType(): LiteralType {
    return create(LiteralTypeSchema, {
      type: { case: "blob", value: { format: this.format, dimensionality: this.dimensionality } },
    });
  }

  /**
   * The URI a value is written as: a remote URI as given, a local path made absolute after checking
   * it exists (in a container, the place it will be uploaded to).
   */
  private uriOf(value: unknown, context: ConversionContext): string {
    let path: string;
    if (typeof value === "string") path = value;
    else if (value instanceof this.cls) {
      // A file read from a remote literal and not replaced is passed on by its URI, as flytekit does.
      if (value.remoteSource !== undefined) return value.remoteSource;
      path = value.path;
    } else throw TypeTransformerError.forValue(this.name, value);
    if (path === "") throw TypeTransformerError.forValue(this.name, value, "an empty path");

    if (isRemotePath(path)) return path;
    const local = localPath(path, this.name);
    const stat = statSync(local, { throwIfNoEntry: false });
    if (stat === undefined) throw TypeTransformerError.forValue(this.name, value, `there is nothing at ${local}`);
    if (this.isDirectory !== stat.isDirectory()) {
      throw TypeTransformerError.forValue(this.name, value, `${local} is ${stat.isDirectory() ? "a directory" : "a file"}`);
    }
    return context.uploads === undefined ? local : context.uploads.plan(local, this.isDirectory);
  }

  private native(uri: string, context: ConversionContext): T {
    return new this.cls(uri, { storage: context.storage, tempDir: context.tempDir === undefined ? undefined : (prefix) => context.tempDir!(prefix) }) as T;
  }

  toLiteral(value: unknown, context: ConversionContext = conversionNow()): Literal {
    return blobLiteral(this.uriOf(value, context), this.format, this.dimensionality);
  }

  protected decode(literal: Literal, context: ConversionContext): T {
    const v = literal.value;
    if (v.case === "scalar" && v.value.value.case === "blob") {
      const blob = v.value.value.value;
      const dim = blob.metadata?.type?.dimensionality ?? BlobType_BlobDimensionality.SINGLE;
      if (dim !== this.dimensionality) {
        throw this.cannotRead(literal, dim === BlobType_BlobDimensionality.MULTIPART ? "it is a directory" : "it is a single file");
      }
      if (blob.uri === "") throw this.cannotRead(literal, "its uri is empty");
      if (blob.uri.includes("\0")) throw this.cannotRead(literal, "its uri has a NUL character in it");
      return this.native(blob.uri, context);
    }
    throw this.cannotRead(literal);
  }

  writeMsgpack(w: MsgpackWriter, value: unknown, context: ConversionContext = conversionNow()): void {
    // Inside a dataclass flytekit writes a FlyteFile or FlyteDirectory as {"path": uri}.
    const uri = this.uriOf(value, context);
    w.mapHeader(1);
    w.str("path");
    w.str(uri);
  }

  fromMsgpack(value: unknown, context: ConversionContext = conversionNow()): T {
    if (isPlainObject(value) && typeof value.path === "string" && value.path !== "") return this.native(value.path, context);
    throw this.cannotReadMsgpack(value);
  }

  jsonSchema(): JsonObject {
    const path: JsonObject = { anyOf: [{ type: "string" }, { type: "string", format: "path" }], default: null };
    if (this.isDirectory) {
      return { additionalProperties: false, properties: { path }, title: "FlyteDirectory", type: "object" };
    }
    const metadata: JsonObject = {
      anyOf: [{ additionalProperties: { type: "string" }, type: "object", propertyNames: { type: "string" } }, { type: "null" }],
      default: null,
    };
    return { additionalProperties: false, properties: { path, metadata }, title: "FlyteFile", type: "object" };
  }

  override get textHint(): string {
    return "path or URI";
  }

  /** A file or directory is printed as where it is. */
  override toText(value: unknown): string {
    return value instanceof Blob ? value.path : super.toText(value);
  }

  override fromText(text: string): T {
    return new this.cls(text) as T;
  }
}

/** A single file (Flyte Blob, SINGLE). `File.withFormat("csv")` declares its format. */
export const File: BlobType<FlyteFile> = new BlobType<FlyteFile>(FlyteFile, BlobType_BlobDimensionality.SINGLE, "");
/** A directory (Flyte Blob, MULTIPART). */
export const Directory: BlobType<FlyteDirectory> = new BlobType<FlyteDirectory>(FlyteDirectory, BlobType_BlobDimensionality.MULTIPART, "");

const blobOf = (lt: LiteralType) => lt.type.value as { format: string; dimensionality: BlobType_BlobDimensionality };
typeRegistry.register({
  name: "File",
  token: File,
  natives: [FlyteFile],
  // Any File (of any format) holds a FlyteFile or a path.
  takes: (t, c) => (t instanceof BlobType && t.dimensionality === BlobType_BlobDimensionality.SINGLE ? c === FlyteFile || c === String : undefined),
  literalTypes: ["blob:SINGLE"],
  guess: (lt) => (blobOf(lt).format === "" ? File : File.withFormat(blobOf(lt).format)),
});
typeRegistry.register({
  name: "Directory",
  token: Directory,
  natives: [FlyteDirectory],
  takes: (t, c) => (t instanceof BlobType && t.dimensionality === BlobType_BlobDimensionality.MULTIPART ? c === FlyteDirectory || c === String : undefined),
  literalTypes: ["blob:MULTIPART"],
  guess: (lt) => (blobOf(lt).format === "" ? Directory : Directory.withFormat(blobOf(lt).format)),
});
