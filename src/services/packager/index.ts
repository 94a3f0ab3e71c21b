/**
 * The packager service: signed, reproducible `.qlcapsule` packages. Shells (CLI, Action) import
 * from here only.
 */
export { type CapsuleEntry, CapsuleRejected, type EntryInfo, readCapsule } from "./capsule-reader.js";
export {
  type CreateCapsuleOptions,
  type CreateCapsuleResult,
  createCapsule,
  DEFAULT_CREATED,
  type SectionStats,
} from "./create-capsule.js";
export { type ExtractReport, extractCapsule } from "./extract-capsule.js";
export { formatBytes, parseSize } from "./format.js";
export { detectIdentity, type Identity } from "./identity.js";
export { type InspectReport, inspectCapsule } from "./inspect-capsule.js";
export { type CapsuleLimits, DEFAULT_LIMITS } from "./limits.js";
export {
  CAPSULE_FORMAT,
  CapsuleManifest,
  canonicalJson,
  Exclusion,
  PROVENANCE_FILE,
  Provenance,
  ScanRecord,
} from "./manifest.js";
export { validateCycloneDx16 } from "./sbom/cyclonedx.js";
export {
  type GeneratedKeyPair,
  generateSigningKeyPair,
  loadPublicKey,
  loadSigningKey,
  type PublicKey,
  type SigningKey,
} from "./signing.js";
export { type Problem, type SignatureStatus, type VerifyReport, verifyCapsule } from "./verify-capsule.js";
