/**
 * End to end, for real: generated FastAPI apps under Debian's Python (see fastapi-verify.ts). The
 * six briefs are split over fastapi.test.ts and fastapi-more.test.ts, three running at once in each
 * (describe.concurrent: the work is mostly waiting on Python and PostgreSQL); fastapi-container.test.ts
 * builds and probes the images of two of them.
 */
import { describe } from "vitest";
import { verifyFastapiCase } from "./fastapi-case.js";
import { FASTAPI_CASES } from "./fastapi-cases.js";

describe.concurrent.each(FASTAPI_CASES)("$name", (testCase) => {
  verifyFastapiCase(testCase);
});
