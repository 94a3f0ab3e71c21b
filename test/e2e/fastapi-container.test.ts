/**
 * The generated FastAPI app's Dockerfile, for real, for two briefs (HIPAA with JWTs and encrypted
 * fields; PCI + fintech with API keys, card tokens and idempotency keys): generated, built with the
 * container harness (podman, the local python:3.11-slim stand-in with Debian's packages), run, and
 * probed on /healthz; its own HEALTHCHECK must pass and it must not run as root. The other four
 * briefs are verified without an image (fastapi.test.ts) to keep CI within its budget. Skipped only
 * as the container harness allows (docs/containers.md).
 */

import { beforeAll, describe, expect, it } from "vitest";
import { containerAvailability, containerSkipReason, podman } from "../../scripts/containers/harness.js";
import { probeGeneratedApp } from "../helpers/containers.js";
import { FASTAPI_CASES } from "./fastapi-cases.js";
import { cleanUp, generateWithCli } from "./fastapi-verify.js";

const skipReason = containerSkipReason();

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
        const result = await probeGeneratedApp(app, tag);
        expect(result.user).toBe("10001:10001");
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
