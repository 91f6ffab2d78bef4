export * from "./accelerators.js";
export { Cache, FunctionSourcePolicy, type CachePolicy, type CacheSpec, type VersionParameters } from "./cache.js";
export { DeckField, DEFAULT_DECK_FIELDS, type TaskDocs, type TaskDocumentation } from "./docs.js";
export { EchoTask } from "./echo-task.js";
export {
  IgnoreOutputs,
  NotRunnableLocallyError,
  RecoverableError,
  TaskDefinitionError,
  TaskInputError,
  TaskOutputError,
  TaskTimeoutError,
  ThrownValueError,
} from "./errors.js";
export { FunctionTask, type FunctionBody, type FunctionTaskInit, type TaskLocation } from "./function-task.js";
export {
  functionTask,
  type CallInputs,
  type FunctionTaskOptions,
  type OutputIn,
  type OutputOut,
  type TaskFunction,
  type TaskInputs,
} from "./function-form.js";
export { findTask, mockTask, taskOf, type TaskLike, type TypedTask } from "./handles.js";
export {
  attributePathOf,
  buildDeclaredTask,
  checkDeclaration,
  checkInstantiable,
  DECLARED_TASK_OPTION_NAMES,
  defaultTaskName,
  type CustomContainerTaskOptions,
  type DeclaredTaskOptions,
} from "./build.js";
export type { ReflectedSignature, TaskDeclaration } from "./declaration.js";
export { compileTaskOptions, TASK_OPTION_NAMES, type TaskMetadata, type TaskOptions, type TaskSettings } from "./options.js";
export { PodTemplate, PRIMARY_CONTAINER_DEFAULT_NAME, type PodTemplateSpec } from "./pod-template.js";
export { ReferenceTask, type TaskReference } from "./reference-task.js";
export { Resources, type ResourcePair, type ResourceSpec, type ResourceValue } from "./resources.js";
export { MountType, Secret, type SecretSpec } from "./secret.js";
export { TaskEntry, TaskStore, taskStore } from "./store.js";
export { isUserError, Task, type TaskInit } from "./task.js";
export { ExecutableTemplateShimTask, ExecutorTask, executorOutputs, interfaceFromTemplate, ShimTaskExecutor, type ShimTaskExecutorClass } from "./shim.js";
export { CustomizedContainerTask, type CustomizedContainerTaskInit } from "./container-task.js";
export { interpolateQuery, normalizeQueryTemplate, pythonFloat, pythonStr, queryPlaceholders, SQLTask, type SQLTaskInit } from "./sql-task.js";
