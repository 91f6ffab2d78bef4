// The order tasks were declared in, across every module a program loads: pyflyte numbers the
// files it writes in that order, and so does `flytekit-ts serialize`. A decorated task is built
// lazily, so it takes the number of its declaration, not of its build.
const KEY = Symbol.for("flytekit-ts.declaration-sequence");
const state = ((globalThis as Record<symbol, unknown>)[KEY] ??= { next: 0, building: undefined }) as { next: number; building: number | undefined };

/** A new declaration's number. */
export function nextDeclarationIndex(): number {
  return state.next++;
}

/** The number of a task being constructed: its declaration's while one is built, else a new one. */
export function declarationIndexForNewTask(): number {
  return state.building ?? state.next++;
}

/** Runs `build` with the tasks it constructs numbered `index`. */
export function withDeclarationIndex<T>(index: number, build: () => T): T {
  const previous = state.building;
  state.building = index;
  try {
    return build();
  } finally {
    state.building = previous;
  }
}
