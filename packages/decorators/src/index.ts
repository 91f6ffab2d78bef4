// @flytekit-ts/decorators: thin decorators that read reflect-metadata and options, and build
// @flytekit-ts/core objects.
export { field } from "./field.js";
export { task, type TaskDecorator } from "./task.js";
export { echo, type EchoOptions } from "./echo.js";
export { referenceTask, type ReferenceTaskOptions } from "./reference-task.js";
export { reflectedSignature } from "./declare.js";
export { customContainerTask, taskExecutor } from "./custom-container-task.js";
