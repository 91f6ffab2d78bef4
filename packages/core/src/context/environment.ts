import type { ExecutionEnvironment } from "./context.js";

/** The first of several environment variables that is set (Flyte's long names, then its short ones). */
function first(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = env[n];
    if (v !== undefined) return v;
  }
  return undefined;
}

/** What Flyte tells a container about its execution, through the environment (as flytekit reads it). */
export function executionEnvironmentFromEnv(
  env: NodeJS.ProcessEnv,
  prefixes: { rawOutputPrefix?: string; checkpointPath?: string; previousCheckpoint?: string } = {},
): ExecutionEnvironment {
  const project = first(env, "FLYTE_INTERNAL_EXECUTION_PROJECT", "_F_PRJ");
  const domain = first(env, "FLYTE_INTERNAL_EXECUTION_DOMAIN", "_F_DM");
  const name = first(env, "FLYTE_INTERNAL_EXECUTION_ID", "_F_NM");
  const taskProject = first(env, "FLYTE_INTERNAL_TASK_PROJECT", "_F_TK_PRJ");
  const taskDomain = first(env, "FLYTE_INTERNAL_TASK_DOMAIN", "_F_TK_DM");
  const taskName = first(env, "FLYTE_INTERNAL_TASK_NAME", "_F_TK_NM");
  const taskVersion = first(env, "FLYTE_INTERNAL_TASK_VERSION", "_F_TK_V");
  return {
    mode: "container",
    executionId: project === undefined && domain === undefined && name === undefined ? undefined : { project: project ?? "", domain: domain ?? "", name: name ?? "" },
    taskId:
      taskName === undefined ? undefined : { project: taskProject ?? "", domain: taskDomain ?? "", name: taskName, version: taskVersion ?? "" },
    workflow: first(env, "FLYTE_INTERNAL_EXECUTION_WORKFLOW", "_F_WF"),
    launchPlan: first(env, "FLYTE_INTERNAL_EXECUTION_LAUNCHPLAN", "_F_LP"),
    rawOutputPrefix: prefixes.rawOutputPrefix,
    checkpointPath: prefixes.checkpointPath,
    previousCheckpoint: prefixes.previousCheckpoint,
  };
}

/** The attempt Flyte runs (FLYTE_ATTEMPT_NUMBER), from 0. */
export function attemptFromEnv(env: NodeJS.ProcessEnv): number {
  const n = Number(env.FLYTE_ATTEMPT_NUMBER ?? "0");
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/** flytekit's reading of a true/false environment variable (str2bool): "true", "t" or "1", in any case. */
export function envFlag(value: string | undefined): boolean {
  return value !== undefined && ["true", "t", "1"].includes(value.toLowerCase());
}

/** flytekit's get_one_of: the first of the variables that is set to something other than "". */
export function oneOf(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = env[n];
    if (v !== undefined && v !== "") return v;
  }
  return undefined;
}
