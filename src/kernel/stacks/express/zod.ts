/**
 * Plan field schemas → zod expressions and TypeScript types, as source text. One function per
 * direction so that request validation, record types and query parsing cannot drift apart.
 */
import type { FieldSchema } from "../../generate/plan-schema.js";
import { decimalScale } from "../shared/sample-values.js";
import { str } from "./code.js";

/** Where the value comes from: a JSON body keeps its types; a query string is all strings. */
export type ValueSource = "body" | "query";

/**
 * The zod expression validating one value.
 *
 * @example
 * zodFor({ type: "string", format: "email", nullable: true, … }, "body") // "z.email().max(254).nullable()"
 */
export function zodFor(schema: FieldSchema, source: ValueSource): string {
  let expr = baseZod(schema, source);
  if (schema.nullable && source === "body") expr += ".nullable()";
  return expr;
}

function baseZod(schema: FieldSchema, source: ValueSource): string {
  switch (schema.type) {
    case "string":
      return stringZod(schema);
    case "integer":
    case "number": {
      let expr = source === "query" ? "z.coerce.number<string>()" : "z.number()";
      if (schema.type === "integer") expr += ".int()";
      if (schema.minimum !== null) expr += `.min(${schema.minimum})`;
      if (schema.maximum !== null) expr += `.max(${schema.maximum})`;
      return expr;
    }
    case "boolean":
      return source === "query" ? "queryBoolean" : "z.boolean()";
    case "object":
      return "z.record(z.string(), z.unknown())";
  }
}

function stringZod(schema: FieldSchema): string {
  if (schema.enum !== null) return `z.enum([${schema.enum.map(str).join(", ")}])`;
  let expr: string;
  switch (schema.format) {
    case "uuid":
      return "z.uuid()";
    case "email":
      expr = "z.email()";
      break;
    case "uri":
      expr = "z.url({ protocol: /^https?$/ })";
      break;
    case "date":
      return "z.iso.date()";
    case "date-time":
      // Normalised to UTC so that both stores return the same text for the same instant.
      return "z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString())";
    case "card-number":
      return `z.string().regex(${regex(schema.pattern ?? "^[0-9]{12,19}$")}, "must be 12 to 19 digits").refine(luhn, "is not a valid card number")`;
    case "decimal":
      return `z.string().regex(${regex(schema.pattern ?? "^-?[0-9]+(\\.[0-9]+)?$")}, "must be a decimal number in a string, e.g. \\"12.50\\"").transform(toScale(${decimalScale(schema)}))`;
    default:
      expr = "z.string()";
  }
  if (schema.minLength !== null && schema.minLength > 0) expr += `.min(${schema.minLength})`;
  if (schema.maxLength !== null) expr += `.max(${schema.maxLength})`;
  if (schema.pattern !== null) expr += `.regex(${regex(schema.pattern)})`;
  return expr;
}

/** A regular-expression literal for an RE2-compatible pattern. */
function regex(pattern: string): string {
  return `/${pattern.replaceAll("/", "\\/")}/`;
}

/** The TypeScript type of a value of this schema (after parsing). */
export function tsTypeFor(schema: FieldSchema, nullable = schema.nullable): string {
  let type: string;
  switch (schema.type) {
    case "string":
      type = schema.enum === null ? "string" : schema.enum.map(str).join(" | ");
      break;
    case "integer":
    case "number":
      type = "number";
      break;
    case "boolean":
      type = "boolean";
      break;
    case "object":
      type = "Record<string, unknown>";
      break;
  }
  return nullable ? `${type} | null` : type;
}

/** Whether the zod expression for this schema uses a helper from `src/http/validation.ts`. */
export function usesHelper(
  schema: FieldSchema,
  source: ValueSource,
  helper: "luhn" | "queryBoolean" | "toScale",
): boolean {
  if (helper === "luhn") return schema.format === "card-number";
  if (helper === "toScale") return schema.format === "decimal" && schema.enum === null;
  return source === "query" && schema.type === "boolean";
}
