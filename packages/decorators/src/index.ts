// @flytekit-ts/decorators: thin decorators, for TypeScript's legacy decorators (reading
// reflect-metadata) and its standard (TC39) ones, that record @flytekit-ts/core task declarations.
export { field, type FieldDecorator, type FieldOptions } from "./field.js";
export { task, type TaskDecorator } from "./task.js";
export { eager } from "./eager.js";
export { echo, type EchoOptions } from "./echo.js";
export { referenceTask, type ReferenceTaskOptions } from "./reference-task.js";
export { reflectedSignature } from "./declare.js";
export { customContainerTask, taskExecutor, type ClassDecorator } from "./custom-container-task.js";
export { containerTask, type ContainerTaskOptions } from "./container-task.js";
export type { MethodDecorator } from "./application.js";
