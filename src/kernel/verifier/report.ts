/**
 * The verification report: one structure for every gate run, whatever renders it (terminal, JSON,
 * Markdown, SARIF, check-run annotations). Gates produce findings; a gate fails exactly when it has
 * an `error` finding, so a failure always says where and why.
 */
import { z } from "zod";

export const REPORT_VERSION = 1 as const;

/** The gates, in the order they are listed and rendered. */
export const GATE_IDS = ["static", "unit", "contract", "migration", "security"] as const;
export const GateId = z.enum(GATE_IDS);
export type GateId = z.infer<typeof GateId>;

/** `error` fails the gate; `warning` and `note` are reported only. */
export const Severity = z.enum(["error", "warning", "note"]);
export type Severity = z.infer<typeof Severity>;

const line = z.number().int().positive();

/** A secondary location that explains a finding (e.g. the down migration that should drop a table). */
export const RelatedLocation = z.object({
  path: z.string().min(1),
  line: line.nullable(),
  message: z.string(),
});
export type RelatedLocation = z.infer<typeof RelatedLocation>;

export const Finding = z.object({
  gate: GateId,
  /** Stable rule id, `<gate>/<rule>`, e.g. `static/typescript`, `security/secret`. */
  rule: z.string().regex(/^[a-z]+\/[a-z0-9-]+$/),
  severity: Severity,
  message: z.string().min(1),
  /** POSIX path relative to the application directory, or null when the finding has no file. */
  path: z.string().min(1).nullable(),
  /** 1-based line and column; null when the tool did not say. */
  line: line.nullable(),
  column: line.nullable(),
  endLine: line.nullable(),
  related: z.array(RelatedLocation),
});
export type Finding = z.infer<typeof Finding>;

/**
 * `passed`: ran and found no error. `failed`: ran and found at least one error. `skipped`: did not
 * run because something it needs is missing (`reason` says what). `errored`: could not finish (it
 * timed out or qlf itself failed; `reason` says which). Only `passed` counts as passing.
 */
export const GateStatus = z.enum(["passed", "failed", "skipped", "errored"]);
export type GateStatus = z.infer<typeof GateStatus>;

/** One command or check inside a gate, with its outcome, for the detailed views. */
export const GateStep = z.object({
  name: z.string(),
  /** The command line, when the step ran one. */
  command: z.string().nullable(),
  status: z.enum(["passed", "failed", "skipped"]),
  durationMs: z.number().int().nonnegative(),
  /** Why it was skipped, or the tail of a failed command's output. */
  detail: z.string(),
});
export type GateStep = z.infer<typeof GateStep>;

export const GateResult = z.object({
  gate: GateId,
  title: z.string(),
  status: GateStatus,
  /** A required gate that does not pass fails the run (exit code 1). */
  required: z.boolean(),
  durationMs: z.number().int().nonnegative(),
  /** Why the gate was skipped or errored; null otherwise. */
  reason: z.string().nullable(),
  /** One line: what was checked, e.g. "91 tests passed" or "42 operations, 96 requests". */
  summary: z.string(),
  steps: z.array(GateStep),
  findings: z.array(Finding),
});
export type GateResult = z.infer<typeof GateResult>;

export const VerifyReport = z.object({
  reportVersion: z.literal(REPORT_VERSION),
  tool: z.object({ name: z.literal("qlf"), version: z.string() }),
  app: z.object({
    /** The directory as given on the command line. */
    dir: z.string(),
    name: z.string().nullable(),
    stack: z.string().nullable(),
  }),
  /** `passed` when every required gate passed. */
  status: z.enum(["passed", "failed"]),
  /** Gates ran side by side (true) or one after another. */
  parallel: z.boolean(),
  durationMs: z.number().int().nonnegative(),
  gates: z.array(GateResult),
  /** Things the run itself wants the reader to know (dependencies installed, plan not reproduced…). */
  notes: z.array(z.string()),
});
export type VerifyReport = z.infer<typeof VerifyReport>;

/** A finding with the defaults filled in: `finding({ gate, rule, severity, message, path, line })`. */
export function finding(
  input: Pick<Finding, "gate" | "rule" | "severity" | "message"> &
    Partial<Pick<Finding, "path" | "line" | "column" | "endLine" | "related">>,
): Finding {
  return {
    gate: input.gate,
    rule: input.rule,
    severity: input.severity,
    message: input.message,
    path: input.path ?? null,
    line: input.line ?? null,
    column: input.column ?? null,
    endLine: input.endLine ?? null,
    related: input.related ?? [],
  };
}

/** `failed` when any finding is an error, else `passed`. */
export function statusOf(findings: readonly Finding[]): "passed" | "failed" {
  return findings.some((f) => f.severity === "error") ? "failed" : "passed";
}

/** The run passes when every required gate passed (a skipped or errored required gate fails it). */
export function overallStatus(gates: readonly GateResult[]): "passed" | "failed" {
  return gates.every((gate) => !gate.required || gate.status === "passed") ? "passed" : "failed";
}

/** Findings ordered by gate, then path, line and column, errors before warnings at one spot. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const rank = { error: 0, warning: 1, note: 2 } as const;
  return [...findings].sort(
    (a, b) =>
      GATE_IDS.indexOf(a.gate) - GATE_IDS.indexOf(b.gate) ||
      compare(a.path ?? "", b.path ?? "") ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      rank[a.severity] - rank[b.severity] ||
      compare(a.message, b.message),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Counts per severity over the given gates. */
export function countFindings(gates: readonly GateResult[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  for (const gate of gates) for (const f of gate.findings) counts[f.severity]++;
  return counts;
}

/**
 * The report with every finding's path (and related path) under `prefix`, for a repository whose
 * application lives in a sub-directory: SARIF and check-run annotations need repository paths.
 *
 * @example
 * renderSarif(withPathPrefix(report, "apps/pharmacy")); // src/app.ts → apps/pharmacy/src/app.ts
 */
export function withPathPrefix(report: VerifyReport, prefix: string): VerifyReport {
  const base = prefix.replace(/^\.?\/+/, "").replace(/\/+$/, "");
  if (base === "" || base === ".") return report;
  const under = (path: string) => `${base}/${path}`;
  return {
    ...report,
    gates: report.gates.map((gate) => ({
      ...gate,
      findings: gate.findings.map((f) => ({
        ...f,
        path: f.path === null ? null : under(f.path),
        related: f.related.map((r) => ({ ...r, path: under(r.path) })),
      })),
    })),
  };
}
