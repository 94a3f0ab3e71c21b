/**
 * Sample values for the generated Go tests, as Go expressions: valid for the field's schema and its
 * column, distinct per call where the field is unique (through the sequence number `n`). Inputs
 * are JSON values for request bodies; record values are typed for the store's structs.
 */
import type { FieldSchema, PlannedField } from "../../../generate/plan-schema.js";
import { SAMPLE_CARD, SAMPLE_DATE, SAMPLE_UUID, sampleDecimal } from "../../shared/sample-values.js";
import { goKind, goString } from "../go.js";

/** A date-time sample without fractional seconds, so it reads back unchanged from both stores. */
export const SAMPLE_DATETIME = "2024-01-15T10:30:00Z";

const KNOWN_PATTERNS: Record<string, string> = {
  "^\\+?[0-9][0-9 ().-]{5,19}$": 'fmt.Sprintf("+1555%07d", n)',
  "^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$": "fmt.Sprint(10000 + n)",
  "^[A-Z]{2}$": '"US"',
  "^[A-Z]{3}$": '"USD"',
  "^[0-9]{4}$": '"4242"',
};

/** A JSON-able Go expression for a valid value of the field, as a request body carries it. */
export function sampleInput(field: PlannedField): string {
  const schema = field.schema;
  if (field.role === "card-number") return goString(SAMPLE_CARD);
  switch (schema.type) {
    case "integer":
    case "number": {
      if (field.unique) return "n";
      const min = schema.minimum ?? Number.NEGATIVE_INFINITY;
      const max = schema.maximum ?? Number.POSITIVE_INFINITY;
      return String(1 >= min && 1 <= max ? 1 : min);
    }
    case "boolean":
      return field.role === "consent" ? "false" : "true";
    case "object":
      return 'map[string]any{"note": "sample"}';
    case "string":
      break;
  }
  if (schema.enum !== null) return goString(schema.enum[0] ?? "");
  switch (schema.format) {
    case "uuid":
      return field.unique ? "store.NewID()" : goString(SAMPLE_UUID);
    case "email":
      return 'fmt.Sprintf("sample-%d@example.com", n)';
    case "uri":
      return `fmt.Sprintf("https://example.com/${field.name}/%d", n)`;
    case "date":
      return goString(SAMPLE_DATE);
    case "date-time":
      return goString(SAMPLE_DATETIME);
    case "decimal":
      return goString(sampleDecimal(schema));
    case "card-number":
      return goString(SAMPLE_CARD);
    default:
      break;
  }
  if (field.role === "money-currency" && typeof field.default === "string") return goString(field.default);
  if (schema.pattern !== null) {
    const known = KNOWN_PATTERNS[schema.pattern];
    if (known !== undefined) return known;
  }
  const max = schema.maxLength ?? 255;
  if (max >= field.name.length + 8) return `fmt.Sprintf(${goString(`${field.name} %d`)}, n)`;
  return `cut(fmt.Sprint(n), ${max})`;
}

/** The same sample, typed for the record struct (pointers for nullable fields). */
export function sampleRecord(field: PlannedField): string {
  const input = sampleInput(field);
  const kind = goKind(field.schema);
  let value: string;
  switch (kind) {
    case "time":
      value = "sampleTime";
      break;
    case "integer":
      value = `int64(${input})`;
      break;
    case "number":
      value = `float64(${input})`;
      break;
    default:
      value = input;
  }
  return field.schema.nullable && kind !== "object" ? `ptr(${value})` : value;
}

/** A value of the wrong JSON type for the field, to provoke a 400. */
export function wrongInput(schema: FieldSchema): string {
  if (schema.type === "string") return schema.enum !== null ? '"not-one-of-the-values"' : "12345";
  return '"not-a-number-or-boolean"';
}

/** Whether an expression uses the sequence number `n` (outside string literals). */
export function usesN(expression: string): boolean {
  return /\bn\b/.test(expression.replace(/"(?:[^"\\]|\\.)*"/g, '""'));
}
