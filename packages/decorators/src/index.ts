// @flytekit-ts/decorators: thin decorators that read reflect-metadata and options, and build
// @flytekit-ts/core objects.
export { field } from "./field.js";
