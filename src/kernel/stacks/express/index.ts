/**
 * The Express stack plugin: TypeScript + Express 5 + PostgreSQL, the default stack.
 *
 * @example
 * registerStack(expressStack);
 * const files = getStack("express")?.generate(context);
 */
import type { StackPlugin } from "../../generate/stack.js";
import { generateExpress } from "./generate.js";

export const expressStack: StackPlugin = {
  id: "express",
  title: "TypeScript + Express 5 + PostgreSQL",
  language: "typescript",
  generate: generateExpress,
  commands: {
    install: "npm install",
    test: "npm test",
    build: "npm run build",
    start: "npm start",
  },
  image: { baseImages: ["docker.io/library/node:24-slim"], port: 8080 },
  conventions: [
    "TypeScript (strict, ESM, NodeNext) on Express 5; zod validates every input; pino logs JSON.",
    "src/app.ts exports createApp(deps): the app is built from injected stores (in-memory for tests, PostgreSQL in the server).",
    "One folder per resource: src/resources/<route>/{model,repository,memory-repository,pg-repository,routes}.ts.",
    "Handlers throw ApiError (src/http/errors.ts); the error middleware renders { error: { code, message, details } }.",
    "SQL is parameterised: identifiers come from constants, values are always $n parameters.",
    "Tests are vitest + supertest in test/<route>.test.ts; they run in memory, or on PostgreSQL with DATABASE_URL.",
  ],
};

export { generateExpress } from "./generate.js";
