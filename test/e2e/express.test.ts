/**
 * End to end, for real: generate an Express app from each brief, install its dependencies through
 * npm, run its own tests in memory and against a fresh PostgreSQL database, build it with tsc,
 * apply its migrations, start the server and probe /healthz and /readyz, stop it gracefully, roll
 * the migrations back, and build the React frontend when there is one.
 *
 * Cases run two at a time (the CI machine has two cores; most of a case is waiting on child
 * processes): `it.concurrent` plus a two-slot gate.
 */
import { describe } from "vitest";
import { API_CASES, MORE_CASES } from "./express-cases.js";
import { verifyCase } from "./express-verify.js";

describe.concurrent("generated Express apps", () => {
  for (const testCase of [...API_CASES, ...MORE_CASES]) verifyCase(testCase);
});
