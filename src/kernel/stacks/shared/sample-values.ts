/**
 * Sample values for generated tests that do not depend on the target language: fixed test data,
 * decimal scale handling, and which samples are distinctive enough to detect a leak. Each stack
 * renders these as expressions of its own language.
 */
import type { EntityPlan, FieldSchema, PlannedField } from "../../generate/plan-schema.js";

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

/** `12.5` with the scale PostgreSQL pads numeric(p, s) to. */
export function sampleDecimal(schema: FieldSchema): string {
  const scale = decimalScale(schema);
  return scale === 0 ? "12" : `12.${"5".padEnd(scale, "0")}`;
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

/**
 * Which valid value a generated test uses for a field, whatever the language: a fixed literal, the
 * call's sequence number `n` (for unique fields), or text built around `n`. Each stack renders a
 * `Sample` as an expression of its own language, so the three test suites agree on their data.
 */
export type Sample =
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "boolean"; readonly value: boolean }
  /** The sequence number itself. */
  | { readonly kind: "sequence" }
  /** `offset + n`, as text. */
  | { readonly kind: "sequence-offset"; readonly offset: number }
  /** `prefix`, then `n` (zero-padded to `width` digits when width > 0), then `suffix`. */
  | {
      readonly kind: "sequence-text";
      readonly prefix: string;
      readonly width: number;
      readonly suffix: string;
    }
  /** `n` as text, cut to `max` characters. */
  | { readonly kind: "sequence-cut"; readonly max: number }
  /** A fresh random UUID. */
  | { readonly kind: "new-uuid" }
  /** A small JSON object. */
  | { readonly kind: "object" };

const PATTERN_SAMPLES: Record<string, Sample> = {
  "^\\+?[0-9][0-9 ().-]{5,19}$": { kind: "sequence-text", prefix: "+1555", width: 7, suffix: "" },
  "^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$": { kind: "sequence-offset", offset: 10000 },
  "^[A-Z]{2}$": { kind: "string", value: "US" },
  "^[A-Z]{3}$": { kind: "string", value: "USD" },
  "^[0-9]{4}$": { kind: "string", value: "4242" },
};

/**
 * The sample for a field: valid for its schema and its column, distinct per call where the field
 * is unique. `datetime` is the stack's date-time literal (Go's store drops fractional seconds).
 */
export function sampleOf(field: PlannedField, datetime = SAMPLE_DATETIME): Sample {
  const schema = field.schema;
  const text = (value: string): Sample => ({ kind: "string", value });
  if (field.role === "card-number") return text(SAMPLE_CARD);
  switch (schema.type) {
    case "integer":
    case "number": {
      if (field.unique) return { kind: "sequence" };
      const min = schema.minimum ?? Number.NEGATIVE_INFINITY;
      const max = schema.maximum ?? Number.POSITIVE_INFINITY;
      return { kind: "number", value: 1 >= min && 1 <= max ? 1 : min };
    }
    case "boolean":
      return { kind: "boolean", value: field.role !== "consent" };
    case "object":
      return { kind: "object" };
    case "string":
      break;
  }
  if (schema.enum !== null) return text(schema.enum[0] ?? "");
  switch (schema.format) {
    case "uuid":
      return field.unique ? { kind: "new-uuid" } : text(SAMPLE_UUID);
    case "email":
      return { kind: "sequence-text", prefix: "sample-", width: 0, suffix: "@example.com" };
    case "uri":
      return { kind: "sequence-text", prefix: `https://example.com/${field.name}/`, width: 0, suffix: "" };
    case "date":
      return text(SAMPLE_DATE);
    case "date-time":
      return text(datetime);
    case "decimal":
      return text(sampleDecimal(schema));
    case "card-number":
      return text(SAMPLE_CARD);
    default:
      break;
  }
  if (field.role === "money-currency" && typeof field.default === "string") return text(field.default);
  const known = schema.pattern === null ? undefined : PATTERN_SAMPLES[schema.pattern];
  if (known !== undefined) return known;
  const max = schema.maxLength ?? 255;
  if (max >= field.name.length + 8)
    return { kind: "sequence-text", prefix: `${field.name} `, width: 0, suffix: "" };
  return { kind: "sequence-cut", max };
}

/**
 * A JSON value of the wrong type for the field, to provoke a validation error. Written the same in
 * TypeScript, Python and Go: a double-quoted string or an integer.
 */
export function wrongValueLiteral(schema: FieldSchema): string {
  if (schema.type === "string") return schema.enum !== null ? '"not-one-of-the-values"' : "12345";
  return '"not-a-number-or-boolean"';
}

/**
 * The field an update test changes and the new value it sends: the second enum value, `false`
 * for a boolean, "changed" for free text; otherwise the field's own sample (`change` null, written
 * with sequence number 1). Undefined when nothing can be updated.
 */
export function updateProbeOf(
  entity: EntityPlan,
): { field: PlannedField; change: Sample | null } | undefined {
  for (const f of entity.fields) {
    if (!f.update || f.role !== "data" || f.encrypted) continue;
    const schema = f.schema;
    if (schema.enum !== null && schema.enum.length >= 2)
      return { field: f, change: { kind: "string", value: schema.enum[1] ?? "" } };
    if (schema.type === "boolean") return { field: f, change: { kind: "boolean", value: false } };
    if (
      schema.type === "string" &&
      schema.format === null &&
      schema.pattern === null &&
      (schema.maxLength ?? 255) >= 7
    )
      return { field: f, change: { kind: "string", value: "changed" } };
  }
  // Otherwise any updatable field with a valid sample value (not a reference: it must exist).
  const fallback = entity.fields.find(
    (f) => f.update && f.role !== "foreign-key" && f.role !== "card-number",
  );
  return fallback === undefined ? undefined : { field: fallback, change: null };
}
