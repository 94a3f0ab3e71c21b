/** One end-to-end case: generate, check the overlays changed the output, verify the app for real. */
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { generateFromBrief } from "../../scripts/app-harness/generate.js";
import { verifyNodeApp } from "../../scripts/app-harness/verify.js";
import type { E2eCase } from "./express-cases.js";

/**
 * Generous, and counted from the start of the test including its wait for a slot: a cold npm
 * install of a dependency set alone can take a minute, and eight cases share two slots.
 */
const CASE_TIMEOUT_MS = 900_000;
/** How many cases run at once. */
const SLOTS = 2;

let running = 0;
const waiting: (() => void)[] = [];

/** Runs `work` when one of the SLOTS is free. */
async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

export function verifyCase(testCase: E2eCase): void {
  it(
    `${testCase.name}: installs, passes its own tests in memory and on PostgreSQL, builds, migrates and serves`,
    () => inSlot(() => verify(testCase)),
    CASE_TIMEOUT_MS,
  );
}

async function verify(testCase: E2eCase): Promise<void> {
  const app = await generateFromBrief(testCase.brief);
  try {
    expect(app.ir.overlays.map((overlay) => overlay.name)).toEqual(
      expect.arrayContaining([...testCase.overlays]),
    );
    if (testCase.overlays.length === 0) expect(app.ir.overlays).toEqual([]);
    expect(app.plan.auth.kind).toBe(testCase.auth);
    for (const file of testCase.files) expect(existsSync(path.join(app.dir, file)), file).toBe(true);

    const report = await verifyNodeApp(app.dir, { serverEnv: app.serverEnv });
    console.info(
      `${testCase.name}: ${report.steps.map((step) => `${step.step} ${step.ok ? "ok" : "FAILED"} ${step.ms} ms`).join(", ")}`,
    );
    expect(report.failed, report.explain()).toEqual([]);
    expect(report.steps.map((step) => step.step)).toContain("serve /healthz and /readyz");
  } finally {
    if (process.env.QLF_E2E_KEEP === undefined) await rm(app.dir, { recursive: true, force: true });
  }
}
