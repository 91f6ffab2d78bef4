// Runs the README's first example from the JavaScript `flytekit-ts build` emitted, typed from the
// manifests beside it.
import { TaskInputError } from "@flytekit-ts/core";
import { Pipelines, Unit, taskOf } from "./pipelines.js";

export async function main(): Promise<void> {
  const add = taskOf(Pipelines.add);
  console.log(`${add.name} ${add.interface}: add(1, 2) = ${Pipelines.add(1, 2)}`);
  console.log(`by name: ${String(add.invoke({ x: 40, y: 2 }))}`);
  console.log(`distance: ${Pipelines.distance({ x: 0, y: 0 }, { x: 3000, y: 4000 }, Unit.Kilometres)} km`);
  console.log(`stats: ${JSON.stringify(Pipelines.stats([1, 2, 3, 4]))} (${taskOf(Pipelines.stats).interface})`);
  console.log(`label: ${await Pipelines.label(null)}`);
  for (const bad of [() => Pipelines.add(1.5, 2), () => Pipelines.distance({ x: 0, y: 0 }, { x: 1, y: 1 }, "miles" as Unit)]) {
    try {
      bad();
    } catch (e) {
      if (!(e instanceof TaskInputError)) throw e;
      console.log(`refused: ${e.message}`);
    }
  }
}
