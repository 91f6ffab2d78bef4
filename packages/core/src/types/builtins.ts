// The built-in types, and what of them a user writes. Each type registers itself with the engine
// when its module loads; this module loads them all. A new built-in type is one file and one line
// here; a type from elsewhere (a plugin) registers the same way from its own file.
export { Bool, Float, Int, None, Str } from "./scalars.js";
export { Datetime, Duration, duration, type DurationInput, type DurationValue } from "./time.js";
export { Dict, List } from "./collections.js";
export { Optional, Union } from "./union.js";
export { Enum } from "./enum.js";
export { Json, type JsonKey, type JsonLike, type JsonMap, type JsonRecord } from "./json.js";
export { defineRecord, type FieldOptions, type NamedFieldSpec } from "./record.js";
export { Directory, File, FlyteDirectory, FlyteFile } from "./blob.js";
export { Dataset, StructuredDataset } from "./structured.js";
export { FlyteSchema, Schema } from "./schema.js";
