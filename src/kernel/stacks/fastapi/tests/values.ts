/**
 * Sample values for the generated pytest tests, as Python expressions: valid for the field's
 * schema and for its column, distinct per call where the field is unique (via the sequence
 * number `n`).
 */
import type { PlannedField } from "../../../generate/plan-schema.js";
import { erasureOf } from "../../shared/erasure.js";
import { type Sample, sampleOf, wrongValueLiteral } from "../../shared/sample-values.js";
import { pyLiteral, pyStr } from "../py.js";

/** An expression for a valid value of the field; `n` names a number unique to this call. */
export function sampleValue(field: PlannedField, n: string): string {
  return renderSample(sampleOf(field), n);
}

/** A sample as a Python expression. */
export function renderSample(sample: Sample, n: string): string {
  switch (sample.kind) {
    case "string":
      return pyStr(sample.value);
    case "number":
      return String(sample.value);
    case "boolean":
      return sample.value ? "True" : "False";
    case "sequence":
      return n;
    case "sequence-offset":
      return `str(${sample.offset} + ${n})`;
    case "sequence-text":
      return `f"${fText(sample.prefix)}{${n}${sample.width > 0 ? `:0${sample.width}d` : ""}}${fText(sample.suffix)}"`;
    case "sequence-cut":
      return `str(${n})[:${sample.max}]`;
    case "new-uuid":
      return "str(uuid.uuid4())";
    case "object":
      return '{"note": "sample"}';
  }
}

/** Text inside a double-quoted f-string. */
function fText(text: string): string {
  return text.replace(/[\\"]/g, (match) => `\\${match}`).replace(/[{}]/g, (match) => match + match);
}

/** A value of the wrong type for the field, to provoke a 422. */
export const wrongValue = wrongValueLiteral;

/** The JSON value erasure writes, as a Python expression (`id` names the record id). */
export function erasedValue(field: PlannedField, id: string): string | null {
  const erasure = erasureOf(field);
  if (erasure === null) return null;
  switch (erasure.kind) {
    case "null":
      return "None";
    case "marker":
      return `f"erased-{${id}}"${erasure.cut !== null ? `[:${erasure.cut}]` : ""}`;
    case "email":
      return `f"{${id}}@erased.invalid"`;
    case "constant":
      return pyLiteral(erasure.value);
  }
}
