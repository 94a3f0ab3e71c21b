/**
 * An overlay: a domain (fintech, healthcare…) or a compliance regime (pci, hipaa, gdpr) that changes
 * what is generated. Shipped overlays live in `overlays/` as YAML; a repository adds or overrides
 * them from `.qlf/overlays/*.yaml`. This schema is the only definition of the file format.
 *
 * Every object is strict: an unknown key in an overlay file is almost always a typo (`priorty:`,
 * `keepLastfour:`) that would otherwise be dropped silently and change what is generated.
 */
import { z } from "zod";
import { Sensitivity } from "../ir/schema.js";

const overlayName = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, "lower-case name of letters, digits and dashes (e.g. `hipaa`)");

export const DetectionPattern = z.strictObject({
  /**
   * A case-insensitive regular expression matched against the brief, on word boundaries (Unicode
   * letters and digits count as word characters). The loader refuses patterns that could backtrack
   * catastrophically (a repeated group that itself repeats or alternates), backreferences, and
   * patterns that match the empty string.
   */
  pattern: z.string().min(1).max(200),
  /** How much one match counts towards the threshold (0..1]. */
  weight: z.number().gt(0).max(1),
});
export type DetectionPattern = z.infer<typeof DetectionPattern>;

export const Agent = z.enum(["backend", "frontend", "database", "api", "test", "ops"]);
export type Agent = z.infer<typeof Agent>;

/**
 * Generation rules: a closed vocabulary that every stack's generators act on. Adding a kind here
 * means teaching every stack to honour it (the stack contract test checks that they do).
 */
export const GenerationRule = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("mark-sensitive"),
    /**
     * Field names that carry the mark: case-insensitive regular expressions, each matched against
     * the whole camelCase field name (`^(?:pattern)$`), e.g. `dateOfBirth|dob|birthDate`,
     * `\w*diagnos\w*`. See `fieldMarker`.
     */
    fields: z.array(z.string().min(1)).min(1),
    mark: Sensitivity,
  }),
  z.strictObject({
    kind: z.literal("audit-log"),
    /** Every read or write of a record holding one of these marks writes an audit event. */
    on: z.array(Sensitivity).min(1),
  }),
  z.strictObject({ kind: z.literal("encrypt-fields"), marks: z.array(Sensitivity).min(1) }),
  z.strictObject({
    kind: z.literal("tokenize-card-data"),
    /** Keep only a token and the last four digits; the full number never reaches storage or logs. */
    keepLastFour: z.boolean(),
  }),
  z.strictObject({ kind: z.literal("data-export") }),
  z.strictObject({ kind: z.literal("data-erasure") }),
  z.strictObject({ kind: z.literal("consent-fields"), purposes: z.array(z.string().min(1)).min(1) }),
  z.strictObject({
    kind: z.literal("idempotency-keys"),
    /** Operations whose verbs or entities match these words move money and need an Idempotency-Key. */
    on: z.array(z.string().min(1)).min(1),
  }),
  z.strictObject({
    kind: z.literal("decimal-money"),
    precision: z.number().int().positive(),
    scale: z.number().int(),
  }),
  z.strictObject({ kind: z.literal("soft-delete") }),
  z.strictObject({ kind: z.literal("retention"), days: z.number().int().positive() }),
  z.strictObject({
    kind: z.literal("rate-limit"),
    requests: z.number().int().positive(),
    windowSeconds: z.number().int().positive(),
  }),
  z.strictObject({ kind: z.literal("require-auth"), scheme: z.enum(["api-key", "jwt", "oauth"]) }),
  z.strictObject({ kind: z.literal("security-headers") }),
  z.strictObject({ kind: z.literal("mask-in-logs"), marks: z.array(Sensitivity).min(1) }),
]);
export type GenerationRule = z.infer<typeof GenerationRule>;
export type GenerationRuleKind = GenerationRule["kind"];

/** The rule kinds as an enum, for fields that name a kind (`Control.implementedBy`). */
export const GenerationRuleKind = z.enum(
  GenerationRule.options.map((option) => option.shape.kind.value) as [
    GenerationRuleKind,
    ...GenerationRuleKind[],
  ],
);

export const Control = z.strictObject({
  /** The regulation's own identifier, e.g. `164.312(b)`, `PCI-DSS-3.4`, `GDPR-Art-17`. */
  id: z.string().min(1),
  title: z.string().min(1),
  /** What generated code must do to meet it, in one or two sentences. */
  requirement: z.string().min(1),
  /**
   * The generation rule kinds that implement it; the compliance matrix traces these to code and tests.
   * Each must be a kind that the overlay or one of its dependencies actually sets (the loader checks).
   */
  implementedBy: z.array(GenerationRuleKind).min(1),
});
export type Control = z.infer<typeof Control>;

export const Overlay = z.strictObject({
  name: overlayName,
  kind: z.enum(["domain", "compliance"]),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, "semantic version such as 1.0.0"),
  title: z.string().min(1),
  description: z.string().min(1),
  detection: z
    .strictObject({
      patterns: z.array(DetectionPattern),
      /** Summed weight at which the overlay counts as detected. Each pattern counts once, however often it matches. */
      threshold: z.number().gt(0),
      /**
       * Summed weight at which confidence reaches 1: confidence = min(1, sum / certainAt). Defaults to
       * the threshold (so a detected overlay has confidence 1); set it higher when one weak word is
       * enough to detect the overlay but not enough to be sure ("patient" → healthcare at 0.4).
       */
      certainAt: z.number().gt(0).optional(),
      /**
       * Patterns that rule the overlay out however high the sum: "veterinary" for healthcare, whose
       * rules are for human patients. A brief can still request the overlay by name.
       */
      unless: z.array(z.string().min(1)).optional(),
    })
    .refine((detection) => detection.certainAt === undefined || detection.certainAt >= detection.threshold, {
      message: "certainAt must be at least the threshold",
      path: ["certainAt"],
    }),
  /** Overlays this one needs (fintech → pci); the resolver adds them. */
  dependencies: z.array(overlayName),
  /** Higher wins when two overlays set the same rule differently. */
  priority: z.number().int(),
  /** Extra instructions per agent, added to prompts in LLM mode and shown in docs. */
  prompts: z.partialRecord(Agent, z.array(z.string().min(1))),
  rules: z.array(GenerationRule),
  controls: z.array(Control),
});
export type Overlay = z.infer<typeof Overlay>;
