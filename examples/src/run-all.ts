// The README's main command runs every example, locally, on the embedded defaults.
import { main as types } from "./types.js";

const examples: [string, () => Promise<void>][] = [["types", types]];

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
