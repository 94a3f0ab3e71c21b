/**
 * What erasure (`DELETE /{route}/{id}/personal-data`) writes into a personal field, decided once
 * for every stack: each renders the result in its own language, for the handler that erases and
 * for the test that checks it.
 */
import type { PlannedField } from "../../generate/plan-schema.js";
import { decimalScale, normaliseDecimal } from "./sample-values.js";

export type Erasure =
  | { kind: "null" }
  /** `erased-<id>`, cut to `cut` characters where the column cannot hold a whole one. */
  | { kind: "marker"; cut: number | null }
  /** `<id>@erased.invalid`. */
  | { kind: "email" }
  /** A fixed value; a decimal is written as PostgreSQL returns it (`"0"` → `"0.0000"`). */
  | { kind: "constant"; value: string | number | boolean };

/** "erased-" and a UUID: a column shorter than this needs the marker cut. */
const WHOLE_MARKER_LENGTH = "erased-".length + 36;

/** The value erasure writes into `field`, or null when erasure leaves it alone. */
export function erasureOf(field: PlannedField): Erasure | null {
  const erase = field.erase;
  if (erase === null) return null;
  switch (erase.strategy) {
    case "null":
    case "email":
      return { kind: erase.strategy };
    case "marker": {
      const max = field.schema.maxLength;
      return { kind: "marker", cut: max !== null && max < WHOLE_MARKER_LENGTH ? max : null };
    }
    case "constant":
      return {
        kind: "constant",
        value:
          field.schema.format === "decimal" && typeof erase.value === "string"
            ? normaliseDecimal(erase.value, decimalScale(field.schema))
            : erase.value,
      };
  }
}
