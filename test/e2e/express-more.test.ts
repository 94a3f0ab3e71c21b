/** The second half of the Express end-to-end cases (see express.test.ts). */
import { describe } from "vitest";
import { MORE_CASES } from "./express-cases.js";
import { verifyCase } from "./express-verify.js";

describe.each(MORE_CASES)("$name", (testCase) => {
  verifyCase(testCase);
});
