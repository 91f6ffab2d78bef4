// The architecture DESIGN.md draws, checked against the code: no import cycles (type-only imports
// included), core's layers depend only downward, the packages depend one way, and the public root
// of @flytekit-ts/core stays small.
import madge from "madge";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./support/execute.js";

const DESIGN = readFileSync(join(REPO_ROOT, "DESIGN.md"), "utf8");

/** A section of DESIGN.md, by its heading. */
function section(heading: string): string {
  const start = DESIGN.indexOf(`## ${heading}\n`);
  if (start < 0) throw new Error(`DESIGN.md has no section "## ${heading}"`);
  const end = DESIGN.indexOf("\n## ", start + 1);
  return DESIGN.slice(start, end < 0 ? undefined : end);
}

/**
 * Core's layers, bottom first, as DESIGN.md's table draws them (the table is the rule): a module may
 * import from its own layer and the ones below.
 */
const CORE_LAYERS: readonly (readonly string[])[] = section("Core's layers")
  .split("\n")
  .filter((line) => line.startsWith("| ") && !line.startsWith("| layer") && !line.startsWith("| ---"))
  .map((line) => [...line.split("|")[2]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));

const PACKAGES = ["core", "decorators", "plugins", "cli"];
/** What each package may import of ours. */
const ALLOWED: Record<string, readonly string[]> = { core: [], decorators: ["core"], plugins: ["core", "decorators"], cli: ["core"] };

const isSource = (path: string) => path.endsWith(".ts") && !path.endsWith(".test.ts") && !path.endsWith("testing.ts") && !path.includes(`${sep}gen${sep}`);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "gen" ? [] : sources(path);
    return isSource(path) ? [path] : [];
  });
}

async function graph(pkg: string): Promise<{ deps: Record<string, string[]>; circular: string[][] }> {
  const root = join(REPO_ROOT, "packages", pkg, "src");
  // madge's detective-typescript reads the `argument` of TSImportType nodes, which typescript-estree
  // deprecated and warns about on every read: a dependency's noise, not a problem of ours.
  process.noDeprecation = true;
  const result = await madge(root, {
    fileExtensions: ["ts"],
    tsConfig: join(REPO_ROOT, "tsconfig.json"),
    excludeRegExp: [/\.test\.ts$/, /testing\.ts$/, /[\\/]gen[\\/]/],
    detectiveOptions: { ts: { skipTypeImports: false }, es6: { skipTypeImports: false } },
  });
  return { deps: result.obj(), circular: result.circular() };
}

function layerOf(file: string): number {
  const top = file.split("/")[0]!;
  const layer = CORE_LAYERS.findIndex((names) => names.includes(top));
  if (layer < 0) throw new Error(`core/src/${file} is in no layer of CORE_LAYERS; add its directory to one (and to DESIGN.md)`);
  return layer;
}

describe("imports", () => {
  it("follow DESIGN.md's layers, which name every directory of core/src", () => {
    expect(CORE_LAYERS.length).toBeGreaterThanOrEqual(8);
    const top = readdirSync(join(REPO_ROOT, "packages/core/src")).filter((n) => n !== "gen" && (statSync(join(REPO_ROOT, "packages/core/src", n)).isDirectory() || isSource(n)));
    expect(top.filter((n) => !CORE_LAYERS.flat().includes(n))).toEqual([]);
  });

  for (const pkg of PACKAGES) {
    it(`packages/${pkg} has no import cycle, type-only imports included`, async () => {
      const { deps, circular } = await graph(pkg);
      expect(Object.keys(deps).length).toBeGreaterThan(pkg === "core" ? 80 : 3);
      expect(circular).toEqual([]);
    });
  }

  it("core's layers depend only downward", async () => {
    const { deps } = await graph("core");
    const upward: string[] = [];
    for (const [file, imports] of Object.entries(deps)) {
      for (const imported of imports) {
        if (layerOf(imported) > layerOf(file)) upward.push(`${file} -> ${imported}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it("packages depend one way: decorators and the CLI on core, plugins on both, core on none of ours", () => {
    const wrong: string[] = [];
    for (const pkg of PACKAGES) {
      for (const file of sources(join(REPO_ROOT, "packages", pkg, "src"))) {
        for (const m of readFileSync(file, "utf8").matchAll(/from "@flytekit-ts\/([a-z-]+)/g)) {
          if (!ALLOWED[pkg]!.includes(m[1]!)) wrong.push(`${relative(REPO_ROOT, file)} imports @flytekit-ts/${m[1]}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe("the public root of @flytekit-ts/core", () => {
  it("exports what a user writes, at most 68 values, and none of the machinery", async () => {
    const root = await import("@flytekit-ts/core");
    const values = Object.keys(root).sort();
    expect(values.length).toBeLessThanOrEqual(68);
    // DESIGN.md says so.
    expect(section("Layout (npm workspaces)")).toContain("(at most 68 values; a test holds it there)");
    for (const internal of ["taskStore", "checkDeclaration", "registerSdkRoot", "crc32", "untar", "tar", "storageFor", "setLogSink", "configureLocalCache", "TaskStore", "callerFile"]) {
      expect(values).not.toContain(internal);
    }
    // What the README's snippets and examples use is there.
    for (const name of ["Int", "Float", "Str", "List", "Dict", "Optional", "Union", "taskOf", "functionTask", "mockTask", "TypeEngine", "withServices", "registerStorage", "toTaskTemplate", "SerializationSettings", "RecoverableError"]) {
      expect(values).toContain(name);
    }
  });

  it("keeps what extending the SDK takes at /extend and our own packages' needs at /internal", async () => {
    const extend = await import("@flytekit-ts/core/extend");
    for (const name of ["FlyteType", "TypeEngine", "TaskPlugins", "FunctionTask", "CustomizedContainerTask", "SQLTask", "StorageRouter"]) expect(Object.keys(extend)).toContain(name);
    const internal = await import("@flytekit-ts/core/internal");
    for (const name of ["taskStore", "declare", "callerFile", "registerSdkRoot", "crc32", "untar", "registerTypeScriptLoader"]) expect(Object.keys(internal)).toContain(name);
  });
});

describe("the README", () => {
  it("names every task option (the options table is where they are declared)", async () => {
    const { TASK_OPTION_NAMES } = await import("@flytekit-ts/core/internal");
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    expect(TASK_OPTION_NAMES.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});
