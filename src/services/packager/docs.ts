/**
 * The capsule's `docs/`: the application's README and compliance matrix as they are, an API reference
 * from its OpenAPI document, an SBOM summary, and one self-contained HTML page with all of it
 * (every value escaped, no scripts, no external assets, a CSP that forbids loading anything).
 */
import { readFile } from "node:fs/promises";
import type { Exclusion, Provenance } from "./manifest.js";
import { type ApiReference, readOpenApi } from "./openapi-reference.js";
import type { SbomResult } from "./sbom/index.js";
import type { ScanOutcome } from "./scan.js";
import type { SourceFile } from "./walk.js";

export interface DocsInput {
  name: string;
  version: string;
  created: string;
  commit: string | null;
  files: readonly SourceFile[];
  sbom: SbomResult;
  scans: readonly ScanOutcome[];
  excluded: readonly Exclusion[];
  provenance: Provenance | null;
}

export interface DocFile {
  path: string;
  data: Buffer;
}

export interface DocsResult {
  files: DocFile[];
  notes: string[];
}

const MAX_DOC_BYTES = 16 * 1024 * 1024;
const MAX_COMPONENT_ROWS = 5000;

export async function buildDocs(input: DocsInput): Promise<DocsResult> {
  const notes: string[] = [];
  const top = input.files.filter((f) => !f.rel.includes("/") && f.size <= MAX_DOC_BYTES);
  const readme = pick(top, [/^readme\.md$/i, /^readme\.markdown$/i, /^readme(\.txt|\.rst)?$/i]);
  const compliance = pick(top, [/^compliance\.md$/i, /^compliance(\.txt)?$/i]);
  const openapiFile = input.files
    .filter((f) => /^(openapi|swagger)\.(ya?ml|json)$/i.test(basename(f.rel)) && f.size <= MAX_DOC_BYTES)
    .sort((a, b) => a.rel.split("/").length - b.rel.split("/").length || (a.rel < b.rel ? -1 : 1))[0];

  const readmeText = readme === undefined ? undefined : await readFile(readme.abs, "utf8");
  const complianceText = compliance === undefined ? undefined : await readFile(compliance.abs, "utf8");
  let api: ApiReference | undefined;
  if (openapiFile !== undefined) {
    try {
      api = readOpenApi(await readFile(openapiFile.abs, "utf8"), openapiFile.rel);
    } catch (error) {
      notes.push(
        `${openapiFile.rel}: not read as OpenAPI (${(error as Error).message.split("\n")[0]}); no API reference`,
      );
    }
  }

  const files: DocFile[] = [];
  const add = (path: string, text: string): void => {
    files.push({ path, data: Buffer.from(text) });
  };
  if (readmeText !== undefined) add("docs/README.md", readmeText);
  if (api !== undefined) add("docs/api.md", apiMarkdown(api));
  if (complianceText !== undefined) add("docs/compliance.md", complianceText);
  add("docs/sbom.md", sbomMarkdown(input.sbom));
  add("docs/index.html", html(input, readmeText, api, complianceText));
  return { files: files.sort((a, b) => (a.path < b.path ? -1 : 1)), notes };
}

function pick(files: readonly SourceFile[], patterns: RegExp[]): SourceFile | undefined {
  for (const pattern of patterns) {
    const found = files.find((f) => pattern.test(f.rel));
    if (found !== undefined) return found;
  }
  return undefined;
}

function basename(rel: string): string {
  return rel.slice(rel.lastIndexOf("/") + 1);
}

// ---- Markdown ----

function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\s+/g, " ").trim() || " ";
}

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.map(cell).join(" | ")} |`;
  return [line(head), `|${head.map(() => " --- ").join("|")}|`, ...rows.map(line)].join("\n");
}

export function apiMarkdown(api: ApiReference): string {
  const out: string[] = [`# API reference: ${api.title}${api.version === "" ? "" : ` ${api.version}`}`, ""];
  out.push(`Generated from \`${api.source}\`.`, "");
  if (api.description !== "") out.push(api.description, "");
  out.push("## Operations", "");
  out.push(
    table(
      ["Method", "Path", "Operation", "Summary"],
      api.operations.map((o) => [o.method, o.path, o.operationId, o.summary]),
    ),
    "",
  );
  for (const op of api.operations) {
    out.push(`### ${op.method} ${op.path}`, "");
    if (op.summary !== "") out.push(op.summary, "");
    if (op.parameters.length > 0) {
      out.push(
        table(
          ["Parameter", "In", "Type", "Required", "Description"],
          op.parameters.map((p) => [p.name, p.in, p.type, p.required ? "yes" : "no", p.description]),
        ),
        "",
      );
    }
    for (const body of op.requestBody)
      out.push(`Request body (${body.contentType}): \`${body.type || "any"}\``, "");
    if (op.responses.length > 0) {
      out.push(
        table(
          ["Status", "Description", "Body"],
          op.responses.map((r) => [r.status, r.description, r.type]),
        ),
        "",
      );
    }
  }
  if (api.schemas.length > 0) {
    out.push("## Schemas", "");
    for (const schema of api.schemas) {
      out.push(`### ${schema.name}`, "");
      if (schema.properties.length === 0) out.push(`Type: \`${schema.type}\``, "");
      else {
        out.push(
          table(
            ["Property", "Type", "Required", "Description"],
            schema.properties.map((p) => [p.name, p.type, p.required ? "yes" : "no", p.description]),
          ),
          "",
        );
      }
    }
  }
  return `${out.join("\n").trimEnd()}\n`;
}

interface SbomStats {
  byEcosystem: Array<[string, number]>;
  byLicense: Array<[string, number]>;
}

function sbomStats(sbom: SbomResult): SbomStats {
  const count = (values: string[]): Array<[string, number]> => {
    const map = new Map<string, number>();
    for (const v of values) map.set(v, (map.get(v) ?? 0) + 1);
    return [...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  };
  return {
    byEcosystem: count(sbom.components.map((c) => /^pkg:([^/]+)\//.exec(c.purl)?.[1] ?? "other")),
    byLicense: count(sbom.components.map((c) => c.license || "(not recorded)")),
  };
}

export function sbomMarkdown(sbom: SbomResult): string {
  const stats = sbomStats(sbom);
  const out = [
    "# SBOM summary",
    "",
    `\`sbom.cdx.json\`: CycloneDX ${sbom.specVersion}, made by ${sbom.generator === "qlf" ? "qlf from the lockfiles" : "syft"}, ${sbom.components.length} components.`,
    "",
    `Sources: ${sbom.sources.length === 0 ? "none found" : sbom.sources.map((s) => `\`${s}\``).join(", ")}`,
    "",
    "## By ecosystem",
    "",
    table(
      ["Ecosystem", "Components"],
      stats.byEcosystem.map(([k, v]) => [k, String(v)]),
    ),
    "",
    "## By license",
    "",
    table(
      ["License", "Components"],
      stats.byLicense.map(([k, v]) => [k, String(v)]),
    ),
    "",
    "## Components",
    "",
    table(
      ["Name", "Version", "License", "Scope", "purl"],
      sbom.components
        .slice(0, MAX_COMPONENT_ROWS)
        .map((c) => [c.name, c.version, c.license, c.scope, c.purl]),
    ),
  ];
  if (sbom.components.length > MAX_COMPONENT_ROWS) {
    out.push("", `(${sbom.components.length - MAX_COMPONENT_ROWS} more in sbom.cdx.json)`);
  }
  if (sbom.notes.length > 0) out.push("", "## Notes", "", ...sbom.notes.map((n) => `- ${n}`));
  return `${out.join("\n")}\n`;
}

// ---- HTML ----

/** Escapes text for HTML element content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function htmlTable(head: string[], rows: string[][]): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("\n");
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function scanLine(scan: ScanOutcome): string {
  if (scan.status === "not-scanned") return `${scan.target}: NOT SCANNED (${scan.reason})`;
  const v = scan.vulnerabilities;
  return `${scan.target}: scanned by ${scan.tool.name} ${scan.tool.version}: ${v.critical} critical, ${v.high} high, ${v.medium} medium, ${v.low} low, ${v.unknown} unknown; ${scan.secrets} secrets`;
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24}
h1,h2,h3{line-height:1.2}h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2.5rem}
table{border-collapse:collapse;margin:1rem 0;font-size:14px}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}pre{background:#f6f8fa;padding:1rem;overflow:auto;white-space:pre-wrap}code{font-size:13px}
.warn{background:#fff8c5;border:1px solid #d4a72c;padding:.5rem 1rem}nav a{margin-right:1rem}`;

function html(
  input: DocsInput,
  readme: string | undefined,
  api: ApiReference | undefined,
  compliance: string | undefined,
): string {
  const stats = sbomStats(input.sbom);
  const sections: Array<[string, string, string]> = [];
  const overview = [
    ["Name", input.name],
    ["Version", input.version],
    ["Created", input.created],
    ["Commit", input.commit ?? "(not from a Git work tree)"],
    ["Source files", String(input.files.length)],
    ["SBOM components", String(input.sbom.components.length)],
  ];
  const scans = input.scans
    .map((s) => `<p${s.status === "not-scanned" ? ' class="warn"' : ""}>${escapeHtml(scanLine(s))}</p>`)
    .join("\n");
  sections.push(["overview", "Overview", `${htmlTable(["", ""], overview)}\n${scans}`]);
  if (readme !== undefined) sections.push(["readme", "README", `<pre>${escapeHtml(readme)}</pre>`]);
  if (api !== undefined) {
    const ops = api.operations
      .map((op) => {
        const parts = [`<h3><code>${escapeHtml(`${op.method} ${op.path}`)}</code></h3>`];
        if (op.summary !== "") parts.push(`<p>${escapeHtml(op.summary)}</p>`);
        if (op.parameters.length > 0) {
          parts.push(
            htmlTable(
              ["Parameter", "In", "Type", "Required", "Description"],
              op.parameters.map((p) => [p.name, p.in, p.type, p.required ? "yes" : "no", p.description]),
            ),
          );
        }
        for (const b of op.requestBody)
          parts.push(
            `<p>Request body (${escapeHtml(b.contentType)}): <code>${escapeHtml(b.type || "any")}</code></p>`,
          );
        if (op.responses.length > 0) {
          parts.push(
            htmlTable(
              ["Status", "Description", "Body"],
              op.responses.map((r) => [r.status, r.description, r.type]),
            ),
          );
        }
        return parts.join("\n");
      })
      .join("\n");
    const schemas = api.schemas
      .map(
        (s) =>
          `<h3>${escapeHtml(s.name)}</h3>\n${
            s.properties.length === 0
              ? `<p>Type: <code>${escapeHtml(s.type)}</code></p>`
              : htmlTable(
                  ["Property", "Type", "Required", "Description"],
                  s.properties.map((p) => [p.name, p.type, p.required ? "yes" : "no", p.description]),
                )
          }`,
      )
      .join("\n");
    sections.push([
      "api",
      `API reference: ${api.title} ${api.version}`.trim(),
      `<p>From <code>${escapeHtml(api.source)}</code>.</p>\n${htmlTable(
        ["Method", "Path", "Operation", "Summary"],
        api.operations.map((o) => [o.method, o.path, o.operationId, o.summary]),
      )}\n${ops}\n${schemas === "" ? "" : `<h3>Schemas</h3>\n${schemas}`}`,
    ]);
  }
  if (compliance !== undefined)
    sections.push(["compliance", "Compliance matrix", `<pre>${escapeHtml(compliance)}</pre>`]);
  sections.push([
    "sbom",
    "SBOM summary",
    `<p>CycloneDX ${escapeHtml(input.sbom.specVersion)}, ${input.sbom.components.length} components, made by ${escapeHtml(
      input.sbom.generator,
    )} from ${escapeHtml(input.sbom.sources.join(", ") || "no lockfiles")}.</p>\n${htmlTable(
      ["Ecosystem", "Components"],
      stats.byEcosystem.map(([k, v]) => [k, String(v)]),
    )}\n${htmlTable(
      ["License", "Components"],
      stats.byLicense.map(([k, v]) => [k, String(v)]),
    )}\n${htmlTable(
      ["Name", "Version", "License", "Scope", "purl"],
      input.sbom.components
        .slice(0, MAX_COMPONENT_ROWS)
        .map((c) => [c.name, c.version, c.license, c.scope, c.purl]),
    )}`,
  ]);
  if (input.provenance !== null) {
    const p = input.provenance;
    sections.push([
      "provenance",
      "Provenance",
      [
        htmlTable(
          ["", ""],
          [
            ["Brief sha256", p.brief?.sha256 ?? ""],
            ["IR sha256", p.ir?.sha256 ?? ""],
            ["Overlays", p.overlays.map((o) => `${o.name}@${o.version}`).join(", ")],
            ["Tokens", p.tokens === undefined ? "" : `${p.tokens.input} in, ${p.tokens.output} out`],
            ["Cost (USD)", p.costUsd === undefined ? "" : String(p.costUsd)],
          ],
        ),
        htmlTable(
          ["Agent", "Provider", "Model", "Region", "Prompt template"],
          p.agents.map((a) => [
            a.agent,
            a.provider,
            a.model ?? "(none)",
            a.region ?? "",
            a.promptTemplate === undefined ? "" : `${a.promptTemplate.id}@${a.promptTemplate.version}`,
          ]),
        ),
        htmlTable(
          ["Gate", "Status", "Detail"],
          p.gates.map((g) => [g.gate, g.status, g.detail ?? ""]),
        ),
      ].join("\n"),
    ]);
  }
  sections.push([
    "excluded",
    "Left out of the capsule",
    input.excluded.length === 0
      ? "<p>Nothing.</p>"
      : htmlTable(
          ["Path", "Reason", "Detail"],
          input.excluded.map((e) => [e.path, e.reason, e.detail]),
        ),
  ]);

  const title = `${input.name} ${input.version}`;
  const nav = sections.map(([id, heading]) => `<a href="#${id}">${escapeHtml(heading)}</a>`).join("");
  const body = sections.map(
    ([id, heading, content]) =>
      `<section id="${id}">\n<h2>${escapeHtml(heading)}</h2>\n${content}\n</section>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<nav>${nav}</nav>
${body.join("\n")}
</body>
</html>
`;
}
