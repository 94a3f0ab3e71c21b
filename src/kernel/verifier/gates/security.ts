/**
 * Security gate: hard-coded secrets, dangerous code patterns, files where they may not be
 * (workflows without permission, symlinks leaving the tree) and compliance controls whose code or
 * test is missing (traced from the `qlf:control` / `qlf:test` markers, as COMPLIANCE.md is).
 */
import { traceControls } from "../../generate/markers.js";
import type { GeneratedFile } from "../../generate/tree.js";
import { scanPatterns } from "../checks/patterns.js";
import { scanSecrets } from "../checks/secrets.js";
import type { FileEntry, Gate } from "../gate.js";
import { type Finding, finding } from "../report.js";

/** Trees that are not the application's own text (dependencies, build output, VCS). */
const SKIPPED_DIRS =
  /(^|\/)(node_modules|\.git|dist|build|coverage|\.venv|venv|__pycache__|vendor|\.pytest_cache|\.next)\//;
/** Lockfiles are full of integrity hashes, which look random by design. */
const LOCKFILES =
  /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|Pipfile\.lock|go\.sum|uv\.lock)$/;
const MAX_BYTES = 1024 * 1024;
const CODE = /\.(?:[cm]?[jt]sx?|py|go)$/;

export const securityGate: Gate = {
  id: "security",
  title: "Security",
  description:
    "Looks for hard-coded secrets, string-built SQL, eval/exec and shell commands, disabled TLS checks, files where they may not be (workflows, symlinks out of the tree) and compliance controls without implementing code or a test.",
  timeoutMs: 2 * 60_000,
  needs: () => [],
  async run({ target, ports, steps }) {
    const entries = await ports.listFiles();
    const findings: Finding[] = [];
    const texts = await steps.run("read files", null, async () => {
      const files: GeneratedFile[] = [];
      for (const entry of entries) {
        if (entry.kind !== "file" || SKIPPED_DIRS.test(entry.path) || entry.size > MAX_BYTES) continue;
        const content = await ports.readText(entry.path);
        if (content === undefined || content.includes("\u0000")) continue;
        files.push({ path: entry.path, content, mode: 0o644 });
      }
      return { ok: true, detail: `${files.length} text files`, value: files };
    });

    const scanned = await steps.run("secrets and dangerous patterns", null, async () => {
      const found: Finding[] = [];
      for (const file of texts) {
        if (LOCKFILES.test(file.path)) continue;
        found.push(...scanSecrets(file.path, file.content));
        if (
          CODE.test(file.path) ||
          /\.(?:ya?ml|json|env|example|toml|ini|cfg|conf)$|(^|\/)Dockerfile$|(^|\/)\.env/.test(file.path)
        ) {
          found.push(...scanPatterns(file.path, file.content));
        }
      }
      return {
        ok: !found.some((f) => f.severity === "error"),
        detail: `${found.length} finding(s)`,
        value: found,
      };
    });
    findings.push(...scanned);

    const placement = checkPlacement(entries, texts, target.allowWorkflows);
    findings.push(...placement);
    steps.steps.push({
      name: "file placement",
      command: null,
      status: placement.some((f) => f.severity === "error") ? "failed" : "passed",
      durationMs: 0,
      detail: `${placement.length} finding(s)`,
    });

    const compliance = checkCompliance(texts, target.controls, target.notApplicable);
    findings.push(...compliance.findings);
    if (compliance.controls === null)
      steps.skip("compliance controls", "no .qlf/ir.json and no COMPLIANCE.md");
    else {
      steps.steps.push({
        name: "compliance controls",
        command: null,
        status: compliance.findings.some((f) => f.severity === "error") ? "failed" : "passed",
        durationMs: 0,
        detail: `${compliance.controls} control(s), ${compliance.findings.length} gap(s)`,
      });
    }
    const errors = findings.filter((f) => f.severity === "error").length;
    return {
      summary: `${texts.length} files scanned${compliance.controls === null ? "" : `, ${compliance.controls} compliance control(s)`}: ${errors === 0 ? "no errors" : `${errors} error(s)`}`,
      findings,
    };
  },
};

function checkPlacement(
  entries: readonly FileEntry[],
  texts: readonly GeneratedFile[],
  allowWorkflows: boolean,
): Finding[] {
  const findings: Finding[] = [];
  for (const entry of entries) {
    if (entry.kind === "symlink" && entry.escapes) {
      findings.push(
        finding({
          gate: "security",
          rule: "security/file-placement",
          severity: "error",
          message: `symlink to ${entry.linkTarget ?? "?"} points outside the application`,
          path: entry.path,
        }),
      );
    }
    if (/^\.github\/workflows\//i.test(entry.path) && !allowWorkflows) {
      findings.push(
        finding({
          gate: "security",
          rule: "security/file-placement",
          severity: "error",
          message:
            "files under .github/workflows/ run with the repository's credentials and are not allowed here (allow them in the repository config)",
          path: entry.path,
          line: 1,
        }),
      );
    }
  }
  if (allowWorkflows) {
    for (const file of texts) {
      if (!/^\.github\/workflows\/.+\.ya?ml$/i.test(file.path)) continue;
      const lines = file.content.split("\n");
      const at = (re: RegExp) => lines.findIndex((l) => re.test(l)) + 1;
      const target = at(/^\s*pull_request_target\s*:|^\s*on\s*:.*pull_request_target/);
      if (target > 0 && /ref:\s*\$\{\{\s*github\.event\.pull_request\.head/.test(file.content)) {
        findings.push(
          finding({
            gate: "security",
            rule: "security/workflow",
            severity: "error",
            message:
              "pull_request_target checks out the pull request's code with the repository's credentials",
            path: file.path,
            line: target,
          }),
        );
      }
      const writeAll = at(/^\s*permissions\s*:\s*write-all\b/);
      if (writeAll > 0) {
        findings.push(
          finding({
            gate: "security",
            rule: "security/workflow",
            severity: "warning",
            message: "workflow grants write-all permissions; grant only what it needs",
            path: file.path,
            line: writeAll,
          }),
        );
      }
    }
  }
  return findings;
}

const COMPLIANCE_PATH = "COMPLIANCE.md";

function checkCompliance(
  texts: readonly GeneratedFile[],
  controls: VerifyControls,
  notApplicable: Readonly<Partial<Record<string, string>>>,
): { controls: number | null; findings: Finding[] } {
  const matrix = texts.find((file) => file.path === COMPLIANCE_PATH)?.content;
  const matrixLines = matrix?.split("\n") ?? [];
  const rowOf = (id: string): number | null => {
    const index = matrixLines.findIndex((line) => line.startsWith(`| ${id} `));
    return index < 0 ? null : index + 1;
  };
  if (controls === null) {
    if (matrix === undefined) return { controls: null, findings: [] };
    // Without the IR, trust the matrix's own verdicts.
    const rows = matrixLines.filter((line) => /^\| [^-|]/.test(line) && !line.startsWith("| Control"));
    const findings = matrixLines.flatMap((line, index) =>
      line.includes("**GAP:")
        ? [
            finding({
              gate: "security",
              rule: "security/compliance-gap",
              severity: "error",
              message: `COMPLIANCE.md reports a gap: ${/\*\*GAP: ([^*]+)\*\*/.exec(line)?.[1] ?? "control not traced"}`,
              path: COMPLIANCE_PATH,
              line: index + 1,
            }),
          ]
        : [],
    );
    return { controls: rows.length, findings };
  }
  const traces = traceControls(texts, controls, notApplicable);
  const findings: Finding[] = [];
  for (const trace of traces) {
    if (!trace.applicable || !trace.gap) continue;
    const missing = [
      ...trace.missingImplementation.map((kind) => `no code marked qlf:control ${kind}`),
      ...trace.missingTest.map((kind) => `no test marked qlf:test ${kind}`),
    ];
    const row = rowOf(trace.control.id);
    findings.push(
      finding({
        gate: "security",
        rule: "security/compliance-gap",
        severity: "error",
        message: `control ${trace.control.id}${trace.control.overlay === undefined ? "" : ` (${trace.control.overlay})`} "${trace.control.title}" is not traced: ${missing.join("; ")}`,
        path: row === null ? null : COMPLIANCE_PATH,
        line: row,
      }),
    );
  }
  return { controls: traces.length, findings };
}

type VerifyControls = Parameters<typeof traceControls>[1] | null;
