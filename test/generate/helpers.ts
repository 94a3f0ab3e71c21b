/** Shared fixtures for the generation tests: the hand-built IRs with their overlays resolved. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type GenerationContext,
  IR,
  loadOverlayCatalog,
  planApi,
  type ResolvedOverlays,
  resolveOverlays,
} from "../../src/kernel/index.js";
import { readShippedOverlaySources } from "../../src/services/overlay-files.js";

const here = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURE_DIR = path.join(here, "..", "fixtures", "ir");
export const GENERATOR_VERSION = "0.0.0-test";

export interface Fixture {
  readonly name: string;
  readonly ir: IR;
  readonly resolved: ResolvedOverlays;
}

const { catalog } = loadOverlayCatalog(await readShippedOverlaySources(), []);

/** Every IR fixture, parsed with the IR schema (a fixture that drifts from the schema fails here). */
export const fixtures: readonly Fixture[] = readdirSync(FIXTURE_DIR)
  .filter((file) => file.endsWith(".json"))
  .sort()
  .map((file) => {
    const ir = IR.parse(JSON.parse(readFileSync(path.join(FIXTURE_DIR, file), "utf8")));
    return { name: file.replace(/\.json$/, ""), ir, resolved: resolveOverlays(ir.overlays, catalog) };
  });

export function fixture(name: string): Fixture {
  const found = fixtures.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no fixture ${name}`);
  return found;
}

export function contextFor(f: Fixture, allowWorkflows = true): GenerationContext {
  const rules = f.resolved.rules.map(({ rule }) => rule);
  return {
    ir: f.ir,
    plan: planApi(f.ir, rules),
    rules,
    controls: f.resolved.controls,
    options: { allowWorkflows, generatorVersion: GENERATOR_VERSION },
  };
}

export { catalog };
