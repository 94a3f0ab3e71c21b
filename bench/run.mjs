// Runs every bench/*.bench.mjs in sequence, each in its own Node process so one benchmark's JIT
// state and heap do not colour the next. Exit code: non-zero when any benchmark misses its target.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((name) => name.endsWith(".bench.mjs"))
  .filter((name) => only.length === 0 || only.some((filter) => name.includes(filter)))
  .sort();
let failed = 0;
for (const name of benches) {
  process.stdout.write(`\n== ${name}\n`);
  const result = spawnSync(process.execPath, [...process.execArgv, path.join(here, name)], {
    stdio: "inherit",
  });
  if (result.status !== 0) {
    failed++;
    process.stdout.write(`!! ${name} exited with ${result.status ?? result.signal}\n`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
