import { describe, expect, it } from "vitest";
import { SerializationSettings } from "../../serialize/settings.js";
import { AdminConfigError, adminLauncherFromEnv, AdminTaskLauncher } from "./index.js";

const settings = new SerializationSettings({ project: "p", domain: "d", version: "v1" });
const execution = { project: "p", domain: "d", name: "exec1" };
const configured = { FLYTE_PLATFORM_URL: "127.0.0.1:1", FLYTE_PLATFORM_INSECURE: "true" };

describe("an eager task's launcher from its container's environment", () => {
  it("is made when the endpoint, _F_SS_C and the execution are there (nothing is contacted yet)", () => {
    expect(adminLauncherFromEnv(configured, { eagerTask: "m.pipeline", execution, settings })).toBeInstanceOf(AdminTaskLauncher);
  });

  it("names _F_SS_C when it is missing", () => {
    expect(() => adminLauncherFromEnv(configured, { eagerTask: "m.pipeline", execution, settings: undefined })).toThrow(
      "task 'm.pipeline', _F_SS_C: is not set: an eager task registers the tasks it calls with the serialization settings it was registered with",
    );
  });

  it("names FLYTE_INTERNAL_EXECUTION_ID when the execution is not known", () => {
    expect(() => adminLauncherFromEnv(configured, { eagerTask: "m.pipeline", execution: undefined, settings })).toThrow("task 'm.pipeline', FLYTE_INTERNAL_EXECUTION_ID: is not set");
  });

  it("names FLYTE_PLATFORM_URL first when nothing is configured", () => {
    const error = (() => {
      try {
        adminLauncherFromEnv({ HOME: "/nonexistent/flytekit-ts-home" }, { eagerTask: "m.pipeline", execution: undefined, settings: undefined });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AdminConfigError);
    expect((error as Error).message).toContain("FLYTE_PLATFORM_URL is not set");
  });
});
