// "@flytekit-ts/core/extend": what extending flytekit-ts takes (flytekit's flytekit.extend): new
// kinds of types, task plugins, executors and resolvers, and the parts of tasks they build on.

// Types: the base of a token, the registry, and the tokens' classes (to inspect declared types).
export {
  FlyteType,
  LOCAL_CONVERSION,
  MsgpackStructType,
  type AnyFlyteType,
  type Constructor,
  type ConversionContext,
  type UploadPlanner,
} from "./types/type.js";
export { TypeEngine } from "./types/engine.js";
export { literalTypeKeys, type NestedGuess, type TakesCheck, type TypeRegistration } from "./types/registry.js";
export { FlyteTypeError, TypeTransformerError } from "./types/errors.js";
export { describeValue } from "./types/describe.js";
export { BlobType } from "./types/blob.js";
export { DictType, ListType } from "./types/collections.js";
export { EnumType, type StringEnum } from "./types/enum.js";
export { RecordType } from "./types/record.js";
export { ArrowTable, DatasetType, type StructuredDatasetOptions } from "./types/structured.js";
export { SchemaType } from "./types/schema.js";
// Tables: formats beyond Parquet and CSV, and what a table is written from and read as.
export { registerTableFormat } from "./tables/formats.js";
export type { PartReadOptions, PartWriteOptions, TableCodec } from "./tables/codec.js";
export { TableFormatError } from "./tables/errors.js";
export type { DeclaredColumn, IterOptions, TableData } from "./types/table-io.js";
export { UnionType } from "./types/union.js";
export { MsgpackWriter } from "./types/msgpack.js";
export {
  binaryLiteral,
  blobLiteral,
  collectionLiteral,
  describeLiteral,
  literalMapOf,
  literalOf,
  mapLiteral,
  noneLiteral,
  primitiveLiteral,
  scalarLiteral,
} from "./types/literals.js";

// Tasks: the classes plugins subclass, and TaskPlugins.
export { Task, type TaskInit } from "./tasks/task.js";
export { FunctionTask, type FunctionBody, type FunctionTaskInit, type TaskLocation } from "./tasks/function-task.js";
export { EagerTask } from "./tasks/eager-task.js";
export { EagerCallError } from "./tasks/errors.js";
export { EagerRun, type InnerCall, type LaunchCaller, type TaskLauncher } from "./context/composition.js";
export { SERIALIZED_CONTEXT_ENV_VAR, serializationSettingsFromContext } from "./serialize/serialized-context.js";
export { TaskPlugins, type PluginTaskClass, type TemplateTaskClass } from "./tasks/plugins.js";
export { ExecutableTemplateShimTask, ExecutorTask, executorOutputs, interfaceFromTemplate, ShimTaskExecutor, type ShimTaskExecutorClass } from "./tasks/shim.js";
export { CustomizedContainerTask, type CustomizedContainerTaskInit } from "./tasks/container-task.js";
export { interpolateQuery, normalizeQueryTemplate, pythonFloat, pythonStr, queryPlaceholders, SQLTask, type SQLTaskInit } from "./tasks/sql-task.js";
export type { TaskMetadata, TaskSettings, TaskOptionsIn, OptionGroup } from "./tasks/options.js";
export type { ResolvableTask, ResolverContext, TaskResolver } from "./tasks/resolver.js";
export { Interface, type InputVariable, type OutputVariable } from "./interface/interface.js";
export { TaskExecutionContext } from "./context/context.js";

// Storage: what a store implements, and the built-in ones.
export { isRemotePath, joinUri, StorageConfigError, StorageError, uriFileName, type Storage } from "./storage/storage.js";
export { LocalStorage } from "./storage/local.js";
export { HttpStorage } from "./storage/http.js";
export { defaultStorage, registerStorage, StorageRouter } from "./storage/router.js";
export { DEFAULT_TRANSFER_CONCURRENCY, RemoteStorage, type ListedObject, type ObjectClient, type ObjectLocation } from "./storage/remote.js";
// The cloud stores with explicit options, and the options the environment gives (the built-in
// stores read it); each store loads its SDK on its first use, not on import.
export { azureStorage, gcsStorage, lazyStorage, s3Storage } from "./storage/stores.js";
export { s3OptionsFromEnv, type S3StoreOptions } from "./storage/s3-config.js";
export { gcsOptionsFromEnv, type GcsStorageOptions } from "./storage/gcs-config.js";
export { azureOptionsFromEnv, type AzureStorageOptions, type AzureTokenCredential } from "./storage/azure-config.js";

// Serialization, for plugins that write their own template parts.
export { SerializationSettings } from "./serialize/settings.js";
export { buildContainer, k8sResourceName, type ContainerSpec } from "./serialize/container.js";
