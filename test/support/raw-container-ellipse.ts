// The ellipse task as a raw container task declares it (flytekit's example
// `calculate_ellipse_area_shell`), without its name: one declaration for the tests that serialize,
// run and package it. Its script is test/fixtures/raw-container/calculate-ellipse-area.sh.
import { Float, Str, type ContainerTaskInit } from "@flytekit-ts/core";

export const ELLIPSE = {
  inputDataDir: "/var/inputs",
  outputDataDir: "/var/outputs",
  inputs: { a: Float, b: Float },
  outputs: { area: Float, metadata: Str },
  image: "ghcr.io/flyteorg/rawcontainers-shell:v2",
  command: ["./calculate-ellipse-area.sh", "{{.inputs.a}}", "{{.inputs.b}}", "/var/outputs"],
} satisfies Omit<ContainerTaskInit, "name">;
