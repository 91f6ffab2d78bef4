import { TaskDefinitionError, type InputsSpec } from "@flytekit-ts/core";
import { applicationOf, methodApplication, type MethodDecorator } from "./application.js";
import { applyTaskDecorator } from "./apply.js";

export interface EchoOptions {
  /** The task's name, as given (default `<module>.<Class>.<member>`). */
  name?: string;
  /** Input types: where TypeScript erases them (legacy decorators), every input (standard decorators). */
  inputs?: InputsSpec;
}

/**
 * Declares an echo task on a method: its inputs are the method's parameters and its outputs
 * `o0, o1, ...` mirror them. Flyte's propeller copies inputs to outputs without a container; the
 * method's body never runs. Locally the call returns its inputs. `@echo` is `@echo()`.
 */
export function echo(target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor | void;
export function echo<This, Value extends (this: This, ...args: any) => any>(value: Value, context: ClassMethodDecoratorContext<This, Value>): void;
export function echo(options?: EchoOptions): MethodDecorator;
export function echo(...args: unknown[]): unknown {
  const bare = applicationOf(args, false);
  if (bare !== undefined) return applyTaskDecorator("@echo", "echo", {}, bare);
  const [options = {}] = args;
  if (typeof options !== "object" || options === null) {
    throw new TaskDefinitionError({ subject: "@echo()", expected: "options to be an object", got: String(options), fix: "write @echo() without options" });
  }
  return ((...applied: unknown[]) => applyTaskDecorator("@echo()", "echo", options as Readonly<Record<string, unknown>>, methodApplication("@echo()", applied))) as MethodDecorator;
}
