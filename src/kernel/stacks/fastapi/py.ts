/**
 * Small helpers for writing Python source as text: literals, identifiers, indentation. Generated
 * files are assembled from template literals (String.raw, so backslashes reach the Python source
 * as written); these keep the pieces tidy. Language-neutral on purpose: the Gin stack may reuse
 * the idea; the language-free pieces (`lines`, padding, snake case) live in `generate/text.ts`.
 */

import { padLines, snakeCase } from "../../generate/text.js";

export { lines } from "../../generate/text.js";

/** A Python string literal (double quotes; JSON escapes are valid Python escapes). */
export function pyStr(value: string): string {
  return JSON.stringify(value);
}

/** A Python literal for a JSON scalar. */
export function pyLiteral(value: string | number | boolean | null): string {
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  return typeof value === "string" ? pyStr(value) : String(value);
}

/** A Python list of strings: `["a", "b"]`. */
export function pyList(values: readonly string[]): string {
  return `[${values.map(pyStr).join(", ")}]`;
}

/** A Python tuple of strings (a one-element tuple keeps its comma). */
export function pyTuple(values: readonly string[]): string {
  if (values.length === 1) return `(${pyStr(values[0] as string)},)`;
  return `(${values.map(pyStr).join(", ")})`;
}

/** A Python frozenset literal of strings. */
export function pyFrozenset(values: readonly string[]): string {
  return values.length === 0 ? "frozenset()" : `frozenset(${pyList(values)})`;
}

const KEYWORDS = new Set([
  "False",
  "None",
  "True",
  "and",
  "as",
  "assert",
  "async",
  "await",
  "break",
  "class",
  "continue",
  "def",
  "del",
  "elif",
  "else",
  "except",
  "finally",
  "for",
  "from",
  "global",
  "if",
  "import",
  "in",
  "is",
  "lambda",
  "nonlocal",
  "not",
  "or",
  "pass",
  "raise",
  "return",
  "try",
  "while",
  "with",
  "yield",
  "match",
  "case",
  "type",
]);

/**
 * Attribute names pydantic (1 and 2) refuses or that shadow a BaseModel member, plus names the
 * generated code itself uses; such fields get a trailing underscore (the JSON name is the alias).
 */
const RESERVED = new Set([
  "json",
  "dict",
  "copy",
  "schema",
  "schema_json",
  "construct",
  "validate",
  "fields",
  "parse_obj",
  "parse_raw",
  "parse_file",
  "from_orm",
  "update_forward_refs",
  "cls",
  "self",
  "value",
  "id",
]);

/** `patientId` → `patient_id`, `HTTPStatus` → `http_status`. */
export const snake = snakeCase;

/** A safe Python identifier for a JSON name: snake_case, never a keyword or a reserved member. */
export function pyIdent(name: string): string {
  let ident = snake(name);
  if (ident === "" || /^[0-9]/.test(ident)) ident = `f_${ident}`;
  return KEYWORDS.has(ident) || RESERVED.has(ident) || ident.startsWith("model_") ? `${ident}_` : ident;
}

/** A Python module name for a route: `lab-results` → `lab_results`. */
export function moduleName(route: string): string {
  const name = route
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toLowerCase();
  const safe = /^[0-9]/.test(name) ? `m_${name}` : name;
  return KEYWORDS.has(safe) ? `${safe}_` : safe;
}

/** Indents every non-empty line by `levels` × 4 spaces. */
export function indent(text: string, levels = 1): string {
  return padLines(text, "    ".repeat(levels));
}

/** A one-line docstring-safe text. */
export function docText(text: string): string {
  return text.replace(/\\/g, "/").replace(/"""/g, "'''").replace(/\s+/g, " ").trim();
}

/**
 * A plan pattern (RE2 syntax, anchored with ^…$) for Python's `re`: a final `$` becomes `\Z`, so a
 * trailing newline does not slip through as it would with `re.match`.
 */
export function pyPattern(pattern: string): string {
  return pattern.endsWith("$") && !pattern.endsWith("\\$") ? `${pattern.slice(0, -1)}\\Z` : pattern;
}

/** Collapses runs of blank lines to the two PEP 8 puts between top-level definitions. */
export function tidy(source: string): string {
  return `${source.replace(/\n{4,}/g, "\n\n\n").replace(/\s+$/, "")}\n`;
}
