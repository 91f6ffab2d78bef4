// Helpers for the tasks layer's own tests (not shipped: package.json's files leave out testing.ts).
import { expect } from "vitest";
import { TaskDefinitionError } from "./errors.js";

/** The message of the TaskDefinitionError `fn` throws; fails the test when it throws another or none. */
export function definitionErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TaskDefinitionError);
    return (e as Error).message;
  }
  throw new Error("no error");
}
