/**
 * The kernel's one public entry. Shells (cli, app, action) and services import from here only,
 * never from deep paths. Everything exported is pure: data in, data out.
 */

export { COMPLIANCE_PATH, IR_PATH, irSha256, PROVENANCE_PATH, type Provenance } from "./agents/docs/index.js";
export * from "./errors.js";
export * from "./generate/builtins.js";
export * from "./generate/markers.js";
export * from "./generate/pipeline.js";
export * from "./generate/plan.js";
export * from "./generate/plan-schema.js";
export * from "./generate/stack.js";
export * from "./generate/tree.js";
export { MAX_BRIEF_BYTES } from "./ir/brief-text.js";
export * from "./ir/compile.js";
export * from "./ir/schema.js";
export * from "./llm/index.js";
export * from "./overlays/detect.js";
export * from "./overlays/field-marks.js";
export * from "./overlays/parse.js";
export * from "./overlays/resolve.js";
export * from "./overlays/resolved.js";
export * from "./overlays/schema.js";
export * from "./prompts/index.js";
export * from "./repair/index.js";
export * from "./soc/index.js";
export * from "./verifier/index.js";
