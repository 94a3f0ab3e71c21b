/**
 * Every brief of the corpus (dev and holdout), through the real compiler: the plan is valid, the
 * OpenAPI document validates, and the migrations apply to PostgreSQL and roll back cleanly. This is
 * where IR shapes the hand-built fixtures do not cover show up.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { buildOpenApi } from "../../src/kernel/agents/api/index.js";
import { databaseAgent } from "../../src/kernel/agents/database/index.js";
import {
  ApiPlan,
  BriefError,
  generateApp,
  getFrontend,
  planApi,
  registerBuiltins,
  understandBrief,
} from "../../src/kernel/index.js";
import { useScratchDatabase } from "../helpers/database.js";
import { catalog, GENERATOR_VERSION } from "./helpers.js";

const corpus = path.join(import.meta.dirname, "..", "corpus");
const briefs = ["dev", "holdout"].flatMap((set) =>
  readdirSync(path.join(corpus, set))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => ({ name: `${set}/${name}`, text: readFileSync(path.join(corpus, set, name), "utf8") })),
);

registerBuiltins();
const frontend = getFrontend("react") === undefined ? { frontend: "none" as const } : {};

const db = useScratchDatabase();

describe("the corpus", () => {
  it("has briefs", () => expect(briefs.length).toBeGreaterThan(40));

  it.each(briefs.map((brief) => [brief.name, brief.text] as const))(
    "%s: plan, OpenAPI, migrations and the whole tree",
    async (_name, text) => {
      let understood: ReturnType<typeof understandBrief>;
      try {
        understood = understandBrief(text, { overlayCatalog: catalog });
      } catch (error) {
        // Briefs with nothing buildable are the compiler's to refuse, with a BriefError.
        expect(error).toBeInstanceOf(BriefError);
        return;
      }
      const { ir, resolved } = understood;
      const rules = resolved.rules.map(({ rule }) => rule);
      const plan = planApi(ir, rules);
      expect(ApiPlan.safeParse(plan).success).toBe(true);
      const result = await new Validator().validate(buildOpenApi(plan) as never);
      expect(result.errors ?? []).toEqual([]);
      const [up, down] = databaseAgent({
        ir,
        plan,
        rules,
        controls: resolved.controls,
        options: { allowWorkflows: false, generatorVersion: GENERATOR_VERSION },
      });
      await db().query(up?.content ?? "");
      await db().query(down?.content ?? "");
      const left = await db().query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
      expect(left.rows[0]).toEqual({ n: 0 });
      // The whole tree with the default stack (the brief may ask for one that is not registered yet).
      const generated = generateApp({
        ir,
        overlays: resolved,
        options: { stack: "express", allowWorkflows: true, generatorVersion: GENERATOR_VERSION, ...frontend },
      });
      expect(generated.files.length).toBeGreaterThan(20);
    },
  );
});
