/**
 * Sample values for the generated pytest tests, as Python expressions: valid for the field's
 * schema and for its column, distinct per call where the field is unique (via the sequence
 * number `n`).
 */
import type { FieldSchema, PlannedField } from "../../../generate/plan-schema.js";
import { decimalScale } from "../entity/model.js";
import { pyLiteral, pyStr } from "../py.js";

const KNOWN_PATTERNS: Record<string, (n: string) => string> = {
  "^\\+?[0-9][0-9 ().-]{5,19}$": (n) => `f"+1555{${n}:07d}"`,
  "^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$": (n) => `str(10000 + ${n})`,
  "^[A-Z]{2}$": () => '"US"',
  "^[A-Z]{3}$": () => '"USD"',
  "^[0-9]{4}$": () => '"4242"',
};

/** A card number that passes the Luhn check (a well-known test number). */
export const SAMPLE_CARD = "4242424242424242";
export const SAMPLE_DATE = "2024-01-15";
export const SAMPLE_DATETIME = "2024-01-15T10:30:00.000Z";
export const SAMPLE_UUID = "0b5a9f3e-7c1d-4e2a-9b6f-3d8c2a1e5f47";

/** `12.5` with the scale PostgreSQL pads numeric(p, s) to. */
export function sampleDecimal(schema: FieldSchema): string {
  const scale = decimalScale(schema);
  return scale === 0 ? "12" : `12.${"5".padEnd(scale, "0")}`;
}

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

/** `"0"` at scale 4 → `"0.0000"`: what PostgreSQL returns for numeric(p, 4). */
export function normaliseDecimal(value: string, scale: number): string {
  const negative = value.startsWith("-");
  const [whole = "0", fraction = ""] = (negative ? value.slice(1) : value).split(".");
  const digits = whole.replace(/^0+(?=\d)/, "");
  const sign = negative && /[1-9]/.test(digits + fraction) ? "-" : "";
  return scale === 0 ? `${sign}${digits}` : `${sign}${digits}.${fraction.padEnd(scale, "0").slice(0, scale)}`;
}

/**
 * Whether the field's sample is long and specific enough (e.g. `name 3`, an email address) that
 * finding it inside other text means it leaked, rather than a coincidence like "1" in base64.
 */
export function distinctiveSample(field: PlannedField): boolean {
  const schema = field.schema;
  if (schema.type !== "string" || schema.enum !== null || field.role !== "data") return false;
  if (schema.format === "email" || schema.format === "uri") return true;
  return (
    schema.format === null && schema.pattern === null && (schema.maxLength ?? 255) >= field.name.length + 8
  );
}
