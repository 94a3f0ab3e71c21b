/**
 * The "done when", end to end on an application `qlf generate` made: it packages, verifies
 * with its public key, fails after a one-byte change, its signature verifies with openssl, its SBOM
 * validates, and its provenance record is carried into the manifest.
 */
import { spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Spec, Validation } from "@cyclonedx/cyclonedx-library";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { extractCapsule, loadPublicKey, verifyCapsule } from "../../src/services/packager/index.js";
import { runQlf } from "../helpers/cli.js";
import { parseTar, rebuildSorted, tempDir, unframe } from "./helpers.js";

// Each test spawns the CLI several times; on a loaded machine that takes longer than the default.
vi.setConfig({ testTimeout: 120_000 });
const slow = { timeoutMs: 120_000 };
let work: string;
let capsule: string;

beforeAll(async () => {
  work = await tempDir();
  const app = join(work, "pharmacy");
  const generated = await runQlf(
    ["generate", "Pharmacy API: pharmacists fill prescriptions for patients; HIPAA", "--out", app],
    slow,
  );
  expect(generated.code, generated.stderr).toBe(0);
  expect((await runQlf(["keys", "generate", "--out", join(work, "release")], slow)).code).toBe(0);
  capsule = join(work, "pharmacy.qlcapsule");
  const packaged = await runQlf(
    ["package", app, "--out", capsule, "--sign-key", join(work, "release.key"), "--no-scan"],
    slow,
  );
  expect(packaged.code, packaged.stderr).toBe(0);
}, 240_000);

describe("a generated application as a capsule", () => {
  it("verifies with its public key and records the generation's provenance", async () => {
    const run = await runQlf(
      ["capsule", "verify", capsule, "--key", join(work, "release.pub"), "--json"],
      slow,
    );
    expect(run.code, run.stdout).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.signature.status).toBe("verified");
    const provenance = report.manifest.provenance;
    expect(provenance.brief.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(provenance.ir.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(provenance.overlays).toContainEqual({ name: "hipaa", version: expect.any(String) });
    expect(provenance.agents.length).toBeGreaterThan(0);
    expect(provenance.agents[0]).toMatchObject({ provider: "template", model: null });
  });

  it("fails verification after a one-byte change in any source file", async () => {
    const entries = parseTar(unframe(await readFile(capsule)));
    const sources = entries.filter((e) => e.path.startsWith("source/") && e.data.length > 0);
    expect(sources.length).toBeGreaterThan(10);
    const key = loadPublicKey(await readFile(join(work, "release.pub")), "release.pub");
    for (const target of sources.filter((_, i) => i % 7 === 0)) {
      const changed = entries.map((e) => {
        if (e !== target) return e;
        const data = Buffer.from(e.data);
        data[0] = (data[0] ?? 0) ^ 0x01;
        return { ...e, data };
      });
      const file = join(work, "changed.qlcapsule");
      await writeFile(file, rebuildSorted(changed));
      const report = await verifyCapsule(file, { key });
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([expect.objectContaining({ kind: "changed", path: target.path })]);
    }
  });

  it("has a signature openssl verifies and an SBOM that validates against CycloneDX 1.6", async () => {
    const dest = join(work, "x");
    expect((await extractCapsule(capsule, dest)).ok).toBe(true);
    const openssl = spawnSync(
      "openssl",
      [
        "dgst",
        "-sha256",
        "-verify",
        join(work, "release.pub"),
        "-signature",
        join(dest, "signature"),
        join(dest, "manifest.json"),
      ],
      { encoding: "utf8" },
    );
    expect(openssl.stdout).toBe("Verified OK\n");
    const sbom = await readFile(join(dest, "sbom.cdx.json"), "utf8");
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(sbom)).toBeNull();
    expect(JSON.parse(sbom).components.length).toBeGreaterThan(0);
    const html = await readFile(join(dest, "docs", "index.html"), "utf8");
    expect(html).toContain('<section id="api">');
    expect(html).toContain('<section id="compliance">');
    expect(html).toContain('<section id="provenance">');
  });
});
