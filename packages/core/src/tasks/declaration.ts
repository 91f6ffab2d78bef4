// What a decorator records about a task. Core builds the task from it once, on first use.

/** What TypeScript's metadata said about the decorated function. */
export interface ReflectedSignature {
  paramTypes?: readonly unknown[];
  returnType?: unknown;
  /** Whether `design:paramtypes` was there at all. */
  hasMetadata: boolean;
  /**
   * The decorator (`@task`, `@echo`, `@referenceTask`) when it was a standard (TC39) decorator, which
   * carries no type metadata: every type comes from its tokens, and no `outputs` means none.
   */
  standard?: string;
}

/** A task declared with a decorator on a class or one of its methods. */
export interface TaskDeclaration {
  /** What to build. */
  kind: "function" | "eager" | "echo" | "reference" | "container" | "raw-container";
  /** The decorated class (the class that declares the method). */
  target: Function;
  /** The method's name; for a task declared on a class, `run`. */
  member: string;
  /** A static method, an instance method, or a class whose `run` method is the task. */
  style: "static" | "instance" | "class";
  /** The original function (before the decorator put the task in its place). */
  fn: Function;
  /** The decorator's options, as given. */
  options: Readonly<Record<string, unknown>>;
  reflected: ReflectedSignature;
  /** The file that declared it. */
  file?: string;
}
