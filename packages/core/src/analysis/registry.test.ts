// Where a module's manifest comes from at run time: registered in-process, else read from beside the
// module, checked (its JSON shape, its format, the hash of the code it was written for) once per
// module file and the verdict kept.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MANIFEST_FORMAT, manifestPathOf, type TaskManifest } from "./manifest.js";
import { codeHash, ManifestError, manifestFor, manifestOrigin, registerManifest } from "./registry.js";

const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-manifest-registry-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
/** A module file of its own (the registry keeps one verdict per file). */
function moduleFile(code = `export const n = ${++counter};\n`): string {
  const file = join(dir, `m${++counter}.js`);
  writeFileSync(file, code);
  return file;
}

function manifestOf(code: string, extra: Partial<TaskManifest> = {}): TaskManifest {
  return {
    format: MANIFEST_FORMAT,
    compiler: "typescript 6.0.3",
    source: "../src/m.ts",
    hash: codeHash(code),
    tasks: { "Pipelines.add": { line: 3, inputs: { x: "Int", y: { list: { optional: "Str" } } }, outputs: [{ name: "o0", type: { record: "src/geo.ts#Point" } }] } },
    records: { "src/geo.ts#Point": { name: "Point", kind: "interface", module: "src/geo.ts", fields: [{ name: "x", type: "Float" }] } },
    ...extra,
  };
}

/** Writes a module and its manifest (as given, or as JSON of a manifest for the module's code). */
function moduleWithManifest(manifest: (code: string) => unknown, code = `export const n = ${++counter};\n`): string {
  const file = moduleFile(code);
  const m = manifest(code);
  writeFileSync(manifestPathOf(file), typeof m === "string" ? m : JSON.stringify(m));
  return file;
}

function refusal(file: string): string {
  try {
    manifestFor(file);
  } catch (e) {
    expect(e).toBeInstanceOf(ManifestError);
    return (e as Error).message;
  }
  throw new Error("the manifest was not refused");
}

describe("codeHash", () => {
  it("is sha256: and the hex SHA-256 of the bytes, a string's as UTF-8", () => {
    const text = "export const café = 1;\n";
    const hex = createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex");
    expect(codeHash(text)).toBe(`sha256:${hex}`);
    expect(codeHash(new TextEncoder().encode(text))).toBe(`sha256:${hex}`);
    expect(codeHash("")).toBe("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
});

describe("manifestFor", () => {
  it("gives a manifest registered for the module (by absolute path) without looking beside it", () => {
    const file = moduleFile();
    // One beside it that would be refused: the registered one is used instead.
    writeFileSync(manifestPathOf(file), "not json");
    const manifest = manifestOf("the source text");
    registerManifest(file, manifest);
    expect(manifestFor(file)).toBe(manifest);
    expect(manifestFor(join(dir, ".", file.slice(dir.length)))).toBe(manifest);
    expect(manifestOrigin(manifest)).toEqual({ name: `the analysis of ${file}`, module: file });
  });

  it("checks what is registered too: a manifest naming a record it does not describe is refused", () => {
    const file = moduleFile();
    const bad = manifestOf("x", { records: {} });
    expect(() => registerManifest(file, bad)).toThrow(
      `the analysis of ${file} is damaged: task "Pipelines.add", outputs[0] 'o0'.record names "src/geo.ts#Point", which is not in 'records'; ` +
        "rebuild with `flytekit-ts build`",
    );
  });

  it("reads the manifest beside a module whose code it was written for", () => {
    const file = moduleWithManifest((code) => manifestOf(code));
    const manifest = manifestFor(file)!;
    expect(manifest.tasks["Pipelines.add"]!.inputs).toEqual({ x: "Int", y: { list: { optional: "Str" } } });
    expect(manifestOrigin(manifest)).toEqual({ name: `the manifest ${manifestPathOf(file)}`, module: file });
    // Once per file: the same object again.
    expect(manifestFor(file)).toBe(manifest);
  });

  it("reads a file once per process: a manifest written or changed after the first look is not seen", () => {
    const without = moduleFile();
    expect(manifestFor(without)).toBeUndefined();
    writeFileSync(manifestPathOf(without), JSON.stringify(manifestOf("anything")));
    expect(manifestFor(without)).toBeUndefined();

    const file = moduleWithManifest((code) => manifestOf(code));
    const first = manifestFor(file);
    writeFileSync(manifestPathOf(file), "damaged later");
    expect(manifestFor(file)).toBe(first);
  });

  it("refuses a manifest written for other code, saying both hashes and to rebuild", () => {
    const file = moduleWithManifest(() => manifestOf("export const n = 0;\n"));
    const message =
      `the manifest ${manifestPathOf(file)} was written for other code (hash ${codeHash("export const n = 0;\n")}), ` +
      `the module's code hashes to ${codeHash(readFileSync(file))}; ` +
      "rebuild with `flytekit-ts build`";
    expect(refusal(file)).toBe(message);
    // Deleting the manifest is not offered: with standard decorators and no tokens, nothing would type the tasks.
    expect(message).not.toContain("delete");
    // The verdict is kept: asked again, the same refusal.
    expect(refusal(file)).toBe(message);
  });

  it("refuses a manifest of another format, whatever else it holds", () => {
    const file = moduleWithManifest(() => ({ format: 2, anything: true }));
    expect(refusal(file)).toBe(`the manifest ${manifestPathOf(file)} is in format 2 (number), which this SDK does not read (it reads format 1); rebuild with \`flytekit-ts build\``);
    const none = moduleWithManifest(() => ({ tasks: {} }));
    expect(refusal(none)).toBe(`the manifest ${manifestPathOf(none)} is in format missing, which this SDK does not read (it reads format 1); rebuild with \`flytekit-ts build\``);
  });

  describe("refuses a damaged manifest, naming it and what is wrong", () => {
    const REBUILD = "; rebuild with `flytekit-ts build`";
    const cases: [string, (code: string) => unknown, string][] = [
      ["not JSON", () => '{"format": 1,', "is damaged: it is not JSON ("],
      ["not an object", () => "[1, 2]", "is damaged: it is an array, not an object"],
      ["a hash that is not one", (code) => ({ ...manifestOf(code), hash: "md5:abc" }), `is damaged: 'hash' is "md5:abc" (string), not sha256: and 64 hex digits`],
      ["no source", (code) => ({ ...manifestOf(code), source: undefined }), "is damaged: 'source' is missing, not a string"],
      ["tasks not an object", (code) => ({ ...manifestOf(code), tasks: [] }), "is damaged: 'tasks' is an array, not an object"],
      [
        "a type it does not know",
        (code) => ({ ...manifestOf(code), tasks: { "P.f": { line: 1, inputs: { x: "Integer" }, outputs: [] } } }),
        `is damaged: task "P.f", input 'x' names the type "Integer" (string), which is not one a manifest names`,
      ],
      [
        "a type of unknown shape",
        (code) => ({ ...manifestOf(code), tasks: { "P.f": { line: 1, inputs: { x: { list: "Int", dict: "Int" } }, outputs: [] } } }),
        "is damaged: task \"P.f\", input 'x' is an object with the keys dict,list, not a type",
      ],
      [
        "an empty union",
        (code) => ({ ...manifestOf(code), tasks: { "P.f": { line: 1, inputs: { x: { optional: { union: [] } } }, outputs: [] } } }),
        "is damaged: task \"P.f\", input 'x'.optional.union is not a list of types",
      ],
      [
        "an enum without strings",
        (code) => ({ ...manifestOf(code), tasks: { "P.f": { line: 1, inputs: { x: { enum: [1], name: "E" } }, outputs: [] } } }),
        "is damaged: task \"P.f\", input 'x'.enum is not a list of strings",
      ],
      ["a record of no kind", (code) => ({ ...manifestOf(code), records: { "a#R": { name: "R", kind: "struct", module: "a", fields: [] } } }), `is damaged: record "a#R", 'kind' is "struct" (string), not "class", "interface" or "alias"`],
      ["outputs that are not a list", (code) => ({ ...manifestOf(code), tasks: { "P.f": { line: 1, inputs: {}, outputs: { o0: "Int" } } } }), `is damaged: task "P.f", outputs is an object, not a list`],
      ["a task without a line", (code) => ({ ...manifestOf(code), tasks: { "P.f": { inputs: {} } } }), `is damaged: task "P.f", 'line' is missing, not a number`],
      [
        "an optional whose absent is not true",
        (code) => ({ ...manifestOf(code), tasks: { "P.f": { line: 1, inputs: { x: { optional: "Int", absent: false } }, outputs: [] } } }),
        "is damaged: task \"P.f\", input 'x'.absent is false (boolean), not true",
      ],
      [
        "a field's property that is not a name",
        (code) => ({ ...manifestOf(code), records: { "a#R": { name: "R", kind: "class", module: "a", fields: [{ name: "by_key", property: "", type: "Int" }] } } }),
        `is damaged: record "a#R", fields[0] 'by_key'.property is "" (string), not a property name`,
      ],
      ["errors that are not diagnostics", (code) => ({ ...manifestOf(code), tasks: { "P.f": { line: 1, inputs: {}, errors: [{ code: "FTS1001" }] } } }), `is damaged: task "P.f", errors[0] is not a diagnostic`],
    ];
    for (const [what, manifest, problem] of cases) {
      it(what, () => {
        const file = moduleWithManifest(manifest);
        const message = refusal(file);
        expect(message.startsWith(`the manifest ${manifestPathOf(file)} ${problem}`), message).toBe(true);
        expect(message.endsWith(REBUILD), message).toBe(true);
      });
    }
  });

  it("reads every type the format names: BigInt, Table, Schema, a Map's dict, x?: T, a field's own property", () => {
    const file = moduleWithManifest((code) =>
      manifestOf(code, {
        tasks: {
          "P.f": {
            line: 1,
            inputs: { a: "BigInt", b: "Table", c: "Schema", d: { map: { list: "Int" } }, e: { optional: "Str", absent: true }, r: { record: "a#R" } },
            outputs: [{ name: "o0", type: { optional: { map: "Int" } } }],
          },
        },
        records: { "a#R": { name: "R", kind: "class", module: "a", fields: [{ name: "by_key", property: "byKey", type: "Int" }] } },
      }),
    );
    expect(manifestFor(file)!.tasks["P.f"]!.inputs.e).toEqual({ optional: "Str", absent: true });
  });

  it("meets a module through a symbolic link: registered through one and asked for by the real path (as Node loads it), or the other way", () => {
    const real = moduleFile();
    const link = join(dir, `link${++counter}.js`);
    symlinkSync(real, link);
    const manifest = manifestOf("through a link");
    registerManifest(link, manifest);
    expect(manifestFor(real)).toBe(manifest);
    expect(manifestFor(link)).toBe(manifest);

    const linkedDir = join(dir, `linked${++counter}`);
    symlinkSync(dir, linkedDir, "dir");
    const other = moduleFile();
    const second = manifestOf("the other way");
    registerManifest(other, second);
    expect(manifestFor(join(linkedDir, other.slice(dir.length + 1)))).toBe(second);
  });

  it("shows a manifest inside the working directory by its relative path", () => {
    const file = moduleWithManifest(() => "oops");
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      // A fresh look (another spelling of the path is the same file, and its verdict is kept): a file of its own.
      const other = moduleWithManifest(() => "oops");
      expect(refusal(other)).toMatch(new RegExp(`^the manifest ${other.slice(dir.length + 1).replace(".", "\\.")}\\.flyte\\.json is damaged: it is not JSON`));
    } finally {
      process.chdir(cwd);
    }
    expect(refusal(resolve(file))).toMatch(/^the manifest \/.* is damaged/);
  });
});
