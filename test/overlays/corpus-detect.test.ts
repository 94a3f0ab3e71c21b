/**
 * Detection + resolution against the overlay expectations of the dev brief corpus
 * (test/corpus/dev/*.expect.json: `overlays` / `overlaysAbsent`). Only the dev set: the holdout set
 * measures the whole compiler and is not read by anyone tuning rules (see test/corpus/README.md).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { detectOverlays, resolveOverlays } from "../../src/kernel/index.js";
import { loadCatalog } from "../../src/services/overlay-files.js";

const dir = path.join(import.meta.dirname, "..", "corpus", "dev");
const { catalog } = await loadCatalog();

const cases = readdirSync(dir)
  .filter((file) => file.endsWith(".expect.json"))
  .map((file) => {
    const expectation = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as {
      invalid?: unknown;
      overlays?: string[];
      overlaysAbsent?: string[];
    };
    const stem = file.replace(/\.expect\.json$/, "");
    const briefFile = readdirSync(dir).find(
      (other) => other.startsWith(`${stem}.`) && !other.endsWith(".json"),
    );
    return { stem, expectation, briefFile };
  })
  .filter(
    ({ expectation, briefFile }) =>
      briefFile !== undefined &&
      expectation.invalid === undefined &&
      (expectation.overlays !== undefined || expectation.overlaysAbsent !== undefined),
  );

test("the dev corpus has overlay expectations to check", () => {
  expect(cases.length).toBeGreaterThanOrEqual(10);
});

test.each(cases)("$stem", ({ expectation, briefFile }) => {
  const brief = readFileSync(path.join(dir, briefFile as string), "utf8");
  const selected = resolveOverlays(detectOverlays(brief, catalog), catalog).selections.map(
    (selection) => selection.name,
  );
  for (const name of expectation.overlays ?? []) expect(selected, `expected ${name}`).toContain(name);
  for (const name of expectation.overlaysAbsent ?? [])
    expect(selected, `did not expect ${name}`).not.toContain(name);
});
