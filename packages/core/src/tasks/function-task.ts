import type { Container, ExtendedResources, K8sPod } from "../idl/gen/flyteidl/core/tasks_pb.js";
import type { TaskExecutionContext } from "../context/context.js";
import { defaultTaskResolver } from "../resolvers/default-resolver.js";
import type { TaskResolver } from "./resolver.js";
import { buildContainer, buildK8sPod, extendedResources } from "../serialize/container.js";
import { executeArgs, withFastExecute } from "../serialize/entrypoint-args.js";
import { resolveContainerImage } from "../serialize/image.js";
import type { SerializationSettings } from "../serialize/settings.js";
import type { VersionParameters } from "./cache.js";
import type { TaskDocumentation } from "./docs.js";
import { Task, type TaskInit } from "./task.js";

/** How a function task's body is called. */
export type FunctionBody =
  /** A plain function given its inputs as one object (the function form). */
  | { style: "named"; fn: (inputs: Record<string, unknown>) => unknown }
  /** A static method or function called with positional arguments (`this` is `self`). */
  | { style: "positional"; fn: Function; self?: unknown }
  /** An instance method: a new instance of `cls`, made without arguments, for every call (locally and in a container alike). */
  | { style: "instance"; fn: Function; cls: new () => unknown };

/** Where a task is declared, for resolvers: the file, and the path to it from the module's exports. */
export interface TaskLocation {
  /** The file that declared the task (its runtime JavaScript, or TypeScript source under a test runner). */
  file?: string;
  /** The path from the module's exports to the task: `Pipelines.add`, `Add`, `add`. */
  attributePath?: string;
}

export interface FunctionTaskInit extends TaskInit {
  body: FunctionBody;
  /** Whether the body returns a promise (the call then does too). */
  isAsync: boolean;
  location?: TaskLocation;
}

/**
 * A task whose body is a TypeScript function (flytekit's PythonFunctionTask). Flyte runs it in
 * a container of type `typescript-task` through `flytekit-ts-execute`. Plugins subclass it and
 * register with TaskPlugins.
 */
export class FunctionTask extends Task {
  /** Whether this task class can run async bodies; a plugin that cannot says `false`. */
  static supportsAsync = true;

  readonly taskType: string = "typescript-task";
  readonly body: FunctionBody;
  readonly location: TaskLocation;

  constructor(init: FunctionTaskInit) {
    super(init);
    this.body = init.body;
    this.location = init.location ?? {};
  }

  /** The plugin's config, when the task was declared with `taskConfig`. */
  get taskConfig(): object | undefined {
    return this.settings.taskConfig;
  }

  /** Records where the task can be found (the CLI does, when it finds the task in a module's exports). */
  setLocation(location: TaskLocation): void {
    (this as { location: TaskLocation }).location = { ...location };
  }

  /** How its container finds the task: its own resolver, or the default one. */
  get resolver(): TaskResolver {
    return this.settings.taskResolver ?? defaultTaskResolver;
  }

  /** The image, its templates resolved against the settings' images. */
  getImage(settings: SerializationSettings): string {
    return resolveContainerImage(this.settings.containerImage, settings.imageConfig);
  }

  /** The container's args: the entrypoint, its flags, the resolver and the loader arguments. */
  getCommand(settings: SerializationSettings): string[] {
    return withFastExecute(settings, executeArgs(this.resolver.location, this.resolver.loaderArgs(this)));
  }

  /** The container, as if there were no pod template (a pod template's primary container is built from it). */
  protected buildContainer(settings: SerializationSettings): Container {
    const own = this.settings.resources;
    // As flytekit: the settings' default resources apply when the task sets none at all.
    const resources = settings.defaultResources !== undefined && own.requests.isEmpty && own.limits.isEmpty ? settings.defaultResources : own;
    return buildContainer({
      image: this.getImage(settings),
      args: this.getCommand(settings),
      env: { ...settings.env, ...this.settings.environment },
      resources,
    });
  }

  override getContainer(settings: SerializationSettings): Container | undefined {
    return this.settings.podTemplate === undefined ? this.buildContainer(settings) : undefined;
  }

  override getK8sPod(settings: SerializationSettings): K8sPod | undefined {
    const pod = this.settings.podTemplate;
    return pod === undefined ? undefined : buildK8sPod(pod, this.buildContainer(settings), settings.imageConfig);
  }

  override getConfig(_settings?: SerializationSettings): Record<string, string> {
    const pod = this.settings.podTemplate;
    return pod === undefined ? {} : { primary_container_name: pod.primaryContainerName };
  }

  override getExtendedResources(_settings: SerializationSettings): ExtendedResources | undefined {
    return extendedResources(this.settings.accelerator, this.settings.sharedMemory);
  }

  override getDocumentation(): TaskDocumentation {
    const { short, long } = this.settings.docs;
    return {
      shortDescription: short ?? "",
      // flytekit writes RST (its docstrings); a long description given here is Markdown.
      longDescription: long === undefined ? { format: "RST" } : { value: long, format: "MARKDOWN" },
    };
  }

  protected override defaultShortName(): string {
    const path = this.location.attributePath;
    return path === undefined ? super.defaultShortName() : path.slice(path.lastIndexOf(".") + 1);
  }

  protected override versionParameters(): VersionParameters {
    return { ...super.versionParameters(), fn: this.body.fn };
  }

  /** Runs the function itself, as it is written: the function form's with its inputs as one object, a method with its arguments. */
  override forward(...args: readonly unknown[]): unknown {
    const body = this.body;
    if (body.style === "named") return body.fn((args[0] ?? {}) as Record<string, unknown>);
    if (body.style === "instance") return body.fn.apply(new body.cls(), args);
    return body.fn.apply(body.self, args);
  }

  protected executeNative(inputs: Record<string, unknown>, _context: TaskExecutionContext): unknown {
    const body = this.body;
    if (body.style === "named") return body.fn(inputs);
    const vars = this.interface.inputs;
    const args = new Array<unknown>(vars.length);
    for (let i = 0; i < vars.length; i++) args[i] = inputs[vars[i]!.name];
    if (body.style === "instance") return body.fn.apply(new body.cls(), args);
    return body.fn.apply(body.self, args);
  }
}
