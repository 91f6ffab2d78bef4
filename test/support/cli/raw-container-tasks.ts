import { ContainerTask, Float, Str } from "@flytekit-ts/core";
import { containerTask } from "@flytekit-ts/decorators";
// Raw container tasks for `flytekit-ts serialize` and `package`: the ellipse task as a value,
// and the same declaration on a class (named after it).

const ELLIPSE = {
  inputDataDir: "/var/inputs",
  outputDataDir: "/var/outputs",
  inputs: { a: Float, b: Float },
  outputs: { area: Float, metadata: Str },
  image: "ghcr.io/flyteorg/rawcontainers-shell:v2",
  command: ["./calculate-ellipse-area.sh", "{{.inputs.a}}", "{{.inputs.b}}", "/var/outputs"],
};

export const ellipse = new ContainerTask({ name: "ellipse-area-metadata-shell", ...ELLIPSE });

@containerTask(ELLIPSE)
export class EllipseArea {}
