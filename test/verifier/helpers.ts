/**
 * Shared by the verifier's tests: one generated app per test run (dependencies installed once by
 * the app harness), copies of it to break on purpose, and small helpers to find lines.
 */
import { readFileSync } from "node:fs";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { expect } from "vitest";
import { type GeneratedApp, generateFromBrief } from "../../scripts/app-harness/generate.js";
import { installDependencies } from "../../scripts/app-harness/harness.js";
import type { Finding, GateId, VerifyReport } from "../../src/kernel/index.js";
import { verifyApp } from "../../src/services/verifier/index.js";

/** The done-when brief: HIPAA + healthcare overlays, JWT auth, encrypted columns, an audit log. */
export const PHARMACY_BRIEF = "Pharmacy API: pharmacists fill prescriptions for patients; HIPAA";

/**
 * An HR system with JWT roles, relations, enum fields, approve/reject actions and personal data,
 * whose roles may call every operation: the contract gate gets a success answer from each.
 */
export const HR_BRIEF = readFileSync(new URL("../corpus/dev/15-hr-leave.md", import.meta.url), "utf8");

const apps = new Map<string, Promise<GeneratedApp>>();

/** Generates (once per brief and test file) and installs an app. */
export function preparedApp(brief: string): Promise<GeneratedApp> {
  let app = apps.get(brief);
  if (app === undefined) {
    app = generateFromBrief(brief).then(async (generated) => {
      await installDependencies(generated.dir);
      return generated;
    });
    apps.set(brief, app);
  }
  return app;
}

/** Build output and caches another test may be writing at the same time; never copied. */
const TRANSIENT = new Set(["dist", "bin", "__pycache__", ".pytest_cache"]);

/** A copy of the app (node_modules stays a link to the shared install; build output is left out). */
export async function copyApp(dir: string, label: string): Promise<string> {
  const copy = await mkdtemp(path.join(tmpdir(), `qlf-verify-${label}-`));
  await cp(dir, copy, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => !TRANSIENT.has(path.basename(source)),
  });
  return copy;
}

/** Edits a file of an app; `change` gets and returns its text. */
export async function edit(dir: string, file: string, change: (text: string) => string): Promise<string> {
  const full = path.join(dir, file);
  const before = await readFile(full, "utf8");
  const after = change(before);
  if (after === before) throw new Error(`the edit of ${file} changed nothing`);
  await writeFile(full, after);
  return after;
}

/** 1-based line of the first line of `text` matching `pattern`. */
export function lineOf(text: string, pattern: RegExp | string): number {
  const index = text
    .split("\n")
    .findIndex((line) => (typeof pattern === "string" ? line.includes(pattern) : pattern.test(line)));
  if (index < 0) throw new Error(`no line matches ${String(pattern)}`);
  return index + 1;
}

export function verify(dir: string, gates: readonly GateId[]): Promise<VerifyReport> {
  return verifyApp({ dir, gates, toolVersion: "0.0.0-test", install: false });
}

/** The gate's result from a report (throws when it did not run). */
export function gateOf(report: VerifyReport, gate: GateId) {
  const result = report.gates.find((g) => g.gate === gate);
  if (result === undefined) throw new Error(`gate ${gate} is not in the report`);
  return result;
}

export function errors(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === "error");
}

/** The gate failed with exactly these errors, each matched on the fields given (matchers allowed). */
export function expectFailedWith(
  gate: { status: string; findings: readonly Finding[] },
  expected: ReadonlyArray<Record<string, unknown>>,
): void {
  expect(gate.status).toBe("failed");
  expect(errors(gate.findings)).toEqual(expected.map((fields) => expect.objectContaining(fields)));
}

/** For assertion messages: the findings one per line. */
export function explain(report: VerifyReport): string {
  return report.gates
    .map(
      (g) =>
        `${g.gate}: ${g.status} ${g.reason ?? g.summary}\n${g.findings.map((f) => `  ${f.severity} ${f.rule} ${f.path}:${f.line} ${f.message}`).join("\n")}\n${g.steps
          .filter((s) => s.status === "failed")
          .map((s) => `  step ${s.name}: ${s.detail}`)
          .join("\n")}`,
    )
    .join("\n");
}

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;

/** The official SARIF 2.1.0 schema (see test/fixtures/verifier/README.md for where it comes from). */
export function sarifValidator() {
  const schema = JSON.parse(
    readFileSync(new URL("../fixtures/verifier/sarif-2.1.0.schema", import.meta.url), "utf8"),
  ) as object;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}
