// Reading a store's settings from environment variables, shared by the stores' *-config.ts modules
// (which must not import any cloud SDK): a bad value is a StorageConfigError naming the variable.
import { StorageConfigError } from "./storage.js";

/** A whole number from an environment variable, or undefined when unset; a bad value is an error naming the variable. */
export function envInt(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const text = env[name]?.trim();
  if (text === undefined || text === "") return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    throw new StorageConfigError({ subject: `environment variable ${name}`, expected: `a whole number of at least ${min}`, got: JSON.stringify(text) });
  }
  return n;
}

/** Whether an environment variable says yes (1, true, yes, on; any case); unset or anything else is no. */
export function envFlag(env: NodeJS.ProcessEnv, name: string): boolean {
  return /^(1|true|yes|on)$/i.test(env[name]?.trim() ?? "");
}
