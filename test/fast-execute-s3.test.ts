// Fast registration through an object store, on a real MinIO: `flytekit-ts package --fast` ships
// the code archive; the test uploads it to the bucket as flytectl would and fills
// {{ .remote_package_path }} and the input/output templates as propeller does; then
// flytekit-ts-fast-execute downloads the archive, unpacks it and runs the task from the unpacked
// code, with inputs and outputs in the bucket. An archive that is missing or denied is one line
// naming the uri and a non-zero exit.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { admin, LiteralMapSchema } from "@flytekit-ts/core/idl";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { Int, Str } from "@flytekit-ts/core";
import { fromLiteralMap, toLiteralMap } from "@flytekit-ts/core/internal";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_BIN, cleanEnv, fillTemplates, REPO_ROOT, runProcess, TEST_ROOT } from "./support/execute.js";
import { startMinio, type Minio } from "./support/minio.js";

const FAST_BIN = join(REPO_ROOT, "packages/core/bin/flytekit-ts-fast-execute.js");
const BUCKET = "flyte";
let minio: Minio;
let scratch: string;

beforeAll(async () => {
  minio = await startMinio([BUCKET]);
  // Inside the repository (test/.tmp, ignored by git), where Node finds @flytekit-ts/* as an image would.
  mkdirSync(join(TEST_ROOT, ".tmp"), { recursive: true });
  scratch = mkdtempSync(join(TEST_ROOT, ".tmp", "fast-s3-"));
}, 600_000);

afterAll(async () => {
  await minio?.stop();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

function split(uri: string): { Bucket: string; Key: string } {
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri)!;
  return { Bucket: bucket!, Key: key! };
}

async function putObject(uri: string, bytes: Uint8Array): Promise<void> {
  await minio.client.send(new PutObjectCommand({ ...split(uri), Body: bytes }));
}

async function keysUnder(uri: string): Promise<string[]> {
  const { Bucket, Key } = split(uri);
  const r = await minio.client.send(new ListObjectsV2Command({ Bucket, Prefix: `${Key}/` }));
  return (r.Contents ?? []).map((o) => o.Key!.slice(Key.length + 1)).sort();
}

function containerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...cleanEnv(), ...minio.env, HOME: mkdtempSync(join(tmpdir(), "flytekit-ts-home-")), ...extra };
}

describe("fast registration with the code archive in MinIO", () => {
  // What this copy of the code says, so that the output proves which code ran.
  const stamp = `shipped-${randomBytes(4).toString("hex")}`;
  let args: string[];
  let archive: { name: string; data: Buffer };

  beforeAll(async () => {
    const project = join(scratch, "project");
    mkdirSync(join(project, "tasks"), { recursive: true });
    // A project of its own: loader args name a module by its path from its package root, which is what is shipped.
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "shipped", private: true, type: "module" }));
    writeFileSync(
      join(project, "tasks", "shipped.ts"),
      [
        'import { Int, Str } from "@flytekit-ts/core";',
        'import { task } from "@flytekit-ts/decorators";',
        "export class Shipped {",
        "  @task({ inputs: { n: Int }, outputs: { o0: Str } })",
        "  static where(n: number): string {",
        `    return \`\${n * 2} ${stamp} \${import.meta.filename}\`;`,
        "  }",
        "}",
        "",
      ].join("\n"),
    );
    const output = join(scratch, "flyte-package.tgz");
    const packaged = await runProcess(process.execPath, [CLI_BIN, "package", "--fast", "--source", ".", "--output", output, "--image", "img:1", "tasks/shipped.ts"], { cwd: project, env: cleanEnv() });
    expect(packaged.code, packaged.stderr).toBe(0);
    const extracted = join(scratch, "package");
    mkdirSync(extracted);
    execFileSync("tar", ["-xzf", output, "-C", extracted]);
    const members = readdirSync(extracted);
    const name = members.find((m) => /^fast[0-9a-f]{32}\.tar\.gz$/.test(m))!;
    archive = { name, data: readFileSync(join(extracted, name)) };
    const spec = fromBinary(admin.TaskSpecSchema, readFileSync(join(extracted, members.find((m) => m.includes("Shipped.where"))!)));
    args = spec.template!.target.case === "container" ? spec.template!.target.value.args : [];
    expect(args.slice(0, 6)).toEqual(["flytekit-ts-fast-execute", "--additional-distribution", "{{ .remote_package_path }}", "--dest-dir", "/root", "--"]);
  }, 120_000);

  /** The container's command with every template filled as flytectl (the archive's uri) and propeller (the node's URIs, the destination) fill them. */
  function filled(packageUri: string, node: string, dest: string): string[] {
    const base = `s3://${BUCKET}/metadata/exec/${node}`;
    const withPaths = fillTemplates(args, { inputs: `${base}/inputs.pb`, outputPrefix: `${base}/out`, raw: `s3://${BUCKET}/raw/${node}`, checkpoint: `${base}/cp`, previous: '""' });
    const at = withPaths.indexOf("--dest-dir");
    return withPaths.map((a, i) => (a === "{{ .remote_package_path }}" ? packageUri : i === at + 1 ? dest : a));
  }

  it("downloads the archive from the bucket, unpacks it and runs the task from it, inputs and outputs in the bucket", async () => {
    // flytectl's upload: the archive under a path of its digest in the metadata bucket.
    const packageUri = `s3://${BUCKET}/fast/${archive.name.slice(4, 36)}/${archive.name}`;
    await putObject(packageUri, archive.data);
    const node = "fast-run";
    await putObject(`s3://${BUCKET}/metadata/exec/${node}/inputs.pb`, toBinary(LiteralMapSchema, toLiteralMap({ n: Int }, { n: 21 })));
    const dest = join(scratch, "dest");
    const command = filled(packageUri, node, dest);
    const r = await runProcess(process.execPath, [FAST_BIN, ...command.slice(1)], { cwd: scratch, env: containerEnv() });
    expect(r.code, r.stderr).toBe(0);
    expect(await keysUnder(`s3://${BUCKET}/metadata/exec/${node}/out`), r.stderr).toEqual(["outputs.pb"]);
    const got = await minio.client.send(new GetObjectCommand(split(`s3://${BUCKET}/metadata/exec/${node}/out/outputs.pb`)));
    const outputs = fromLiteralMap({ o0: Str }, fromBinary(LiteralMapSchema, await got.Body!.transformToByteArray()), "output");
    // The task ran from the unpacked copy, the one this test wrote.
    expect(outputs.o0).toBe(`42 ${stamp} ${join(dest, "tasks", "shipped.ts")}`);
    expect(readdirSync(dest).sort()).toEqual(["package.json", "tasks"]);
  }, 60_000);

  it("an archive uri with no object: one line naming the uri, exit 1, and the task never starts", async () => {
    const packageUri = `s3://${BUCKET}/fast/nowhere/fast00000000000000000000000000000000.tar.gz`;
    const node = "fast-missing";
    const dest = join(scratch, "dest-missing");
    const r = await runProcess(process.execPath, [FAST_BIN, ...filled(packageUri, node, dest).slice(1)], { cwd: scratch, env: containerEnv() });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`flytekit-ts-fast-execute: ${packageUri}: could not download it: no object is there, and no object is under it`);
    expect(await keysUnder(`s3://${BUCKET}/metadata/exec/${node}/out`)).toEqual([]);
  });

  it("an archive the credentials may not read: one line naming the uri and the denial, exit 1", async () => {
    const packageUri = `s3://${BUCKET}/fast/${archive.name.slice(4, 36)}/${archive.name}`;
    await putObject(packageUri, archive.data);
    const r = await runProcess(process.execPath, [FAST_BIN, ...filled(packageUri, "fast-denied", join(scratch, "dest-denied")).slice(1)], {
      cwd: scratch,
      env: containerEnv({ FLYTE_AWS_SECRET_ACCESS_KEY: "not-the-secret" }),
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(new RegExp(`^flytekit-ts-fast-execute: ${packageUri.replace(/[.]/g, "\\.")}: could not download it: the request was denied \\(S3 (SignatureDoesNotMatch|Forbidden) \\(HTTP 403\\)[^\\n]*$`));
  });
});
