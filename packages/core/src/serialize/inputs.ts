// A task's inputs as the bytes of the inputs.pb a container reads (`flytekit-ts-execute --inputs`,
// `pyflyte-execute --inputs`): native values by input name, converted by the task's own interface.
import { encode } from "../idl/codec.js";
import { LiteralMapSchema } from "../idl/gen/flyteidl/core/literals_pb.js";
import { bindArguments } from "../tasks/conversion.js";
import { taskOf, type TaskLike } from "../tasks/handles.js";

/**
 * The inputs LiteralMap of a call of `task` with `values` (by input name), as protobuf bytes: what
 * Flyte writes to `inputs.pb` before it starts the task's container. Every value is checked and
 * converted as a local call converts it; an input left out that has a default is left out of the
 * map (the default applies where the task runs), as flytekit does.
 *
 * ```ts
 * writeFileSync("inputs.pb", inputsToBinary(Pipelines.add, { x: 1, y: 2 }));
 * ```
 */
export function inputsToBinary(task: TaskLike, values: Readonly<Record<string, unknown>>): Uint8Array {
  return encode(LiteralMapSchema, bindArguments(taskOf(task), [], values));
}
