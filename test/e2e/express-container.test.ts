/**
 * The generated Express app's Dockerfile, for real: the done-when brief of issue 3 is generated,
 * its dependencies locked (the harness's install writes package-lock.json, so the image build runs
 * `npm ci`), the image built with podman, run, and probed on /healthz; its own HEALTHCHECK must
 * pass and it must not run as root. Skipped only as the container harness allows (docs/containers.md).
 */
import { rm } from "node:fs/promises";
import { beforeAll, describe, it } from "vitest";
import { generateFromBrief } from "../../scripts/app-harness/generate.js";
import { installDependencies } from "../../scripts/app-harness/harness.js";
import { containerAvailability, containerSkipReason, podman } from "../../scripts/containers/harness.js";
import { probeGeneratedApp } from "../helpers/containers.js";

const skipReason = containerSkipReason();

describe.skipIf(skipReason !== undefined)("generated Express app in a container (podman)", () => {
  beforeAll(async () => {
    const availability = await containerAvailability();
    if (!availability.available) throw new Error(availability.reason);
  });

  it("builds the multi-stage image, runs it as a non-root user and answers /healthz", async () => {
    const app = await generateFromBrief("Pharmacy API: pharmacists fill prescriptions for patients; HIPAA");
    const tag = `localhost/qlf-test/express-pharmacy:${process.pid}`;
    try {
      await installDependencies(app.dir);
      const result = await probeGeneratedApp(app, tag);
      console.info(
        `image built in ${result.buildMs} ms, ready in ${result.readyMs} ms, ${Math.round(result.sizeBytes / 1e6)} MB`,
      );
    } finally {
      await podman(["rmi", "--force", tag]);
      if (process.env.QLF_E2E_KEEP === undefined) await rm(app.dir, { recursive: true, force: true });
    }
  }, 600_000);
});
