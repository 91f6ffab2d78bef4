// From a decorated method to what Flyte registers and runs: the TaskTemplate, the package the CLI
// writes for `flytectl register files`, and the container entrypoint run as Flyte runs it, here,
// with temporary directories for Flyte's storage.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { main as cli } from "@flytekit-ts/cli";
import { ImageConfig, Int, SerializationSettings, taskOf, templateToBinary, toTaskTemplate, TypeEngine } from "@flytekit-ts/core";
import { ErrorDocumentSchema, LiteralMapSchema } from "@flytekit-ts/core/idl";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Pipelines } from "./math.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The container's command: `flytekit-ts-execute`, the bin of @flytekit-ts/core. */
function executeBin(): string {
  return join(dirname(createRequire(import.meta.url).resolve("@flytekit-ts/core/package.json")), "bin/flytekit-ts-execute.js");
}

/** Runs a template's container args as Flyte would: templates filled, in the image's working directory. */
function runInContainer(args: readonly string[], inputs: Uint8Array): { files: string[]; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-example-"));
  writeFileSync(join(dir, "inputs.pb"), inputs);
  const fill: Record<string, string> = {
    "{{.input}}": join(dir, "inputs.pb"),
    "{{.outputPrefix}}": join(dir, "out"),
    "{{.rawOutputDataPrefix}}": join(dir, "raw"),
    "{{.checkpointOutputPrefix}}": join(dir, "checkpoint"),
    "{{.prevCheckpointPrefix}}": '""',
  };
  const [command, ...rest] = args.map((a) => fill[a] ?? a);
  if (command !== "flytekit-ts-execute") throw new Error(`unexpected command ${command}`);
  execFileSync(process.execPath, [executeBin(), ...rest], { cwd: root, stdio: ["ignore", "ignore", "ignore"] });
  return { files: ["outputs.pb", "error.pb"].filter((f) => existsSync(join(dir, "out", f))), dir };
}

export async function main(): Promise<void> {
  const settings = new SerializationSettings({
    project: "flytesnacks",
    domain: "development",
    version: "v1",
    imageConfig: ImageConfig.auto("ghcr.io/acme/pipelines:v1"),
  });

  // The TaskTemplate Flyte registers, and its bytes.
  const template = toTaskTemplate(taskOf(Pipelines.add), settings);
  const container = template.target.case === "container" ? template.target.value : undefined;
  console.log(`${template.id?.name}: type ${template.type}, image ${container?.image}, ${templateToBinary(template).length} bytes`);
  console.log(`container args: ${container?.args.join(" ")}`);

  // Flyte starts the container with those args; here the templates become temporary paths.
  const inputs = toBinary(LiteralMapSchema, TypeEngine.toLiteralMap({ x: Int, y: Int }, { x: 20, y: 22 }));
  const ok = runInContainer(container!.args, inputs);
  const outputs = TypeEngine.fromLiteralMap({ o0: Int }, fromBinary(LiteralMapSchema, readFileSync(join(ok.dir, "out", "outputs.pb"))), "output");
  console.log(`flytekit-ts-execute wrote ${ok.files.join(", ")}: o0 = ${outputs.o0}`);

  // Inputs that do not fit: the container writes flytekit's error document instead.
  const bad = runInContainer(container!.args, toBinary(LiteralMapSchema, TypeEngine.toLiteralMap({ x: Int }, { x: 1 })));
  const error = fromBinary(ErrorDocumentSchema, readFileSync(join(bad.dir, "out", "error.pb"))).error!;
  console.log(`with an input missing it wrote ${bad.files.join(", ")}: ${error.code}, ${error.message.split("\n").at(-1)?.trim()}`);

  // What `flytekit-ts package` writes for `flytectl register files` (the CLI, called in-process).
  const archive = join(mkdtempSync(join(tmpdir(), "flytekit-ts-package-")), "flyte-package.tgz");
  const lines: string[] = [];
  const code = await cli(["package", "--output", archive, "--image", "ghcr.io/acme/pipelines:v1", join(root, "dist/math.js")], (l) => lines.push(l));
  if (code !== 0) throw new Error(`flytekit-ts package exited ${code}`);
  console.log(lines.filter((l) => l.includes("->") || l.startsWith("Successfully packaged")).map((l) => l.trim().replace(archive, "flyte-package.tgz")).join("\n"));
}
