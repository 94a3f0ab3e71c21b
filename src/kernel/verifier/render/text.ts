/** The terminal rendering of a verify report: one line per gate, then its findings. */
import { countFindings, type GateResult, sortFindings, type VerifyReport } from "../report.js";

const MARK: Record<GateResult["status"], string> = { passed: "✓", failed: "✗", skipped: "-", errored: "!" };
const MAX_LISTED = 25;

/**
 * @example
 * process.stdout.write(renderText(report));
 */
export function renderText(report: VerifyReport): string {
  const lines: string[] = [];
  lines.push(
    `qlf verify ${report.app.dir}${report.app.stack === null ? "" : ` (${report.app.stack})`}${report.app.name === null ? "" : `: ${report.app.name}`}`,
  );
  for (const gate of report.gates) {
    const optional = gate.required ? "" : " (optional)";
    lines.push(
      `  ${MARK[gate.status]} ${gate.gate.padEnd(10)} ${gate.status.padEnd(8)} ${seconds(gate.durationMs).padStart(6)}  ${gate.reason ?? gate.summary}${optional}`,
    );
    const listed = sortFindings(gate.findings).filter((f) => f.severity !== "note");
    for (const f of listed.slice(0, MAX_LISTED)) {
      const where =
        f.path === null
          ? ""
          : `${f.path}${f.line === null ? "" : `:${f.line}${f.column === null ? "" : `:${f.column}`}`}  `;
      lines.push(`      ${where}${f.severity}  ${f.message.split("\n")[0]}`);
    }
    if (listed.length > MAX_LISTED)
      lines.push(`      … and ${listed.length - MAX_LISTED} more (use --format json for all)`);
  }
  for (const note of report.notes) lines.push(`  note: ${note}`);
  const counts = countFindings(report.gates);
  const notPassing = report.gates.filter((g) => g.required && g.status !== "passed");
  const verdict =
    report.status === "passed"
      ? `PASSED: ${report.gates.filter((g) => g.status === "passed").length} of ${report.gates.length} gates passed`
      : `FAILED: ${notPassing.map((g) => `${g.gate} ${g.status}`).join(", ")}`;
  lines.push(
    `${verdict}; ${counts.error} error(s), ${counts.warning} warning(s) in ${seconds(report.durationMs)}${report.parallel ? "" : " (sequential)"}`,
  );
  return `${lines.join("\n")}\n`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
