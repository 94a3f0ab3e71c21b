/**
 * GitHub check-run annotations: one per located finding, in batches of at most 50 (the Checks
 * API's limit per request). Findings without a file go in the check run's summary instead.
 */
import { type Finding, sortFindings, type VerifyReport } from "../report.js";

export interface CheckAnnotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly annotation_level: "failure" | "warning" | "notice";
  readonly message: string;
  readonly title: string;
}

/** The Checks API accepts at most this many annotations per create/update request. */
export const MAX_ANNOTATIONS_PER_REQUEST = 50;
const MAX_MESSAGE = 64 * 1024;

/**
 * Annotations for every located finding, errors first, in request-sized batches.
 *
 * @example
 * for (const batch of annotationBatches(report)) await octokit.rest.checks.update({ …, output: { title, summary, annotations: batch } });
 */
export function annotationBatches(
  report: VerifyReport,
  size = MAX_ANNOTATIONS_PER_REQUEST,
): CheckAnnotation[][] {
  const annotations = toAnnotations(report.gates.flatMap((gate) => gate.findings));
  const batches: CheckAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += size) batches.push(annotations.slice(i, i + size));
  return batches;
}

/** Findings with a path, as annotations (errors, then warnings, then notes). */
export function toAnnotations(findings: readonly Finding[]): CheckAnnotation[] {
  const rank = { error: 0, warning: 1, note: 2 } as const;
  return sortFindings(findings)
    .filter((f): f is Finding & { path: string } => f.path !== null)
    .sort((a, b) => rank[a.severity] - rank[b.severity])
    .map((f) => {
      const line = f.line ?? 1;
      return {
        path: f.path,
        start_line: line,
        end_line: f.endLine !== null && f.endLine >= line ? f.endLine : line,
        annotation_level:
          f.severity === "error" ? "failure" : f.severity === "warning" ? "warning" : "notice",
        message: f.message.length > MAX_MESSAGE ? `${f.message.slice(0, MAX_MESSAGE - 1)}…` : f.message,
        title: `qlf ${f.rule}`,
      };
    });
}

/** Findings that have no file: for the check run's summary text. */
export function unlocatedFindings(report: VerifyReport): Finding[] {
  return report.gates.flatMap((gate) => gate.findings).filter((f) => f.path === null);
}
