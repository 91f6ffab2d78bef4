// The table formats a dataset is read and written in, by their StructuredDatasetType name. The
// built-in ones (Parquet, CSV) are modules of their own, loaded by import() when a table of that
// format is first read or written; `registerTableFormat` adds another (flytekit lets a plugin
// register encoders and decoders for a format the same way).
import { FlyteError } from "../errors/flyte-error.js";
import type { TableCodec } from "./codec.js";

const BUILTIN: Readonly<Record<string, () => Promise<TableCodec>>> = {
  parquet: () => import("./parquet.js").then((m) => m.parquetCodec),
  csv: () => import("./csv.js").then((m) => m.csv),
};

const registered = new Map<string, TableCodec>();
const loading = new Map<string, Promise<TableCodec>>();

/** Adds a table format (its `format` is the name a StructuredDatasetType gives); a name may be registered once. */
export function registerTableFormat(codec: TableCodec): void {
  if (typeof codec?.format !== "string" || codec.format === "") {
    throw new FlyteError({ subject: "registerTableFormat", expected: "a TableCodec with a format name", got: String(codec?.format) });
  }
  if (registered.has(codec.format) || codec.format in BUILTIN) {
    throw new FlyteError({ subject: `table format '${codec.format}'`, problem: "it is registered already", fix: "register each format once" });
  }
  registered.set(codec.format, codec);
}

/** Whether a format has a codec (built in or registered). */
export function hasTableFormat(format: string): boolean {
  return format in BUILTIN || registered.has(format);
}

/** The names of the formats there are codecs for. */
export function tableFormats(): string[] {
  return [...Object.keys(BUILTIN), ...registered.keys()];
}

/** The codec of a format, loaded on first use; undefined for a format nobody registered. */
export function tableCodec(format: string): Promise<TableCodec> | undefined {
  const own = registered.get(format);
  if (own !== undefined) return Promise.resolve(own);
  const load = Object.hasOwn(BUILTIN, format) ? BUILTIN[format] : undefined;
  if (load === undefined) return undefined;
  let codec = loading.get(format);
  if (codec === undefined) {
    codec = load();
    loading.set(format, codec);
    codec.catch(() => loading.delete(format));
  }
  return codec;
}
