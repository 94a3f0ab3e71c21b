/**
 * Sample values for generated tests, as TypeScript expressions: valid for the field's schema and
 * for its column, distinct per call where the field is unique (via the sequence number `n`).
 */
import type { FieldSchema, PlannedField } from "../../../generate/plan-schema.js";
import {
  decimalScale,
  normaliseDecimal,
  SAMPLE_CARD,
  SAMPLE_DATE,
  SAMPLE_DATETIME,
  SAMPLE_UUID,
  sampleDecimal,
} from "../../shared/sample-values.js";
import { literal, str } from "../code.js";

const KNOWN_PATTERNS: Record<string, (n: string) => string> = {
  "^\\+?[0-9][0-9 ().-]{5,19}$": (n) => `\`+1555\${String(${n}).padStart(7, "0")}\``,
  "^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$": (n) => `String(10000 + ${n})`,
  "^[A-Z]{2}$": () => '"US"',
  "^[A-Z]{3}$": () => '"USD"',
  "^[0-9]{4}$": () => '"4242"',
};

/** An expression for a valid value of the field; `n` is the name of a number unique to this call. */
export function sampleValue(field: PlannedField, n: string): string {
  const schema = field.schema;
  if (field.role === "card-number") return str(SAMPLE_CARD);
  switch (schema.type) {
    case "integer":
    case "number": {
      const min = schema.minimum ?? Number.NEGATIVE_INFINITY;
      const max = schema.maximum ?? Number.POSITIVE_INFINITY;
      if (field.unique) return n;
      const value = 1 >= min && 1 <= max ? 1 : min;
      return String(value);
    }
    case "boolean":
      return field.role === "consent" ? "false" : "true";
    case "object":
      return '{ note: "sample" }';
    case "string":
      break;
  }
  if (schema.enum !== null) return str(schema.enum[0] ?? "");
  switch (schema.format) {
    case "uuid":
      return field.unique ? "randomUUID()" : str(SAMPLE_UUID);
    case "email":
      return `\`sample-\${${n}}@example.com\``;
    case "uri":
      return `\`https://example.com/${field.name}/\${${n}}\``;
    case "date":
      return str(SAMPLE_DATE);
    case "date-time":
      return str(SAMPLE_DATETIME);
    case "decimal":
      return str(sampleDecimal(schema));
    case "card-number":
      return str(SAMPLE_CARD);
    default:
      break;
  }
  if (field.role === "money-currency" && typeof field.default === "string") return str(field.default);
  if (schema.pattern !== null) {
    const known = KNOWN_PATTERNS[schema.pattern];
    if (known !== undefined) return known(n);
  }
  const max = schema.maxLength ?? 255;
  const label = field.name;
  if (max >= label.length + 8) return `\`${label} \${${n}}\``;
  return `String(${n}).slice(0, ${max})`;
}

/** A value of the wrong type for the field, to provoke a 400. */
export function wrongValue(schema: FieldSchema): string {
  if (schema.type === "string") return schema.enum !== null ? '"not-one-of-the-values"' : "12345";
  return '"not-a-number-or-boolean"';
}

/** The JSON value erasure writes, as an expression (`id` names the record id). */
export function erasedValue(field: PlannedField, id: string): string | null {
  const erase = field.erase;
  if (erase === null) return null;
  switch (erase.strategy) {
    case "null":
      return "null";
    case "marker": {
      const max = field.schema.maxLength;
      return `\`erased-\${${id}}\`${max !== null && max < 43 ? `.slice(0, ${max})` : ""}`;
    }
    case "email":
      return `\`\${${id}}@erased.invalid\``;
    case "constant":
      return field.schema.format === "decimal" && typeof erase.value === "string"
        ? str(normaliseDecimal(erase.value, decimalScale(field.schema)))
        : literal(erase.value);
  }
}
