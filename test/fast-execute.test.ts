// Fast registration: the code travels as a tarball; flytekit-ts-fast-execute (flytekit's
// pyflyte-fast-execute) fetches it through the storage layer, unpacks it into the destination
// directory and runs the task's own command there.
import { fromBinary } from "@bufbuild/protobuf";
import { admin } from "@flytekit-ts/core/idl";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it, onTestFinished } from "vitest";
import { CLI_BIN, cleanEnv, fillTemplates, readOutputs, REPO_ROOT, runProcess, TEST_ROOT, workArea } from "./support/execute.js";
import { fromLiteralMap, rawTar, toLiteralMap } from "@flytekit-ts/core/internal";
import { Int, List, Str } from "@flytekit-ts/core";

const FAST_BIN = join(REPO_ROOT, "packages/core/bin/flytekit-ts-fast-execute.js");


describe("flytekit-ts-fast-execute", () => {
  it("unpacks the code and runs the task from it, with the args serialize --fast writes", async () => {
    // Serialize with fast registration: the args start with the fast entrypoint and Flyte's placeholders.
    const outDir = join(mkdtempSync(join(tmpdir(), "flytekit-ts-fast-")), "specs");
    const cli = await runProcess(process.execPath, [CLI_BIN, "serialize", "--fast", "--out", outDir, "--image", "img:1", "--image", "gpu=img:gpu", "support/e2e-tasks.ts"], { env: cleanEnv() });
    expect(cli.code, cli.stderr).toBe(0);
    const spec = fromBinary(admin.TaskSpecSchema, readFileSync(join(outDir, readdirSync(outDir).find((f) => f.includes("Pipelines.everything"))!)));
    const args = spec.template!.target.case === "container" ? spec.template!.target.value.args : [];
    expect(args.slice(0, 7)).toEqual(["flytekit-ts-fast-execute", "--additional-distribution", "{{ .remote_package_path }}", "--dest-dir", "{{ .dest_dir }}", "--", "flytekit-ts-execute"]);

    // The code, as a tarball: the module, at the path the loader args name. It is unpacked inside
    // the repository (test/.tmp, ignored by git), where Node finds @flytekit-ts/* as an image would.
    mkdirSync(join(TEST_ROOT, ".tmp"), { recursive: true });
    const dest = mkdtempSync(join(TEST_ROOT, ".tmp", "dest-"));
    onTestFinished(() => rmSync(dest, { recursive: true, force: true }));
    const area = workArea(toLiteralMap({ xs: List(Int), label: Str }, { xs: [4, 5], label: "fast" }));
    const tarball = join(area.dir, "code.tar.gz");
    writeFileSync(tarball, gzipSync(rawTar({ "support/e2e-tasks.ts": readFileSync(join(TEST_ROOT, "support/e2e-tasks.ts")) })));

    const filled = fillTemplates(args, { inputs: area.inputs, outputPrefix: area.out, raw: area.raw, checkpoint: area.cp, previous: '""' }).map((a) =>
      a === "{{ .remote_package_path }}" ? `file://${tarball}` : a === "{{ .dest_dir }}" ? dest : a,
    );
    const r = readOutputs(area.out, await runProcess(process.execPath, [FAST_BIN, ...filled.slice(1)], { cwd: area.dir, env: { ...cleanEnv(), MODE: "fast", _FSEC_DB_PASSWORD: "pw" } }));
    expect(r.code, r.stderr).toBe(0);
    // The task with every option has decks on: its deck beside the outputs, as pyflyte-execute writes it.
    expect(r.files).toEqual(["deck.html", "outputs.pb"]);
    expect(fromLiteralMap({ total: Int, label: Str }, r.outputs!, "output")).toEqual({ total: 9, label: "fast (fast, secret of 2 chars)" });
    // The module ran from the unpacked code.
    expect(readdirSync(join(dest, "support"))).toEqual(["e2e-tasks.ts"]);
  });

  it("refuses a tarball whose entries would land outside the destination", async () => {
    const area = workArea();
    const tarball = join(area.dir, "evil.tar.gz");
    writeFileSync(tarball, gzipSync(rawTar({ "../escape.txt": Buffer.from("no") })));
    const dest = join(area.dir, "dest");
    const r = await runProcess(process.execPath, [FAST_BIN, "--additional-distribution", tarball, "--dest-dir", dest, "--", "true"], { env: cleanEnv() });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`flytekit-ts-fast-execute: archive ${tarball}, member '../escape.txt': refusing to unpack it: it is outside `);
    expect(readdirSync(area.dir)).not.toContain("escape.txt");
  });

  it("fails at once, saying so, on a tarball whose header is damaged (a negative size made it loop forever)", async () => {
    const area = workArea();
    const tarball = join(area.dir, "hostile.tar.gz");
    const h = rawTar({ "evil.ts": Buffer.alloc(0) }).subarray(0, 512);
    h.write("-0000001000\0", 124, "latin1");
    h.fill(" ", 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
    writeFileSync(tarball, gzipSync(Buffer.concat([h, Buffer.alloc(1024)])));
    const dest = join(area.dir, "dest");
    const r = await runProcess(process.execPath, [FAST_BIN, "--additional-distribution", tarball, "--dest-dir", dest, "--", "true"], { env: cleanEnv() });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `flytekit-ts-fast-execute: archive ${tarball}, member 'evil.ts': its header (at byte 0) is damaged: the size field "-0000001000" is not a non-negative octal number`,
    );
    expect(readdirSync(dest)).toEqual([]);
  });

  it("names what is missing from its arguments", async () => {
    const r = await runProcess(process.execPath, [FAST_BIN, "--dest-dir", "/tmp"], { env: cleanEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--additional-distribution X [--dest-dir D] -- <command...>");
  });
});
