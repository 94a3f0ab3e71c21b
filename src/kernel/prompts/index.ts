/** Prompt composition: generation, brief understanding and repair, with untrusted text fenced as data. */
export * from "./agent.js";
export * from "./fence.js";
export * from "./repair.js";
export * from "./understand.js";
