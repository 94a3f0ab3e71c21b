/** Markdown for pull-request comments and job summaries: a gate table, then findings per gate. */
import { countFindings, type Finding, sortFindings, type VerifyReport } from "../report.js";
import { seconds } from "./text.js";

const ICON = { passed: "✅", failed: "❌", skipped: "⏭️", errored: "⚠️" } as const;
const MAX_PER_GATE = 50;

export interface MarkdownOptions {
  /** Base URL for file links, e.g. `https://github.com/o/r/blob/<sha>/app`; plain paths when absent. */
  readonly linkBase?: string;
}

/**
 * @example
 * await writeFile(process.env.GITHUB_STEP_SUMMARY, renderMarkdown(report));
 */
export function renderMarkdown(report: VerifyReport, options: MarkdownOptions = {}): string {
  const counts = countFindings(report.gates);
  const out: string[] = [];
  out.push(`## qlf verify: ${report.status === "passed" ? "passed ✅" : "failed ❌"}`);
  out.push("");
  out.push(
    `\`${escapeCode(report.app.dir)}\`${report.app.stack === null ? "" : ` · ${report.app.stack}`} · ${counts.error} error(s), ${counts.warning} warning(s) · ${seconds(report.durationMs)}`,
  );
  out.push("");
  out.push("| Gate | Status | Time | Summary |");
  out.push("| --- | --- | --- | --- |");
  for (const gate of report.gates) {
    out.push(
      `| ${gate.title}${gate.required ? "" : " (optional)"} | ${ICON[gate.status]} ${gate.status} | ${seconds(gate.durationMs)} | ${cell(gate.reason ?? gate.summary)} |`,
    );
  }
  for (const gate of report.gates) {
    const listed = sortFindings(gate.findings);
    if (listed.length === 0) continue;
    out.push("");
    out.push(
      `<details${gate.status === "failed" ? " open" : ""}><summary><b>${gate.title}</b>: ${listed.length} finding(s)</summary>`,
    );
    out.push("");
    for (const f of listed.slice(0, MAX_PER_GATE))
      out.push(`- ${severityLabel(f)} ${location(f, options)}${cell(f.message)}`);
    if (listed.length > MAX_PER_GATE)
      out.push(`- … and ${listed.length - MAX_PER_GATE} more (see the JSON or SARIF report)`);
    out.push("");
    out.push("</details>");
  }
  if (report.notes.length > 0) {
    out.push("");
    for (const note of report.notes) out.push(`> ${cell(note)}`);
  }
  return `${out.join("\n")}\n`;
}

function severityLabel(f: Finding): string {
  return f.severity === "error" ? "**error**" : f.severity === "warning" ? "*warning*" : "note";
}

function location(f: Finding, options: MarkdownOptions): string {
  if (f.path === null) return "";
  const text = `${f.path}${f.line === null ? "" : `:${f.line}`}`;
  if (options.linkBase === undefined) return `\`${escapeCode(text)}\` `;
  const url = `${options.linkBase.replace(/\/$/, "")}/${f.path.split("/").map(encodeURIComponent).join("/")}${f.line === null ? "" : `#L${f.line}`}`;
  return `[\`${escapeCode(text)}\`](${url}) `;
}

/** One table-cell-safe line: no pipes, newlines or HTML. */
function cell(text: string): string {
  return (
    text
      .split("\n")[0]
      ?.replace(/\\/g, "\\\\")
      .replace(/\|/g, "\\|")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;") ?? ""
  );
}

function escapeCode(text: string): string {
  return text.replace(/`/g, "'");
}
