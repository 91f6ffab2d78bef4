/** Whether a value is a thenable (a Promise or alike). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/** Applies `fn` to a value now, or when it resolves: sync stays sync, async stays async. */
export function andThen<T, R>(value: T | PromiseLike<T>, fn: (v: T) => R | PromiseLike<R>): R | Promise<R> {
  if (isThenable(value)) return Promise.resolve(value).then(fn);
  return fn(value as T) as R;
}

/**
 * Waits `ms` on a timer. When `signal` aborts first (or already has), rejects with its reason, the
 * timer cleared, so nothing keeps the process alive.
 */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
