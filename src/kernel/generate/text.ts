/** Small, pure naming and text helpers shared by the planner, the agents and the stacks. */

/** `patientId` → `patient_id`, `LabResult` → `lab_result`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toLowerCase();
}

/** `third party sharing` / `third-party` → `ThirdPartySharing`. */
export function pascalCase(words: string): string {
  return words
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== "")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase())
    .join("");
}

/** `LabResults` → `labResults`. */
export function camelCase(words: string): string {
  const pascal = pascalCase(words);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/** 32-bit FNV-1a as 8 hex digits: short, stable suffixes for names that must be cut. */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/** PostgreSQL truncates identifiers at 63 bytes; cut longer ones with a hash so they stay unique. */
export function sqlIdentifier(name: string): string {
  return name.length <= 63 ? name : `${name.slice(0, 54)}_${fnv1a(name)}`;
}

/** A SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Stable byte-wise comparison for sorting (localeCompare depends on the ICU build). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Joins the present parts with newlines, dropping `false`, `null`, `undefined` and empty strings. */
export function lines(...parts: ReadonlyArray<string | false | null | undefined>): string {
  return parts.filter((part): part is string => typeof part === "string" && part !== "").join("\n");
}

/** Prefixes every non-empty line with `pad` (each language indents with its own unit). */
export function padLines(text: string, pad: string): string {
  return text
    .split("\n")
    .map((line) => (line === "" ? line : pad + line))
    .join("\n");
}
