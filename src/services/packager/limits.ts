/**
 * Limits applied whenever a capsule is read (verify, inspect, extract): a capsule is untrusted input
 * until its signature checks out, and a decompression bomb or a million-entry archive must be
 * refused before it fills a disk or a heap.
 */
export interface CapsuleLimits {
  /** Entries in the archive. */
  maxEntries: number;
  /** Size of one entry, uncompressed. */
  maxEntryBytes: number;
  /** Sum of all entry sizes, uncompressed. */
  maxTotalBytes: number;
  /** Uncompressed bytes per compressed byte, over the archive so far. */
  maxRatio: number;
  /** The ratio is only judged once this many bytes have come out (tiny archives compress oddly). */
  ratioGraceBytes: number;
  /** Entries that are held in memory to be parsed: manifest.json, sbom.cdx.json, scan reports. */
  maxParsedEntryBytes: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * Defaults: 200,000 entries, 4 GiB per entry, 16 GiB in total, a ratio of 200:1 after the first
 * 16 MiB (source trees compress 3–10:1; gzip's ceiling is about 1030:1, which is what bombs use),
 * and 64 MiB for the JSON entries that are parsed.
 */
export const DEFAULT_LIMITS: Readonly<CapsuleLimits> = Object.freeze({
  maxEntries: 200_000,
  maxEntryBytes: 4 * GiB,
  maxTotalBytes: 16 * GiB,
  maxRatio: 200,
  ratioGraceBytes: 16 * MiB,
  maxParsedEntryBytes: 64 * MiB,
});

export function resolveLimits(overrides: Partial<CapsuleLimits> = {}): CapsuleLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
