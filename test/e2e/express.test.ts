/**
 * End to end, for real: generate an Express app from a brief, install its dependencies through
 * npm, run its own tests in memory and against a fresh PostgreSQL database, build it with tsc,
 * apply its migrations, start the server and probe /healthz and /readyz, stop it gracefully, roll
 * the migrations back, and build the React frontend when there is one.
 * The cases are split over two files (see express-more.test.ts) so that they run two at a time.
 */
import { describe } from "vitest";
import { API_CASES } from "./express-cases.js";
import { verifyCase } from "./express-verify.js";

describe.each(API_CASES)("$name", (testCase) => {
  verifyCase(testCase);
});
