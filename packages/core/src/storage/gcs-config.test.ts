// The gs:// store's configuration from the environment; no SDK and no server involved
// (test/storage-gcs.test.ts runs the store against fake-gcs-server).
import { describe, expect, it } from "vitest";
import { gcsOptionsFromEnv } from "./gcs-config.js";
import { StorageError } from "./storage.js";

describe("gcsOptionsFromEnv", () => {
  it("reads the emulator and our FLYTEKIT_TS_GCS_* overrides", () => {
    expect(gcsOptionsFromEnv({})).toEqual({});
    expect(
      gcsOptionsFromEnv({ STORAGE_EMULATOR_HOST: "127.0.0.1:4443", FLYTEKIT_TS_GCS_IDLE_TIMEOUT_MS: " 1500 ", FLYTEKIT_TS_GCS_RETRIES: "0", FLYTEKIT_TS_GCS_ANONYMOUS: "TRUE" }),
    ).toEqual({ endpoint: "127.0.0.1:4443", idleTimeoutMs: 1500, retries: 0, anonymous: true });
    expect(gcsOptionsFromEnv({ FLYTEKIT_TS_GCS_ANONYMOUS: "no", FLYTEKIT_TS_GCS_RETRIES: "" })).toEqual({});
  });

  it("a bad value is a StorageError naming the variable, what was expected and what came", () => {
    for (const [name, value, expected] of [
      ["FLYTEKIT_TS_GCS_IDLE_TIMEOUT_MS", "0", "at least 1"],
      ["FLYTEKIT_TS_GCS_IDLE_TIMEOUT_MS", "1.5s", "at least 1"],
      ["FLYTEKIT_TS_GCS_RETRIES", "-1", "at least 0"],
      ["FLYTEKIT_TS_GCS_RETRIES", "many", "at least 0"],
    ] as const) {
      let error: unknown;
      try {
        gcsOptionsFromEnv({ [name]: value });
      } catch (e) {
        error = e;
      }
      expect(error, `${name}=${value}`).toBeInstanceOf(StorageError);
      expect((error as Error).message).toContain(name);
      expect((error as Error).message).toContain(expected);
      expect((error as Error).message).toContain(JSON.stringify(value));
    }
  });
});
