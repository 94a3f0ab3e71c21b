/**
 * Sample values for generated tests that do not depend on the target language: fixed test data,
 * decimal scale handling, and which samples are distinctive enough to detect a leak. Each stack
 * renders these as expressions of its own language.
 */
import type { FieldSchema, PlannedField } from "../../generate/plan-schema.js";

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
