import { defaultTaskResolver, TaskResolutionError } from "./default-resolver.js";
import { importLocation } from "./locate.js";
import type { TaskResolver } from "../tasks/resolver.js";

const BUILTIN = Symbol.for("flytekit-ts.builtin-resolvers");
const builtins: Map<string, TaskResolver> = ((globalThis as Record<symbol, unknown>)[BUILTIN] as Map<string, TaskResolver> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[BUILTIN] = new Map<string, TaskResolver>()) as Map<string, TaskResolver>;
builtins.set(defaultTaskResolver.location, defaultTaskResolver);

/** Makes a resolver known by its location without an import (for resolvers that ship with flytekit-ts). */
export function registerBuiltinResolver(resolver: TaskResolver): void {
  builtins.set(resolver.location, resolver);
}

/**
 * The resolver a container names with `--resolver`: a built-in one by name, or
 * `<module>#<export>`, the module a package name or a path from the working directory.
 */
export async function resolverByLocation(location: string): Promise<TaskResolver> {
  const builtin = builtins.get(location);
  if (builtin !== undefined) return builtin;
  if (location.lastIndexOf("#") <= 0) {
    throw new TaskResolutionError({ subject: `resolver ${JSON.stringify(location)}`, problem: "no such resolver", fix: 'a resolver is a built-in name or "<module>#<export>"' });
  }
  const resolver = (await importLocation(location, "resolver")) as TaskResolver | undefined;
  if (resolver === undefined || resolver === null || typeof resolver.loadTask !== "function") {
    throw new TaskResolutionError({ subject: `resolver ${location}`, problem: "it is not a resolver (it has no loadTask)" });
  }
  return resolver;
}
