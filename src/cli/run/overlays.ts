/**
 * `qlf overlays list` and `qlf overlays describe NAME`: what each overlay detects, pulls in, sets
 * and must prove. Output is plain text for people or `--json` for tools.
 */
import { type Decision, type Overlay, UserInputError } from "../../kernel/index.js";
import { loadCatalog } from "../../services/overlay-files.js";
import type { OverlaysOptions } from "../commands/overlays.js";

export async function runOverlaysList(options: OverlaysOptions): Promise<void> {
  const { catalog, decisions } = await loadCatalog(options.repo);
  if (options.json === true) {
    const overlays = catalog.map((overlay) => ({
      name: overlay.name,
      kind: overlay.kind,
      version: overlay.version,
      title: overlay.title,
      priority: overlay.priority,
      dependencies: overlay.dependencies,
      rules: overlay.rules.length,
      controls: overlay.controls.length,
    }));
    write(`${JSON.stringify({ overlays, decisions }, null, 2)}\n`);
    return;
  }
  const rows = catalog.map((overlay) => [
    overlay.name,
    overlay.kind,
    overlay.version,
    String(overlay.priority),
    overlay.dependencies.join(", ") || "-",
    String(overlay.rules.length),
    String(overlay.controls.length),
  ]);
  write(table(["NAME", "KIND", "VERSION", "PRIORITY", "DEPENDS ON", "RULES", "CONTROLS"], rows, [3, 5, 6]));
  write(renderDecisions(decisions));
}

export async function runOverlaysDescribe(name: string, options: OverlaysOptions): Promise<void> {
  const { catalog, decisions } = await loadCatalog(options.repo);
  const overlay = catalog.find((candidate) => candidate.name === name);
  if (overlay === undefined) {
    throw new UserInputError("overlay.unknown", `no overlay named "${name}"`, {
      hint: `available overlays: ${catalog.map((candidate) => candidate.name).join(", ")}`,
    });
  }
  const own = decisions.filter((decision) => decision.kind === "override" && decision.overlay === name);
  if (options.json === true) {
    write(`${JSON.stringify({ overlay, decisions: own }, null, 2)}\n`);
    return;
  }
  write(describe(overlay));
  write(renderDecisions(own));
}

function describe(overlay: Overlay): string {
  const lines: string[] = [];
  lines.push(`${overlay.name} ${overlay.version} (${overlay.kind}, priority ${overlay.priority})`);
  lines.push(overlay.title, "");
  lines.push(...wrap(overlay.description, 100), "");

  const { threshold, certainAt } = overlay.detection;
  lines.push(
    `Detection (detected at summed weight ${threshold}${certainAt === undefined ? "" : `, certain at ${certainAt}`}):`,
  );
  if (overlay.detection.patterns.length === 0) lines.push("  (none: only applied when requested)");
  lines.push(
    ...indent(
      table(
        ["WEIGHT", "PATTERN"],
        overlay.detection.patterns.map((pattern) => [String(pattern.weight), pattern.pattern]),
        [0],
      ),
    ),
  );
  lines.push(`Dependencies: ${overlay.dependencies.join(", ") || "none"}`, "");

  lines.push("Generation rules:");
  for (const rule of overlay.rules) {
    if (rule.kind === "mark-sensitive") {
      lines.push(
        `  - mark-sensitive ${rule.mark}, fields matching:`,
        ...rule.fields.map((field) => `      ${field}`),
      );
    } else {
      lines.push(`  - ${ruleText(rule)}`);
    }
  }
  lines.push("");

  lines.push("Controls:");
  for (const control of overlay.controls) {
    lines.push(`  ${control.id}  ${control.title}`);
    lines.push(...wrap(control.requirement, 96).map((line) => `      ${line}`));
    lines.push(`      implemented by: ${control.implementedBy.join(", ")}`);
  }
  lines.push("");

  lines.push("Prompts:");
  for (const [agent, prompts] of Object.entries(overlay.prompts)) {
    lines.push(`  ${agent}:`);
    for (const prompt of prompts ?? []) {
      const [first = "", ...rest] = wrap(prompt, 94);
      lines.push(`    - ${first}`, ...rest.map((line) => `      ${line}`));
    }
  }
  return `${lines.join("\n")}\n`;
}

function ruleText(rule: Overlay["rules"][number]): string {
  switch (rule.kind) {
    case "mark-sensitive":
      return `mark-sensitive ${rule.mark}: ${rule.fields.join(" | ")}`;
    case "audit-log":
      return `audit-log on ${rule.on.join(", ")}`;
    case "encrypt-fields":
    case "mask-in-logs":
      return `${rule.kind} ${rule.marks.join(", ")}`;
    case "tokenize-card-data":
      return `tokenize-card-data${rule.keepLastFour ? " (keep last four digits)" : ""}`;
    case "consent-fields":
      return `consent-fields for ${rule.purposes.join(", ")}`;
    case "idempotency-keys":
      return `idempotency-keys on ${rule.on.join(", ")}`;
    case "decimal-money":
      return `decimal-money precision ${rule.precision}, scale ${rule.scale}`;
    case "retention":
      return `retention ${rule.days} days`;
    case "rate-limit":
      return `rate-limit ${rule.requests} requests per ${rule.windowSeconds} s`;
    case "require-auth":
      return `require-auth ${rule.scheme}`;
    default:
      return rule.kind;
  }
}

function renderDecisions(decisions: readonly Decision[]): string {
  if (decisions.length === 0) return "";
  return `\nDecisions:\n${decisions.map((decision) => `  - ${decision.reason} (${decision.chosen})`).join("\n")}\n`;
}

/** A plain aligned table; `numeric` columns are right-aligned. */
function table(
  header: readonly string[],
  rows: readonly string[][],
  numeric: readonly number[] = [],
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return numeric.includes(column) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}

function indent(text: string): string[] {
  return text
    .trimEnd()
    .split("\n")
    .map((line) => `  ${line}`)
    .concat("");
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current !== "" && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else {
      current = current === "" ? word : `${current} ${word}`;
    }
  }
  if (current !== "") lines.push(current);
  return lines;
}

function write(text: string): void {
  process.stdout.write(text);
}
