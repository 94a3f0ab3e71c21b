/**
 * Two valid values of a field in ascending order, for the filter and sort tests every stack
 * generates; each stack passes how its language writes strings and booleans.
 */
import type { PlannedField } from "../../generate/plan-schema.js";
import { sampleDecimal } from "./sample-values.js";

/** How a target language writes the literals the pairs need. */
export interface Literals {
  readonly str: (value: string) => string;
  readonly true: string;
  readonly false: string;
}

/** Two values of a field in ascending order, both valid, for filter and sort tests; null when unsure. */
export function orderedPair(f: PlannedField, literals: Literals): [string, string] | null {
  const schema = f.schema;
  if (f.role === "foreign-key" || f.encrypted) return null;
  if (schema.enum !== null) {
    const values = [...schema.enum].sort();
    return values.length >= 2 ? [literals.str(values[0] ?? ""), literals.str(values[1] ?? "")] : null;
  }
  switch (schema.type) {
    case "boolean":
      return [literals.false, literals.true];
    case "integer":
    case "number": {
      const low = schema.minimum !== null && schema.minimum > 1 ? schema.minimum : 1;
      const high = low + 1;
      return schema.maximum !== null && high > schema.maximum ? null : [String(low), String(high)];
    }
    case "object":
      return null;
    case "string":
      break;
  }
  switch (schema.format) {
    case "date":
      return ['"2024-01-15"', '"2024-02-20"'];
    case "date-time":
      return ['"2024-01-15T10:30:00.000Z"', '"2024-02-20T08:00:00.000Z"'];
    case "decimal": {
      const high = sampleDecimal(schema);
      const low = high.replace(/^12/, "7");
      return [literals.str(low), literals.str(high)];
    }
    case null:
      if (schema.pattern !== null) return null;
      return (schema.maxLength ?? 255) >= 5 && (schema.minLength ?? 0) <= 5 ? ['"alpha"', '"bravo"'] : null;
    default:
      return null;
  }
}
