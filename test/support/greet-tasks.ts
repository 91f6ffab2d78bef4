// A customized container task whose executor is the user's own, in a TypeScript module: the
// container imports the executor from this file, by the location @taskExecutor() records.
import type { JsonObject } from "@bufbuild/protobuf";
import type { TaskTemplate } from "@flytekit-ts/core/idl";
import { customContainerTask, taskExecutor } from "@flytekit-ts/decorators";
import { type ExecutionContext, ShimTaskExecutor, Str } from "@flytekit-ts/core";

@taskExecutor()
export class GreetExecutor extends ShimTaskExecutor {
  executeFromModel(template: TaskTemplate, inputs: Readonly<Record<string, unknown>>, context: ExecutionContext): unknown {
    const custom = template.custom as JsonObject;
    return `${String(custom.greeting)}, ${String(inputs.name)}${context.mode === "container" ? " (from its container)" : ""}`;
  }
}

@customContainerTask({
  name: "greet.hello",
  taskType: "greeter",
  executor: GreetExecutor,
  containerImage: "ghcr.io/acme/greeter:1",
  config: { greeting: "hello" },
  custom: (config) => ({ ...(config as JsonObject) }),
  inputs: { name: Str },
  outputs: Str,
})
export class Greet {}
