// An inner task runs in a pod of its own: a file or directory the eager task's body made and passed
// to it by a local path would not be there. flytekit uploads such inputs when it converts them for
// FlyteRemote.execute; here the launcher copies each local path an input literal names (a blob, a
// schema, a structured dataset, at any depth) under the eager task's raw output prefix, as a task
// does with the files its outputs name, and sends the literal with the uploaded uri.
import { clone } from "@bufbuild/protobuf";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { LiteralMapSchema, type Literal, type LiteralMap } from "../../idl/gen/flyteidl/core/literals_pb.js";
import { BlobType_BlobDimensionality } from "../../idl/gen/flyteidl/core/types_pb.js";
import { isRemotePath, joinUri, uriFileName, type Storage } from "../../storage/storage.js";

/** A local path a literal names: a file, or a directory (uploaded as a prefix); `set` gives the literal its new uri. */
interface LocalPath {
  uri: string;
  directory: boolean;
  set(uri: string): void;
}

/** Each local path under a literal. */
function localPaths(literal: Literal, found: LocalPath[]): void {
  const value = literal.value;
  if (value.case === "collection") for (const l of value.value.literals) localPaths(l, found);
  else if (value.case === "map") for (const l of Object.values(value.value.literals)) localPaths(l, found);
  else if (value.case === "scalar") {
    const scalar = value.value.value;
    if (scalar.case === "union" && scalar.value.value !== undefined) localPaths(scalar.value.value, found);
    else if (scalar.case === "blob" && scalar.value.uri !== "" && !isRemotePath(scalar.value.uri)) {
      const blob = scalar.value;
      found.push({ uri: blob.uri, directory: blob.metadata?.type?.dimensionality === BlobType_BlobDimensionality.MULTIPART, set: (uri) => (blob.uri = uri) });
    } else if ((scalar.case === "structuredDataset" || scalar.case === "schema") && scalar.value.uri !== "" && !isRemotePath(scalar.value.uri)) {
      const holder = scalar.value;
      found.push({ uri: holder.uri, directory: true, set: (uri) => (holder.uri = uri) });
    }
  }
}

/**
 * `inputs` with every local path uploaded under `rawPrefix` (a remote prefix; with a local one, a
 * pod of this machine reads the path as it is, and the inputs are returned unchanged).
 */
export async function uploadLocalInputs(inputs: LiteralMap, storage: Storage, rawPrefix: string | undefined): Promise<LiteralMap> {
  if (rawPrefix === undefined || !isRemotePath(rawPrefix)) return inputs;
  const copy = clone(LiteralMapSchema, inputs);
  const found: LocalPath[] = [];
  for (const literal of Object.values(copy.literals)) localPaths(literal, found);
  if (found.length === 0) return inputs;
  for (const f of found) {
    const path = f.uri.startsWith("file://") ? fileURLToPath(f.uri) : f.uri;
    const folder = joinUri(rawPrefix, randomBytes(16).toString("hex"));
    const uri = f.directory ? folder : joinUri(folder, uriFileName(path));
    await storage.upload(path, uri);
    f.set(uri);
  }
  return copy;
}
