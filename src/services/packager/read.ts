/**
 * The reading side of the packager (verify, inspect, extract) and key handling, without the SBOM,
 * scan and docs machinery: `qlf capsule …` imports this entry so a verification does not load the
 * CycloneDX library and its schemas (tens of MB of the 150 MB budget). Everything here is also
 * exported from ./index.ts.
 */
export { type CapsuleEntry, CapsuleRejected, type EntryInfo, readCapsule } from "./capsule-reader.js";
export { type ExtractReport, extractCapsule } from "./extract-capsule.js";
export { formatBytes, parseSize } from "./format.js";
export { type InspectReport, inspectCapsule } from "./inspect-capsule.js";
export { type CapsuleLimits, DEFAULT_LIMITS } from "./limits.js";
export { type SectionStats, sectionStats } from "./sections.js";
export {
  type GeneratedKeyPair,
  generateSigningKeyPair,
  loadPublicKey,
  loadSigningKey,
  type PublicKey,
  type SigningKey,
} from "./signing.js";
export { type Problem, type SignatureStatus, type VerifyReport, verifyCapsule } from "./verify-capsule.js";
