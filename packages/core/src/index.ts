// @flytekit-ts/core: the model and the machinery of flytekit-ts. It knows nothing of decorators.
export * from "./types/index.js";
export * as idl from "./idl/index.js";
export { VERSION } from "./version.js";
