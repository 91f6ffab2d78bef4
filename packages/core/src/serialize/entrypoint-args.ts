import type { SerializationSettings } from "./settings.js";

/** The command that runs a task in its container (what `pyflyte-execute` is to flytekit). */
export const EXECUTE_COMMAND = "flytekit-ts-execute";
/** The command that unpacks fast-registered code first (flytekit's `pyflyte-fast-execute`). */
export const FAST_EXECUTE_COMMAND = "flytekit-ts-fast-execute";

/**
 * The container args of a task, flytekit's contract in our command's name: inputs, output prefix,
 * raw output prefix, checkpoints (for function tasks), the resolver, and its loader arguments.
 */
export function executeArgs(resolver: string, loaderArgs: readonly string[], options: { checkpoints?: boolean } = {}): string[] {
  return [
    EXECUTE_COMMAND,
    "--inputs",
    "{{.input}}",
    "--output-prefix",
    "{{.outputPrefix}}",
    "--raw-output-data-prefix",
    "{{.rawOutputDataPrefix}}",
    ...(options.checkpoints === false ? [] : ["--checkpoint-path", "{{.checkpointOutputPrefix}}", "--prev-checkpoint", "{{.prevCheckpointPrefix}}"]),
    "--resolver",
    resolver,
    "--",
    ...loaderArgs,
  ];
}

/** Fast registration's prefix, as flytekit's translator writes it. */
export function withFastExecute(settings: SerializationSettings, args: readonly string[]): string[] {
  const fast = settings.fastSerialization;
  if (fast?.enabled !== true) return [...args];
  return [
    FAST_EXECUTE_COMMAND,
    "--additional-distribution",
    fast.distribution ?? "{{ .remote_package_path }}",
    "--dest-dir",
    fast.destinationDir ?? "{{ .dest_dir }}",
    "--",
    ...args,
  ];
}
