// runRawContainer's cleanup when a folder cannot be removed (what a rootful engine's container
// leaves: root-owned folders in the output folder a non-root user cannot empty). Removal is made to
// fail here (rmSync throws EACCES for the run's folders), as the tests run as root.
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";

const failing = vi.hoisted(() => ({ on: false, tried: [] as string[] }));
vi.mock("node:fs", async (original) => {
  const fs = await original<typeof import("node:fs")>();
  const rmSync: typeof fs.rmSync = (path, options) => {
    if (failing.on && /\/(inputs|outputs)-\w+$/.test(String(path))) {
      failing.tried.push(String(path));
      throw Object.assign(new Error(`EACCES: permission denied, unlink '${String(path)}/d/sub/x'`), { code: "EACCES" });
    }
    fs.rmSync(path, options);
  };
  return { ...fs, default: { ...fs, rmSync }, rmSync };
});

const { TaskExecutionContext } = await import("../context/context.js");
const { localServices } = await import("../context/services.js");
const { Interface } = await import("../interface/interface.js");
const { toLiteralMap, fromLiteralMap } = await import("../types/engine.js");
const { Float, Str } = await import("../types/builtins.js");
const { runRawContainer } = await import("./run.js");
const { ContainerExitError } = await import("./run-errors.js");

const FIXTURES = join(import.meta.dirname, "../../../../test/fixtures/raw-container");
const IFACE = new Interface(
  ["a", "b"].map((name) => ({ name, type: Float, optional: false, hasDefaultValue: false, description: "" })),
  [{ name: "area", type: Float, description: "" }, { name: "metadata", type: Str, description: "" }],
);
const run = (command: string[]) => ({
  task: "ellipse",
  image: "x",
  command,
  args: [],
  inputDataDir: "/var/inputs",
  outputDataDir: "/var/outputs",
  metadataFormat: "JSON" as const,
  interface: IFACE,
  env: {},
  secrets: [],
  local: { runtime: "process" as const, workingDir: FIXTURES },
});

describe("runRawContainer's cleanup never hides the run's end", () => {
  it("a folder that cannot be removed leaves the outputs as they were read", async () => {
    const ctx = new TaskExecutionContext({ taskName: "ellipse", services: localServices() });
    const inputs = toLiteralMap({ a: Float, b: Float }, { a: 1, b: 2 }, "input", ctx);
    failing.on = true;
    failing.tried.length = 0;
    try {
      const out = await runRawContainer(run(["./calculate-ellipse-area.sh", "{{.inputs.a}}", "{{.inputs.b}}", "/var/outputs"]), inputs, ctx);
      expect(fromLiteralMap({ area: Float, metadata: Str }, out, "output", ctx)).toEqual({ area: Math.PI * 2, metadata: "[from shell rawcontainer]" });
      expect(failing.tried).toHaveLength(2);
    } finally {
      failing.on = false;
      ctx.release();
    }
  });

  it("nor the command's own error", async () => {
    const ctx = new TaskExecutionContext({ taskName: "ellipse", services: localServices() });
    const inputs = toLiteralMap({ a: Float, b: Float }, { a: 1, b: 2 }, "input", ctx);
    failing.on = true;
    try {
      const error = await runRawContainer(run(["./fail.sh"]), inputs, ctx).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ContainerExitError);
    } finally {
      failing.on = false;
      ctx.release();
    }
  });
});
