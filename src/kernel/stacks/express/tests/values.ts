/**
 * Sample values for generated tests, as TypeScript expressions: valid for the field's schema and
 * for its column, distinct per call where the field is unique (via the sequence number `n`).
 */
import type { PlannedField } from "../../../generate/plan-schema.js";
import { erasureOf } from "../../shared/erasure.js";
import { type Sample, sampleOf, wrongValueLiteral } from "../../shared/sample-values.js";
import { literal, str } from "../code.js";

/** An expression for a valid value of the field; `n` is the name of a number unique to this call. */
export function sampleValue(field: PlannedField, n: string): string {
  return renderSample(sampleOf(field), n);
}

/** A sample as a TypeScript expression. */
export function renderSample(sample: Sample, n: string): string {
  switch (sample.kind) {
    case "string":
      return str(sample.value);
    case "number":
    case "boolean":
      return String(sample.value);
    case "sequence":
      return n;
    case "sequence-offset":
      return `String(${sample.offset} + ${n})`;
    case "sequence-text": {
      const number = sample.width > 0 ? `String(${n}).padStart(${sample.width}, "0")` : n;
      return `\`${templateText(sample.prefix)}\${${number}}${templateText(sample.suffix)}\``;
    }
    case "sequence-cut":
      return `String(${n}).slice(0, ${sample.max})`;
    case "new-uuid":
      return "randomUUID()";
    case "object":
      return '{ note: "sample" }';
  }
}

/** Text inside a template literal. */
function templateText(text: string): string {
  return text.replace(/[\\`]|\$\{/g, (match) => `\\${match}`);
}

/** A value of the wrong type for the field, to provoke a 400. */
export const wrongValue = wrongValueLiteral;

/** The JSON value erasure writes, as an expression (`id` names the record id). */
export function erasedValue(field: PlannedField, id: string): string | null {
  const erasure = erasureOf(field);
  if (erasure === null) return null;
  switch (erasure.kind) {
    case "null":
      return "null";
    case "marker":
      return `\`erased-\${${id}}\`${erasure.cut !== null ? `.slice(0, ${erasure.cut})` : ""}`;
    case "email":
      return `\`\${${id}}@erased.invalid\``;
    case "constant":
      return literal(erasure.value);
  }
}
