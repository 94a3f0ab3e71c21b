/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one run, one rule per finding
 * rule id, one result per finding, and a tool execution notification per gate that was skipped or
 * errored (so a skipped gate is visible, not silently absent). Validated against the SARIF 2.1.0
 * schema in the tests.
 */
import { createHash } from "node:crypto";
import type { Finding, VerifyReport } from "../report.js";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI = "https://github.com/quantumlayer/qlf";

/** What each rule checks, for the SARIF rule descriptors; unknown rules get a generic text. */
const RULES: Readonly<Record<string, string>> = {
  "static/typescript": "TypeScript type checking (tsc --noEmit)",
  "static/lint": "The application's own lint script",
  "static/python-syntax": "Python sources compile (python -m compileall)",
  "static/pyflakes": "pyflakes: unused imports, undefined names",
  "static/go-vet": "go vet",
  "static/gofmt": "gofmt formatting",
  "static/dockerfile": "Dockerfile: non-root user, pinned base images, no baked secrets, healthcheck",
  "static/kubernetes":
    "Kubernetes manifests: non-root, no privilege escalation, limits, probes, no literal secrets",
  "unit/test-failed": "A test of the application failed",
  "unit/test-file-failed": "A test file could not run",
  "unit/test-error": "A test errored",
  "unit/build-failed": "The tests do not build",
  "unit/runner-failed": "The test runner failed although no test did",
  "unit/no-tests": "No tests ran",
  "unit/timeout": "The tests did not finish in time",
  "contract/no-document": "The API has an OpenAPI document",
  "contract/invalid-document": "The OpenAPI document parses and lists operations",
  "contract/undocumented-route": "Every route in the code is documented",
  "contract/unimplemented-operation": "Every documented operation is implemented",
  "contract/routes-unknown": "Routes could be read from the code",
  "contract/app-did-not-start": "The app builds and starts",
  "contract/no-answer": "The app answers",
  "contract/server-error": "No operation answers with a server error",
  "contract/undocumented-status": "Every status code the app answers is documented",
  "contract/response-schema": "Response bodies match the documented schemas",
  "contract/response-header": "Documented response headers are sent",
  "contract/not-exercised": "The success response of an operation could be checked",
  "contract/auth": "Secured operations refuse calls without credentials",
  "contract/not-found": "Unknown ids answer 404",
  "contract/request-validation": "Request bodies the document rejects are refused",
  "migration/failed": "Migrations apply",
  "migration/no-down": "Every migration has a down migration",
  "migration/not-rolled-back": "Down migrations remove what their up migrations created",
  "migration/over-rolled-back": "Down migrations remove nothing else",
  "migration/not-reapplicable": "Migrations apply again after rolling back",
  "migration/schema-mismatch": "The schema matches the IR",
  "migration/schema-extra": "The schema has nothing the IR does not plan",
  "security/secret": "No hard-coded secrets",
  "security/eval": "No eval of text as code",
  "security/exec": "No shell command lines",
  "security/deserialize": "No unsafe deserialisation",
  "security/tls-disabled": "TLS certificate checks stay on",
  "security/sql-injection": "SQL takes values as parameters",
  "security/file-placement": "Files only where they may be",
  "security/workflow": "Workflows do not expose credentials",
  "security/compliance-gap": "Every compliance control is implemented and tested",
};

type SarifLevel = "error" | "warning" | "note";

/**
 * @example
 * writeFileSync("qlf.sarif", JSON.stringify(renderSarif(report), null, 2));
 */
export function renderSarif(report: VerifyReport): Record<string, unknown> {
  const findings = report.gates.flatMap((gate) => gate.findings);
  const ruleIds = [...new Set(findings.map((f) => f.rule))].sort();
  const rules = ruleIds.map((id) => ({
    id,
    name: id.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase()),
    shortDescription: { text: RULES[id] ?? `qlf ${id.split("/")[0]} gate` },
    defaultConfiguration: { level: defaultLevel(id, findings) },
    properties: { gate: id.split("/")[0] },
  }));
  const notifications = report.gates
    .filter((gate) => gate.status === "skipped" || gate.status === "errored")
    .map((gate) => ({
      level: gate.status === "errored" ? "error" : "warning",
      message: { text: `${gate.title} ${gate.status}: ${gate.reason ?? gate.summary}` },
      descriptor: { id: `gate/${gate.gate}` },
    }));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "qlf",
            fullName: "QuantumLayer Factory verify",
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: INFORMATION_URI,
            rules,
          },
        },
        automationDetails: { id: `qlf-verify/${report.app.name ?? "app"}/` },
        invocations: [
          {
            executionSuccessful: !report.gates.some((gate) => gate.status === "errored"),
            toolExecutionNotifications: notifications,
          },
        ],
        results: findings.map((f) => result(f, ruleIds.indexOf(f.rule))),
        properties: {
          status: report.status,
          gates: report.gates.map((gate) => ({
            gate: gate.gate,
            status: gate.status,
            durationMs: gate.durationMs,
            summary: gate.reason ?? gate.summary,
          })),
        },
      },
    ],
  };
}

function result(f: Finding, ruleIndex: number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ruleId: f.rule,
    ruleIndex,
    level: f.severity as SarifLevel,
    message: { text: f.message },
    partialFingerprints: {
      "qlfFinding/v1": createHash("sha256")
        .update(`${f.rule}\u0000${f.path ?? ""}\u0000${f.message}`)
        .digest("hex")
        .slice(0, 32),
    },
  };
  if (f.path !== null) out.locations = [physical(f.path, f.line, f.column, f.endLine)];
  if (f.related.length > 0) {
    out.relatedLocations = f.related.map((r, index) => ({
      id: index,
      ...physical(r.path, r.line, null, null),
      message: { text: r.message },
    }));
  }
  return out;
}

function physical(
  path: string,
  line: number | null,
  column: number | null,
  endLine: number | null,
): Record<string, unknown> {
  const region: Record<string, number> = {};
  if (line !== null) {
    region.startLine = line;
    if (column !== null) region.startColumn = column;
    if (endLine !== null && endLine >= line) region.endLine = endLine;
  }
  return {
    physicalLocation: {
      artifactLocation: { uri: path.split("/").map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" },
      ...(line === null ? {} : { region }),
    },
  };
}

function defaultLevel(rule: string, findings: readonly Finding[]): SarifLevel {
  const levels = findings.filter((f) => f.rule === rule).map((f) => f.severity);
  return levels.includes("error") ? "error" : levels.includes("warning") ? "warning" : "note";
}
