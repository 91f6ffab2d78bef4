// Standard (TC39) decorators do not give a member decorator its class: a method or field decorator
// gets the member and a context whose `metadata` object the whole class shares, and which becomes
// the class's `Symbol.metadata` once the class is defined. What such a decorator declares waits on
// that object here, and is placed on its class when the class is found: by a static member's or a
// class decorator's initializer (which run with the class), or by whoever meets the class first
// (taskOf, the resolvers, the CLI's discovery, a record type's lookup, a call on an instance).
// Legacy decorators (experimentalDecorators) get the class and never wait.

/** The symbol a class's metadata object is kept under: the engine's `Symbol.metadata`, else the one installSymbolMetadata() defines. */
export function symbolMetadata(): symbol {
  return (Symbol as unknown as { metadata?: symbol }).metadata ?? Symbol.for("Symbol.metadata");
}

/**
 * Defines `Symbol.metadata` where the engine has none (Node 20), as `Symbol.for("Symbol.metadata")`
 * (esbuild's fallback too): TypeScript's emit gives standard decorators a metadata object only when
 * the symbol exists. What declares with standard decorators calls it before a user's class is declared.
 */
export function installSymbolMetadata(): void {
  (Symbol as unknown as { metadata?: symbol }).metadata ??= Symbol.for("Symbol.metadata");
}

/** What waits on a metadata object: each placement gets the class that owns the object. */
type Placement = (cls: Function) => void;

// Kept on globalThis so two copies of this package (a bundling accident) share one list.
const KEY = Symbol.for("flytekit-ts.awaiting-class");
const waiting: WeakMap<object, Placement[]> = ((globalThis as Record<symbol, unknown>)[KEY] ??= new WeakMap()) as WeakMap<object, Placement[]>;

/** Runs `place` with the class whose decorators were given `metadata`, once that class is found. */
export function whenClassFound(metadata: object, place: Placement): void {
  let list = waiting.get(metadata);
  if (list === undefined) waiting.set(metadata, (list = []));
  list.push(place);
}

/**
 * Places what waits on `cls` and on each class it extends (each waits on its own metadata object).
 * A placement that throws stays waiting (the next lookup of the class throws again); the first
 * error is thrown once the others have run.
 */
export function classFound(cls: Function): void {
  const symbol = symbolMetadata();
  let first: { error: unknown } | undefined;
  for (let c: unknown = cls; typeof c === "function" && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    if (!Object.prototype.hasOwnProperty.call(c, symbol)) continue;
    const metadata = (c as unknown as Record<symbol, unknown>)[symbol];
    if (typeof metadata !== "object" || metadata === null) continue;
    const list = waiting.get(metadata);
    if (list === undefined) continue;
    waiting.delete(metadata);
    const failed: Placement[] = [];
    for (const place of list) {
      try {
        place(c as Function);
      } catch (error) {
        failed.push(place);
        first ??= { error };
      }
    }
    if (failed.length > 0) waiting.set(metadata, failed);
  }
  if (first !== undefined) throw first.error;
}

/** The class whose prototype (or whose base class's) holds `method` as its own property `name`: the class of a method called on an instance. */
export function classHolding(receiver: unknown, name: string, method: Function): Function | undefined {
  if (typeof receiver === "function") {
    for (let c: unknown = receiver; typeof c === "function"; c = Object.getPrototypeOf(c)) {
      if (Object.getOwnPropertyDescriptor(c, name)?.value === method) return c as Function;
    }
    return undefined;
  }
  if (typeof receiver !== "object" || receiver === null) return undefined;
  for (let p: unknown = Object.getPrototypeOf(receiver); typeof p === "object" && p !== null; p = Object.getPrototypeOf(p)) {
    if (Object.getOwnPropertyDescriptor(p, name)?.value === method) {
      const cls = (p as { constructor?: unknown }).constructor;
      return typeof cls === "function" ? cls : undefined;
    }
  }
  return undefined;
}
