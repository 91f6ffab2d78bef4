// Tasks on a class: static methods, an instance method, and a class whose run method is the
// task. Each stays callable as written; every call goes through Flyte's type engine, as it would
// in a container.
import { Float, Int, List, taskOf } from "@flytekit-ts/core";
import { field, task } from "@flytekit-ts/decorators";

export class Point {
  @field() x!: number;
  @field() y!: number;
}

export class Pipelines {
  /** TypeScript's `number` is a Flyte FLOAT; integers are declared. */
  @task({ inputs: { x: Int, y: Int }, outputs: Int })
  static add(x: number, y: number): number {
    return x + y;
  }

  /** Named outputs come back as an object. */
  @task({ inputs: { xs: List(Int) }, outputs: { total: Int, mean: Float }, docs: { short: "Sum and mean of a list" } })
  static stats(xs: number[]): { total: number; mean: number } {
    const total = xs.reduce((a, b) => a + b, 0);
    return { total, mean: total / Math.max(xs.length, 1) };
  }

  /** Records (flytekit's dataclasses) and defaults are inferred. */
  @task()
  static distance(a: Point, b: Point, scale: number = 1): number {
    return Math.hypot(a.x - b.x, a.y - b.y) * scale;
  }

  /** Async tasks declare what they resolve to. */
  @task({ outputs: Float })
  static async later(x: number): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return x * 2;
  }
}

/** An instance method runs on a new instance for every call, as it does in its container. */
export class Greeter {
  greeting = "hello";

  @task()
  greet(name: string): string {
    return `${this.greeting}, ${name}`;
  }
}

/** A class with a run method is a task; its interface is declared. */
@task({ inputs: { word: Int, times: Int }, outputs: List(Int) })
export class Repeat {
  run(word: number, times: number): number[] {
    return Array.from({ length: times }, () => word);
  }
}

export async function main(): Promise<void> {
  console.log(`${taskOf(Pipelines.add).name} ${taskOf(Pipelines.add).interface}: add(1, 2) = ${Pipelines.add(1, 2)}`);
  console.log(`by name: ${String(taskOf(Pipelines.add).invoke({ x: 40, y: 2 }))}`);
  console.log(`stats([1, 2, 3, 4]) = ${JSON.stringify(Pipelines.stats([1, 2, 3, 4]))}`);
  const a = Object.assign(new Point(), { x: 0, y: 0 });
  const b = Object.assign(new Point(), { x: 3, y: 4 });
  console.log(`distance = ${Pipelines.distance(a, b)}, scaled = ${Pipelines.distance(a, b, 10)}`);
  console.log(`later(21) = ${await Pipelines.later(21)}`);
  console.log(`greet: ${new Greeter().greet("flyte")}`);
  console.log(`Repeat: ${JSON.stringify(new Repeat().run(7, 3))} (${taskOf(Repeat).name})`);
  try {
    Pipelines.add("one" as never, 2);
  } catch (e) {
    console.log(`refused: ${(e as Error).message}`);
  }
}
