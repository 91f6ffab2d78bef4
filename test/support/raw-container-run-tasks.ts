// Raw container tasks for `flytekit-ts run`: the ellipse task and one with a list and a file,
// their scripts in test/fixtures/raw-container (the working directory of a local process).
import { ContainerTask, File, Float, List, Str } from "@flytekit-ts/core";
import { join } from "node:path";

const FIXTURES = join(import.meta.dirname, "../fixtures/raw-container");

export const ellipse = new ContainerTask({
  name: "ellipse-area-metadata-shell",
  inputDataDir: "/var/inputs",
  outputDataDir: "/var/outputs",
  inputs: { a: Float, b: Float },
  outputs: { area: Float, metadata: Str },
  image: "ghcr.io/flyteorg/rawcontainers-shell:v2",
  command: ["./calculate-ellipse-area.sh", "{{.inputs.a}}", "{{.inputs.b}}", "/var/outputs"],
  local: { workingDir: FIXTURES },
});

export const mixed = new ContainerTask({
  name: "mixed",
  inputDataDir: "/var/inputs",
  outputDataDir: "/var/outputs",
  inputs: { x: Float, s: Str, xs: List(Float), f: File },
  outputs: { total: Float, label: Str, report: File },
  image: "alpine:3.20",
  command: ["./mixed.sh", "/var/inputs", "/var/outputs", "{{.inputs.x}}"],
  local: { workingDir: FIXTURES },
});
