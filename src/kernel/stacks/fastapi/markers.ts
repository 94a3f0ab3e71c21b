/** `# qlf:control` / `# qlf:test` markers, written only for the generation rules in force. */
import { controlMarker, testMarker } from "../../generate/stack.js";
import type { GenerationRule } from "../../overlays/schema.js";

type RuleKind = GenerationRule["kind"];

export interface Markers {
  /** `  # qlf:control <kind>` to append to an implementing line, or "" when the rule is not in force. */
  control(kind: RuleKind): string;
  /** `# qlf:test <kind> […]` as a line above a test, or "" when none of the rules is in force. */
  test(...kinds: RuleKind[]): string;
  has(kind: RuleKind): boolean;
}

export function markersFor(rules: readonly GenerationRule[]): Markers {
  const inForce = new Set<RuleKind>(rules.map((rule) => rule.kind));
  return {
    control: (kind) => (inForce.has(kind) ? `  ${controlMarker(kind, "#")}` : ""),
    test: (...kinds) => {
      const present = kinds.filter((kind) => inForce.has(kind));
      if (present.length === 0) return "";
      return [testMarker(present[0] as RuleKind, "#"), ...present.slice(1)].join(" ");
    },
    has: (kind) => inForce.has(kind),
  };
}
