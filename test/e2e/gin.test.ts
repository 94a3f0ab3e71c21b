/**
 * End to end, for real and offline: six briefs generated with the Gin stack, each gofmt-clean and
 * go-vet-clean, passing its own tests in memory and on a fresh PostgreSQL database, migrated up and
 * down, its router's routes equal to openapi.yaml, its server answering /healthz and /readyz and
 * stopping on SIGTERM; two of them also build their image and answer /healthz in a container.
 *
 * Go builds are CPU-heavy: the apps share one build cache (warmed with gin and lib/pq first) and
 * run two at a time. Container steps are skipped only as the container harness allows
 * (docs/containers.md): QLF_SKIP_CONTAINERS=1, or no podman outside CI.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { containerAvailability } from "../../scripts/containers/harness.js";
import { GIN_CASES } from "./gin-cases.js";
import { generateGinApp, verifyGinApp, warmGoCache } from "./gin-verify.js";

const podmanInstalled = spawnSync("podman", ["--version"], { stdio: "ignore" }).status === 0;
const skipContainers =
  process.env.QLF_SKIP_CONTAINERS === "1" || (!podmanInstalled && process.env.CI === undefined);

/** At most two apps build at once: the machine has two cores. */
let running = 0;
const waiting: Array<() => void> = [];
async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

describe("generated Gin apps", () => {
  beforeAll(async () => {
    console.info(`go build cache warmed in ${await warmGoCache()}`);
    if (!skipContainers && GIN_CASES.some((testCase) => testCase.image)) {
      const availability = await containerAvailability();
      if (!availability.available) throw new Error(availability.reason);
    }
  }, 600_000);

  it.concurrent.each(GIN_CASES)(
    "$name: vet, tests in memory and on PostgreSQL, migrations, routes, serve",
    async (testCase) => {
      await slot(async () => {
        const app = await generateGinApp(testCase.brief, testCase.stack);
        try {
          expect(app.summary.stack).toBe("gin");
          expect(app.ir.overlays.map((overlay) => overlay.name)).toEqual(
            expect.arrayContaining([...testCase.overlays]),
          );
          if (testCase.overlays.length === 0) expect(app.ir.overlays).toEqual([]);
          expect(app.plan.auth.kind).toBe(testCase.auth);
          for (const file of testCase.files) expect(existsSync(path.join(app.dir, file)), file).toBe(true);
          expect(app.summary.gaps, "COMPLIANCE.md gaps").toEqual([]);

          const report = await verifyGinApp(app, { image: testCase.image && !skipContainers });
          console.info(
            `${testCase.name}: ${report.steps.map((step) => `${step.step} ${step.ok ? "ok" : "FAILED"} ${step.ms} ms`).join(", ")}`,
          );
          const image = report.steps.find(
            (step) => step.step === "image builds and answers /healthz" && step.ok,
          );
          if (image !== undefined) console.info(`${testCase.name}: image ${image.detail}`);
          expect(report.failed, report.explain()).toEqual([]);
          const steps = report.steps.map((step) => step.step);
          expect(steps).toEqual(
            expect.arrayContaining([
              "test (PostgreSQL)",
              "routes agree with openapi.yaml",
              "serve /healthz and /readyz, stop on SIGTERM",
              "migrate down (every table gone)",
            ]),
          );
          if (testCase.image && !skipContainers) expect(steps).toContain("image builds and answers /healthz");
        } finally {
          if (process.env.QLF_E2E_KEEP === undefined) await app.remove();
        }
      });
    },
    420_000,
  );
});
