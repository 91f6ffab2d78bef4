// flytekit-ts's eager tasks of the container tests (test/eager-admin.test.ts), the same story as
// flytekit's in test/interop/eager_admin_tasks.py: `pipeline` calls `add` twice, one call on the other's
// output; `failing` calls `boom`, which raises. Run by flytekit-ts-execute under the AdminService
// stand-in, which plays each inner execution with flytekit-ts-execute too.
import { eager, task } from "@flytekit-ts/decorators";
import { Int, taskOf } from "@flytekit-ts/core";

export class EagerTasks {
  @task({ inputs: { x: Int, y: Int }, outputs: Int })
  static add(x: number, y: number): number {
    return x + y;
  }

  @task({ inputs: { x: Int }, outputs: Int })
  static boom(x: number): number {
    if (x >= 0) throw new Error(`boom at ${x}`);
    return x;
  }

  @eager({ inputs: { x: Int }, outputs: Int })
  static async pipeline(x: number): Promise<number> {
    const a = await EagerTasks.add(x, 1);
    return EagerTasks.add(a, 2);
  }

  @eager({ inputs: { x: Int }, outputs: Int })
  static async failing(x: number): Promise<number> {
    return EagerTasks.boom(x);
  }

  /** An eager task calling an eager task: on a cluster, an execution that starts executions of its own. */
  @eager({ inputs: { x: Int }, outputs: Int })
  static async outer(x: number): Promise<number> {
    const a = await EagerTasks.pipeline(x);
    return EagerTasks.add(a, 100);
  }

  /** Two calls at once, through Promise.all. */
  @eager({ inputs: { x: Int }, outputs: Int })
  static async fanOut(x: number): Promise<number> {
    const [a, b] = await Promise.all([EagerTasks.add(x, 1), EagerTasks.add(x, 2)]);
    return a * b;
  }

  /** Waits `s` seconds: an inner execution still running when its eager task is stopped. */
  @task({ inputs: { s: Int }, outputs: Int })
  static async slow(s: number): Promise<number> {
    await new Promise((r) => setTimeout(r, s * 1000));
    return s;
  }

  /** One call that ends, then two that run until the pod is stopped (test/eager-admin.test.ts sends it SIGTERM). */
  @eager({ inputs: { x: Int }, outputs: Int })
  static async stoppable(x: number): Promise<number> {
    const a = await EagerTasks.add(x, 1);
    const [b, c] = await Promise.all([EagerTasks.slow(600), EagerTasks.slow(601)]);
    return a + b + c;
  }

  /** A task and an override of it (other retries): on a cluster, two registrations, each execution its own. */
  @eager({ inputs: { x: Int }, outputs: Int })
  static async overridden(x: number): Promise<number> {
    const a = await EagerTasks.add(x, 1);
    const b = await taskOf(EagerTasks.add).override({ retries: 5 }).call(a, 2);
    return b;
  }
}
