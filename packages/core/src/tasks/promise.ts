/** Whether a value is a thenable (a Promise or alike). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/** Applies `fn` to a value now, or when it resolves: sync stays sync, async stays async. */
export function andThen<T, R>(value: T | PromiseLike<T>, fn: (v: T) => R | PromiseLike<R>): R | Promise<R> {
  if (isThenable(value)) return Promise.resolve(value).then(fn);
  return fn(value as T) as R;
}
