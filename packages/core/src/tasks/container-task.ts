// flytekit's PythonCustomizedContainerTask (python_customized_container_task.py): a task whose
// container is a prebuilt image that runs no function of the user's, only an executor reading the
// serialized TaskTemplate. Plugin authors subclass it, provide `getCustom` (everything the
// executor needs goes into the template's `custom`) and pass their executor.
import type { JsonObject } from "@bufbuild/protobuf";
import { decode, encode } from "../idl/codec.js";
import { TaskTemplateSchema, type Container, type TaskTemplate } from "../idl/gen/flyteidl/core/tasks_pb.js";
import { Interface, type InputVariable, type OutputVariable } from "../interface/interface.js";
import { inputsOf, outputsOf, type InputsSpec, type OutputsSpec } from "./infer.js";
import type { TaskResolver } from "./resolver.js";
import { taskTemplateResolver } from "../resolvers/template-resolver.js";
import { buildContainer } from "../serialize/container.js";
import { executeArgs } from "../serialize/entrypoint-args.js";
import { Image, ImageConfig, resolveContainerImage } from "../serialize/image.js";
import { SerializationSettings } from "../serialize/settings.js";
import { toTaskTemplate } from "../serialize/template.js";
import type { AnyFlyteType } from "../types/type.js";
import { TaskDefinitionError } from "./errors.js";
import { checkOptionNames, compileTaskOptions, optionNamesIn, type OptionGroup, type TaskOptionsIn } from "./options.js";
import { ExecutorTask, type ShimTaskExecutorClass } from "./shim.js";
import { Task } from "./task.js";

/** The task options a customized container task takes: all but its pod, accelerators and decks (flytekit's ignores them). */
const CONTAINER_TASK_GROUPS = ["cache", "run", "metadata", "image", "resources", "secrets", "docs", "resolver"] as const satisfies readonly OptionGroup[];
type ContainerTaskGroup = (typeof CONTAINER_TASK_GROUPS)[number];

/**
 * The options of a customized container task: flytekit's constructor parameters, in camelCase, and
 * the task options that apply. `containerImage` is the executor's image, not the user's; the
 * resolver is the task template resolver unless given.
 */
export interface CustomizedContainerTaskInit<Config> extends TaskOptionsIn<ContainerTaskGroup> {
  name: string;
  /** The plugin's configuration; what the executor needs of it goes into `custom`. */
  taskConfig: Config;
  /** The executor that runs the task from its template. */
  executorType: ShimTaskExecutorClass;
  /** Flyte's task type. @default "typescript-task" */
  taskType?: string;
  /** The inputs, by name. @default none */
  inputs?: InputsSpec;
  /** The outputs. @default none */
  outputs?: OutputsSpec;
}

/** What the constructor takes: flytekit's parameters and the task options that apply. */
const INIT_NAMES: readonly string[] = ["name", "taskConfig", "executorType", "taskType", "inputs", "outputs", ...optionNamesIn(CONTAINER_TASK_GROUPS)];

/** The settings a template is serialized with before there are real ones (flytekit's placeholders). */
const PLACEHOLDER_SETTINGS = new SerializationSettings({
  project: "PLACEHOLDER_PROJECT",
  domain: "LOCAL",
  version: "PLACEHOLDER_VERSION",
  imageConfig: new ImageConfig(new Image("custom_container_task", "flyteorg.io/placeholder", "image")),
});

/**
 * A task run by an executor from its template (flytekit's PythonCustomizedContainerTask).
 * Subclasses implement `getCustom`; locally the executor runs in-process from the template, in a
 * container through `flytekit-ts-execute` and the task template resolver.
 */
export abstract class CustomizedContainerTask<Config = unknown> extends ExecutorTask {
  /** What templates are serialized with before serialization proper: flytekit's placeholders. */
  static readonly SERIALIZE_SETTINGS: SerializationSettings = PLACEHOLDER_SETTINGS;

  readonly taskType: string;
  readonly taskConfig: Config;
  readonly containerImage: string | undefined;
  private readonly resolverOverride: TaskResolver | undefined;
  private template: TaskTemplate | undefined;

  constructor(init: CustomizedContainerTaskInit<Config>) {
    const name = init?.name;
    if (typeof name !== "string" || name === "") throw new TaskDefinitionError({ subject: new.target.name, expected: "a name", got: JSON.stringify(name) ?? String(name) });
    checkOptionNames(name, init, INIT_NAMES);
    const docs = typeof init.docs === "string" ? { short: init.docs } : init.docs;
    const inputs: InputVariable[] = inputsOf(name, init.inputs ?? {}, docs);
    const outputs: OutputVariable[] = init.outputs === undefined ? [] : outputsOf(name, init.outputs, docs);
    const { name: _n, taskConfig: _c, executorType: _e, taskResolver, taskType: _t, inputs: _i, outputs: _o, containerImage, ...options } = init;
    const settings = compileTaskOptions(name, { ...options, containerImage, taskResolver }, { inputNames: inputs.map((v) => v.name) });
    super({ name, interface: new Interface(inputs, outputs), settings }, init.executorType);
    if (init.taskType !== undefined && (typeof init.taskType !== "string" || init.taskType === "")) {
      throw new TaskDefinitionError({ task: name, subject: "option 'taskType'", expected: "a non-empty string", got: JSON.stringify(init.taskType) ?? String(init.taskType) });
    }
    this.taskType = init.taskType ?? "typescript-task";
    this.taskConfig = init.taskConfig;
    this.containerImage = settings.containerImage;
    this.resolverOverride = taskResolver;
    // flytekit raises NotImplementedError from get_custom at serialization; TypeScript refuses a
    // subclass without it (it is abstract), and JavaScript's fails where the task is made.
    if (this.getCustom === Task.prototype.getCustom) {
      throw new TaskDefinitionError({ task: name, problem: `${new.target.name} does not implement getCustom(settings)`, fix: "implement it as a method: it makes the template's custom field, which its executor reads" });
    }
  }

  /** Everything the executor needs, in the template's `custom` field. */
  abstract override getCustom(settings?: SerializationSettings): JsonObject;

  /** Nothing, as flytekit: put what the executor needs into `custom`. */
  override getConfig(_settings?: SerializationSettings): Record<string, string> {
    return {};
  }

  /** How its container finds it: the task template resolver unless given another. */
  get resolver(): TaskResolver {
    return this.resolverOverride ?? taskTemplateResolver;
  }

  /** The image, its templates resolved (the settings' default image when none was given). */
  getImage(settings: SerializationSettings): string {
    return resolveContainerImage(this.containerImage, settings.imageConfig);
  }

  /** The container's args: flytekit's, without checkpoint flags, the resolver's loader arguments last. */
  getCommand(_settings: SerializationSettings): string[] {
    return executeArgs(this.resolver.location, this.resolver.loaderArgs(this), { checkpoints: false });
  }

  override getContainer(settings: SerializationSettings): Container {
    return buildContainer({
      image: this.getImage(settings),
      args: this.getCommand(settings),
      env: { ...settings.env, ...this.settings.environment },
      resources: this.settings.resources,
    });
  }

  /** The types of the inputs, by name. */
  getInputTypes(): Record<string, AnyFlyteType> {
    return Object.fromEntries(this.interface.inputs.map((v) => [v.name, v.type]));
  }

  getTypeForInputVar(name: string): AnyFlyteType {
    const v = this.interface.inputs.find((i) => i.name === name);
    if (v === undefined) throw new TaskDefinitionError({ task: this.name, subject: `input '${name}'`, problem: "no such input" });
    return v.type;
  }

  getTypeForOutputVar(name: string): AnyFlyteType {
    const v = this.interface.outputs.find((o) => o.name === name);
    if (v === undefined) throw new TaskDefinitionError({ task: this.name, subject: `output '${name}'`, problem: "no such output" });
    return v.type;
  }

  /**
   * The template for these settings, as flytekit's serialize_to_model makes it (no security
   * context, no task type version: registration writes those); it also becomes the one a local run
   * gives the executor.
   */
  serializeToModel(settings: SerializationSettings): TaskTemplate {
    const template = toTaskTemplate(this, settings);
    template.securityContext = undefined;
    template.taskTypeVersion = 0;
    template.extendedResources = undefined;
    // Through its bytes, as the container reads it: the executor sees here what it sees there.
    this.template = decode(TaskTemplateSchema, encode(TaskTemplateSchema, template));
    return this.template;
  }

  /** The template the executor reads: the last one serialized, else one made with flytekit's placeholders. */
  get taskTemplate(): TaskTemplate {
    return this.template ?? this.serializeToModel(CustomizedContainerTask.SERIALIZE_SETTINGS);
  }

}
