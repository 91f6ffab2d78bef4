// The legacy decorators' front-end (experimentalDecorators): a decorator is given its class, and
// TypeScript's metadata (emitDecoratorMetadata) gives the types. Standard decorators go through
// standard.ts, which comes here for a class decorator; both record into core's one task store.
import "reflect-metadata";
import { TaskDefinitionError } from "@flytekit-ts/core";
import { callerFile, checkInstantiable, declare, registerSdkRoot, taskStore, type ReflectedSignature, type TaskDeclaration, type TaskEntry } from "@flytekit-ts/core/internal";

registerSdkRoot(import.meta.url);

/** What TypeScript's metadata says about a method. */
export function reflectedSignature(target: object, key: string): ReflectedSignature {
  const paramTypes = Reflect.getOwnMetadata("design:paramtypes", target, key) as unknown[] | undefined;
  return {
    paramTypes,
    returnType: Reflect.getOwnMetadata("design:returntype", target, key) as unknown,
    hasMetadata: paramTypes !== undefined,
  };
}

function wrapperFor(entry: TaskEntry, name: string): Function {
  // What callers call instead of the method: the task, which runs the original through
  // dispatchExecute. (A computed method name names the function without defineProperty.)
  return {
    [name](...args: unknown[]): unknown {
      return entry.get().localCall(args, undefined);
    },
  }[name]!;
}

/**
 * Records a task declared by a decorator that was given its class (a legacy decorator, or a standard
 * class decorator: `standard` then names it, and no type metadata is read) and puts the task in the
 * method's place.
 */
export function declareTask(
  decorator: string,
  kind: TaskDeclaration["kind"],
  options: Readonly<Record<string, unknown>>,
  target: object,
  key?: string | symbol,
  descriptor?: PropertyDescriptor,
  standard?: string,
): PropertyDescriptor | undefined {
  const file = callerFile();
  if (key === undefined && (kind === "container" || kind === "raw-container")) {
    // A (customized or raw) container task declared on a class: the class stands for the task.
    const cls = target as Function;
    const declaration: TaskDeclaration = { kind, target: cls, member: "", style: "class", fn: cls, options, reflected: { hasMetadata: false }, file };
    declare(declaration, [cls]);
    return undefined;
  }
  if (key === undefined) {
    // On a class: its run method is the task.
    const cls = target as Function;
    if (kind !== "function" && kind !== "eager") throw new TaskDefinitionError({ subject: `${decorator} on class ${cls.name}`, problem: "it decorates methods" });
    const run = (cls.prototype as { run?: unknown }).run;
    if (typeof run !== "function") {
      throw new TaskDefinitionError({ subject: `${decorator} on class ${cls.name}`, problem: "a task class needs a run method, whose parameters are the task's inputs" });
    }
    checkInstantiable(cls, undefined, `${decorator} on class ${cls.name}`);
    const declaration: TaskDeclaration = {
      kind,
      target: cls,
      member: "run",
      style: "class",
      fn: run,
      options,
      reflected: standard === undefined ? reflectedSignature(cls.prototype as object, "run") : { hasMetadata: false, standard },
      file,
    };
    const entry = declare(declaration, [cls]);
    const wrapper = wrapperFor(entry, "run");
    taskStore.addHandle(entry, wrapper);
    Object.defineProperty(cls.prototype, "run", { value: wrapper, writable: true, configurable: true, enumerable: false });
    return undefined;
  }
  const isStatic = typeof target === "function";
  const cls = (isStatic ? target : (target as { constructor: Function }).constructor) as Function;
  if (typeof key === "symbol") throw new TaskDefinitionError({ subject: `${decorator} on ${cls.name}.${key.toString()}`, problem: "a task method needs a string name" });
  if (descriptor === undefined || typeof descriptor.value !== "function") {
    throw new TaskDefinitionError({ subject: `${decorator} on ${cls.name}.${key}`, problem: "it decorates methods, not properties or accessors" });
  }
  if (!isStatic && (kind === "function" || kind === "eager")) checkInstantiable(cls, undefined, `${decorator} on ${cls.name}.${key}`);
  const declaration: TaskDeclaration = {
    kind,
    target: cls,
    member: key,
    style: isStatic ? "static" : "instance",
    fn: descriptor.value as Function,
    options,
    reflected: reflectedSignature(target, key),
    file,
  };
  const entry = declare(declaration, []);
  const wrapper = wrapperFor(entry, key);
  taskStore.addHandle(entry, wrapper);
  descriptor.value = wrapper;
  return descriptor;
}
