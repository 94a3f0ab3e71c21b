/**
 * `qlf:control` / `qlf:test` markers for Go source, written only for the generation rules in force.
 * Markers go on a line of their own just above the code they trace, so that gofmt never has to
 * align trailing comments.
 */
import { type RuleMarkers, ruleMarkers } from "../../generate/stack.js";
import type { GenerationRule } from "../../overlays/schema.js";

export type RuleKind = GenerationRule["kind"];

export type Markers = RuleMarkers;

export function markersFor(rules: readonly GenerationRule[]): Markers {
  return ruleMarkers(rules, "//");
}
