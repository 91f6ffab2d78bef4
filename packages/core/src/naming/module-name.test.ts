import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { callerFile, callerLocation, moduleNameOf, packageRoot, sourceOf } from "./module-name.js";

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
    expect(callerLocation()).toMatch(new RegExp(`^${relative(process.cwd(), import.meta.filename).replaceAll(".", "\\.")}:\\d+:\\d+$`));
  });

  it("name the same frame for the file and the position, also in a directory whose name has parentheses", async () => {
    // The one walk up the stack: a path like "my (copy)/tasks.mjs" is the caller's for both.
    const dir = join(root, "my (copy)");
    mkdirSync(dir);
    const file = join(dir, "tasks.mjs");
    writeFileSync(file, "export function declare(look) {\n  return look();\n}\n");
    const { declare } = (await import(pathToFileURL(file).href)) as { declare: <T>(look: () => T) => T };
    expect(declare(callerFile)).toBe(file);
    expect(declare(callerLocation)).toBe(`${file}:2:10`);
  });
});
