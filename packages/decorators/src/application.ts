// How a decorator was applied. TypeScript has two decorator modes: legacy (experimentalDecorators,
// with emitDecoratorMetadata's types) calls a member decorator with (prototype or class, key,
// descriptor) and a class decorator with (class); standard (TC39, TypeScript 5's default) calls
// every decorator with (value, context), where context says what is decorated but not its class,
// and carries no type metadata. Each decorator reads its arguments here, which also tells a bare
// `@task` (the decorator applied) from `@task(options)` (a call that makes one).

import { TaskDefinitionError } from "@flytekit-ts/core";
import { installSymbolMetadata } from "@flytekit-ts/core/internal";

// Standard decorators read `context.metadata`, which TypeScript's emit gives them only when
// Symbol.metadata exists (Node 20 has none): define it before any user class is declared, which
// importing this package does.
installSymbolMetadata();

/** A decorator applied in legacy mode: a class, or a member of the prototype or class `target`. */
export interface LegacyApplication {
  mode: "legacy";
  target: object;
  key?: string | symbol;
  descriptor?: PropertyDescriptor;
}

/** A decorator applied in standard mode: the decorated value and its context. */
export interface StandardApplication {
  mode: "standard";
  value: unknown;
  context: DecoratorContext;
}

export type Application = LegacyApplication | StandardApplication;

const KINDS = new Set(["class", "method", "getter", "setter", "field", "accessor"]);

/** Whether `value` is a standard decorator's context object. */
export function isStandardContext(value: unknown): value is DecoratorContext {
  if (typeof value !== "object" || value === null) return false;
  const { kind, addInitializer } = value as { kind?: unknown; addInitializer?: unknown };
  return typeof kind === "string" && KINDS.has(kind) && (typeof addInitializer === "function" || kind === "field");
}

/** Whether `value` is a class (a function with its own prototype), not an arrow function or a method. */
export function isClass(value: unknown): value is Function {
  return typeof value === "function" && Object.prototype.hasOwnProperty.call(value, "prototype");
}

/**
 * The application these arguments are, or undefined when they are a decorator factory's own
 * arguments (`@task({ ... })`, `@field(Int)`). `classes`: whether the decorator applies to classes
 * (a lone class argument is then the legacy class decorator: `@task` on a class; for `@field` it is
 * a record type, `@field(Point)`).
 */
export function applicationOf(args: readonly unknown[], classes: boolean): Application | undefined {
  const [first, second, third] = args;
  if (args.length === 2 && isStandardContext(second)) return { mode: "standard", value: first, context: second };
  const isMember =
    (args.length === 2 || args.length === 3) &&
    (typeof second === "string" || typeof second === "symbol") &&
    ((typeof first === "object" && first !== null) || typeof first === "function") &&
    (third === undefined || (typeof third === "object" && third !== null));
  if (isMember) return { mode: "legacy", target: first as object, key: second as string | symbol, descriptor: third as PropertyDescriptor | undefined };
  if (classes && args.length === 1 && isClass(first)) return { mode: "legacy", target: first };
  return undefined;
}

/** A decorator for a method, in either of TypeScript's decorator modes (legacy or standard). */
export interface MethodDecorator {
  /** Legacy. */
  (target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor | void;
  /** Standard. */
  <This, Value extends (this: This, ...args: any) => any>(value: Value, context: ClassMethodDecoratorContext<This, Value>): void;
}

/** The application of a method decorator, or an error that says it was not applied as one. */
export function methodApplication(decorator: string, args: readonly unknown[]): Application {
  const application = applicationOf(args, false);
  if (application === undefined) throw new TaskDefinitionError({ subject: decorator, problem: "it was called as a function, not applied as a decorator", fix: `write ${decorator} above a method` });
  return application;
}
