/**
 * Helpers for writing Go source as text: literals, identifiers, types and indentation. Generated
 * files are assembled from template literals; these keep the pieces valid Go.
 */
import type { FieldSchema, PlannedField } from "../../generate/plan-schema.js";
import { padLines } from "../../generate/text.js";

export { lines } from "../../generate/text.js";

/**
 * A Go interpreted string literal. JSON's escapes (`\"`, `\\`, `\n`, `\uXXXX`…) are all valid Go
 * escapes, so JSON.stringify is a correct encoder.
 */
export function goString(value: string): string {
  return JSON.stringify(value);
}

/** A Go literal for a JSON scalar. */
export function goLiteral(value: string | number | boolean): string {
  return typeof value === "string" ? goString(value) : String(value);
}

/** `[]string{"a", "b"}` */
export function goStrings(values: readonly string[]): string {
  return `[]string{${values.map(goString).join(", ")}}`;
}

const KEYWORDS = new Set([
  "break",
  "case",
  "chan",
  "const",
  "continue",
  "default",
  "defer",
  "else",
  "fallthrough",
  "for",
  "func",
  "go",
  "goto",
  "if",
  "import",
  "interface",
  "map",
  "package",
  "range",
  "return",
  "select",
  "struct",
  "switch",
  "type",
  "var",
]);

/** Whether `name` is a Go keyword (and so cannot name a variable or package). */
export function isKeyword(name: string): boolean {
  return KEYWORDS.has(name);
}

/**
 * The exported Go name of a JSON field, with Go's initialism for ids:
 * `firstName` → `FirstName`, `id` → `ID`, `patientId` → `PatientID`.
 */
export function exportedName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9]/g, "");
  const safe = /^[0-9]/.test(cleaned) ? `F${cleaned}` : cleaned;
  const upper = safe.charAt(0).toUpperCase() + safe.slice(1);
  if (upper === "Id") return "ID";
  return upper.replace(/Id$/, "ID").replace(/Id([A-Z0-9])/g, "ID$1");
}

/** `Patient` → `patient`; `ID` → `id`. */
export function lowerFirst(name: string): string {
  if (/^[A-Z0-9]+$/.test(name)) return name.toLowerCase();
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** `lab-results` → `lab_results` (Go file names). */
export function snakeFromKebab(name: string): string {
  return name.replaceAll("-", "_");
}

/** The Go package name of the module root: the slug without dashes (`pharmacy-api` → `pharmacyapi`). */
export function rootPackage(slug: string): string {
  const name = slug.replace(/[^a-z0-9]/g, "");
  return isKeyword(name) || name === "" ? `${name}app` : name;
}

/** How a value of this schema is held in Go. */
export type GoKind = "string" | "time" | "integer" | "number" | "boolean" | "object";

export function goKind(schema: FieldSchema): GoKind {
  switch (schema.type) {
    case "string":
      return schema.format === "date-time" ? "time" : "string";
    case "integer":
      return "integer";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "object":
      return "object";
  }
}

const BASE_TYPES: Record<GoKind, string> = {
  string: "string",
  time: "time.Time",
  integer: "int64",
  number: "float64",
  boolean: "bool",
  object: "map[string]any",
};

/** The Go type of a field; nullable scalars are pointers (objects are nil maps). */
export function goType(schema: FieldSchema, nullable = schema.nullable): string {
  const kind = goKind(schema);
  const base = BASE_TYPES[kind];
  return nullable && kind !== "object" ? `*${base}` : base;
}

/** Whether a field's Go value is a pointer. */
export function isPointer(field: PlannedField): boolean {
  return field.schema.nullable && goKind(field.schema) !== "object";
}

/** Indents every non-empty line by `levels` tabs (Go's indentation). */
export function tabs(text: string, levels = 1): string {
  return padLines(text, "\t".repeat(levels));
}

/** A `// comment` line (or lines) from free text; empty when there is no text. */
export function goComment(text: string, prefix = ""): string {
  const clean = text.replace(/\s+/g, " ").trim();
  return clean === "" ? "" : `// ${prefix}${clean}`;
}

/**
 * An import block as goimports leaves it: the standard library first, then the module's own and
 * third-party packages, each group sorted.
 */
export function importBlock(modulePath: string, imports: Iterable<string>): string {
  const all = [...new Set(imports)];
  const local = (path: string) => path === modulePath || path.startsWith(`${modulePath}/`);
  const std = all.filter((path) => !local(path) && !path.split("/")[0]?.includes("."));
  const rest = all.filter((path) => !std.includes(path));
  const sort = (list: string[]) => [...list].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const groups = [sort(std), sort(rest)].filter((group) => group.length > 0);
  if (groups.length === 0) return "";
  if (all.length === 1) return `import ${goString(all[0] as string)}`;
  return `import (\n${groups.map((group) => group.map((path) => `\t${goString(path)}`).join("\n")).join("\n\n")}\n)`;
}

/** A line of an aligned block: cells (aligned like gofmt's tabwriter) or a plain line. */
export type Row = readonly string[] | string;

/**
 * Aligns cells the way gofmt does (text/tabwriter with padding 1): a cell that is not the last of
 * its line is padded to the widest cell of the same column in the run of adjacent lines that also
 * have a cell after it. Plain strings (comments, blank lines) end every run.
 *
 * @example
 * align([["ID", "string", "`json:\"id\"`"], ["Name", "*string", "`json:\"name\"`"]])
 * // ID   string  `json:"id"`
 * // Name *string `json:"name"`
 */
export function align(rows: readonly Row[]): string[] {
  const cells = rows.map((row) => (typeof row === "string" ? [row] : [...row]));
  const out = cells.map(() => "");
  const width = (text: string) => [...text].length;
  const format = (column: number, from: number, to: number) => {
    let line = from;
    while (line < to) {
      if (column >= (cells[line]?.length ?? 0) - 1) {
        line++;
        continue;
      }
      const start = line;
      let max = 0;
      while (line < to && column < (cells[line]?.length ?? 0) - 1) {
        max = Math.max(max, width(cells[line]?.[column] ?? ""));
        line++;
      }
      for (let i = start; i < line; i++) {
        const cell = cells[i]?.[column] ?? "";
        out[i] += cell + " ".repeat(max + 1 - width(cell));
      }
      format(column + 1, start, line);
    }
  };
  format(0, 0, cells.length);
  return cells.map((row, i) => (out[i] ?? "") + (row[row.length - 1] ?? ""));
}
