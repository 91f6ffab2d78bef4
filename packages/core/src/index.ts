// @flytekit-ts/core: the model and the machinery of flytekit-ts. It knows nothing of decorators.
// The Flyte IDL messages are at "@flytekit-ts/core/idl", kept apart so that importing the SDK
// does not load all of flyteidl.admin.
export * from "./types/index.js";
export * from "./tasks/index.js";
export { Interface, type InputVariable, type OutputVariable } from "./interface/interface.js";
export { inferFunctionInterface, type InputSpec, type InputsSpec, type OutputsSpec } from "./interface/infer.js";
export { parseParameters, type ParsedParameter } from "./interface/params.js";
export { TaskPlugins, type PluginTaskClass, type TemplateTaskClass } from "./plugins/task-plugins.js";
export type { TaskResolver } from "./resolvers/resolver.js";
export {
  currentContext,
  TaskExecutionContext,
  type ExecutionContext,
  type ExecutionEnvironment,
  type ExecutionId,
} from "./execute/context.js";
export { setLogSink, TaskLogger, type LogLevel, type LogSink } from "./execute/logger.js";
export { Secrets, SecretNotFoundError, type SecretsConfig } from "./execute/secrets.js";
export { clearLocalCache, configureLocalCache, DiskCacheStore, localCacheConfig, type LocalCacheConfig, type LocalCacheStore } from "./execute/local-cache.js";
export { localCacheKey } from "./execute/cache-key.js";
export { callerFile, moduleNameOf, registerSdkRoot } from "./naming/module-name.js";
export { restoreAllMocks, TaskMock, type MockBehaviour } from "./testing/mock.js";
export { VERSION } from "./version.js";
export * from "./serialize/index.js";
export {
  DEFAULT_RESOLVER_LOCATION,
  DefaultTaskResolver,
  defaultTaskResolver,
  locationOf,
  TaskResolutionError,
  type ModuleLocation,
} from "./resolvers/default-resolver.js";
export {
  executorLocation,
  setExecutorLocation,
  TASK_TEMPLATE_RESOLVER_LOCATION,
  TaskTemplateResolver,
  taskTemplateResolver,
} from "./resolvers/template-resolver.js";
export { importLocation, LocationError, modulePath } from "./resolvers/locate.js";
export { HttpStorage, joinUri, LocalStorage, registerStorage, StorageError, storageFor, type Storage } from "./execute/storage.js";
export { crc32, untar } from "./cli/tar.js";
export { executionEnvironmentFromEnv } from "./execute/environment.js";
