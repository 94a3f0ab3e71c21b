/**
 * Valid example values from JSON schemas, for the contract gate's requests. Deterministic: a
 * counter makes every generated string distinct (unique columns), formats get well-formed values,
 * and patterns are met by trying known shapes (phone, postal code, currency, decimal, card number).
 */
import { isObject, type JsonObject, resolveRef } from "./openapi.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface SampleContext {
  /** The whole OpenAPI document's components, for `$ref`s. */
  readonly components: JsonObject;
  /** Value for a property (foreign keys, transition fields), or undefined to generate one. */
  readonly override?: (property: string, schema: JsonObject) => Json | undefined;
  /** Include optional properties too (PATCH bodies). */
  readonly optional?: boolean;
  /** Properties to leave out (e.g. foreign keys in updates). */
  readonly skip?: (property: string, schema: JsonObject) => boolean;
}

const PATTERN_CANDIDATES = [
  "+15551234567",
  "12345",
  "US",
  "USD",
  "4111111111111111",
  "1234",
  "12.50",
  "12",
  "ABC",
  "abc",
  "a1",
  "A1B2C3",
  "2024-01-15",
  "10:30",
];

/** Counts up across calls so that generated strings never repeat within a run. */
export class SampleCounter {
  private n = 0;
  next(): number {
    this.n += 1;
    return this.n;
  }
}

/**
 * @example
 * sample({ type: "string", format: "email" }, { components: {} }, new SampleCounter()); // "verify1@example.com"
 */
export function sample(schemaIn: Json, context: SampleContext, counter: SampleCounter, depth = 0): Json {
  const schema = resolveRef(schemaIn, { components: context.components });
  if (!isObject(schema) || depth > 8) return null;
  if ("const" in schema) return schema.const ?? null;
  if (Array.isArray(schema.enum)) return schema.enum.find((value) => value !== null) ?? null;
  if (Array.isArray(schema.allOf)) {
    const merged: JsonObject = { type: "object", properties: {}, required: [] };
    for (const part of schema.allOf) {
      const resolved = resolveRef(part, { components: context.components });
      if (!isObject(resolved)) continue;
      Object.assign(
        merged.properties as JsonObject,
        isObject(resolved.properties) ? resolved.properties : {},
      );
      (merged.required as Json[]).push(...(Array.isArray(resolved.required) ? resolved.required : []));
    }
    return sample(merged, context, counter, depth + 1);
  }
  for (const key of ["oneOf", "anyOf"] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const first = options.find((option) => !(isObject(option) && option.type === "null"));
      return first === undefined ? null : sample(first, context, counter, depth + 1);
    }
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const type =
    types.find((t) => t !== "null" && t !== undefined) ?? (isObject(schema.properties) ? "object" : "string");
  switch (type) {
    case "object":
      return sampleObject(schema, context, counter, depth);
    case "array": {
      const min = typeof schema.minItems === "number" ? schema.minItems : 1;
      return Array.from({ length: Math.max(1, min) }, () =>
        sample(schema.items ?? {}, context, counter, depth + 1),
      );
    }
    case "integer":
      return clampNumber(1, schema, true);
    case "number":
      return clampNumber(1.5, schema, false);
    case "boolean":
      return true;
    default:
      return sampleString(schema, counter.next());
  }
}

function sampleObject(
  schema: JsonObject,
  context: SampleContext,
  counter: SampleCounter,
  depth: number,
): Json {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const out: JsonObject = {};
  const names = Object.keys(properties);
  for (const name of names) {
    const raw = properties[name] ?? {};
    const property = resolveRef(raw, { components: context.components });
    const propertySchema = isObject(property) ? property : {};
    if (propertySchema.readOnly === true) continue;
    if (!required.has(name) && context.optional !== true) continue;
    if (context.skip?.(name, propertySchema) === true && !required.has(name)) continue;
    const value = context.override?.(name, propertySchema);
    if (value !== undefined) {
      out[name] = value;
      continue;
    }
    out[name] = sample(propertySchema, { components: context.components }, counter, depth + 1);
  }
  const min = typeof schema.minProperties === "number" ? schema.minProperties : 0;
  for (const name of names) {
    if (Object.keys(out).length >= min) break;
    if (name in out) continue;
    const property = resolveRef(properties[name] ?? {}, { components: context.components });
    if (isObject(property) && property.readOnly === true) continue;
    if (isObject(property) && context.skip?.(name, property) === true) continue;
    out[name] =
      context.override?.(name, isObject(property) ? property : {}) ??
      sample(property, { components: context.components }, counter, depth + 1);
  }
  return out;
}

function clampNumber(preferred: number, schema: JsonObject, integer: boolean): number {
  let value = preferred;
  const min =
    typeof schema.minimum === "number"
      ? schema.minimum
      : typeof schema.exclusiveMinimum === "number"
        ? schema.exclusiveMinimum + (integer ? 1 : 0.5)
        : undefined;
  const max =
    typeof schema.maximum === "number"
      ? schema.maximum
      : typeof schema.exclusiveMaximum === "number"
        ? schema.exclusiveMaximum - (integer ? 1 : 0.5)
        : undefined;
  if (min !== undefined && value < min) value = min;
  if (max !== undefined && value > max) value = max;
  return integer ? Math.round(value) : value;
}

function sampleString(schema: JsonObject, n: number): string {
  const format = typeof schema.format === "string" ? schema.format : "";
  const pad = (n % 27) + 1;
  let value: string;
  switch (format) {
    case "uuid":
      value = `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
      break;
    case "email":
      value = `verify${n}@example.com`;
      break;
    case "date":
      value = `2024-01-${String(pad).padStart(2, "0")}`;
      break;
    case "date-time":
      value = `2024-01-${String(pad).padStart(2, "0")}T10:00:00.000Z`;
      break;
    case "time":
      value = "10:30:00";
      break;
    case "uri":
    case "url":
      value = `https://example.com/verify/${n}`;
      break;
    case "decimal":
      value = "12.50";
      break;
    case "card-number":
      value = "4111111111111111";
      break;
    default:
      value = `verify-${n}`;
  }
  if (typeof schema.pattern === "string") {
    let pattern: RegExp | undefined;
    try {
      pattern = new RegExp(schema.pattern, "u");
    } catch {
      pattern = undefined;
    }
    if (pattern !== undefined && !pattern.test(value)) {
      value =
        PATTERN_CANDIDATES.find((candidate) => pattern.test(candidate) && fitsLength(candidate, schema)) ??
        value;
    }
  }
  const max = typeof schema.maxLength === "number" ? schema.maxLength : undefined;
  const min = typeof schema.minLength === "number" ? schema.minLength : undefined;
  if (max !== undefined && value.length > max)
    value = format === "" ? `v${n}`.slice(0, max).padEnd(Math.min(max, min ?? 0), "x") : value;
  if (min !== undefined && value.length < min) value = value.padEnd(min, "x");
  return value;
}

function fitsLength(value: string, schema: JsonObject): boolean {
  if (typeof schema.maxLength === "number" && value.length > schema.maxLength) return false;
  if (typeof schema.minLength === "number" && value.length < schema.minLength) return false;
  return true;
}
