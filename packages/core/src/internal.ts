// "@flytekit-ts/core/internal": what flytekit-ts's own packages (decorators, plugins, the CLI) and
// its tests use of core's machinery. Not an API: it changes with the packages that use it.

// Tar archives broken on purpose, for tests.
export { rawTar, rawTarHeader, tarSize } from "./archive/raw-tar.js";

// Declaring and building tasks.
export {
  attributePathOf,
  buildDeclaredTask,
  buildFunctionTask,
  checkDeclaration,
  checkInstantiable,
  declare,
  defaultTaskName,
  FUNCTION_TASK_OPTION_NAMES,
  type CustomContainerTaskOptions,
  type DeclaredTaskOptions,
  type FunctionTaskSource,
  type RawContainerTaskOptions,
} from "./tasks/build.js";
export type { ReflectedSignature, TaskDeclaration } from "./tasks/declaration.js";
export { TaskEntry, TaskStore, taskStore, type TaskBuilder } from "./tasks/store.js";
export { findTask } from "./tasks/handles.js";
export { nextDeclarationIndex } from "./tasks/sequence.js";
export { classFound, classHolding, installSymbolMetadata, symbolMetadata, whenClassFound } from "./metadata/awaiting-class.js";
export type { CallInputs, OutputIn, OutputOut, TaskInputs } from "./tasks/function-form.js";
export { eagerFunctionTask } from "./tasks/function-form.js";
export { pythonJson, serializationSettingsJson, serializedContext, withSerializedContext } from "./serialize/serialized-context.js";
export { inferFunctionInterface, inputsOf, outputsOf, type InputSpec } from "./tasks/infer.js";
export { checkOptionNames, compileTaskOptions, defaultTaskSettings, optionNamesIn, TASK_OPTION_NAMES, TASK_OPTIONS, type OptionSpec, type OptionsContext } from "./tasks/options.js";
export { bindArguments, nativeInputs, nativeOutputs, outputLiterals, type Boundary } from "./tasks/conversion.js";
export { localCall, type LocallyRunnable } from "./tasks/local-run.js";
export { isUserError, ThrownValueError, userError } from "./tasks/errors.js";
export { andThen, isThenable } from "./tasks/promise.js";
export { FunctionSourcePolicy, type CachePolicy, type CacheSpec, type VersionParameters } from "./tasks/cache.js";
export { DEFAULT_DECK_FIELDS, type TaskDocumentation } from "./tasks/docs.js";
export { MountType, type SecretSpec } from "./tasks/secret.js";
export { PRIMARY_CONTAINER_DEFAULT_NAME, type PodTemplateSpec } from "./tasks/pod-template.js";
export type { ResolvedResources, ResourcePair, ResourceSpec, ResourceValue } from "./tasks/resources.js";
export { parseParameters, type ParsedParameter } from "./interface/params.js";

// Manifests: a module's task types, read from TypeScript's own types at build time.
export { BUILD_FIX, codeHash, ManifestError, manifestFor, manifestOrigin, registerManifest, type ManifestOrigin } from "./analysis/registry.js";
export { manifestTypesOf, tokenOfManifestType, unreadableOf, type ManifestTypes, type Unreadable } from "./tasks/manifest-types.js";
export {
  MANIFEST_FORMAT,
  MANIFEST_SUFFIX,
  manifestPathOf,
  recordKey,
  taskKey,
  type ManifestDiagnostic,
  type ManifestRecord,
  type ManifestScalar,
  type ManifestTask,
  type ManifestType,
  type ManifestVariable,
  type TaskManifest,
} from "./analysis/manifest.js";

// Names and locations.
export { callerFile, moduleNameOf, registerSdkRoot } from "./naming/module-name.js";
export { importLocation, LocationError, modulePath } from "./resolvers/locate.js";
export { DEFAULT_RESOLVER_LOCATION, DefaultTaskResolver, defaultTaskResolver, locationOf, TaskResolutionError, type ModuleLocation } from "./resolvers/default-resolver.js";
export { executorLocation, setExecutorLocation, TASK_TEMPLATE_RESOLVER_LOCATION, TaskTemplateResolver, taskTemplateResolver } from "./resolvers/template-resolver.js";
export { registerBuiltinResolver, resolverByLocation } from "./resolvers/registry.js";

// The type engine's machinery.
export { defineRecordField, fieldLabel, isRecordClass, noteRecordModule, recordType, structuralRecord, type FieldLayout, type FieldOptions } from "./types/record.js";
export { reflectedType, resolveSpec, typeRegistry, TypeRegistry } from "./types/registry.js";
export { resolveType, typeOf } from "./types/spec.js";
export { guessType } from "./types/guess.js";
export { fromLiteral, fromLiteralMap, literalTypeOf, toLiteral, toLiteralMap, type InputsOf, type NativesOf, type TypeMap } from "./types/engine.js";
export { describeLiteral, literalMapOf, MSGPACK_ANNOTATION } from "./types/literals.js";
export { decodeMsgpack, MAX_NESTING, MSGPACK_TAG } from "./types/msgpack.js";
export { isArrowTable, isArrowTableClass, TableReader, planTableWrite } from "./types/table-io.js";
export { PendingWork, DeferredValue } from "./types/pending.js";
export { tableCodec, tableFormats } from "./tables/formats.js";
export { loadArrow, loadParquet } from "./tables/runtime.js";
export { isPlainObject } from "./types/collections.js";
export { BigIntInt } from "./types/scalars.js";
export { ArrowTable } from "./types/structured.js";
export { noneValueOf, OptionalAbsent } from "./types/union.js";
export { durationToMillis, isoformatUtc, nanosOfSecond, parseIsoDatetime, type DurationParts } from "./types/time.js";
export type { BlobOptions } from "./types/blob.js";

// Running: contexts, services, and what they hold.
export {
  currentServices,
  maybeCurrentContext,
  runInContext,
  TaskExecutionContext,
  type ExecutionEnvironment,
  type ExecutionId,
  type PendingUpload,
  type TaskExecutionContextInit,
} from "./context/context.js";
export { containerServices, localServices } from "./context/services.js";
export { Deck, DeckSet, type TimelineEntry } from "./context/deck.js";
export { escapeHtml, renderDeckPage, renderValue, type DeckPanel, type TimelineCall } from "./context/deck-html.js";
export { DECK_FILE_NAME, renderTaskDeck } from "./tasks/decks.js";
export { defaultMocks, MockRegistry, NO_MOCKS, type MockBody } from "./context/mocks.js";
export { DiskCacheStore, defaultLocalCacheDir, LOCAL_CACHE_HEADER_BYTES, type LocalCacheStore } from "./context/local-cache.js";
export { localCacheKey } from "./context/cache-key.js";
export { Secrets, secretsConfigFromEnv, type SecretsConfig } from "./context/secrets.js";
export { consoleSink, TaskLogger, type LogLevel, type LogSink } from "./context/logger.js";
export { attemptFromEnv, envFlag, executionEnvironmentFromEnv, oneOf } from "./context/environment.js";
export { installMock } from "./testing/mock.js";

// Serialization's parts.
export { EXECUTE_COMMAND, executeArgs, FAST_EXECUTE_COMMAND, withFastExecute } from "./serialize/entrypoint-args.js";
export { DEFAULT_IMAGE_NAME, Image, ImageError, resolveContainerImage } from "./serialize/image.js";
export { RUNTIME_FLAVOR, taskMetadataToIdl } from "./serialize/metadata.js";
export { buildK8sPod, extendedResources, podSpecWithPrimary, resourcesToIdl } from "./serialize/container.js";
export { ReferenceSerializationError, templateToJson, toReferenceIdentifier } from "./serialize/template.js";
export type { FastSerialization, SerializationSettingsSpec } from "./serialize/settings.js";

// Errors' machinery; archives; loading TypeScript.
export { brand, formatError, quote } from "./errors/flyte-error.js";
export { crc32, gunzip, GUNZIP_LIMIT, gzip, tar, untar, type TarEntry } from "./archive/tar.js";
export { registerTypeScriptLoader } from "./loader/register.js";

// Offloaded literals, for the container tests: flytekit's hash of a literal, and the limits.
export { computeHashString } from "./execute/pbhash.js";
export { offloadLimits } from "./execute/offload.js";
export { registerTaskDecoratorApplier, type TaskDecoratorApplier } from "./tasks/decorator-support.js";
export { ENVIRONMENT_OF_TASK } from "./tasks/build.js";
export type { Flyte2Settings } from "./tasks/options.js";
export { backoffDelaySeconds, type Backoff } from "./tasks/retry.js";
