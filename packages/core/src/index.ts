// @flytekit-ts/core: what a user of flytekit-ts writes. Declaring tasks on classes is
// @flytekit-ts/decorators; extending the SDK (new types, plugins, executors) is
// "@flytekit-ts/core/extend"; the Flyte IDL messages are "@flytekit-ts/core/idl"; GPUs are
// "@flytekit-ts/core/accelerators"; registration files are "@flytekit-ts/core/registration".

// Types: tokens, the values they stand for, records (the built-in types' own list), and the engine.
export * from "./types/builtins.js";
export { TypeEngine } from "./types/engine.js";
export type { InputOf, NativeOf, TypeSpec } from "./types/type.js";
// What TypeScript cannot say, for a build to read from a task's types: `x: int` is Flyte's Int.
export type { float, int } from "./analysis/type-names.js";

// Tasks: declaring, calling, mocking.
export { functionTask, type FunctionTaskOptions, type TaskFunction } from "./tasks/function-form.js";
export { taskOf, type TaskLike, type TypedTask } from "./tasks/handles.js";
export { mockTask, restoreAllMocks, type MockBehaviour, type TaskMock } from "./testing/mock.js";
export { Task } from "./tasks/task.js";
export { EchoTask } from "./tasks/echo-task.js";
export { ReferenceTask, type TaskReference } from "./tasks/reference-task.js";
export { ShimTaskExecutor } from "./tasks/shim.js";
export { ContainerTask, type ContainerTaskInit, type IOStrategy } from "./tasks/raw-container.js";
export type { ContainerRuntime, LocalContainerOptions, MetadataFormat } from "./copilot/spec.js";
export { ContainerExitError, ContainerRuntimeError, type ExitStatus } from "./copilot/run-errors.js";
export { ContainerReportedError } from "./copilot/outputs.js";
export type { InputsSpec, OutputsSpec } from "./tasks/infer.js";
export type { TaskOptions } from "./tasks/options.js";
export type { DeclaredTaskOptions } from "./tasks/build.js";

// What options take.
export { Cache } from "./tasks/cache.js";
export { Resources } from "./tasks/resources.js";
export { Secret } from "./tasks/secret.js";
export { PodTemplate } from "./tasks/pod-template.js";
export { DeckField, type TaskDocs } from "./tasks/docs.js";
// Flyte 2's task surface: environments, retries with backoff, three-part timeouts, reuse.
export { TaskEnvironment, type EnvironmentTaskOptions, type TaskEnvironmentSpec } from "./tasks/task-environment.js";
export { RetryStrategy, type BackoffSpec, type RetryStrategySpec } from "./tasks/retry.js";
export { Timeout, type TimeoutSpec } from "./tasks/timeout.js";
export { ReusePolicy, type ReusePolicySpec } from "./tasks/reuse.js";
export type { TaskOverrides } from "./tasks/override.js";
export type { LinkContext, TaskLink } from "./tasks/links.js";

// Errors, in one format (see DESIGN.md); `instanceof` holds across copies of the package.
export { DocumentError, FlyteError, type ErrorFields } from "./errors/flyte-error.js";
export {
  IgnoreOutputs,
  NotRunnableLocallyError,
  RecoverableError,
  TaskDefinitionError,
  TaskInputError,
  TaskOutputError,
  TaskTimeoutError,
} from "./tasks/errors.js";
export { FlyteTypeError, TypeTransformerError } from "./types/errors.js";
export { StorageError, type Storage } from "./storage/storage.js";
export { SecretNotFoundError } from "./context/secrets.js";

// The running task, and what it runs with.
export { currentContext, withServices, type ExecutionContext } from "./context/context.js";
export type { Deck } from "./context/deck.js";
export type { ExecutionServices } from "./context/services.js";
export type { LogLevel, LogSink } from "./context/logger.js";
export { LocalCache, type LocalCacheHit, type LocalCacheStore } from "./context/local-cache.js";
export { registerStorage } from "./storage/router.js";

// Serialization.
export { SerializationSettings } from "./serialize/settings.js";
export { ImageConfig } from "./serialize/image.js";
export { templateToBinary, toTaskTemplate } from "./serialize/template.js";
export { inputsToBinary } from "./serialize/inputs.js";
export { VERSION } from "./version.js";
