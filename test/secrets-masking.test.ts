// A secret a task read never leaves in clear: not in an error's message, stack, properties or
// causes (local calls), not in error.pb or the log (the container), not on `flytekit-ts run`'s output.
import { fromBinary } from "@bufbuild/protobuf";
import { taskOf, TaskOutputError } from "@flytekit-ts/core";
import { ErrorDocumentSchema } from "@flytekit-ts/core/idl";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLI_BIN, cleanEnv, executeArgs, runExecute, runProcess, TEST_ROOT, workArea } from "./support/execute.js";
import { RequestFailed, SecretTasks } from "./support/secret-tasks.js";

const SECRET = "s3cr3t-T0ken";
const MODULE = "support/secret-tasks.ts";

function thrownBy(call: () => unknown): unknown {
  try {
    call();
  } catch (e) {
    return e;
  }
  throw new Error("it did not throw");
}

describe("in a local call", () => {
  beforeEach(() => {
    process.env.API_TOKEN = SECRET;
  });
  afterEach(() => {
    delete process.env.API_TOKEN;
  });

  it("an output that does not convert names the value masked, in the message, the fields and the cause", () => {
    const error = thrownBy(() => taskOf(SecretTasks.leakThroughOutput).call()) as TaskOutputError;
    expect(error).toBeInstanceOf(TaskOutputError);
    expect(error.message).toContain(`output 'o0': expected Int, got "****"`);
    expect(error.got).toBe('"****" (string)');
    expect(inspect(error, { depth: null })).not.toContain(SECRET);
    expect(String((error.cause as Error).message)).not.toContain(SECRET);
  });

  it("the task's own error keeps its class and properties, with the secret masked in every one and in its cause", () => {
    const error = thrownBy(() => taskOf(SecretTasks.leakThroughError).call()) as RequestFailed;
    expect(error).toBeInstanceOf(RequestFailed);
    expect(error.message).toContain("request with **** refused");
    expect(error.request).toEqual({ url: "https://api.example.com", headers: { Authorization: "Bearer ****" } });
    expect(((error.cause as RequestFailed).cause as Error).message).toBe("401 for token ****");
    const printed = inspect(error, { depth: null });
    expect(printed).toContain("Bearer ****");
    expect(printed).not.toContain(SECRET);
    expect(error.stack).not.toContain(SECRET);
  });
});

describe("in a container and on the command line", () => {
  const env = { _FSEC_API_TOKEN: SECRET };

  for (const name of ["SecretTasks.leakThroughOutput", "SecretTasks.leakThroughError"]) {
    it(`${name}: neither error.pb nor the log holds the secret`, async () => {
      const area = workArea(new Uint8Array());
      const r = await runExecute(executeArgs(area, MODULE, name), area.out, { env });
      expect(r.files, r.stderr).toEqual(["error.pb"]);
      const doc = fromBinary(ErrorDocumentSchema, readFileSync(join(area.out, "error.pb")));
      expect(doc.error!.message).toContain("****");
      expect(doc.error!.message).not.toContain(SECRET);
      expect(r.stderr).toContain("****");
      expect(r.stderr).not.toContain(SECRET);
    });

    it(`${name}: flytekit-ts run prints the error masked`, async () => {
      const r = await runProcess(process.execPath, [CLI_BIN, "run", MODULE, name], { cwd: TEST_ROOT, env: { ...cleanEnv(), API_TOKEN: SECRET } });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("****");
      expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
    });
  }
});
