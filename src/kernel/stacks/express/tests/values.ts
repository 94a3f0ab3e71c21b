/**
 * Sample values for generated tests, as TypeScript expressions: valid for the field's schema and
 * for its column, distinct per call where the field is unique (via the sequence number `n`).
 */
import type { FieldSchema, PlannedField } from "../../../generate/plan-schema.js";
import { literal, str } from "../code.js";

const KNOWN_PATTERNS: Record<string, (n: string) => string> = {
  "^\\+?[0-9][0-9 ().-]{5,19}$": (n) => `\`+1555\${String(${n}).padStart(7, "0")}\``,
  "^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$": (n) => `String(10000 + ${n})`,
  "^[A-Z]{2}$": () => '"US"',
  "^[A-Z]{3}$": () => '"USD"',
  "^[0-9]{4}$": () => '"4242"',
};

/** A card number that passes the Luhn check (a well-known test number). */
export const SAMPLE_CARD = "4242424242424242";
export const SAMPLE_DATE = "2024-01-15";
export const SAMPLE_DATETIME = "2024-01-15T10:30:00.000Z";
export const SAMPLE_UUID = "0b5a9f3e-7c1d-4e2a-9b6f-3d8c2a1e5f47";

/** Number of fraction digits a decimal schema allows (from its pattern), 0 for integers. */
export function decimalScale(schema: FieldSchema): number {
  const match = /\{1,(\d+)\}\)\?\$$/.exec(schema.pattern ?? "");
  return match?.[1] === undefined ? 0 : Number(match[1]);
}

/** `1.5` with the scale PostgreSQL pads numeric(p, s) to. */
export function sampleDecimal(schema: FieldSchema): string {
  const scale = decimalScale(schema);
  return scale === 0 ? "12" : `12.${"5".padEnd(scale, "0")}`;
}

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

/** `"0"` at scale 4 → `"0.0000"`: what PostgreSQL returns for numeric(p, 4). */
export function normaliseDecimal(value: string, scale: number): string {
  const negative = value.startsWith("-");
  const [whole = "0", fraction = ""] = (negative ? value.slice(1) : value).split(".");
  const digits = whole.replace(/^0+(?=\d)/, "");
  const sign = negative && /[1-9]/.test(digits + fraction) ? "-" : "";
  return scale === 0 ? `${sign}${digits}` : `${sign}${digits}.${fraction.padEnd(scale, "0").slice(0, scale)}`;
}

/**
 * Whether the field's sample is long and specific enough (e.g. \`name 3\`, an email address) that
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
