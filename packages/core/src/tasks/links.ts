// Flyte 2's task links (flyte-sdk's `Link` protocol): a link the UI shows beside a running task,
// made when Flyte 2 registers it. Flyte 1 registration drops them.

/** What a link is told when Flyte 2 makes it (`{{.actionName}}` and `{{.podName}}` are left for the backend). */
export interface LinkContext {
  runName: string;
  project: string;
  domain: string;
  context: Readonly<Record<string, string>>;
  parentActionName: string;
  actionName: string;
  podName: string;
}

/** A link to show beside a task (flyte-sdk's Link): `{ name: "logs", getLink: (c) => `https://.../${c.runName}` }`. */
export interface TaskLink {
  readonly name: string;
  readonly iconUri?: string;
  getLink(context: LinkContext): string;
}

/** Whether `v` is a TaskLink. */
export function isTaskLink(v: unknown): v is TaskLink {
  return typeof v === "object" && v !== null && typeof (v as TaskLink).name === "string" && typeof (v as TaskLink).getLink === "function";
}
