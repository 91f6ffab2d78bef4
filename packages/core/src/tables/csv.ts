// Placeholder until the CSV codec lands (replaced wholesale).
import type { TableCodec } from "./codec.js";
import { TableFormatError } from "./errors.js";

const missing = (path: string) => new TableFormatError({ subject: path, problem: "CSV is not built yet" });
export const csvCodec: TableCodec = {
  format: "csv",
  schema: (path) => Promise.reject(missing(path)),
  read: (path) => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(missing(path)) }) }),
  write: (path) => Promise.reject(missing(path)),
};
