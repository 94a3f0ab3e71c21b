/**
 * The packager service: signed, reproducible `.qlcapsule` packages. Shells (CLI, Action) import
 * from here, or from ./read.ts when they only read capsules (it loads much less).
 */
export {
  type CreateCapsuleOptions,
  type CreateCapsuleResult,
  createCapsule,
  DEFAULT_CREATED,
} from "./create-capsule.js";
export { detectIdentity, type Identity } from "./identity.js";
export {
  CAPSULE_FORMAT,
  CapsuleManifest,
  canonicalJson,
  Exclusion,
  GeneratorProvenance,
  PROVENANCE_FILE,
  Provenance,
  provenanceFromGenerator,
  ScanRecord,
} from "./manifest.js";
export * from "./read.js";
export { validateCycloneDx16 } from "./sbom/cyclonedx.js";
