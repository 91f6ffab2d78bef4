import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { fastPackage, fastPackageFiles } from "./fast-package.js";
import { untar } from "@flytekit-ts/core/internal";

function project(): string {
  const root = mkdtempSync(join(tmpdir(), "flytekit-ts-fastpkg-"));
  const files: Record<string, string> = {
    "package.json": "{}",
    "src/pipelines.ts": "export const a = 1;",
    "src/nested/deep.ts": "export const b = 2;",
    "src/notes.tmp": "scratch",
    "dist/pipelines.js": "compiled",
    "data/big.csv": "a,b",
    "node_modules/x/index.js": "dependency",
    ".git/HEAD": "ref",
    ".flyteignore": "# comments are ignored\n*.tmp\n/data/\nsecrets\n",
    "config/secrets": "token",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("fast registration's code tarball", () => {
  it("holds the source without .git, node_modules and what .flyteignore lists", () => {
    expect(fastPackageFiles(project())).toEqual([".flyteignore", "dist/pipelines.js", "package.json", "src/nested/deep.ts", "src/pipelines.ts"]);
  });

  it("is named after a digest of what it holds, and unpacks to those files", () => {
    const root = project();
    const a = fastPackage(root, [], 0);
    expect(a.name).toMatch(/^fast[0-9a-f]{32}\.tar\.gz$/);
    expect(fastPackage(root, [], 1_000).name).toBe(a.name);
    writeFileSync(join(root, "src/pipelines.ts"), "export const a = 3;");
    expect(fastPackage(root, [], 0).name).not.toBe(a.name);
    const entries = untar(gunzipSync(a.data));
    expect(entries.map((e) => e.path)).toEqual(a.files);
    expect(entries.find((e) => e.path === "src/pipelines.ts")!.data.toString()).toBe("export const a = 1;");
  });

  it("packs files made for it in their place among the source's (over a file of that path), and none outside the source", () => {
    const root = project();
    writeFileSync(join(root, "src/pipelines.ts.flyte.json"), "stale");
    const made = new Map([
      [join(root, "src/pipelines.ts.flyte.json"), Buffer.from("fresh")],
      [join(root, "src/nested/deep.ts.flyte.json"), Buffer.from("deep")],
      [join(root, "..", "elsewhere.ts.flyte.json"), Buffer.from("outside")],
    ]);
    const a = fastPackage(root, [], 0, made);
    expect(a.files).toEqual([".flyteignore", "dist/pipelines.js", "package.json", "src/nested/deep.ts", "src/nested/deep.ts.flyte.json", "src/pipelines.ts", "src/pipelines.ts.flyte.json"]);
    const entries = untar(gunzipSync(a.data));
    expect(entries.map((e) => e.path)).toEqual(a.files);
    expect(entries.find((e) => e.path === "src/pipelines.ts.flyte.json")!.data.toString()).toBe("fresh");
    // What it holds names it: the made files count.
    expect(fastPackage(root, [], 0).name).not.toBe(a.name);
  });

  it("leaves out the files it is told to (the package being written)", () => {
    const root = project();
    expect(fastPackageFiles(root, [join(root, "package.json")])).not.toContain("package.json");
  });
});
