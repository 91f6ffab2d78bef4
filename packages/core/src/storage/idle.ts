// A bound on a stream that stops moving, for the stores whose client bounds a request only until its
// answer's headers arrive. No SDK is imported here.
import { Transform } from "node:stream";

/**
 * A pass-through that fails with an ETIMEDOUT error when no byte has passed for `ms` milliseconds,
 * counted from its creation (so an answer that never starts is bounded too): a body that stalls
 * fails in bounded time, one that keeps moving is never cut.
 */
export function idleGuard(ms: number): Transform {
  let timer: NodeJS.Timeout | undefined;
  const guard: Transform = new Transform({
    transform(chunk, _encoding, done) {
      timer?.refresh();
      done(null, chunk);
    },
    flush(done) {
      clearTimeout(timer);
      done();
    },
    destroy(error, done) {
      clearTimeout(timer);
      done(error);
    },
  });
  timer = setTimeout(() => guard.destroy(Object.assign(new Error(`no data came for ${ms} ms`), { code: "ETIMEDOUT" })), ms);
  return guard;
}
