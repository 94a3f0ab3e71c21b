import { expect, it } from "vitest";
import { stepRecorder, tail } from "../../scripts/app-harness/steps.js";

it("records every step, keeps going after a failure and explains only the failures", async () => {
  const recorder = stepRecorder();
  expect(await recorder.step("build", async () => "built")).toBe("built");
  expect(
    await recorder.step("test", async () => {
      throw new Error("2 tests failed");
    }),
  ).toBeNull();
  expect(await recorder.step("lint", async () => "")).toBe("");
  const report = recorder.report();
  expect(report.steps.map((s) => [s.step, s.ok])).toEqual([
    ["build", true],
    ["test", false],
    ["lint", true],
  ]);
  expect(report.failed).toEqual(["test"]);
  expect(report.explain()).toMatch(/^--- test failed after \d+ ms\n2 tests failed$/);
});

it("keeps the end of long output, where the error is", () => {
  const long = `${"x".repeat(5000)}ERROR at the end`;
  expect(tail(long)).toHaveLength(4001);
  expect(tail(long).endsWith("ERROR at the end")).toBe(true);
  expect(tail("short")).toBe("short");
});
