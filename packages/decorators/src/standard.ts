// The standard (TC39) decorators' front-end for tasks: it records the same TaskDeclaration as the
// legacy front-end (declare.ts) into the same store, once the declaration's class is known. A method
// decorator is not given its class: its declaration waits on the class's metadata object (see
// core's metadata/awaiting-class.ts) until the class is found, at once for a static method or a
// class decorator (their initializers run with the class), else when the class is first used.
import { TaskDefinitionError } from "@flytekit-ts/core";
import {
  callerFile,
  checkInstantiable,
  classFound,
  classHolding,
  declare,
  moduleNameOf,
  nextDeclarationIndex,
  taskStore,
  whenClassFound,
  type TaskDeclaration,
  type TaskEntry,
} from "@flytekit-ts/core/internal";
import { declareTask } from "./declare.js";

type Kind = TaskDeclaration["kind"];

/**
 * The methods of one class that standard decorators declared, in the order they were decorated
 * (static methods first), with the places in the order of declarations they took. A method takes
 * one of them when it is placed, in legacy decorators' order (instance methods, then static ones):
 * `serialize` numbers a module's tasks the same in both modes.
 */
interface ClassMethods {
  members: { static: boolean }[];
  indices: number[];
}
const methodsOf = new WeakMap<object, ClassMethods>();

function indexIn(group: ClassMethods, member: { static: boolean }): number {
  const legacyOrder = [...group.members.filter((m) => !m.static), ...group.members.filter((m) => m.static)];
  return [...group.indices].sort((a, b) => a - b)[legacyOrder.indexOf(member)]!;
}

function metadataOf(decorator: string, context: DecoratorContext): object {
  const metadata = (context as { metadata?: unknown }).metadata;
  if (typeof metadata !== "object" || metadata === null) {
    throw new TaskDefinitionError({
      subject: `${decorator} on ${String(context.name)}`,
      problem: "the standard decorator got no metadata object (context.metadata), through which flytekit-ts finds the member's class",
      fix: "compile with TypeScript 5.2 or later, and import @flytekit-ts/decorators before the class is declared (it defines Symbol.metadata)",
    });
  }
  return metadata;
}

/** Applies a standard task decorator (`@task`, `@echo`, `@referenceTask`, `@customContainerTask`). */
export function declareStandard(decorator: string, kind: Kind, options: Readonly<Record<string, unknown>>, value: unknown, context: DecoratorContext): unknown {
  if (context.kind === "class") {
    // A class decorator gets its class: the legacy path serves. Its initializer runs with the
    // class once it is defined, and places what its members' decorators declared.
    declareTask(decorator, kind, options, value as Function, undefined, undefined, decorator.replace(/\(\)$/, ""));
    context.addInitializer(function (this: unknown) {
      if (typeof this === "function") classFound(this);
    });
    return undefined;
  }
  if (context.kind !== "method" || kind === "container" || kind === "raw-container") {
    const what = kind === "container" || kind === "raw-container" ? "classes" : "methods and classes";
    throw new TaskDefinitionError({ subject: `${decorator} on ${String(context.name)}`, problem: `it decorates ${what}, not ${context.kind === "field" ? "fields" : "accessors"}` });
  }
  return declareStandardMethod(decorator, kind, options, value as Function, context);
}

function declareStandardMethod(decorator: string, kind: Kind, options: Readonly<Record<string, unknown>>, fn: Function, context: ClassMethodDecoratorContext): Function {
  const member = context.name;
  if (typeof member === "symbol") throw new TaskDefinitionError({ subject: `${decorator} on ${member.toString()}`, problem: "a task method needs a string name" });
  if (context.private) {
    throw new TaskDefinitionError({ subject: `${decorator} on ${member}`, problem: "a private method cannot be a task: a container could not reach it", fix: `make it public (${member.slice(1)})` });
  }
  const metadata = metadataOf(decorator, context);
  const file = callerFile();
  const style = context.static ? "static" : "instance";
  const self = { static: context.static };
  let group = methodsOf.get(metadata);
  if (group === undefined) methodsOf.set(metadata, (group = { members: [], indices: [] }));
  group.members.push(self);
  group.indices.push(nextDeclarationIndex());
  const methods = group;

  let entry: TaskEntry | undefined;
  const wrapper = {
    [member](this: unknown, ...args: unknown[]): unknown {
      return (entry ?? placedThrough(this)).get().localCall(args, undefined);
    },
  }[member]!;

  // Called on an instance (or the class) before anything found the class: the receiver tells it.
  function placedThrough(receiver: unknown): TaskEntry {
    const cls = classHolding(receiver, member as string, wrapper);
    if (cls !== undefined) classFound(cls);
    if (entry !== undefined) return entry;
    throw new TaskDefinitionError({
      subject: `${decorator} on ${member as string}${file === undefined ? "" : ` (module ${moduleNameOf(file)})`}`,
      problem: "it was called without its class, which a standard decorator on an instance method is not given",
      fix: "call it on an instance (new TheClass().method(...)), or through taskOf once the class is known",
    });
  }

  whenClassFound(metadata, (cls) => {
    if (entry !== undefined) return;
    if (style === "instance" && (kind === "function" || kind === "eager")) checkInstantiable(cls, undefined, `${decorator} on ${cls.name}.${member}`);
    const declaration: TaskDeclaration = { kind, target: cls, member, style, fn, options, reflected: { hasMetadata: false, standard: decorator.replace(/\(\)$/, "") }, file };
    const placed = declare(declaration, [], indexIn(methods, self));
    taskStore.addHandle(placed, wrapper);
    entry = placed;
  });
  taskStore.awaitClass(wrapper, `${style} method '${member}'${file === undefined ? "" : ` of module ${moduleNameOf(file)}`}`);
  context.addInitializer(function (this: unknown) {
    // A static method's initializer runs with the class as it is defined; an instance method's, with
    // each new instance (until the class is found).
    if (entry !== undefined) return;
    const cls = typeof this === "function" ? this : classHolding(this, member, wrapper);
    if (cls !== undefined) classFound(cls);
  });
  return wrapper;
}
