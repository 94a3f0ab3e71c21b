/**
 * Sample values for the generated Go tests, as Go expressions: valid for the field's schema and its
 * column, distinct per call where the field is unique (through the sequence number `n`). Inputs
 * are JSON values for request bodies; record values are typed for the store's structs.
 */
import type { PlannedField } from "../../../generate/plan-schema.js";
import { type Sample, sampleOf, wrongValueLiteral } from "../../shared/sample-values.js";
import { goKind, goString } from "../go.js";

/** A date-time sample without fractional seconds, so it reads back unchanged from both stores. */
export const SAMPLE_DATETIME = "2024-01-15T10:30:00Z";

/** A JSON-able Go expression for a valid value of the field, as a request body carries it. */
export function sampleInput(field: PlannedField): string {
  return renderSample(sampleOf(field, SAMPLE_DATETIME));
}

/** A sample as a Go expression (the sequence number is `n`). */
export function renderSample(sample: Sample): string {
  switch (sample.kind) {
    case "string":
      return goString(sample.value);
    case "number":
    case "boolean":
      return String(sample.value);
    case "sequence":
      return "n";
    case "sequence-offset":
      return `fmt.Sprint(${sample.offset} + n)`;
    case "sequence-text": {
      const verb = sample.width > 0 ? `%0${sample.width}d` : "%d";
      const format = `${sample.prefix.replaceAll("%", "%%")}${verb}${sample.suffix.replaceAll("%", "%%")}`;
      return `fmt.Sprintf(${goString(format)}, n)`;
    }
    case "sequence-cut":
      return `cut(fmt.Sprint(n), ${sample.max})`;
    case "new-uuid":
      return "store.NewID()";
    case "object":
      return 'map[string]any{"note": "sample"}';
  }
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
export const wrongInput = wrongValueLiteral;

/** Whether an expression uses the sequence number `n` (outside string literals). */
export function usesN(expression: string): boolean {
  return /\bn\b/.test(expression.replace(/"(?:[^"\\]|\\.)*"/g, '""'));
}
