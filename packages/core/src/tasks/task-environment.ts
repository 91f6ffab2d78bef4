// Flyte 2's TaskEnvironment (flyte-sdk `_task_environment.py`): settings shared by a set of tasks,
// which a task's own options override, and `override()` after them (most specific wins). Its
// settings are our task options under Flyte 2's names:
//   image → containerImage, env → environment, secrets → secretRequests, pluginConfig → taskConfig,
//   podTemplate: a PodTemplate → podTemplate, a name → podTemplateName.
// Where each may be set is flyte-sdk's table: name, image, resources, env, secrets, reusable and
// pluginConfig on the environment only (resources, env, secrets and reusable also by override());
// cache, podTemplate, interruptible and queue on the environment and on each task.
import { brand } from "../errors/flyte-error.js";
import { callerFile } from "../naming/module-name.js";
import { describeValue } from "../types/describe.js";
import type { Accelerator } from "./accelerators.js";
import { ENVIRONMENT_OF_TASK, type DeclaredTaskOptions } from "./build.js";
import type { Cache } from "./cache.js";
import { taskDecoratorApplier } from "./decorator-support.js";
import { TaskDefinitionError } from "./errors.js";
import { functionTask, type FunctionTaskOptions, type OutputIn, type TaskFunction, type TaskInputs } from "./function-form.js";
import type { InputsSpec, OutputsSpec } from "./infer.js";
import { TASK_OPTIONS, type TaskOptions } from "./options.js";
import { PodTemplate } from "./pod-template.js";
import type { Resources } from "./resources.js";
import { ReusePolicy } from "./reuse.js";
import { Secret } from "./secret.js";
import { taskStore } from "./store.js";
import type { Task } from "./task.js";

/** What a TaskEnvironment holds (flyte-sdk's TaskEnvironment arguments, in camelCase). */
export interface TaskEnvironmentSpec {
  /** The environment's name, snake_case or kebab-case; its tasks are named `<name>.<member>`. */
  name: string;
  /** The image its tasks run in (the `containerImage` option). @default the serialization settings' default image */
  image?: string;
  /** Requests and limits (the `resources` option: a value is a request, a pair `[request, limit]`). @default none */
  resources?: Resources;
  /** Environment variables of its tasks' containers (the `environment` option). @default {} */
  env?: Readonly<Record<string, string>>;
  /** Secrets its tasks read (the `secretRequests` option). @default [] */
  secrets?: Secret | readonly Secret[];
  /** The cache of its tasks, unless a task says otherwise. @default false */
  cache?: boolean | Cache;
  /** Reusable containers for its tasks (Flyte 2 only). @default none */
  reusable?: ReusePolicy;
  /** Whether its tasks may run on preemptible machines, unless a task says otherwise. @default unset */
  interruptible?: boolean;
  /** The queue its tasks run on, unless a task says otherwise (Flyte 2 only). @default the platform's */
  queue?: string;
  /** A pod for its tasks, or the name of a PodTemplate registered on the cluster, unless a task says otherwise. @default none */
  podTemplate?: PodTemplate | string;
  /** A plugin's config: its tasks are built as the plugin's task class (the `taskConfig` option). Not with `reusable`. @default none */
  pluginConfig?: object;
  /** What the environment is for; at most 255 characters (longer is cut, as flyte-sdk does). @default none */
  description?: string;
  /** A GPU for its tasks (Flyte 2 puts it in its Resources; Flyte 1 in the `accelerator` option). @default none */
  accelerator?: Accelerator;
  /** Shared memory for its tasks (the `sharedMemory` option). @default false */
  sharedMemory?: boolean | string;
}

/** A task's own options inside an environment: what flyte-sdk's `@env.task` takes, and our options Flyte 2 has no name for. */
export type EnvironmentTaskOptions<I extends InputsSpec = InputsSpec, O extends OutputsSpec | undefined = OutputsSpec | undefined> = Omit<
  FunctionTaskOptions<I, O>,
  "name" | "containerImage" | "resources" | "requests" | "limits" | "environment" | "secretRequests" | "reusable" | "taskConfig" | "podTemplate"
> & {
  /** A pod for the task, or the name of a PodTemplate registered on the cluster. Not in a reusable environment. */
  podTemplate?: PodTemplate | string;
};

/** Set on the environment only (flyte-sdk's table), under Flyte 2's names and ours. */
const ENVIRONMENT_ONLY: Readonly<Record<string, string>> = {
  image: "image",
  containerImage: "image",
  resources: "resources",
  requests: "resources",
  limits: "resources",
  env: "env",
  environment: "env",
  secrets: "secrets",
  secretRequests: "secrets",
  reusable: "reusable",
  pluginConfig: "pluginConfig",
  taskConfig: "pluginConfig",
};

const SPEC_KEYS: readonly (keyof TaskEnvironmentSpec)[] = [
  "name",
  "image",
  "resources",
  "env",
  "secrets",
  "cache",
  "reusable",
  "interruptible",
  "queue",
  "podTemplate",
  "pluginConfig",
  "description",
  "accelerator",
  "sharedMemory",
];

/** Which task option each environment setting is (podTemplate and description are handled apart). */
const AS_OPTION: Partial<Record<keyof TaskEnvironmentSpec, keyof TaskOptions>> = {
  image: "containerImage",
  resources: "resources",
  env: "environment",
  secrets: "secretRequests",
  cache: "cache",
  reusable: "reusable",
  interruptible: "interruptible",
  queue: "queue",
  pluginConfig: "taskConfig",
  accelerator: "accelerator",
  sharedMemory: "sharedMemory",
};

/** A decorator for a method or class, in either of TypeScript's decorator modes (as `@task`'s). */
export interface EnvironmentTaskDecorator {
  (target: Function): void;
  (target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor | void;
  <This, Value extends (this: This, ...args: any) => any>(value: Value, context: ClassMethodDecoratorContext<This, Value>): void;
  <Class extends abstract new (...args: any) => any>(value: Class, context: ClassDecoratorContext<Class>): void;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Settings shared by a set of tasks (Flyte 2's TaskEnvironment):
 *
 * ```ts
 * const env = new TaskEnvironment({ name: "etl", image: "ghcr.io/me/etl:1", resources: new Resources({ cpu: "1" }) });
 * const load = env.task({ inputs: { uri: Str }, outputs: Int, retries: 3 }, ({ uri }) => ...);   // the function form
 * class Steps { @env.task() static clean(x: number): number { ... } }                            // a decorator
 * ```
 *
 * A task's own options win over the environment's; `task.override()` wins over both. Tasks are
 * named `<env>.<function>` (`<env>.<Class>.<member>` for a method).
 */
export class TaskEnvironment {
  readonly name: string;
  readonly image?: string;
  readonly resources?: Resources;
  readonly env?: Readonly<Record<string, string>>;
  readonly secrets?: readonly Secret[];
  readonly cache?: boolean | Cache;
  readonly reusable?: ReusePolicy;
  readonly interruptible?: boolean;
  readonly queue?: string;
  readonly podTemplate?: PodTemplate | string;
  readonly pluginConfig?: object;
  readonly description?: string;
  readonly accelerator?: Accelerator;
  readonly sharedMemory?: boolean | string;
  private readonly made = new Map<string, { fn: Function; task: Task }>();

  constructor(spec: TaskEnvironmentSpec) {
    if (!isPlainObject(spec)) throw new TaskDefinitionError({ subject: "TaskEnvironment", expected: "{ name, ... }", got: describeValue(spec) });
    const subject = `TaskEnvironment '${String(spec.name)}'`;
    for (const key of Object.keys(spec)) {
      if (!(SPEC_KEYS as readonly string[]).includes(key)) {
        throw new TaskDefinitionError({ subject, problem: `unknown setting "${key}"`, fix: `it takes ${[...SPEC_KEYS].sort().join(", ")}` });
      }
    }
    if (typeof spec.name !== "string" || !/^[a-z0-9]+([_-][a-z0-9]+)*$/.test(spec.name)) {
      throw new TaskDefinitionError({ subject, problem: `Environment name '${String(spec.name)}' must be in snake_case or kebab-case format` });
    }
    const secrets = spec.secrets instanceof Secret ? [spec.secrets] : spec.secrets;
    for (const [key, option] of Object.entries(AS_OPTION) as [keyof TaskEnvironmentSpec, keyof TaskOptions][]) {
      const value = key === "secrets" ? secrets : spec[key];
      if (value === undefined) continue;
      const expected = TASK_OPTIONS[option].check(value);
      if (expected !== undefined) throw new TaskDefinitionError({ subject: `${subject}, ${key}`, expected, got: describeValue(value) });
    }
    if (spec.podTemplate !== undefined && typeof spec.podTemplate !== "string" && !(spec.podTemplate instanceof PodTemplate)) {
      throw new TaskDefinitionError({ subject: `${subject}, podTemplate`, expected: "a PodTemplate or the name of one", got: describeValue(spec.podTemplate) });
    }
    if (spec.description !== undefined && typeof spec.description !== "string") {
      throw new TaskDefinitionError({ subject: `${subject}, description`, expected: "a string", got: describeValue(spec.description) });
    }
    // flyte-sdk's rule and words (it lets a plugin that declares support for reuse through; none of ours does).
    if (spec.reusable !== undefined && spec.pluginConfig !== undefined) {
      throw new TaskDefinitionError({ subject, problem: "Cannot set plugin_config when environment is reusable" });
    }
    this.name = spec.name;
    const self = this as { -readonly [K in keyof TaskEnvironmentSpec]?: unknown };
    for (const key of SPEC_KEYS) {
      if (key === "name" || spec[key] === undefined) continue;
      self[key] = key === "secrets" ? [...secrets!] : key === "env" ? { ...spec.env } : spec[key];
    }
    if (this.description !== undefined && this.description.length > 255) self.description = `${this.description.slice(0, 252)}...`;
    // `@env.task` hands the method over without its environment: it is bound to it.
    this.task = this.task.bind(this) as typeof this.task;
  }

  /** The environment's settings, as given (a spec for `new TaskEnvironment`). */
  get spec(): TaskEnvironmentSpec {
    const spec: Record<string, unknown> = {};
    for (const key of SPEC_KEYS) if (this[key] !== undefined) spec[key] = this[key];
    return spec as unknown as TaskEnvironmentSpec;
  }

  /**
   * A new environment with this one's settings and the ones given (flyte-sdk's `clone_with`): a new
   * name is required; `reusable: undefined` given explicitly turns reuse off, as flyte-sdk's
   * `clone_with(reusable=None)`; any other setting left undefined is inherited.
   */
  cloneWith(changes: Partial<TaskEnvironmentSpec> & { name: string }): TaskEnvironment {
    if (!isPlainObject(changes) || typeof changes.name !== "string") {
      throw new TaskDefinitionError({ subject: `TaskEnvironment '${this.name}', cloneWith()`, expected: "{ name, ... } with a new name", got: describeValue(changes) });
    }
    const spec: Record<string, unknown> = { ...this.spec };
    for (const [key, value] of Object.entries(changes)) {
      if (value !== undefined) spec[key] = value;
      else if (key === "reusable") delete spec.reusable;
    }
    return new TaskEnvironment(spec as unknown as TaskEnvironmentSpec);
  }

  /** The task options a task of this environment starts from. */
  private defaults(): TaskOptions & { podTemplateName?: string } {
    const options: Record<string, unknown> = {};
    for (const [key, option] of Object.entries(AS_OPTION) as [keyof TaskEnvironmentSpec, keyof TaskOptions][]) {
      if (this[key] !== undefined) options[option] = this[key];
    }
    if (typeof this.podTemplate === "string") options.podTemplateName = this.podTemplate;
    else if (this.podTemplate !== undefined) options.podTemplate = this.podTemplate;
    return options as TaskOptions;
  }

  /** A task's options in this environment: the environment's, then the task's own on top (checked by flyte-sdk's table). */
  private optionsFor(where: string, own: Readonly<Record<string, unknown>>): DeclaredTaskOptions {
    if (!isPlainObject(own)) throw new TaskDefinitionError({ subject: where, expected: "options to be an object", got: describeValue(own) });
    for (const key of Object.keys(own)) {
      if (key === "name") {
        throw new TaskDefinitionError({
          subject: `${where}, name`,
          problem: `a task of an environment is named <environment>.<function> ('${this.name}.…'), which cannot be changed`,
          fix: "set shortName for the name the UI shows",
        });
      }
      const setting = ENVIRONMENT_ONLY[key];
      if (setting !== undefined) {
        throw new TaskDefinitionError({
          subject: `${where}, ${key}`,
          problem: `${setting} is set on the TaskEnvironment, not on one of its tasks`,
          // flyte-sdk's override() takes resources, env, secrets and reusable, never the image or the plugin config.
          fix:
            setting === "image" || setting === "pluginConfig"
              ? "set it on the environment (or cloneWith() one)"
              : `set it on the environment (or cloneWith() one), or change it for a call with task.override({ ${setting}: ... })`,
        });
      }
    }
    const { podTemplate, ...rest } = own as EnvironmentTaskOptions;
    if (this.reusable !== undefined && podTemplate !== undefined) {
      throw new TaskDefinitionError({ subject: `${where}, podTemplate`, problem: "Cannot set pod_template when environment is reusable" });
    }
    const options: Record<string | symbol, unknown> = this.defaults();
    // The task's own pod (or its name) replaces the environment's, whichever form either takes.
    const ownPod = podTemplate ?? (rest as TaskOptions).podTemplateName;
    if (ownPod !== undefined) {
      delete options.podTemplate;
      delete options.podTemplateName;
    }
    if (typeof podTemplate === "string") options.podTemplateName = podTemplate;
    else if (podTemplate !== undefined) options.podTemplate = podTemplate;
    // The legacy cache options belong with the task's own cache, not with the environment's Cache.
    const taskOwn = rest as TaskOptions;
    if (taskOwn.cacheVersion !== undefined || taskOwn.cacheSerialize !== undefined || taskOwn.cacheIgnoreInputVars !== undefined) delete options.cache;
    for (const [key, value] of Object.entries(rest)) if (value !== undefined) options[key] = value;
    options[ENVIRONMENT_OF_TASK] = { name: this.name };
    return options as DeclaredTaskOptions;
  }

  /**
   * Declares a task of this environment: the function form `env.task(options, fn)`, or a decorator
   * `@env.task` / `@env.task(options)` on a method or class in either decorator mode (that takes
   * `@flytekit-ts/decorators`, imported before the class is declared).
   */
  task<const I extends InputsSpec = {}, const O extends OutputsSpec | undefined = undefined, R = OutputIn<O>>(
    options: EnvironmentTaskOptions<I, O>,
    fn: (inputs: TaskInputs<I>) => R & (OutputIn<O> | PromiseLike<OutputIn<O>>),
  ): TaskFunction<I, O, R extends PromiseLike<unknown> ? true : false>;
  task(options?: EnvironmentTaskOptions & { inputs?: InputsSpec; outputs?: OutputsSpec }): EnvironmentTaskDecorator;
  task(target: Function): void;
  task(target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor | void;
  task<This, Value extends (this: This, ...args: any) => any>(value: Value, context: ClassMethodDecoratorContext<This, Value>): void;
  task<Class extends abstract new (...args: any) => any>(value: Class, context: ClassDecoratorContext<Class>): void;
  task(...args: unknown[]): unknown {
    const [first, second] = args;
    // The function form: options, then a function that is not a decorator context.
    if (args.length === 2 && isPlainObject(first) && typeof second === "function") return this.functionForm(first, second);
    // `@env.task(options)` (or `@env.task()`): a decorator to apply.
    if (args.length === 0 || (args.length === 1 && isPlainObject(first))) {
      const options = this.optionsFor(`${this.name}: @env.task()`, (first ?? {}) as Record<string, unknown>);
      return (...applied: unknown[]) => {
        const done = taskDecoratorApplier("@env.task()")("@env.task()", options, applied);
        if (done === undefined) {
          throw new TaskDefinitionError({ subject: "@env.task()", problem: "it was called as a function, not applied as a decorator", fix: "write @env.task() above a class or method, or env.task(options, fn) for the function form" });
        }
        return done.result;
      };
    }
    // `@env.task` applied bare.
    const done = taskDecoratorApplier("@env.task")("@env.task", this.optionsFor(`${this.name}: @env.task`, {}), args);
    if (done === undefined) {
      throw new TaskDefinitionError({ subject: "env.task", expected: "(options, fn), or use as a decorator", got: args.map(describeValue).join(", ") });
    }
    return done.result;
  }

  private functionForm(own: Record<string, unknown>, fn: Function): unknown {
    const file = callerFile();
    const where = `${this.name}: env.task(options, fn)${file === undefined ? "" : ` in ${file}`}`;
    if (fn.name === "") {
      throw new TaskDefinitionError({ subject: where, problem: "a task of an environment is named after its function, and this one has no name", fix: "pass a named function (function add(...) {}) or a named const (const add = ...)" });
    }
    const name = `${this.name}.${fn.name}`;
    const earlier = this.made.get(name);
    if (earlier !== undefined && earlier.fn !== fn) {
      throw new TaskDefinitionError({ task: name, subject: where, problem: `the environment already has a task '${name}'`, fix: "give the function another name" });
    }
    const made = functionTask(this.optionsFor(where, own) as FunctionTaskOptions, fn as never) as unknown as { task: Task };
    this.made.set(name, { fn, task: made.task });
    return made;
  }

  /** The tasks declared in this environment so far (declared methods are built on first use: this builds them). */
  get tasks(): Task[] {
    const tasks = [...this.made.values()].map((m) => m.task);
    for (const entry of taskStore.entries()) {
      const env = (entry.declaration.options as { [ENVIRONMENT_OF_TASK]?: { name: string } })[ENVIRONMENT_OF_TASK];
      if (env?.name === this.name) tasks.push(entry.get());
    }
    return tasks;
  }
}
// An environment from another copy of the package is taken as one of ours.
brand(TaskEnvironment, "TaskEnvironment", { setName: false });
