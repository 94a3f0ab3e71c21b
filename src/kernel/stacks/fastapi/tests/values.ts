/**
 * Sample values for the generated pytest tests, as Python expressions: valid for the field's
 * schema and for its column, distinct per call where the field is unique (via the sequence
 * number `n`).
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
import { pyLiteral, pyStr } from "../py.js";

const KNOWN_PATTERNS: Record<string, (n: string) => string> = {
  "^\\+?[0-9][0-9 ().-]{5,19}$": (n) => `f"+1555{${n}:07d}"`,
  "^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$": (n) => `str(10000 + ${n})`,
  "^[A-Z]{2}$": () => '"US"',
  "^[A-Z]{3}$": () => '"USD"',
  "^[0-9]{4}$": () => '"4242"',
};

/** An expression for a valid value of the field; `n` names a number unique to this call. */
export function sampleValue(field: PlannedField, n: string): string {
  const schema = field.schema;
  if (field.role === "card-number") return pyStr(SAMPLE_CARD);
  switch (schema.type) {
    case "integer":
    case "number": {
      if (field.unique) return n;
      const min = schema.minimum ?? Number.NEGATIVE_INFINITY;
      const max = schema.maximum ?? Number.POSITIVE_INFINITY;
      return String(1 >= min && 1 <= max ? 1 : min);
    }
    case "boolean":
      return field.role === "consent" ? "False" : "True";
    case "object":
      return '{"note": "sample"}';
    case "string":
      break;
  }
  if (schema.enum !== null) return pyStr(schema.enum[0] ?? "");
  switch (schema.format) {
    case "uuid":
      return field.unique ? "str(uuid.uuid4())" : pyStr(SAMPLE_UUID);
    case "email":
      return `f"sample-{${n}}@example.com"`;
    case "uri":
      return `f"https://example.com/${field.name}/{${n}}"`;
    case "date":
      return pyStr(SAMPLE_DATE);
    case "date-time":
      return pyStr(SAMPLE_DATETIME);
    case "decimal":
      return pyStr(sampleDecimal(schema));
    case "card-number":
      return pyStr(SAMPLE_CARD);
    default:
      break;
  }
  if (field.role === "money-currency" && typeof field.default === "string") return pyStr(field.default);
  if (schema.pattern !== null) {
    const known = KNOWN_PATTERNS[schema.pattern];
    if (known !== undefined) return known(n);
  }
  const max = schema.maxLength ?? 255;
  if (max >= field.name.length + 8) return `f"${field.name} {${n}}"`;
  return `str(${n})[:${max}]`;
}

/** A value of the wrong type for the field, to provoke a 422. */
export function wrongValue(schema: FieldSchema): string {
  if (schema.type === "string") return schema.enum !== null ? '"not-one-of-the-values"' : "12345";
  return '"not-a-number-or-boolean"';
}

/** The JSON value erasure writes, as a Python expression (`id` names the record id). */
export function erasedValue(field: PlannedField, id: string): string | null {
  const erase = field.erase;
  if (erase === null) return null;
  switch (erase.strategy) {
    case "null":
      return "None";
    case "marker": {
      const max = field.schema.maxLength;
      return `f"erased-{${id}}"${max !== null && max < 43 ? `[:${max}]` : ""}`;
    }
    case "email":
      return `f"{${id}}@erased.invalid"`;
    case "constant":
      return field.schema.format === "decimal" && typeof erase.value === "string"
        ? pyStr(normaliseDecimal(erase.value, decimalScale(field.schema)))
        : pyLiteral(erase.value);
  }
}
