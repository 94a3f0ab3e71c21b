/** The second half of the FastAPI end-to-end cases (see fastapi.test.ts). */
import { describe } from "vitest";
import { verifyFastapiCase } from "./fastapi-case.js";
import { MORE_FASTAPI_CASES } from "./fastapi-cases.js";

describe.concurrent.each(MORE_FASTAPI_CASES)("$name", (testCase) => {
  verifyFastapiCase(testCase);
});
