// Raw container tasks for `flytekit-ts run`: the ellipse task and one with a list and a file,
// their scripts in test/fixtures/raw-container (the working directory of a local process).
import { ContainerTask, File, Float, List, Str } from "@flytekit-ts/core";
import { join } from "node:path";
import { ELLIPSE } from "./raw-container-ellipse.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/raw-container");

export const ellipse = new ContainerTask({
  name: "ellipse-area-metadata-shell",
  ...ELLIPSE,
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
