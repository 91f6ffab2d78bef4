// Inside a task: currentContext() gives its execution id, name, attempt, a scratch directory, a
// logger, and secrets, read as flytekit reads them ({GROUP}_{KEY} locally, _FSEC_ in front in a
// container, or files under /etc/secrets). A secret's value never shows in logs or errors.
import { currentContext, Secret, Str } from "@flytekit-ts/core";
import { task } from "@flytekit-ts/decorators";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export const callApi = task(
  { name: "examples.call_api", inputs: { endpoint: Str }, outputs: Str, secretRequests: [new Secret({ group: "api", key: "token" })] },
  ({ endpoint }) => {
    const { executionId, logger, scratchDir, secrets } = currentContext();
    const token = secrets.get("api", "token");
    logger.info(`calling ${endpoint} with token ${token}`);
    writeFileSync(join(scratchDir, "request.txt"), endpoint);
    return `${executionId.name}: authorised (${token.length} characters)`;
  },
);

export async function main(): Promise<void> {
  process.env.API_TOKEN = "example-token-value";
  try {
    console.log(callApi({ endpoint: "https://example.org" }));
  } finally {
    delete process.env.API_TOKEN;
  }
}
