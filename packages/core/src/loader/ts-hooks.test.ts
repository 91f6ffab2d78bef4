// The loader compiles a module as the project's tsc would: its tsconfig's decorator mode, target and
// class-field semantics (through `extends` too), with core's own TypeScript whatever the project has.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { metadataNote, transpileSettings } from "./compiler-options.js";
import { PINNED_TYPESCRIPT, pinnedTypeScript } from "./pinned-typescript.js";
import { cacheKeyParts, load } from "./ts-hooks.js";

const SOURCE = `
function mark(): any { return () => undefined; }
export class Fields {
  declared?: string;
}
export class Marked {
  @mark() method(a: string): number { return a.length; }
}
`;

/** A project directory with the given files (tsconfig texts, package.json, a fake typescript). */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-loader-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "src", "m.ts"), SOURCE);
  return dir;
}

async function compiled(dir: string): Promise<string> {
  const out = await load(pathToFileURL(join(dir, "src", "m.ts")).href, {}, () => Promise.reject(new Error("not a TypeScript file")));
  return String(out.source);
}

const typescriptOf = (version: string) => ({ "node_modules/typescript/package.json": JSON.stringify({ name: "typescript", version }) });

describe("the loader", () => {
  beforeEach(() => vi.stubEnv("FLYTEKIT_TS_CACHE_DIR", "off"));
  afterEach(() => vi.unstubAllEnvs());

  it("transpiles with core's own TypeScript, the version core's package.json pins", () => {
    const corePackage = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(corePackage.dependencies.typescript).toBe(PINNED_TYPESCRIPT);
    expect(pinnedTypeScript().version).toBe(PINNED_TYPESCRIPT);
  });

  it("emits legacy decorators with their metadata only when the tsconfig asks for them, through extends", async () => {
    const legacy = project({
      "tsconfig.base.json": JSON.stringify({ compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true } }),
      "src/tsconfig.json": JSON.stringify({ extends: "../tsconfig.base.json", compilerOptions: { target: "ES2022" } }),
      "package.json": '{"type":"module"}',
    });
    const out = await compiled(legacy);
    expect(out).toContain('__metadata("design:paramtypes", [String])');
    expect(out).toContain("__decorate(");
    // The target as written: ES2022 defines class fields.
    expect(out).toMatch(/^\s+declared;$/m);

    const standard = project({ "tsconfig.json": JSON.stringify({ compilerOptions: { target: "ES2022" } }), "package.json": '{"type":"module"}' });
    const std = await compiled(standard);
    expect(std).not.toContain("__metadata");
    expect(std).toContain("__esDecorate(");
  });

  it("with no tsconfig compiles as tsc does without one: standard decorators, no metadata", async () => {
    const out = await compiled(project({ "package.json": '{"type":"module"}' }));
    expect(out).toContain("__esDecorate(");
    expect(out).not.toContain("design:paramtypes");
  });

  it("keeps the class-field semantics of the project's own compiler's default target where the tsconfig names none", async () => {
    const options = { compilerOptions: { experimentalDecorators: true, module: "es2022" } };
    // TypeScript 5.x: ES5 by default, fields assigned; 6.x and 7.x: the latest, fields defined.
    const five = project({ "tsconfig.json": JSON.stringify(options), "package.json": '{"type":"module"}', ...typescriptOf("5.9.3") });
    expect(await compiled(five)).not.toMatch(/^\s+declared;$/m);
    const seven = project({ "tsconfig.json": JSON.stringify(options), "package.json": '{"type":"module"}', ...typescriptOf("7.0.2") });
    expect(await compiled(seven)).toMatch(/^\s+declared;$/m);
    // module nodenext implies a target of ES2022 or later in 5.x too.
    const nodenext = project({ "tsconfig.json": JSON.stringify({ compilerOptions: { module: "nodenext" } }), "package.json": '{"type":"module"}', ...typescriptOf("5.9.3") });
    expect(await compiled(nodenext)).toMatch(/^\s+declared;$/m);
  });

  it("changes only what loading needs (an ES module, an inline source map), and takes options a newer tsc deprecated", async () => {
    const dir = project({
      "tsconfig.json": JSON.stringify({ compilerOptions: { target: "ES2017", module: "es2020", moduleResolution: "node", baseUrl: ".", sourceMap: true, declaration: true, outDir: "out" } }),
      "package.json": '{"type":"module"}',
    });
    const settings = transpileSettings(join(dir, "src", "m.ts"), pinnedTypeScript());
    expect(settings.warnings).toEqual([]);
    const out = await compiled(dir);
    expect(out).toContain("export class Fields");
    expect(out).toContain("//# sourceMappingURL=data:application/json;base64,");
    // ES2017 as written: fields are assigned in the constructor, not defined.
    expect(out).not.toMatch(/^\s+declared;$/m);
  });

  it("says so when the project's tsc would emit CommonJS, which cannot import flytekit-ts", () => {
    const dir = project({ "tsconfig.json": JSON.stringify({ compilerOptions: { module: "nodenext" } }), "package.json": "{}" });
    const { warnings } = transpileSettings(join(dir, "src", "m.ts"), pinnedTypeScript());
    expect(warnings).toEqual([
      `loading ${join(dir, "src", "m.ts")}: tsc emits CommonJS for it (${join(dir, "tsconfig.json")} has "module": "nodenext" in a package without "type": "module"), which cannot import flytekit-ts (ES modules only); the loader emits an ES module instead; set "type": "module" in package.json and "module": "nodenext" in tsconfig.json`,
    ]);
  });

  it("refuses a module that does not compile, naming the place, instead of running what the compiler made of it", async () => {
    const dir = project({ "package.json": '{"type":"module"}' });
    writeFileSync(join(dir, "src", "m.ts"), "export const x = ;\n");
    await expect(compiled(dir)).rejects.toThrow(`${join(dir, "src", "m.ts")}: it does not compile: 1:18 Expression expected. (TS1109); fix the source (tsc reports the same)`);
  });

  it("refuses standard decorators left as @ syntax by \"target\": \"ESNext\" (what tsc --init writes), which Node cannot parse, and says which target works", async () => {
    const esnext = project({ "tsconfig.json": JSON.stringify({ compilerOptions: { target: "ESNext" } }), "package.json": '{"type":"module"}' });
    await expect(compiled(esnext)).rejects.toThrow(
      `${join(esnext, "src", "m.ts")}: its standard decorators (the first at 7:3) stay as @ syntax under "target": "ESNext", as tsc leaves them, and Node ${process.versions.node} cannot run that; set "target": "ES2022" in tsconfig.json (what tsc --init writes is "esnext"), so that they compile to functions`,
    );
    // Legacy decorators at ESNext compile to functions, and standard ones at ES2022 too.
    const legacy = project({ "tsconfig.json": JSON.stringify({ compilerOptions: { target: "ESNext", experimentalDecorators: true } }), "package.json": '{"type":"module"}' });
    expect(await compiled(legacy)).toContain("__decorate(");
    const es2022 = project({ "tsconfig.json": JSON.stringify({ compilerOptions: { target: "ES2022" } }), "package.json": '{"type":"module"}' });
    expect(await compiled(es2022)).toContain("__esDecorate(");
  });

  it("caches a module under a key of the pinned compiler's version, the project's compiler's major version, the source and its tsconfigs", async () => {
    const cache = mkdtempSync(join(tmpdir(), "flytekit-ts-loader-cache-"));
    vi.stubEnv("FLYTEKIT_TS_CACHE_DIR", cache);
    const dir = project({ "tsconfig.json": '{ "extends": ["./a.json"] }', "a.json": "{}", "package.json": '{"type":"module"}', ...typescriptOf("7.0.2") });
    const file = join(dir, "src", "m.ts");
    expect(cacheKeyParts(file, SOURCE)).toEqual(["2", PINNED_TYPESCRIPT, "7", file, SOURCE, join(dir, "tsconfig.json"), '{ "extends": ["./a.json"] }', join(dir, "a.json"), "{}"]);
    const first = await compiled(dir);
    const [entry] = readdirSync(cache);
    expect(readFileSync(join(cache, entry!), "utf8")).toBe(first);
  });

  it("tells a task without type metadata when its tsconfig, or the lack of one, is why", () => {
    const none = project({ "package.json": '{"type":"module"}' });
    expect(metadataNote(join(none, "src", "m.ts"))).toBe(
      `no tsconfig.json was found above ${join(none, "src", "m.ts")}, so it is compiled as tsc compiles a file without one: with standard decorators, which carry no type metadata`,
    );
    const half = project({ "tsconfig.json": JSON.stringify({ compilerOptions: { experimentalDecorators: true } }) });
    expect(metadataNote(join(half, "src", "m.ts"))).toBe(`${join(half, "tsconfig.json")} does not set "emitDecoratorMetadata": true (flytekit-ts's loader compiles .ts sources as tsc does)`);
    const both = project({ "tsconfig.json": JSON.stringify({ compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true } }) });
    expect(metadataNote(join(both, "src", "m.ts"))).toBeUndefined();
    expect(metadataNote(join(both, "src", "m.json"))).toBeUndefined();
    // Compiled JavaScript: its tsconfig can say why, but no tsconfig says nothing (another toolchain made it).
    expect(metadataNote(join(half, "out", "m.js"))).toBe(metadataNote(join(half, "src", "m.ts")));
    expect(metadataNote(join(none, "out", "m.js"))).toBeUndefined();
  });
});
