/**
 * Small helpers for writing TypeScript source as text: quoting, identifiers and indentation.
 * Generated files are assembled from template literals; these keep the pieces tidy.
 */

import { padLines } from "../../generate/text.js";

export { lines } from "../../generate/text.js";

/** A TypeScript string literal (double quotes, JSON escapes). */
export function str(value: string): string {
  return JSON.stringify(value);
}

/** A TypeScript literal for a JSON scalar. */
export function literal(value: string | number | boolean | null): string {
  return typeof value === "string" ? str(value) : String(value);
}

/** A property key: bare when it is an identifier, quoted otherwise. */
export function key(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : str(name);
}

/** `Patient` → `patient`. */
export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** `patient` → `Patient`. */
export function upperFirst(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** `lab-results` → `labResults`. */
export function camelFromKebab(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `card_token` → `cardToken`. */
export function camelFromSnake(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Indents every non-empty line by `levels` × 2 spaces. */
export function indent(text: string, levels = 1): string {
  return padLines(text, "  ".repeat(levels));
}

/** A list literal of strings: `["a", "b"]`. */
export function strList(values: readonly string[]): string {
  return `[${values.map(str).join(", ")}]`;
}
