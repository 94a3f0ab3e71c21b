/** LLM providers behind one router: port, policies, cache, ledger and budget. */
export * from "./cache.js";
export * from "./errors.js";
export * from "./generate-app.js";
export * from "./ledger.js";
export * from "./merge-ir.js";
export * from "./policy.js";
export * from "./router.js";
export * from "./types.js";
export * from "./understand.js";
export * from "./validators.js";
