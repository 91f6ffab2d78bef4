// In a container, files a task returns by a local path must reach Flyte's raw output prefix, so
// the next task (on another machine) can read them. Converting outputs is synchronous, so it only
// plans: each local path gets its remote URI now, written into the literal, and the entrypoint
// copies the files afterwards, before it writes outputs.pb.

/** Decides where local files go, and remembers them for the copy. */
export interface UploadPlanner {
  /** The URI a local file or directory will have once copied. */
  plan(localPath: string, isDirectory: boolean): string;
}

let active: UploadPlanner | undefined;

/** Runs `fn` with local files planned for upload by `planner`. */
export function withUploadPlanner<T>(planner: UploadPlanner | undefined, fn: () => T): T {
  if (planner === undefined) return fn();
  const previous = active;
  active = planner;
  try {
    return fn();
  } finally {
    active = previous;
  }
}

/** The URI a local path is to be written as: its planned remote URI in a container, else the path. */
export function plannedUri(localPath: string, isDirectory: boolean): string {
  return active === undefined ? localPath : active.plan(localPath, isDirectory);
}
