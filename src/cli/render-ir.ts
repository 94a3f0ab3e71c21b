/**
 * The terminal summary of an IR: what qlf understood, in the order a reviewer checks it.
 * Plain text with optional ANSI emphasis; every table fits 100 columns.
 */
import type { Field, IR } from "../kernel/index.js";

export interface RenderOptions {
  color: boolean;
}

export function renderIr(ir: IR, options: RenderOptions): string {
  const bold = (text: string): string => (options.color ? `\u001b[1m${text}\u001b[22m` : text);
  const dim = (text: string): string => (options.color ? `\u001b[2m${text}\u001b[22m` : text);
  const out: string[] = [];
  const stack = `${ir.stack.framework} + ${ir.stack.database}${ir.stack.frontend === "none" ? "" : ` + ${ir.stack.frontend}`}`;
  out.push(`${bold(ir.app.name)} ${dim(`(${ir.app.slug})`)}`);
  out.push(`${ir.app.kind} · ${stack} · auth ${ir.auth.kind} · confidence ${ir.confidence.toFixed(2)}`);
  if (ir.app.summary !== "") out.push(dim(ir.app.summary));

  out.push("", bold(`Entities (${ir.entities.length})`));
  const rows: string[][] = [["entity", "field", "type", "flags"]];
  for (const entity of ir.entities) {
    entity.fields.forEach((field, index) => {
      rows.push([index === 0 ? entity.name : "", field.name, typeOf(field), flagsOf(field)]);
    });
    for (const relation of ir.relations.filter((r) => r.to === entity.name && r.foreignKey !== null)) {
      rows.push([
        entity.fields.length === 0 ? entity.name : "",
        relation.foreignKey ?? "",
        `→ ${relation.from}`,
        relation.required ? "required" : "",
      ]);
    }
  }
  out.push(...table(rows));

  if (ir.relations.length > 0) {
    out.push("", bold("Relations"));
    for (const r of ir.relations) {
      const arrow = r.kind === "many-to-many" ? "*──*" : r.kind === "one-to-one" ? "1──1" : "1──*";
      out.push(`  ${r.from} ${arrow} ${r.to}${r.owned ? " (owned)" : ""}  ${dim(`"${r.label}"`)}`);
    }
  }

  const custom = ir.operations.filter(
    (op) => !["list", "get", "create", "update", "delete"].includes(op.kind),
  );
  out.push("", bold("Operations"));
  out.push(`  CRUD on every entity (${ir.operations.length - custom.length} operations)`);
  for (const op of custom) {
    const detail =
      op.kind === "search"
        ? `by ${op.searchBy.join(", ") || "text"}`
        : op.transition === null
          ? ""
          : `${op.transition.field}: ${op.transition.from.join("|")} → ${op.transition.to}`;
    const roles = op.roles.length > 0 ? ` [${op.roles.join(", ")}]` : "";
    out.push(`  ${op.id}${detail === "" ? "" : `  ${dim(detail)}`}${roles}`);
  }
  const restricted = ir.auth.roles.filter((role) => role.grants.length > 0);
  if (ir.auth.roles.length > 0) {
    out.push("", bold(`Roles (auth: ${ir.auth.kind})`));
    for (const role of ir.auth.roles) {
      const grants = role.grants.map((g) => `${g.entity}: ${g.permissions.join(",")}`).join("; ");
      out.push(`  ${role.name}  ${dim(grants || "no explicit grants")}`);
    }
  } else if (restricted.length === 0 && ir.auth.kind !== "none") {
    out.push("", bold(`Auth: ${ir.auth.kind}`));
  }

  const requirements = Object.entries(ir.nonFunctional).filter(([, value]) => value !== null);
  if (requirements.length > 0) {
    out.push("", bold("Non-functional"));
    for (const [name, value] of requirements) {
      if (value === null) continue;
      const extra =
        "requests" in value
          ? ` ${value.requests}/${value.windowSeconds}s`
          : "days" in value
            ? ` ${value.days} days`
            : "";
      out.push(`  ${name}${extra}  ${dim(`${value.origin}: ${value.evidence.join("; ")}`)}`);
    }
  }

  out.push("", bold("Overlays"));
  if (ir.overlays.length === 0) out.push("  none detected (add --overlay NAME to apply one)");
  for (const overlay of ir.overlays) {
    const why =
      overlay.reason === "dependency"
        ? `needed by ${overlay.requiredBy}`
        : overlay.reason === "requested"
          ? "requested"
          : `evidence: ${overlay.evidence.map((e) => `"${e}"`).join(", ")}`;
    out.push(`  ${overlay.name} (${overlay.kind}, ${overlay.confidence.toFixed(2)})  ${dim(why)}`);
  }

  if (ir.questions.length > 0) {
    out.push("", bold("Questions and assumptions"));
    for (const q of ir.questions) out.push(`  ? ${q.question}  ${dim(q.assumption)}`);
  }
  return `${out.join("\n")}\n`;
}

function typeOf(field: Field): string {
  if (field.type === "enum") return `enum(${(field.enumValues ?? []).join("|")})`;
  if (field.format === "money") return `money(${field.currency ?? "?"})`;
  if (field.format !== null) return `${field.type}/${field.format}`;
  return field.type;
}

function flagsOf(field: Field): string {
  const flags: string[] = [];
  if (field.required) flags.push("required");
  if (field.unique) flags.push("unique");
  flags.push(...field.sensitivity.map((mark) => mark.toUpperCase()));
  if (field.default !== null) flags.push(`default ${String(field.default)}`);
  return flags.join(" ");
}

function table(rows: readonly string[][]): string[] {
  const widths =
    rows[0]?.map((_, col) => Math.min(40, Math.max(...rows.map((row) => (row[col] ?? "").length)))) ?? [];
  return rows.map(
    (row) =>
      `  ${row
        .map((cell, col) => cell.padEnd(widths[col] ?? 0))
        .join("  ")
        .trimEnd()}`,
  );
}
