import { type JsonObject } from "@bufbuild/protobuf";
import { createMessage } from "../idl/create.js";
import { statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { type Literal } from "../idl/gen/flyteidl/core/literals_pb.js";
import { BlobType_BlobDimensionality, LiteralTypeSchema, type LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";
import { isPlainObject } from "./collections.js";
import { TypeTransformerError } from "./errors.js";
import { blobLiteral } from "./literals.js";
import type { MsgpackWriter } from "./msgpack.js";
import { plannedUri } from "./uploads.js";
import { FlyteType } from "./type.js";

const REMOTE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Whether a path names a remote object (`s3://`, `gs://`, `abfs://`, ...) rather than a local file. */
export function isRemotePath(path: string): boolean {
  return REMOTE.test(path) && !path.startsWith("file://");
}

function localPath(path: string): string {
  const p = path.startsWith("file://") ? new URL(path).pathname : path;
  return isAbsolute(p) ? p : resolve(p);
}

/**
 * A file a task takes or gives (flytekit's FlyteFile). `path` is where it is now: a local path, or
 * a remote URI for a file that has not been downloaded; `remoteSource` is the URI it came from.
 */
export class FlyteFile {
  readonly path: string;
  readonly remoteSource: string | undefined;

  constructor(path: string, options: { remoteSource?: string } = {}) {
    if (typeof path !== "string" || path === "") throw new TypeError("FlyteFile needs a path or URI");
    this.path = path;
    this.remoteSource = options.remoteSource ?? (isRemotePath(path) ? path : undefined);
  }

  /** Whether the file is somewhere other than this machine. */
  get isRemote(): boolean {
    return isRemotePath(this.path);
  }

  /** A local path to the file: the file itself, or a copy downloaded from its store. */
  async download(): Promise<string> {
    return downloadBlob(this.path, false);
  }

  toString(): string {
    return this.path;
  }
}

let blobDownloader: ((uri: string, isDirectory: boolean) => Promise<string>) | undefined;

/** Sets how remote blobs are fetched (the execution layer does, with its storage). */
export function setBlobDownloader(fn: (uri: string, isDirectory: boolean) => Promise<string>): void {
  blobDownloader = fn;
}

async function downloadBlob(path: string, isDirectory: boolean): Promise<string> {
  if (!isRemotePath(path)) return localPath(path);
  if (blobDownloader === undefined) throw new Error(`cannot download ${path}: no storage is set up in this process`);
  return blobDownloader(path, isDirectory);
}

/** A directory a task takes or gives (flytekit's FlyteDirectory), a multipart blob. */
export class FlyteDirectory {
  readonly path: string;
  readonly remoteSource: string | undefined;

  constructor(path: string, options: { remoteSource?: string } = {}) {
    if (typeof path !== "string" || path === "") throw new TypeError("FlyteDirectory needs a path or URI");
    this.path = path;
    this.remoteSource = options.remoteSource ?? (isRemotePath(path) ? path : undefined);
  }

  get isRemote(): boolean {
    return isRemotePath(this.path);
  }

  /** A local path to the directory: itself, or a copy downloaded from its store. */
  async download(): Promise<string> {
    return downloadBlob(this.path, true);
  }

  toString(): string {
    return this.path;
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
    return createMessage(LiteralTypeSchema, {
      type: { case: "blob", value: { format: this.format, dimensionality: this.dimensionality } },
    });
  }

  /** The URI a value is written as: a remote URI as given, a local path made absolute after checking it exists. */
  private uriOf(value: unknown): string {
    let path: string;
    if (typeof value === "string") path = value;
    else if (value instanceof this.cls) {
      // A file read from a remote literal and not replaced is passed on by its URI, as flytekit does.
      if (value.remoteSource !== undefined) return value.remoteSource;
      path = value.path;
    }
    else throw TypeTransformerError.forValue(this.name, value);
    if (path === "") throw TypeTransformerError.forValue(this.name, value, "an empty path");
    if (isRemotePath(path)) return path;
    const local = localPath(path);
    const stat = statSync(local, { throwIfNoEntry: false });
    if (stat === undefined) throw TypeTransformerError.forValue(this.name, value, `there is nothing at ${local}`);
    if (this.isDirectory !== stat.isDirectory()) {
      throw TypeTransformerError.forValue(this.name, value, `${local} is ${stat.isDirectory() ? "a directory" : "a file"}`);
    }
    return plannedUri(local, this.isDirectory);
  }

  private native(uri: string): T {
    return new this.cls(uri) as T;
  }

  toLiteral(value: unknown): Literal {
    return blobLiteral(this.uriOf(value), this.format, this.dimensionality);
  }

  protected decode(literal: Literal): T {
    const v = literal.value;
    if (v.case === "scalar" && v.value.value.case === "blob") {
      const blob = v.value.value.value;
      const dim = blob.metadata?.type?.dimensionality ?? BlobType_BlobDimensionality.SINGLE;
      if (dim !== this.dimensionality) {
        throw this.cannotRead(literal, dim === BlobType_BlobDimensionality.MULTIPART ? "it is a directory" : "it is a single file");
      }
      return this.native(blob.uri);
    }
    throw this.cannotRead(literal);
  }

  writeMsgpack(w: MsgpackWriter, value: unknown): void {
    // Inside a dataclass flytekit writes a FlyteFile or FlyteDirectory as {"path": uri}.
    const uri = this.uriOf(value);
    w.mapHeader(1);
    w.str("path");
    w.str(uri);
  }

  fromMsgpack(value: unknown): T {
    if (isPlainObject(value) && typeof value.path === "string" && value.path !== "") return this.native(value.path);
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
}

/** A single file (Flyte Blob, SINGLE). `File.withFormat("csv")` declares its format. */
export const File: BlobType<FlyteFile> = new BlobType<FlyteFile>(FlyteFile, BlobType_BlobDimensionality.SINGLE, "");
/** A directory (Flyte Blob, MULTIPART). */
export const Directory: BlobType<FlyteDirectory> = new BlobType<FlyteDirectory>(
  FlyteDirectory,
  BlobType_BlobDimensionality.MULTIPART,
  "",
);
