/** The repair loop and its LLM provider. */
export * from "./loop.js";
export * from "./provider.js";
