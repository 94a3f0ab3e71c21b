/** `qlf:control` / `qlf:test` markers, written only for the generation rules in force. */
import { ruleMarkers } from "../../generate/stack.js";
import type { GenerationRule } from "../../overlays/schema.js";

type RuleKind = GenerationRule["kind"];

export interface Markers {
  /** ` // qlf:control <kind>` to append to an implementing line, or "" when the rule is not in force. */
  control(kind: RuleKind): string;
  /** `// qlf:test <kind>` as a line above a test, or "" when the rule is not in force. */
  test(...kinds: RuleKind[]): string;
  has(kind: RuleKind): boolean;
}

/** Control markers trail the line they trace, after a space. */
export function markersFor(rules: readonly GenerationRule[]): Markers {
  const markers = ruleMarkers(rules, "//");
  return {
    control: (kind) => {
      const marker = markers.control(kind);
      return marker === "" ? "" : ` ${marker}`;
    },
    test: markers.test,
    has: markers.has,
  };
}
