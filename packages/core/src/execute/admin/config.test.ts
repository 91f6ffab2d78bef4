import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AdminConfigError, adminBaseUrl, adminConfigFromEnv } from "./config.js";

/** An empty working directory and home: no config file anywhere. */
function place() {
  const root = mkdtempSync(join(tmpdir(), "admin-config-"));
  const cwd = join(root, "cwd");
  const home = join(root, "home");
  mkdirSync(cwd);
  mkdirSync(home);
  return { root, cwd, home };
}

describe("FlyteAdmin's configuration, read as flytekit reads it", () => {
  it("from FLYTE_PLATFORM_URL and FLYTE_PLATFORM_INSECURE, dns:/// removed", () => {
    const { cwd, home } = place();
    const config = adminConfigFromEnv({ FLYTE_PLATFORM_URL: "dns:///flyteadmin.flyte.svc.cluster.local:81", FLYTE_PLATFORM_INSECURE: "True" }, {}, { cwd, home });
    expect(config).toMatchObject({ endpoint: "flyteadmin.flyte.svc.cluster.local:81", insecure: true, insecureSkipVerify: false, source: "FLYTE_PLATFORM_URL" });
    expect(adminBaseUrl(config)).toBe("http://flyteadmin.flyte.svc.cluster.local:81");
  });

  it("TLS by default, on gRPC's port 443 when none is named, with the CA file and skip-verify", () => {
    const { cwd, home } = place();
    const config = adminConfigFromEnv({ FLYTE_PLATFORM_URL: "flyte.example.com", FLYTE_PLATFORM_INSECURE_SKIP_VERIFY: "1", FLYTE_PLATFORM_CA_CERT_FILE_PATH: "/etc/ca.pem" }, {}, { cwd, home });
    expect(config).toMatchObject({ insecure: false, insecureSkipVerify: true, caCertFilePath: "/etc/ca.pem" });
    expect(adminBaseUrl(config)).toBe("https://flyte.example.com:443");
  });

  it("from the YAML file FLYTECTL_CONFIG names (admin.endpoint, admin.insecure), the environment winning", () => {
    const { root, cwd, home } = place();
    const file = join(root, "config.yaml");
    writeFileSync(file, "admin:\n  # the cluster's admin\n  endpoint: dns:///admin.local:8089\n  insecure: true\n  authType: Pkce\nlogger:\n  level: 0\n  endpoint: not-this\n");
    expect(adminConfigFromEnv({ FLYTECTL_CONFIG: file }, {}, { cwd, home })).toMatchObject({ endpoint: "admin.local:8089", insecure: true, source: file });
    expect(adminConfigFromEnv({ FLYTECTL_CONFIG: file, FLYTE_PLATFORM_INSECURE: "false" }, {}, { cwd, home })).toMatchObject({ endpoint: "admin.local:8089", insecure: false });
    expect(adminConfigFromEnv({ FLYTECTL_CONFIG: file, FLYTE_PLATFORM_URL: "other:1" }, {}, { cwd, home })).toMatchObject({ endpoint: "other:1", insecure: true });
  });

  it("from ./flytekit.config's [platform], then ~/.flyte/config, then ~/.flyte/config.yaml", () => {
    const { cwd, home } = place();
    mkdirSync(join(home, ".flyte"));
    writeFileSync(join(home, ".flyte", "config.yaml"), "admin:\n  endpoint: from-yaml:1\n");
    expect(adminConfigFromEnv({}, {}, { cwd, home }).endpoint).toBe("from-yaml:1");
    writeFileSync(join(home, ".flyte", "config"), "[sdk]\nurl = no\n[platform]\nurl = from-home-ini:2\ninsecure = yes\n");
    expect(adminConfigFromEnv({}, {}, { cwd, home })).toMatchObject({ endpoint: "from-home-ini:2", insecure: true });
    writeFileSync(join(cwd, "flytekit.config"), "[platform]\nurl=from-cwd:3\n");
    expect(adminConfigFromEnv({}, {}, { cwd, home })).toMatchObject({ endpoint: "from-cwd:3", insecure: false });
  });

  it("without an endpoint, an error that names what is missing and where it may come from", () => {
    const { cwd, home } = place();
    const error = (() => {
      try {
        adminConfigFromEnv({ FLYTE_PLATFORM_INSECURE: "true" }, { task: "wf.pipeline" }, { cwd, home });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AdminConfigError);
    expect((error as Error).message).toBe(
      "task 'wf.pipeline', FlyteAdmin: no endpoint is configured: FLYTE_PLATFORM_URL is not set and there is no config file; an eager task launches its inner tasks through FlyteAdmin; set FLYTE_PLATFORM_URL, or admin.endpoint in the YAML file FLYTECTL_CONFIG names (or ~/.flyte/config.yaml), or [platform] url in ./flytekit.config (or ~/.flyte/config) (FLYTE_PLATFORM_INSECURE=true for a plaintext endpoint)",
    );
  });

  it("a file that names no endpoint is said so", () => {
    const { root, cwd, home } = place();
    const file = join(root, "c.yaml");
    writeFileSync(file, "storage:\n  type: s3\n");
    expect(() => adminConfigFromEnv({ FLYTECTL_CONFIG: file }, {}, { cwd, home })).toThrow(`FLYTE_PLATFORM_URL is not set, and ${file} names none`);
  });

  it("refuses an endpoint with a scheme, which gRPC would not take either", () => {
    const { cwd, home } = place();
    expect(() => adminConfigFromEnv({ FLYTE_PLATFORM_URL: "https://flyte.example.com" }, {}, { cwd, home })).toThrow(
      'FLYTE_PLATFORM_URL: expected host:port (or dns:///host:port), got "https://flyte.example.com"',
    );
  });
});
