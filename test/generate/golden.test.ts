/**
 * Golden trees: the whole generated repository for every IR fixture, with the shipped stacks,
 * snapshotted as one reviewable text file per fixture under __snapshots__/golden/. A change to any
 * generator shows up here as a diff. Update deliberately with `npm run golden:update`.
 */
import { describe, expect, it } from "vitest";
import { type GeneratedFile, generateApp, getFrontend, registerBuiltins } from "../../src/kernel/index.js";
import { fixtures, GENERATOR_VERSION } from "./helpers.js";

registerBuiltins();
// Until the React frontend is registered, fullstack fixtures are snapshotted without it; when it
// lands their snapshots grow a frontend/ directory (update them with `npm run golden:update`).
const frontend = getFrontend("react") === undefined ? { frontend: "none" as const } : {};

/** Every file as `==> path (mode) <==` then its content: readable in a diff, exact in bytes. */
function serialise(files: readonly GeneratedFile[]): string {
  return files.map((file) => `==> ${file.path} (${file.mode.toString(8)}) <==\n${file.content}`).join("\n");
}

describe.each(fixtures.map((f) => [f.name, f] as const))("golden tree for %s", (name, f) => {
  it("matches the reviewed snapshot", async () => {
    const result = generateApp({
      ir: f.ir,
      overlays: f.resolved,
      options: { allowWorkflows: true, generatorVersion: GENERATOR_VERSION, ...frontend },
    });
    await expect(serialise(result.files)).toMatchFileSnapshot(`./__snapshots__/golden/${name}.txt`);
  });
});
