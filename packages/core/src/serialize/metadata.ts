import { create } from "../idl/codec.js";
import { RuntimeMetadata_RuntimeType, TaskMetadataSchema, type TaskMetadata as IdlTaskMetadata } from "../idl/gen/flyteidl/core/tasks_pb.js";
import type { TaskMetadata } from "../tasks/options.js";
import { VERSION } from "../version.js";

/** flytekit-ts in the runtime metadata Flyte shows: `{ FLYTE_SDK, <version>, typescript }`. */
export const RUNTIME_FLAVOR = "typescript";

/** A task's metadata as flytekit writes it: retries and generates_deck always present, the rest when set. */
export function taskMetadataToIdl(m: TaskMetadata, extra: { isEager?: boolean } = {}): IdlTaskMetadata {
  return create(TaskMetadataSchema, {
    discoverable: m.cache,
    runtime: { type: RuntimeMetadata_RuntimeType.FLYTE_SDK, version: VERSION, flavor: RUNTIME_FLAVOR },
    timeout: m.timeout === undefined ? undefined : { seconds: BigInt(m.timeout.seconds), nanos: m.timeout.nanos },
    retries: { retries: m.retries },
    discoveryVersion: m.cacheVersion,
    deprecatedErrorMessage: m.deprecated,
    interruptibleValue: m.interruptible === undefined ? { case: undefined } : { case: "interruptible", value: m.interruptible },
    cacheSerializable: m.cacheSerialize,
    podTemplateName: m.podTemplateName,
    cacheIgnoreInputVars: [...m.cacheIgnoreInputVars],
    isEager: extra.isEager ?? false,
    generatesDeck: m.generatesDeck,
    metadata: { labels: { ...m.labels }, annotations: { ...m.annotations } },
  });
}
