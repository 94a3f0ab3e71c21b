/**
 * `qlf:control` / `qlf:test` markers for Go source, written only for the generation rules in force.
 * Markers go on a line of their own just above the code they trace, so that gofmt never has to
 * align trailing comments.
 */
import { controlMarker, testMarker } from "../../generate/stack.js";
import type { GenerationRule } from "../../overlays/schema.js";

export type RuleKind = GenerationRule["kind"];

export interface Markers {
  /** `// qlf:control <kinds>` for the kinds in force, or "" when none is. */
  control(...kinds: RuleKind[]): string;
  /** `// qlf:test <kinds>` for the kinds in force, or "" when none is. */
  test(...kinds: RuleKind[]): string;
  has(kind: RuleKind): boolean;
}

export function markersFor(rules: readonly GenerationRule[]): Markers {
  const inForce = new Set<RuleKind>(rules.map((rule) => rule.kind));
  const build = (make: typeof controlMarker, kinds: RuleKind[]) => {
    const present = [...new Set(kinds.filter((kind) => inForce.has(kind)))];
    const first = present[0];
    if (first === undefined) return "";
    return (
      make(first, "//") +
      present
        .slice(1)
        .map((kind) => ` ${kind}`)
        .join("")
    );
  };
  return {
    control: (...kinds) => build(controlMarker, kinds),
    test: (...kinds) => build(testMarker, kinds),
    has: (kind) => inForce.has(kind),
  };
}
