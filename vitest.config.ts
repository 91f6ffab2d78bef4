import { defineConfig } from "vitest/config";

// Tests import our packages by name; the "flytekit-ts-source" export condition points them at
// src/ (transformed by Vite 8's Oxc with the tsconfig's decorator metadata) instead of dist/.
const conditions = ["flytekit-ts-source", "module", "node", "import", "default"];
// Dependencies run in Node as Node resolves them: the "module" condition points some (the AWS SDK's)
// at builds meant for bundlers, whose extensionless imports Node cannot load.
const nodeConditions = conditions.filter((c) => c !== "module");

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions: nodeConditions, externalConditions: ["flytekit-ts-source"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    // What a task logs below ERROR in a local call ("[task] INFO Connecting to db ...") is the
    // task's business, not the test run's: `npm test` shows only what a reader should look at.
    onConsoleLog: (log) => !/^\[[^\]\n]+\] (DEBUG|INFO|WARN) /.test(log),
    // Failures show whole messages: most assertions compare an error's text.
    chaiConfig: { truncateThreshold: 0 },
    reporters: ["default", ["json", { outputFile: ".vitest-results.json" }]],
  },
});
