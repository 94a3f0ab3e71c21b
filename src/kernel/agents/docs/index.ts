/**
 * The docs agent runs last, over the finished tree: COMPLIANCE.md traces every control of the
 * overlays in force to the line that implements it and the test that checks it (from the
 * `qlf:control` / `qlf:test` markers, see generate/stack.ts); `.qlf/ir.json` and
 * `.qlf/provenance.json` record what the tree was generated from, for capsules and reviewers.
 */
import { createHash } from "node:crypto";
import { type ControlTrace, traceControls } from "../../generate/markers.js";
import { ruleApplicability } from "../../generate/plan.js";
import type { GenerationContext } from "../../generate/stack.js";
import type { GeneratedFile } from "../../generate/tree.js";
import type { IR } from "../../ir/schema.js";

export const COMPLIANCE_PATH = "COMPLIANCE.md";
export const IR_PATH = ".qlf/ir.json";
export const PROVENANCE_PATH = ".qlf/provenance.json";

export interface Provenance {
  readonly generator: { readonly name: "qlf"; readonly version: string };
  readonly provider: "template";
  readonly stack: string;
  readonly briefSha256: string;
  /** sha256 of the IR as canonical JSON (keys sorted, no whitespace). */
  readonly irSha256: string;
  /** sha256 of the API plan as canonical JSON. */
  readonly planSha256: string;
  /** `name@version`, in the resolver's order. */
  readonly overlays: readonly string[];
  /** How many files each agent produced (the docs agent's own included). */
  readonly files: Readonly<Record<string, number>>;
}

export interface DocsInput {
  /** Every file generated so far (all agents but this one). */
  readonly files: readonly GeneratedFile[];
  readonly stack: string;
  readonly overlays: readonly string[];
  readonly counts: Readonly<Record<string, number>>;
}

export interface DocsOutput {
  readonly files: GeneratedFile[];
  readonly traces: ControlTrace[];
}

/** JSON with object keys sorted at every level: the same value always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** sha256 of the IR's canonical JSON; capsules and provenance use it to name what was built. */
export function irSha256(ir: IR): string {
  return sha256(canonicalJson(ir));
}

export function docsAgent(context: GenerationContext, input: DocsInput): DocsOutput {
  const traces = traceControls(input.files, context.controls, ruleApplicability(context.plan));
  const provenance: Provenance = {
    generator: { name: "qlf", version: context.options.generatorVersion },
    provider: "template",
    stack: input.stack,
    briefSha256: context.ir.briefSha256,
    irSha256: irSha256(context.ir),
    planSha256: sha256(canonicalJson(context.plan)),
    overlays: input.overlays,
    files: { ...input.counts, docs: 3 },
  };
  return {
    traces,
    files: [
      { path: COMPLIANCE_PATH, content: complianceMarkdown(context, traces, input.overlays), mode: 0o644 },
      { path: IR_PATH, content: `${JSON.stringify(context.ir, null, 2)}\n`, mode: 0o644 },
      { path: PROVENANCE_PATH, content: `${JSON.stringify(sortKeys(provenance), null, 2)}\n`, mode: 0o644 },
    ],
  };
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

function locations(list: ControlTrace["implementations"]): string {
  return list
    .map((location) => `[${location.path}:${location.line}](${location.path}#L${location.line})`)
    .join("<br>");
}

function complianceMarkdown(
  context: GenerationContext,
  traces: readonly ControlTrace[],
  overlays: readonly string[],
): string {
  const { plan } = context;
  const out: string[] = [`# Compliance matrix: ${plan.app.name}`, ""];
  if (traces.length === 0) {
    out.push(
      "No compliance or domain overlay with controls applies to this application, so there is nothing to trace.",
      "Generate with `--overlay <name>` (e.g. `gdpr`, `hipaa`, `pci`) to add controls.",
      "",
    );
    return out.join("\n");
  }
  const gaps = traces.filter((trace) => trace.gap);
  const inapplicable = traces.filter((trace) => !trace.applicable);
  const applicable = traces.length - inapplicable.length;
  out.push(
    `Overlays: ${overlays.map((overlay) => `\`${overlay}\``).join(", ")}.`,
    "",
    "Each control below is traced to the generated lines that implement it and the tests that check it",
    "(found from `qlf:control` and `qlf:test` markers in the code). A control without both is a **GAP**;",
    "a rule with nothing to act on here (say, card tokenization in an app without card numbers) is listed as not applicable.",
    "",
    `**${applicable - gaps.length} of ${applicable} applicable controls traced; ${gaps.length} gap${gaps.length === 1 ? "" : "s"}` +
      `${inapplicable.length > 0 ? `; ${inapplicable.length} not applicable` : ""}.**`,
    "",
    "| Control | Title | Requirement | Implemented by | Code | Tests |",
    "| --- | --- | --- | --- | --- | --- |",
  );
  for (const trace of traces) {
    const { control } = trace;
    const na = trace.notApplicable
      .map((entry) => `${entry.kind}: not applicable (${entry.reason})`)
      .join("<br>");
    const withNa = (text: string) => [text, na].filter((part) => part !== "").join("<br>");
    const code =
      trace.missingImplementation.length > 0
        ? `**GAP: no implementation of ${trace.missingImplementation.join(", ")}**${trace.implementations.length > 0 ? `<br>${locations(trace.implementations)}` : ""}`
        : locations(trace.implementations);
    const tests =
      trace.missingTest.length > 0
        ? `**GAP: no test of ${trace.missingTest.join(", ")}**${trace.tests.length > 0 ? `<br>${locations(trace.tests)}` : ""}`
        : locations(trace.tests);
    const overlay = control.overlay === undefined ? "" : ` (${control.overlay})`;
    out.push(
      `| ${cell(control.id)}${overlay} | ${cell(control.title)} | ${cell(control.requirement)} | ${control.implementedBy.map((kind) => `\`${kind}\``).join(", ")} | ${withNa(code)} | ${trace.applicable ? tests : "not applicable"} |`,
    );
  }
  out.push("");

  const sensitive = plan.entities.flatMap((entity) =>
    entity.fields.filter((field) => field.sensitivity.length > 0).map((field) => ({ entity, field })),
  );
  if (sensitive.length > 0) {
    out.push(
      "## Sensitive fields",
      "",
      "| Entity | Field | Marks | Stored as | Masked in logs | Audited |",
      "| --- | --- | --- | --- | --- | --- |",
    );
    for (const { entity, field } of sensitive) {
      const stored =
        field.role === "card-number"
          ? `token \`${entity.card?.tokenColumn ?? "card_token"}\`${entity.card?.last4Column ? ` + \`${entity.card.last4Column}\`` : ""}`
          : field.encrypted
            ? `encrypted \`${entity.table}.${field.column}\``
            : `\`${entity.table}.${field.column}\``;
      out.push(
        `| ${entity.name} | \`${field.name}\` | ${field.sensitivity.join(", ")} | ${stored} | ${field.masked ? "yes" : "no"} | ${entity.audit.fields.includes(field.name) ? "yes" : "no"} |`,
      );
    }
    out.push("");
  }
  if (plan.notes.length > 0) {
    out.push("## Decisions", "");
    for (const note of plan.notes) out.push(`- ${note}`);
    out.push("");
  }
  return out.join("\n");
}
