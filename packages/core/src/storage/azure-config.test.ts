// The Azure store's configuration as flytekit and adlfs read the environment, and the URI forms they
// write; no SDK and no server involved (test/storage-azure.test.ts runs the store against Azurite).
import { describe, expect, it } from "vitest";
import { azureOptionsFromEnv, parseAzureUri, parseConnectionString } from "./azure-config.js";
import { StorageConfigError, StorageError } from "./storage.js";

describe("azureOptionsFromEnv", () => {
  it("reads flytekit's FLYTE_AZURE_* before adlfs's AZURE_STORAGE_*", () => {
    expect(
      azureOptionsFromEnv({
        FLYTE_AZURE_STORAGE_ACCOUNT_NAME: "flyteacct",
        AZURE_STORAGE_ACCOUNT_NAME: "adlfsacct",
        AZURE_STORAGE_ACCOUNT_KEY: "adlfskey",
        FLYTE_AZURE_TENANT_ID: "tenant",
        AZURE_STORAGE_CLIENT_ID: "client",
        FLYTE_AZURE_CLIENT_SECRET: "secret",
        AZURE_STORAGE_SAS_TOKEN: "?sv=1",
      }),
    ).toEqual({ accountName: "flyteacct", accountKey: "adlfskey", tenantId: "tenant", clientId: "client", clientSecret: "secret", sasToken: "?sv=1", anonymous: false });
  });

  it("takes the connection string, and reads AZURE_STORAGE_ANON as adlfs does", () => {
    expect(azureOptionsFromEnv({ AZURE_STORAGE_CONNECTION_STRING: "UseDevelopmentStorage=true" })).toEqual({ connectionString: "UseDevelopmentStorage=true", anonymous: false });
    for (const [value, anonymous] of [["true", true], ["1", true], ["yes", true], ["false", false], ["F", false], ["0", false], ["", false]] as const) {
      expect(azureOptionsFromEnv({ AZURE_STORAGE_ANON: value }).anonymous, value).toBe(anonymous);
    }
  });

  it("reads our FLYTEKIT_TS_AZURE_IDLE_TIMEOUT_MS and FLYTEKIT_TS_AZURE_RETRIES, and refuses a bad value naming the variable", () => {
    expect(azureOptionsFromEnv({ FLYTEKIT_TS_AZURE_IDLE_TIMEOUT_MS: "1500", FLYTEKIT_TS_AZURE_RETRIES: " 0 " })).toEqual({ anonymous: false, idleTimeoutMs: 1500, retries: 0 });
    expect(azureOptionsFromEnv({ FLYTEKIT_TS_AZURE_IDLE_TIMEOUT_MS: "", FLYTEKIT_TS_AZURE_RETRIES: "" })).toEqual({ anonymous: false });
    for (const [name, value, expected] of [
      ["FLYTEKIT_TS_AZURE_IDLE_TIMEOUT_MS", "0", "a whole number of at least 1"],
      ["FLYTEKIT_TS_AZURE_IDLE_TIMEOUT_MS", "60s", "a whole number of at least 1"],
      ["FLYTEKIT_TS_AZURE_RETRIES", "-1", "a whole number of at least 0"],
      ["FLYTEKIT_TS_AZURE_RETRIES", "2.5", "a whole number of at least 0"],
    ] as const) {
      let error: unknown;
      try {
        azureOptionsFromEnv({ [name]: value });
      } catch (e) {
        error = e;
      }
      expect(error, `${name}=${value}`).toBeInstanceOf(StorageConfigError);
      const message = (error as Error).message;
      expect(message).toContain(`environment variable ${name}`);
      expect(message).toContain(expected);
      expect(message).toContain(JSON.stringify(value));
    }
  });

  it("an empty variable is not set", () => {
    expect(azureOptionsFromEnv({ FLYTE_AZURE_STORAGE_ACCOUNT_NAME: "", AZURE_STORAGE_ACCOUNT_NAME: "acct" }).accountName).toBe("acct");
  });
});

describe("parseAzureUri", () => {
  it("reads abfs://container/path (the configured account)", () => {
    expect(parseAzureUri("abfs://data/runs/a/inputs.pb")).toEqual({ container: "data", key: "runs/a/inputs.pb" });
    expect(parseAzureUri("abfss://data")).toEqual({ container: "data", key: "" });
  });

  it("reads abfs://container@account.dfs.<cloud>/path as that account's blob endpoint", () => {
    expect(parseAzureUri("abfss://data@MyAcct.dfs.core.windows.net/a/b")).toEqual({ container: "data", account: "myacct", endpoint: "https://myacct.blob.core.windows.net", key: "a/b" });
    expect(parseAzureUri("abfs://data@acct.blob.core.chinacloudapi.cn/x").endpoint).toBe("https://acct.blob.core.chinacloudapi.cn");
  });

  it("takes the rest of the URI as the key, '?', '#', spaces and unicode included (as S3 and GCS do)", () => {
    expect(parseAzureUri("abfs://c/x/report#1.csv").key).toBe("x/report#1.csv");
    expect(parseAzureUri("abfs://c/x/what?.txt").key).toBe("x/what?.txt");
    expect(parseAzureUri("abfss://c@acct.dfs.core.windows.net/a b/größe#?.txt").key).toBe("a b/größe#?.txt");
    expect(parseAzureUri("abfs://c/line\nbreak").key).toBe("line\nbreak");
  });

  it("refuses a URI without a container, or whose host is not an account's, saying the forms it takes", () => {
    for (const uri of ["abfs:///x", "abfs://@acct.dfs.core.windows.net/x", "abfs://data@localhost:10000/x"]) {
      expect(() => parseAzureUri(uri), uri).toThrow(StorageError);
      expect(() => parseAzureUri(uri), uri).toThrow("abfs://<container>@<account>.dfs.core.windows.net/<path>");
    }
  });
});

it("parseConnectionString keeps '=' inside values (keys end in '==')", () => {
  const parts = parseConnectionString("DefaultEndpointsProtocol=http;AccountName=dev;AccountKey=abc==;BlobEndpoint=http://127.0.0.1:10000/dev;");
  expect(Object.fromEntries(parts)).toEqual({ defaultendpointsprotocol: "http", accountname: "dev", accountkey: "abc==", blobendpoint: "http://127.0.0.1:10000/dev" });
});
