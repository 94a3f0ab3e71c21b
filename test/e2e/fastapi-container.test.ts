/**
 * The generated FastAPI app's Dockerfile, for real, for two briefs (HIPAA with JWTs and encrypted
 * fields; PCI + fintech with API keys, card tokens and idempotency keys): generated, built with the
 * container harness (podman, the local python:3.11-slim stand-in with Debian's packages), run, and
 * probed on /healthz; its own HEALTHCHECK must pass and it must not run as root. The other four
 * briefs are verified without an image (fastapi.test.ts) to keep CI within its budget. Skipped only
 * as the container harness allows (docs/containers.md).
 */
import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { buildAndProbe, containerAvailability, podman } from "../../scripts/containers/harness.js";
import { FASTAPI_CASES } from "./fastapi-cases.js";
import { cleanUp, generateWithCli } from "./fastapi-verify.js";

const podmanInstalled = spawnSync("podman", ["--version"], { stdio: "ignore" }).status === 0;
const skipReason =
  process.env.QLF_SKIP_CONTAINERS === "1"
    ? "QLF_SKIP_CONTAINERS=1"
    : !podmanInstalled && !process.env.CI
      ? "podman is not installed (bash scripts/containers/setup.sh)"
      : undefined;

const IMAGE_CASES = FASTAPI_CASES.filter((testCase) => testCase.auth !== "none");

describe.skipIf(skipReason !== undefined)("generated FastAPI app in a container (podman)", () => {
  beforeAll(async () => {
    const availability = await containerAvailability();
    if (!availability.available) throw new Error(availability.reason);
  });

  it("covers two briefs with different overlays", () => {
    expect(IMAGE_CASES.map((testCase) => testCase.overlays.join("+"))).toEqual([
      "healthcare+hipaa",
      "fintech+pci",
    ]);
  });

  it.concurrent.each(IMAGE_CASES)(
    "$name: builds the multi-stage image, runs it as a non-root user and answers /healthz",
    async (testCase) => {
      const app = await generateWithCli(testCase);
      const tag = `localhost/qlf-test/fastapi-${testCase.overlays.join("-")}:${process.pid}`;
      try {
        const result = await buildAndProbe({
          contextDir: app.dir,
          tag,
          // The server needs its configuration to start; /healthz itself never touches the database.
          env: { ...app.serverEnv, DATABASE_URL: "postgres://app@127.0.0.1:1/app" },
          removeImage: true,
        });
        if (!result.ok) throw new Error(`${result.stage}: ${result.message}\n${result.log}`);
        expect(result.status).toBe(200);
        expect(JSON.parse(result.body)).toEqual({ status: "ok" });
        expect(result.healthcheckPassed).toBe(true);
        expect(result.uid).not.toBe(0);
        expect(result.user).toBe("10001:10001");
        expect(result.problems).toEqual([]);
        console.info(
          `${testCase.name}: image built in ${result.buildMs} ms, ready in ${result.readyMs} ms, ${Math.round(result.sizeBytes / 1e6)} MB`,
        );
      } finally {
        await podman(["rmi", "--force", tag]);
        await cleanUp(app.dir);
      }
    },
    600_000,
  );
});
