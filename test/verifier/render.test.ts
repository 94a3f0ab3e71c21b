/** Renderers: terminal, Markdown, SARIF 2.1.0 (validated against the schema) and check-run annotations. */
import { describe, expect, it } from "vitest";
import {
  annotationBatches,
  finding,
  type GateResult,
  renderMarkdown,
  renderSarif,
  renderText,
  repairTasks,
  requireRepairProvider,
  toAnnotations,
  unlocatedFindings,
  VerifyReport,
  withPathPrefix,
} from "../../src/kernel/index.js";
import { sarifValidator } from "./helpers.js";

function gate(partial: Partial<GateResult> & Pick<GateResult, "gate" | "status">): GateResult {
  return {
    title: partial.gate,
    required: true,
    durationMs: 1200,
    reason: null,
    summary: "checked",
    steps: [],
    findings: [],
    ...partial,
  };
}

const report: VerifyReport = VerifyReport.parse({
  reportVersion: 1,
  tool: { name: "qlf", version: "0.1.0" },
  app: { dir: "./pharmacy", name: "Pharmacy API", stack: "express" },
  status: "failed",
  parallel: true,
  durationMs: 21_300,
  notes: ["installed the dependencies (npm install) in 31.0 s"],
  gates: [
    gate({
      gate: "static",
      status: "failed",
      findings: [
        finding({
          gate: "static",
          rule: "static/typescript",
          severity: "error",
          message: "TS2322: Type 'string' is not assignable to type 'number'.",
          path: "src/config.ts",
          line: 54,
          column: 14,
        }),
        finding({
          gate: "static",
          rule: "static/dockerfile",
          severity: "warning",
          message: "the final image has no HEALTHCHECK",
          path: "Dockerfile",
          line: 12,
        }),
      ],
    }),
    gate({ gate: "unit", status: "passed", summary: "91 passed, 0 failed" }),
    gate({
      gate: "contract",
      status: "skipped",
      reason: "no PostgreSQL at postgres://postgres@127.0.0.1:5432/postgres (connect ECONNREFUSED)",
    }),
    gate({
      gate: "migration",
      status: "failed",
      findings: [
        finding({
          gate: "migration",
          rule: "migration/not-rolled-back",
          severity: "error",
          message:
            "table refills is still there after migrations/0001_init.down.sql: the down migration does not drop it",
          path: "migrations/0001_init.up.sql",
          line: 88,
          related: [
            {
              path: "migrations/0001_init.down.sql",
              line: null,
              message: "the down migration that should drop it",
            },
          ],
        }),
      ],
    }),
    gate({
      gate: "security",
      status: "errored",
      reason: "did not finish within 120 s",
      findings: [
        finding({
          gate: "security",
          rule: "security/compliance-gap",
          severity: "error",
          message: "control X | <b>y</b> is not traced",
        }),
      ],
    }),
  ],
});

describe("renderText", () => {
  it("lists each gate with its status and its findings with locations", () => {
    const text = renderText(report);
    expect(text).toContain("qlf verify ./pharmacy (express): Pharmacy API");
    expect(text).toMatch(/✗ static\s+failed\s+1\.2s {2}checked/);
    expect(text).toContain("src/config.ts:54:14  error  TS2322");
    expect(text).toContain("Dockerfile:12  warning  the final image has no HEALTHCHECK");
    expect(text).toMatch(/- contract\s+skipped\s+1\.2s {2}no PostgreSQL at/);
    expect(text).toMatch(/! security\s+errored/);
    expect(text).toContain("note: installed the dependencies");
    expect(text.trim().split("\n").pop()).toBe(
      "FAILED: static failed, contract skipped, migration failed, security errored; 3 error(s), 1 warning(s) in 21.3s",
    );
  });
});

describe("renderMarkdown", () => {
  it("renders a gate table and escapes what would break it", () => {
    const md = renderMarkdown(report, { linkBase: "https://github.com/o/r/blob/abc/app" });
    expect(md).toContain("## qlf verify: failed ❌");
    expect(md).toContain("| static | ❌ failed | 1.2s | checked |");
    expect(md).toContain("| contract | ⏭️ skipped |");
    expect(md).toContain("[`src/config.ts:54`](https://github.com/o/r/blob/abc/app/src/config.ts#L54)");
    expect(md).toContain("control X \\| &lt;b&gt;y&lt;/b&gt; is not traced");
    expect(md).not.toContain("<b>y</b>");
  });
});

describe("renderSarif", () => {
  const validate = sarifValidator();

  it("validates against the SARIF 2.1.0 schema", () => {
    const sarif = renderSarif(report);
    const ok = validate(sarif);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it("maps findings to results with rules, levels, regions and related locations", () => {
    const sarif = renderSarif(report) as {
      runs: [
        {
          results: Record<string, unknown>[];
          tool: { driver: { rules: { id: string }[] } };
          invocations: [{ toolExecutionNotifications: unknown[]; executionSuccessful: boolean }];
        },
      ];
    };
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual([
      "migration/not-rolled-back",
      "security/compliance-gap",
      "static/dockerfile",
      "static/typescript",
    ]);
    expect(run.results[0]).toMatchObject({
      ruleId: "static/typescript",
      ruleIndex: 3,
      level: "error",
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: "src/config.ts", uriBaseId: "%SRCROOT%" },
            region: { startLine: 54, startColumn: 14 },
          },
        },
      ],
    });
    expect(run.results[2]).toMatchObject({
      relatedLocations: [
        {
          id: 0,
          physicalLocation: { artifactLocation: { uri: "migrations/0001_init.down.sql" } },
          message: { text: "the down migration that should drop it" },
        },
      ],
    });
    // A finding without a file has no location (still valid SARIF).
    expect(run.results[3]).not.toHaveProperty("locations");
    // Skipped and errored gates are visible as notifications, and an errored gate fails the run.
    expect(run.invocations[0].toolExecutionNotifications).toHaveLength(2);
    expect(run.invocations[0].executionSuccessful).toBe(false);
  });

  it("validates with no findings at all", () => {
    const empty = VerifyReport.parse({
      ...report,
      status: "passed",
      gates: report.gates.map((g) => ({ ...g, status: "passed", reason: null, findings: [] })),
    });
    expect(validate(renderSarif(empty)), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe("check-run annotations", () => {
  it("maps severities to annotation levels, errors first (in gate order), located findings only", () => {
    const annotations = toAnnotations(report.gates.flatMap((g) => g.findings));
    expect(annotations.map((a) => [a.path, a.start_line, a.end_line, a.annotation_level, a.title])).toEqual([
      ["src/config.ts", 54, 54, "failure", "qlf static/typescript"],
      ["migrations/0001_init.up.sql", 88, 88, "failure", "qlf migration/not-rolled-back"],
      ["Dockerfile", 12, 12, "warning", "qlf static/dockerfile"],
    ]);
    expect(unlocatedFindings(report).map((f) => f.rule)).toEqual(["security/compliance-gap"]);
  });

  it("batches at most 50 per request", () => {
    const many = Array.from({ length: 120 }, (_, i) =>
      finding({
        gate: "security",
        rule: "security/secret",
        severity: "error",
        message: `secret ${i}`,
        path: `src/f${i}.ts`,
        line: i + 1,
      }),
    );
    const big = VerifyReport.parse({
      ...report,
      gates: [gate({ gate: "security", status: "failed", findings: many })],
    });
    const batches = annotationBatches(big);
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(new Set(batches.flat().map((a) => a.message)).size).toBe(120);
  });
});

describe("repair hook", () => {
  it("refuses --repair without a provider, with the message users see", () => {
    expect(() => requireRepairProvider({ provider: undefined })).toThrow(
      "repair needs a provider (--provider …); none is configured",
    );
    expect(requireRepairProvider({ provider: "openai" })).toBe("openai");
  });

  it("groups the error findings of failed gates by file", () => {
    expect(repairTasks(report).map((t) => [t.path, t.findings.length])).toEqual([
      ["migrations/0001_init.up.sql", 1],
      ["src/config.ts", 1],
    ]);
  });
});

describe("withPathPrefix", () => {
  it("moves every located finding under the application's directory in the repository", () => {
    const moved = withPathPrefix(report, "./apps/pharmacy/");
    const findings = moved.gates.flatMap((g) => g.findings);
    expect(findings.map((f) => f.path)).toEqual([
      "apps/pharmacy/src/config.ts",
      "apps/pharmacy/Dockerfile",
      "apps/pharmacy/migrations/0001_init.up.sql",
      null,
    ]);
    expect(findings[2]?.related[0]?.path).toBe("apps/pharmacy/migrations/0001_init.down.sql");
    expect(withPathPrefix(report, ".")).toBe(report);
  });
});
