import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { callerFile, moduleNameOf, packageRoot, sourceOf } from "./module-name.js";

describe("module names", () => {
  const root = mkdtempSync(join(tmpdir(), "flytekit-ts-names-"));
  writeFileSync(join(root, "package.json"), "{}");
  mkdirSync(join(root, "src", "pipelines"), { recursive: true });
  mkdirSync(join(root, "dist", "pipelines"), { recursive: true });
  mkdirSync(join(root, "jobs"), { recursive: true });
  writeFileSync(join(root, "src", "pipelines", "math.ts"), "export {}");
  writeFileSync(join(root, "dist", "pipelines", "math.js"), "export {}\n//# sourceMappingURL=math.js.map");
  writeFileSync(join(root, "dist", "pipelines", "math.js.map"), JSON.stringify({ version: 3, sources: ["../../src/pipelines/math.ts"], mappings: "" }));
  writeFileSync(join(root, "jobs", "etl.mjs"), "export {}");

  it("are the source path from the package root, without src/ and the extension, with dots", () => {
    expect(packageRoot(join(root, "src", "pipelines", "math.ts"))).toBe(root);
    expect(moduleNameOf(join(root, "src", "pipelines", "math.ts"))).toBe("pipelines.math");
    expect(moduleNameOf(join(root, "jobs", "etl.mjs"))).toBe("jobs.etl");
  });

  it("trace compiled JavaScript back to its source, so both give the same names", () => {
    expect(sourceOf(join(root, "dist", "pipelines", "math.js"))).toBe(join(root, "src", "pipelines", "math.ts"));
    expect(moduleNameOf(join(root, "dist", "pipelines", "math.js"))).toBe("pipelines.math");
  });

  it("find the declaring file from the call stack, past the SDK's own frames", () => {
    expect(callerFile()).toBe(import.meta.filename);
  });
});
