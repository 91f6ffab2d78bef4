// Raw container tasks (flytekit's ContainerTask): a task that runs any image, here a shell script,
// no Flyte SDK inside. Flyte's CoPilot lays the inputs out as files in one folder before the
// command starts and reads each output back by name from another after it ends; `{{.inputs.x}}`
// in the command is the input's value. A TypeScript task then takes what the script wrote.
//
// No container engine runs on the machine these examples are written for, so each task asks for
// `local: { runtime: "process" }`: the command runs on this machine, its data folders mapped to
// temporary ones. With Docker or Podman (the default, "auto") it runs in the image instead.
import { ContainerTask, File, FlyteFile, Float, ImageConfig, Int, List, SerializationSettings, Str, taskOf, toTaskTemplate } from "@flytekit-ts/core";
import { containerTask, task } from "@flytekit-ts/decorators";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The scripts the images would hold (examples/scripts). */
const SCRIPTS = fileURLToPath(new URL("../scripts/", import.meta.url));

/** The task, as flytekit declares it: the inputs on the command line, the outputs left in /var/outputs. */
export const ellipseArea = new ContainerTask({
  name: "ellipse-area-metadata-shell",
  image: "ghcr.io/flyteorg/rawcontainers-shell:v2",
  inputDataDir: "/var/inputs",
  outputDataDir: "/var/outputs",
  inputs: { a: Float, b: Float },
  outputs: { area: Float, metadata: Str },
  command: ["./calculate-ellipse-area.sh", "{{.inputs.a}}", "{{.inputs.b}}", "/var/outputs"],
  local: { runtime: "process", workingDir: SCRIPTS },
});

/** On a class: a File and a list in (a file and a folder of elements), a File and an Int out. */
@containerTask({
  image: "ghcr.io/acme/text-tools:1",
  inputDataDir: "/var/inputs",
  outputDataDir: "/var/outputs",
  inputs: { text: File, words: List(Str) },
  outputs: { counts: File, total: Int },
  command: ["sh", "./count-words.sh", "/var/inputs", "/var/outputs"],
  local: { runtime: "process", workingDir: SCRIPTS },
})
export class CountWords {}

/** TypeScript tasks beside them, taking what the scripts wrote. */
export class Report {
  @task({ inputs: { area: Float, metadata: Str }, outputs: Str })
  static describe(area: number, metadata: string): string {
    return `${metadata.trim()}: area ${area.toFixed(3)}`;
  }

  @task({ inputs: { counts: File }, outputs: Str })
  static async top(counts: FlyteFile): Promise<string> {
    const rows = readFileSync(await counts.download(), "utf8").trim().split("\n").map((l) => l.split("\t"));
    const [word, n] = rows.sort((x, y) => Number(y[1]) - Number(x[1]))[0]!;
    return `most frequent: ${word} (${n})`;
  }
}

export async function main(): Promise<void> {
  const { area, metadata } = await ellipseArea.call(3, 4); // typed from the declared outputs
  console.log(`${ellipseArea.name}(a=3, b=4) -> area ${area}`);
  console.log(Report.describe(area, metadata));

  const text = join(mkdtempSync(join(tmpdir(), "example-text-")), "text.txt");
  writeFileSync(text, "The cat sat on the mat. The cat ate the hat, and the dog watched the cat.");
  const counted = (await taskOf(CountWords).invoke({ text, words: ["cat", "the", "dog"] })) as { counts: FlyteFile; total: number };
  console.log(`${taskOf(CountWords).name}: ${counted.total} words counted; ${await Report.top(counted.counts)}`);

  // Serialized as flytekit serializes a ContainerTask: the command kept as written, data_config on.
  const settings = new SerializationSettings({ project: "examples", domain: "development", version: "v1", imageConfig: ImageConfig.auto("ghcr.io/acme/app:v1") });
  const template = toTaskTemplate(ellipseArea, settings);
  if (template.target.case !== "container") throw new Error("a raw container task serializes to a container");
  const { command, dataConfig } = template.target.value;
  console.log(`template: type ${template.type}, command ${JSON.stringify(command)}`);
  console.log(`data_config: enabled ${dataConfig?.enabled}, input_path ${dataConfig?.inputPath}, output_path ${dataConfig?.outputPath}`);
}
