/**
 * The capsule's `manifest.json` and the generation provenance it carries: one zod schema each, the
 * TypeScript types inferred from them, and the one canonical serialisation that is signed.
 */
import { z } from "zod";

/** Identifies the capsule layout; bump it when the layout or the manifest changes incompatibly. */
export const CAPSULE_FORMAT = "qlf.capsule/v1";

/** Where the generator records provenance inside an application directory (`qlf generate` writes it). */
export const PROVENANCE_FILE = ".qlf/provenance.json";

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, "expected a lowercase hex sha256 digest (64 characters)");
const NonEmpty = z.string().min(1);
const Count = z.number().int().nonnegative();

const TemplateRef = z.strictObject({ id: NonEmpty, version: NonEmpty });
const Tokens = z.strictObject({ input: Count, output: Count });

/**
 * How the code came to be, as recorded in the manifest: what no build attestation covers. Every part
 * is optional except the lists, which default to empty, so a hand-written app can still carry a
 * partial record (for example just the gate results).
 */
export const Provenance = z.strictObject({
  generator: z.strictObject({ name: NonEmpty, version: NonEmpty }).optional(),
  stack: NonEmpty.optional(),
  /** sha256 of the brief. */
  brief: z.strictObject({ sha256: Sha256 }).optional(),
  /** sha256 of the IR's canonical JSON. */
  ir: z.strictObject({ sha256: Sha256 }).optional(),
  /** sha256 of the API plan's canonical JSON. */
  plan: z.strictObject({ sha256: Sha256 }).optional(),
  overlays: z.array(z.strictObject({ name: NonEmpty, version: NonEmpty })).default([]),
  /** One record per agent: which provider, model and region answered, with what prompt and at what cost. */
  agents: z
    .array(
      z.strictObject({
        agent: NonEmpty,
        provider: NonEmpty,
        /** `null` for providers without a model (the embedded templates). */
        model: z.string().min(1).nullable(),
        region: z.string().nullable().optional(),
        promptTemplate: TemplateRef.optional(),
        tokens: Tokens.optional(),
        costUsd: z.number().nonnegative().optional(),
        files: Count.optional(),
      }),
    )
    .default([]),
  promptTemplates: z.array(TemplateRef).default([]),
  /** Totals over all agents. */
  tokens: Tokens.optional(),
  costUsd: z.number().nonnegative().optional(),
  gates: z
    .array(
      z.strictObject({
        gate: NonEmpty,
        status: z.enum(["passed", "failed", "skipped", "error"]),
        detail: z.string().optional(),
      }),
    )
    .default([]),
});
export type Provenance = z.infer<typeof Provenance>;

/**
 * The record `qlf generate` writes to `.qlf/provenance.json` (see src/kernel/agents/docs). Read
 * loosely, so fields it gains later do not stop packaging; `provenanceFromGenerator` maps it.
 */
export const GeneratorProvenance = z.looseObject({
  generator: z.object({ name: NonEmpty, version: NonEmpty }).optional(),
  provider: NonEmpty,
  stack: NonEmpty.optional(),
  briefSha256: Sha256.optional(),
  irSha256: Sha256.optional(),
  planSha256: Sha256.optional(),
  overlays: z.array(z.string()).default([]),
  files: z.record(z.string(), Count).default({}),
});
export type GeneratorProvenance = z.infer<typeof GeneratorProvenance>;

/** Maps the generator's record onto the manifest's provenance. */
export function provenanceFromGenerator(record: GeneratorProvenance): Provenance {
  const overlays = record.overlays.map((entry) => {
    const at = entry.lastIndexOf("@");
    return at <= 0
      ? { name: entry, version: "unknown" }
      : { name: entry.slice(0, at), version: entry.slice(at + 1) };
  });
  return Provenance.parse({
    ...(record.generator === undefined ? {} : { generator: record.generator }),
    ...(record.stack === undefined ? {} : { stack: record.stack }),
    ...(record.briefSha256 === undefined ? {} : { brief: { sha256: record.briefSha256 } }),
    ...(record.irSha256 === undefined ? {} : { ir: { sha256: record.irSha256 } }),
    ...(record.planSha256 === undefined ? {} : { plan: { sha256: record.planSha256 } }),
    overlays,
    agents: Object.entries(record.files)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([agent, files]) => ({
        agent,
        provider: record.provider,
        model: record.provider === "template" ? null : "unknown",
        files,
      })),
  });
}

/** Capsules hold regular files only, with one of two modes. */
export const FileMode = z.enum(["0644", "0755"]);
export type FileMode = z.infer<typeof FileMode>;

export const ManifestFile = z.strictObject({
  path: NonEmpty,
  size: Count,
  sha256: Sha256,
  mode: FileMode,
});
export type ManifestFile = z.infer<typeof ManifestFile>;

/** Why a file of the application directory was left out of `source/`. */
export const ExclusionReason = z.enum([
  "gitignore",
  "vcs",
  "dependencies",
  "cache",
  "secret",
  "symlink",
  "special-file",
  "capsule",
  "signing-key",
]);
export type ExclusionReason = z.infer<typeof ExclusionReason>;

export const Exclusion = z.strictObject({
  /** Relative to the application directory; directories end with `/`. */
  path: NonEmpty,
  reason: ExclusionReason,
  detail: NonEmpty,
});
export type Exclusion = z.infer<typeof Exclusion>;

const SeverityCounts = z.strictObject({
  critical: Count,
  high: Count,
  medium: Count,
  low: Count,
  unknown: Count,
});

/** One scan's outcome. `not-scanned` is never a clean result: it says why nothing was checked. */
export const ScanRecord = z.discriminatedUnion("status", [
  z.strictObject({
    status: z.literal("scanned"),
    target: z.enum(["source", "image"]),
    /** "source/" or the image reference. */
    subject: NonEmpty,
    report: NonEmpty,
    sha256: Sha256,
    tool: z.strictObject({ name: NonEmpty, version: z.string() }),
    vulnerabilities: SeverityCounts,
    secrets: Count,
  }),
  z.strictObject({
    status: z.literal("not-scanned"),
    target: z.enum(["source", "image"]),
    /** "source/" or the image reference. */
    subject: NonEmpty,
    report: NonEmpty,
    sha256: Sha256,
    reason: NonEmpty,
  }),
]);
export type ScanRecord = z.infer<typeof ScanRecord>;

export const SigningAlgorithm = z.enum(["ECDSA-P256-SHA256", "RSA-PSS-SHA256"]);
export type SigningAlgorithm = z.infer<typeof SigningAlgorithm>;

export const CapsuleManifest = z.strictObject({
  format: z.literal(CAPSULE_FORMAT),
  name: NonEmpty,
  version: NonEmpty,
  /** The fixed timestamp of every entry (ISO 8601, whole seconds): no clock reading goes into a capsule. */
  created: z.iso.datetime(),
  /** The commit the application directory belongs to, when it is in a Git work tree. */
  createdFrom: z
    .strictObject({
      commit: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/),
      /** The directory's path inside the repository ("" at the top). */
      path: z.string(),
      /** True when the directory had uncommitted changes: the capsule then differs from the commit. */
      dirty: z.boolean(),
    })
    .nullable(),
  generator: z.strictObject({ name: z.literal("qlf"), version: NonEmpty }),
  /** Every entry except `manifest.json` and `signature`, in archive order. */
  files: z.array(ManifestFile),
  sbom: z.strictObject({
    path: z.literal("sbom.cdx.json"),
    sha256: Sha256,
    format: z.literal("CycloneDX"),
    specVersion: NonEmpty,
    generator: z.enum(["qlf", "syft"]),
    components: Count,
    sources: z.array(NonEmpty),
  }),
  scans: z.array(ScanRecord).min(1),
  excluded: z.array(Exclusion),
  /** The key that signed this manifest, when signed. Removing the signature then fails verification. */
  signing: z.strictObject({ algorithm: SigningAlgorithm, keyId: Sha256 }).nullable(),
  provenance: Provenance.nullable(),
});
export type CapsuleManifest = z.infer<typeof CapsuleManifest>;

/**
 * The exact bytes that are stored as `manifest.json` and signed: keys sorted at every level, two-space
 * indentation and a final newline, so the same manifest always gives the same bytes.
 */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** `0o755` → "0755". */
export function modeString(mode: number): FileMode {
  return (mode & 0o111) !== 0 ? "0755" : "0644";
}

/** "0755" → `0o755`. */
export function modeNumber(mode: FileMode): number {
  return mode === "0755" ? 0o755 : 0o644;
}
