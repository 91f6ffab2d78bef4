// The README's main command runs every example, locally, on the embedded defaults.
import { main as caching } from "./caching.js";
import { main as contextSecrets } from "./context-secrets.js";
import { main as eager } from "./eager.js";
import { main as echoReference } from "./echo-reference.js";
import { main as environment } from "./environment.js";
import { main as functionForm } from "./function-form.js";
import { main as math } from "./math.js";
import { main as plugins } from "./plugins.js";
import { main as rawContainer } from "./raw-container.js";
import { main as registration } from "./registration.js";
import { main as retriesTimeouts } from "./retries-timeouts.js";
import { main as sqlite } from "./sqlite.js";
import { main as tables } from "./tables.js";
import { main as types } from "./types.js";

// The README's first example is a project of its own (standard decorators, no tokens), built by
// `flytekit-ts build` into examples/typed/dist with a manifest beside each module.
const typed = async (): Promise<void> => {
  const { main } = (await import(new URL("../typed/dist/main.js", import.meta.url).href)) as { main: () => Promise<void> };
  await main();
};

const examples: [string, () => Promise<void>][] = [
  ["typed", typed],
  ["types", types],
  ["math", math],
  ["function-form", functionForm],
  ["caching", caching],
  ["retries-timeouts", retriesTimeouts],
  ["eager", eager],
  ["environment", environment],
  ["context-secrets", contextSecrets],
  ["plugins", plugins],
  ["raw-container", rawContainer],
  ["echo-reference", echoReference],
  ["registration", registration],
  ["sqlite", sqlite],
  ["tables", tables],
];

let failed = 0;
for (const [name, run] of examples) {
  console.log(`\n=== examples/${name} ===`);
  try {
    await run();
  } catch (e) {
    failed++;
    console.error(`example ${name} failed:`, e);
  }
}
console.log(`\n${examples.length - failed} of ${examples.length} examples ran`);
if (failed > 0) process.exit(1);
