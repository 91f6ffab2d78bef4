// `flytekit-ts package` against what `pyflyte package` wrote for the same module
// (golden/entrypoint/package): the same members, in the same order, and the same TaskSpecs except
// where we are another SDK on purpose (task type, runtime metadata, the container's entrypoint args).
import { clone, equals, fromBinary } from "@bufbuild/protobuf";
import { admin, RuntimeMetadata_RuntimeType } from "@flytekit-ts/core/idl";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI_BIN, cleanEnv, runProcess } from "./support/execute.js";
import { VERSION } from "@flytekit-ts/core";

const golden = join(import.meta.dirname, "golden/entrypoint");
const manifest = JSON.parse(readFileSync(join(golden, "manifest.json"), "utf8")) as { package: { member_names_in_order: string[] } };

/** Our spec with the on-purpose differences set to flytekit's values. */
function asFlytekitWouldWriteIt(spec: admin.TaskSpec, theirs: admin.TaskSpec): admin.TaskSpec {
  const ours = clone(admin.TaskSpecSchema, spec);
  const t = ours.template!;
  expect(t.type).toBe("typescript-task");
  t.type = theirs.template!.type;
  expect(t.metadata!.runtime).toMatchObject({ type: RuntimeMetadata_RuntimeType.FLYTE_SDK, version: VERSION, flavor: "typescript" });
  t.metadata!.runtime = theirs.template!.metadata!.runtime;
  if (t.target.case === "container" && theirs.template!.target.case === "container") {
    expect(t.target.value.args[0]).toBe("flytekit-ts-execute");
    t.target.value.args = theirs.template!.target.value.args;
  }
  return ours;
}

describe("flytekit-ts package and pyflyte package", () => {
  it("write the same members, and TaskSpecs equal but for the SDK's own fields", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-golden-pkg-"));
    const output = join(dir, "flyte-package.tgz");
    const r = await runProcess(process.execPath, [CLI_BIN, "package", "--output", output, "--image", "docker.io/xyz:some-git-hash", "support/golden-entry.ts"], { env: cleanEnv() });
    expect(r.code, r.stderr).toBe(0);
    const members = execFileSync("tar", ["-tzf", output], { encoding: "utf8" }).trim().split("\n");
    expect(members).toEqual(manifest.package.member_names_in_order);
    const extracted = join(dir, "x");
    mkdirSync(extracted);
    execFileSync("tar", ["-xzf", output, "-C", extracted]);
    for (const name of members) {
      const theirs = fromBinary(admin.TaskSpecSchema, readFileSync(join(golden, "package", name)));
      const ours = fromBinary(admin.TaskSpecSchema, readFileSync(join(extracted, name)));
      expect(equals(admin.TaskSpecSchema, asFlytekitWouldWriteIt(ours, theirs), theirs), name).toBe(true);
    }
  });
});
