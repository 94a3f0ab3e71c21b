/** A fake verifier's answers for repair tests: the one static finding they plant, in a report. */
import { type Finding, finding, type VerifyReport } from "../../src/kernel/index.js";

/** The type error the repair tests plant: a misspelt `health` on `line` of `path`. */
export function helthFinding(path: string, line: number): Finding {
  return finding({
    gate: "static",
    rule: "static/typescript",
    severity: "error",
    message: "Cannot find name 'helth'.",
    path,
    line,
  });
}

/** A report whose only gate, the static one, fails with `findings` (or passes without any). */
export function staticGateReport(dir: string, findings: readonly Finding[]): VerifyReport {
  const status = findings.length === 0 ? "passed" : "failed";
  return {
    reportVersion: 1,
    tool: { name: "qlf", version: "0" },
    app: { dir, name: "app", stack: "express" },
    status,
    parallel: false,
    durationMs: 1,
    gates: [
      {
        gate: "static",
        title: "Static",
        status,
        required: true,
        durationMs: 1,
        reason: null,
        summary: "",
        steps: [],
        findings: [...findings],
      },
    ],
    notes: [],
  };
}
