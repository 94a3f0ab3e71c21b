/**
 * Two valid values of a field in ascending order, for the filter and sort tests every stack
 * generates. Which two values is decided once here (`orderedValues`); each stack writes them in
 * its language: Express and FastAPI through `orderedPair` and their literals, Gin with its own
 * record and query forms.
 */
import type { PlannedField } from "../../generate/plan-schema.js";
import { sampleDecimal } from "./sample-values.js";

/** Two values in ascending order, by kind: what a stack needs to write them. */
export type OrderedValues =
  | { readonly kind: "text"; readonly low: string; readonly high: string }
  | { readonly kind: "boolean" }
  | { readonly kind: "number"; readonly integer: boolean; readonly low: number; readonly high: number }
  /** ISO 8601 instants in UTC with milliseconds. */
  | { readonly kind: "datetime"; readonly low: string; readonly high: string };

/** The two values of a field for filter and sort tests; null when no pair is surely valid. */
export function orderedValues(f: PlannedField): OrderedValues | null {
  const schema = f.schema;
  if (f.role === "foreign-key" || f.encrypted) return null;
  if (schema.enum !== null) {
    const values = [...schema.enum].sort();
    return values.length >= 2 ? { kind: "text", low: values[0] ?? "", high: values[1] ?? "" } : null;
  }
  switch (schema.type) {
    case "boolean":
      return { kind: "boolean" };
    case "integer":
    case "number": {
      const low = schema.minimum !== null && schema.minimum > 1 ? schema.minimum : 1;
      const high = low + 1;
      if (schema.maximum !== null && high > schema.maximum) return null;
      return { kind: "number", integer: schema.type === "integer", low, high };
    }
    case "object":
      return null;
    case "string":
      break;
  }
  switch (schema.format) {
    case "date":
      return { kind: "text", low: "2024-01-15", high: "2024-02-20" };
    case "date-time":
      return { kind: "datetime", low: "2024-01-15T10:30:00.000Z", high: "2024-02-20T08:00:00.000Z" };
    case "decimal": {
      const high = sampleDecimal(schema);
      return { kind: "text", low: high.replace(/^12/, "7"), high };
    }
    case null:
      if (schema.pattern !== null) return null;
      return (schema.maxLength ?? 255) >= 5 && (schema.minLength ?? 0) <= 5
        ? { kind: "text", low: "alpha", high: "bravo" }
        : null;
    default:
      return null;
  }
}

/** How a target language writes the literals the pairs need. */
export interface Literals {
  readonly str: (value: string) => string;
  readonly true: string;
  readonly false: string;
}

/** The two values of `orderedValues` as literals of a language whose instants are strings. */
export function orderedPair(f: PlannedField, literals: Literals): [string, string] | null {
  const values = orderedValues(f);
  if (values === null) return null;
  switch (values.kind) {
    case "boolean":
      return [literals.false, literals.true];
    case "number":
      return [String(values.low), String(values.high)];
    case "text":
    case "datetime":
      return [literals.str(values.low), literals.str(values.high)];
  }
}
