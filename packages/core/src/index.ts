// @flytekit-ts/core: the model and the machinery of flytekit-ts. It knows nothing of decorators.
export * from "./types/index.js";
// The Flyte IDL messages are at "@flytekit-ts/core/idl" (kept apart so importing the SDK does not load all of flyteidl.admin).
export { VERSION } from "./version.js";
