// "<module>#<export>": how a container names code it must import (a resolver, a template task's
// executor). The module is a package specifier (`@flytekit-ts/plugins/sqlite`) or a path from the
// working directory (`dist/executors.js`), which is the package root in a task's container.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { brand, FlyteError } from "../errors/flyte-error.js";
import { packageRoot } from "../naming/module-name.js";

/** A location that cannot be imported, or does not export what it names. */
export class LocationError extends FlyteError {}
brand(LocationError, "LocationError");

/** A module file's path from its package root (the container's working directory), with '/'. */
export function modulePath(file: string): string {
  const root = packageRoot(file) ?? process.cwd();
  return relative(root, file).split(sep).join("/");
}

/** Imports what `<module>#<export>` names; `what` says what it is for messages ("resolver", "executor"). */
export async function importLocation(location: string, what: string): Promise<unknown> {
  const hash = location.lastIndexOf("#");
  if (hash <= 0 || hash === location.length - 1) throw new LocationError({ subject: `${what} ${JSON.stringify(location)}`, expected: '"<module>#<export>"', got: JSON.stringify(location) });
  const specifier = location.slice(0, hash);
  const exportName = location.slice(hash + 1);
  const isPath = specifier.startsWith(".") || specifier.startsWith("/") || /\.[cm]?[jt]sx?$/.test(specifier);
  let url: string;
  if (isPath) {
    const file = isAbsolute(specifier) ? specifier : resolve(process.cwd(), specifier);
    if (!existsSync(file)) throw new LocationError({ subject: `${what} ${location}`, problem: `${specifier} does not exist (looked for ${file})` });
    url = pathToFileURL(file).href;
  } else {
    // A package, found from the working directory (the user's project), else from the SDK.
    try {
      url = pathToFileURL(createRequire(join(process.cwd(), "noop.js")).resolve(specifier)).href;
    } catch {
      url = specifier;
    }
  }
  const module = (await import(url)) as Record<string, unknown>;
  if (!(exportName in module)) throw new LocationError({ subject: `${what} ${location}`, problem: `${specifier} exports nothing named ${exportName}` });
  return module[exportName];
}
