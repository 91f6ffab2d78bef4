export { buildContainer, buildK8sPod, extendedResources, k8sResourceName, podSpecWithPrimary, resourcesToIdl, type ContainerSpec } from "./container.js";
export { EXECUTE_COMMAND, executeArgs, FAST_EXECUTE_COMMAND, withFastExecute } from "./entrypoint-args.js";
export { DEFAULT_IMAGE_NAME, Image, ImageConfig, ImageError, resolveContainerImage } from "./image.js";
export { RUNTIME_FLAVOR, taskMetadataToIdl } from "./metadata.js";
export { SerializationSettings, type FastSerialization, type SerializationSettingsSpec } from "./settings.js";
export {
  ReferenceSerializationError,
  templateToBinary,
  templateToJson,
  toReferenceIdentifier,
  toTaskTemplate,
} from "./template.js";
