/** One FastAPI end-to-end case: generate, check the overlays changed the output, verify the app for real. */
import { existsSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { cleanUp, type FastapiCase, generateWithCli, verifyFastapiApp } from "./fastapi-verify.js";

/** Generous for a loaded machine; a case takes 20–40 s on two busy cores. */
const CASE_TIMEOUT_MS = 240_000;

export function verifyFastapiCase(testCase: FastapiCase): void {
  it(
    "lints clean, passes its own tests in memory and on PostgreSQL, migrates up and down, serves, and its routes match openapi.yaml",
    async () => {
      const app = await generateWithCli(testCase);
      try {
        expect(app.ir.stack.framework).toBe("fastapi");
        expect(app.ir.overlays.map((overlay) => overlay.name)).toEqual(
          expect.arrayContaining([...testCase.overlays]),
        );
        if (testCase.overlays.length === 0) expect(app.ir.overlays).toEqual([]);
        expect(app.ir.auth.kind).toBe(testCase.auth);
        for (const file of testCase.files) expect(existsSync(path.join(app.dir, file)), file).toBe(true);
        expect(existsSync(path.join(app.dir, "package.json"))).toBe(false);

        const report = await verifyFastapiApp(app);
        console.info(
          `${testCase.name}: ${report.steps.map((step) => `${step.step} ${step.ok ? "ok" : "FAILED"} ${step.ms} ms`).join(", ")}; ${report.passed.memory} tests passed in memory, ${report.passed.postgres} on PostgreSQL`,
        );
        expect(report.failed, report.explain()).toEqual([]);
        // The suites really ran (a collection error would pass nothing), and PostgreSQL ran the
        // database-only tests too (retention, where the plan has it).
        expect(report.passed.memory).toBeGreaterThan(10);
        expect(report.passed.postgres).toBeGreaterThanOrEqual(report.passed.memory);
      } finally {
        await cleanUp(app.dir);
      }
    },
    CASE_TIMEOUT_MS,
  );
}
