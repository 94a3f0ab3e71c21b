/** The strict output contract: grammar, parser, serialiser and their one error type. */
export * from "./errors.js";
export * from "./format.js";
export * from "./grammar.js";
export * from "./parse.js";
