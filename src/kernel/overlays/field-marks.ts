/**
 * Which data-protection marks a field gets from the `mark-sensitive` rules in force. The IR
 * compiler uses it to put `sensitivity` on fields; generators then key encryption, audit logging
 * and log masking on those marks.
 */
import type { Sensitivity } from "../ir/schema.js";
import type { GenerationRule } from "./schema.js";

/** The marks of one field name, in the order the rules list them (deduplicated). */
export type FieldMarker = (fieldName: string) => Sensitivity[];

/**
 * Compiles the `mark-sensitive` rules once. Each pattern is matched against the whole field name,
 * case-insensitively, so `dob` marks `dob` and `DOB` but not `adobeId`.
 *
 * @example
 * const marks = fieldMarker(resolved.rules.map(({ rule }) => rule));
 * marks("dateOfBirth"); // ["phi", "pii"] with hipaa and gdpr in force
 */
export function fieldMarker(rules: readonly GenerationRule[]): FieldMarker {
  const matchers: Array<{ mark: Sensitivity; regex: RegExp }> = [];
  for (const rule of rules) {
    if (rule.kind !== "mark-sensitive") continue;
    matchers.push({ mark: rule.mark, regex: new RegExp(`^(?:${rule.fields.join("|")})$`, "iu") });
  }
  return (fieldName) => {
    const marks: Sensitivity[] = [];
    for (const { mark, regex } of matchers) {
      if (!marks.includes(mark) && regex.test(fieldName)) marks.push(mark);
    }
    return marks;
  };
}
