// "@flytekit-ts/core/accelerators": GPUs and TPUs for the `accelerator` option, with flytekit's
// device names (flytekit.extras.accelerators).
export * from "./tasks/accelerators.js";
