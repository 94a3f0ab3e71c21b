/**
 * What the resolver hands to the rest of the pipeline: the overlays in force, the merged generation
 * rules with the overlays they came from, the controls to trace, and every decision taken on the way
 * (a rule two overlays set differently, a shipped overlay a repository replaced).
 */
import { z } from "zod";
import { OverlaySelection } from "../ir/schema.js";
import { Control, GenerationRule, GenerationRuleKind, Overlay } from "./schema.js";

/** A choice the loader or the resolver made, recorded so that reviewers can see and question it. */
export const Decision = z.discriminatedUnion("kind", [
  z.object({
    /** Two or more overlays set the same rule with different parameters; one value had to win. */
    kind: z.literal("rule"),
    rule: GenerationRuleKind,
    /** For `mark-sensitive`, the mark the conflict was about; null otherwise. */
    key: z.string().nullable(),
    /** The overlay whose value was kept. */
    chosen: z.string(),
    /** The overlays whose different values were dropped. */
    over: z.array(z.string()),
    reason: z.string(),
  }),
  z.object({
    /** A repository overlay replaced a shipped overlay of the same name. */
    kind: z.literal("override"),
    overlay: z.string(),
    /** The file whose overlay is used. */
    chosen: z.string(),
    /** The file(s) whose overlay was replaced. */
    over: z.array(z.string()),
    reason: z.string(),
  }),
]);
export type Decision = z.infer<typeof Decision>;

/** A merged generation rule and the overlays whose value it carries. */
export const ResolvedRule = z.object({ rule: GenerationRule, from: z.array(z.string()).min(1) });
export type ResolvedRule = z.infer<typeof ResolvedRule>;

/** A control to meet, with the overlay that requires it. */
export const ResolvedControl = Control.extend({ overlay: z.string() });
export type ResolvedControl = z.infer<typeof ResolvedControl>;

export const ResolvedOverlays = z.object({
  /** The requested and detected overlays plus the dependencies they pulled in, ordered by name. */
  selections: z.array(OverlaySelection),
  /** The overlays in force, by priority (highest first) then name. */
  overlays: z.array(Overlay),
  /** Merged rules, in the order the overlays above first set them. */
  rules: z.array(ResolvedRule),
  /** Every control of every overlay in force, in overlay order. */
  controls: z.array(ResolvedControl),
  decisions: z.array(Decision),
});
export type ResolvedOverlays = z.infer<typeof ResolvedOverlays>;
