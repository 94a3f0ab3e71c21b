/**
 * The commands as a user runs them (`node bin/qlf.js …`): output, files written, and exit codes —
 * 0 when everything matches (an unsigned capsule passes with a WARNING on stderr), 1 for any
 * difference, a refused capsule, or a missing signature when one is required.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { runQlf } from "../helpers/cli.js";
import {
  copyFixture,
  frame,
  parseTar,
  rawHeader,
  rebuildSorted,
  tarOf,
  tempDir,
  unframe,
} from "./helpers.js";

// Each test spawns the CLI several times; on a loaded machine that takes longer than the default.
vi.setConfig({ testTimeout: 120_000 });
const slow = { timeoutMs: 90_000 };
let work: string;
let app: string;
let signed: string;
let unsigned: string;

beforeAll(async () => {
  work = await tempDir();
  app = await copyFixture("npm-app");
  const keys = await runQlf(["keys", "generate", "--out", join(work, "release")], slow);
  expect(keys.code, keys.stderr).toBe(0);
  signed = join(work, "signed.qlcapsule");
  unsigned = join(work, "unsigned.qlcapsule");
  const a = await runQlf(
    ["package", app, "--out", signed, "--sign-key", join(work, "release.key"), "--no-scan"],
    slow,
  );
  expect(a.code, a.stderr).toBe(0);
  const b = await runQlf(["package", app, "--out", unsigned, "--no-scan"], slow);
  expect(b.code, b.stderr).toBe(0);
}, 180_000);

describe("qlf keys generate", () => {
  it("writes a 0600 private key and a public key, never printing the private key", async () => {
    expect((await stat(join(work, "release.key"))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(work, "release.pub"), "utf8")).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const again = await runQlf(["keys", "generate", "--out", join(work, "release")], slow);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/release\.key already exists/);
    const rsa = await runQlf(["keys", "generate", "--type", "rsa", "--out", join(work, "r")], slow);
    expect(rsa.code).toBe(0);
    expect(rsa.stdout).toContain("RSA-PSS-SHA256");
    expect(rsa.stdout).not.toContain("PRIVATE KEY");
    expect((await runQlf(["keys", "generate", "--type", "dsa", "--out", join(work, "d")], slow)).code).toBe(
      1,
    );
  });
});

describe("qlf package", () => {
  it("prints what went in, the exclusions and the capsule's real sha256", async () => {
    const out = join(work, "shown.qlcapsule");
    const run = await runQlf(
      ["package", app, "--name", "patient-api", "--version", "9.9.9", "--out", out, "--no-scan"],
      slow,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Packaged patient-api 9.9.9");
    expect(run.stdout).toMatch(/source\/\s+12 files/);
    expect(run.stdout).toContain("SBOM       6 components, CycloneDX 1.6 by qlf from package-lock.json");
    expect(run.stdout).toContain("scan       source: NOT SCANNED (scanning was turned off (--no-scan))");
    expect(run.stdout).toContain("signature  UNSIGNED");
    const sha = createHash("sha256")
      .update(await readFile(out))
      .digest("hex");
    expect(run.stdout).toContain(`sha256     ${sha}`);
  });

  it("takes the name and version from package.json and writes NAME-VERSION.qlcapsule here", async () => {
    const cwd = await tempDir();
    const run = await runQlf(["package", app, "--no-scan", "--json"], { ...slow, cwd });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({
      name: "patient-api",
      version: "1.2.0",
      out: join(cwd, "patient-api-1.2.0.qlcapsule"),
    });
    expect(await readdir(cwd)).toEqual(["patient-api-1.2.0.qlcapsule"]);
  });

  it("signs with QLF_SIGNING_KEY and takes the time from SOURCE_DATE_EPOCH", async () => {
    const out = join(work, "env.qlcapsule");
    const pem = await readFile(join(work, "release.key"), "utf8");
    const run = await runQlf(["package", app, "--out", out, "--no-scan", "--json"], {
      ...slow,
      env: { QLF_SIGNING_KEY: pem, SOURCE_DATE_EPOCH: "1767225600" },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      created: "2026-01-01T00:00:00Z",
      signing: { algorithm: "ECDSA-P256-SHA256" },
    });
    expect((await runQlf(["capsule", "verify", out, "--key", join(work, "release.pub")], slow)).code).toBe(0);
  });

  it("refuses a QLF_SIGNING_KEY that is not a PEM key without echoing it", async () => {
    const run = await runQlf(["package", app, "--out", join(work, "no.qlcapsule"), "--no-scan"], {
      ...slow,
      env: { QLF_SIGNING_KEY: "s3cr3t-marker-value" },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("QLF_SIGNING_KEY does not hold a PEM key");
    expect(`${run.stdout}${run.stderr}`).not.toContain("s3cr3t-marker-value");
  });

  it("exits 1 with a clear message for bad input", async () => {
    const bare = await tempDir();
    const noName = await runQlf(["package", bare, "--no-scan"], slow);
    expect(noName.code).toBe(1);
    expect(noName.stderr).toMatch(/name is not known[\s\S]*pass --name and --version/);
    const noSyft = await runQlf(["package", app, "--sbom", "syft", "--out", join(work, "s.qlcapsule")], {
      ...slow,
      env: { PATH: bare },
    });
    expect(noSyft.code).toBe(1);
    expect(noSyft.stderr).toContain("syft is not on PATH");
    const badSbom = await runQlf(["package", app, "--sbom", "cdxgen", "--no-scan"], slow);
    expect(badSbom.code).toBe(1);
    const noDir = await runQlf(["package", join(bare, "missing"), "--name", "x", "--version", "1"], slow);
    expect(noDir.code).toBe(1);
    expect(noDir.stderr).toMatch(/no application directory at/);
  });
});

describe("qlf capsule verify | inspect | extract", () => {
  it("verify: 0 with the right key, 1 with another key or after a one-byte change (naming the file)", async () => {
    const ok = await runQlf(["capsule", "verify", signed, "--key", join(work, "release.pub")], slow);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain("signature  VERIFIED: ECDSA-P256-SHA256");
    expect(ok.stdout).toContain("OK: every file matches manifest.json");

    const other = await runQlf(["capsule", "verify", signed, "--key", join(work, "r.pub")], slow);
    expect(other.code).toBe(1);
    expect(other.stdout).toMatch(/not by the given key/);

    const entries = parseTar(unframe(await readFile(signed))).map((e) =>
      e.path === "source/openapi.yaml"
        ? { ...e, data: Buffer.from(e.data.toString().replace("3.1.0", "3.1.1")) }
        : e,
    );
    const tampered = join(work, "tampered.qlcapsule");
    await writeFile(tampered, rebuildSorted(entries));
    const bad = await runQlf(["capsule", "verify", tampered, "--key", join(work, "release.pub")], slow);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAILED: 1 problem\n {2}changed: source\/openapi\.yaml/);
    const json = await runQlf(["capsule", "verify", tampered, "--json"], slow);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      problems: [{ kind: "changed", path: "source/openapi.yaml" }],
    });
  });

  it("verify: an unsigned capsule passes with a loud WARNING, and fails when a signature is required", async () => {
    const plain = await runQlf(["capsule", "verify", unsigned], slow);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain("signature  NONE: the capsule is UNSIGNED");
    expect(plain.stderr).toContain("WARNING: the capsule is UNSIGNED");
    expect((await runQlf(["capsule", "verify", unsigned, "--require-signature"], slow)).code).toBe(1);
    expect(
      (await runQlf(["capsule", "verify", unsigned, "--key", join(work, "release.pub")], slow)).code,
    ).toBe(1);
    const unchecked = await runQlf(["capsule", "verify", signed], slow);
    expect(unchecked.code).toBe(0);
    expect(unchecked.stderr).toContain("NOT CHECKED: pass --key PUB");
  });

  it("inspect: manifest summary, SBOM component count, scan summary", async () => {
    const run = await runQlf(["capsule", "inspect", signed], slow);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("patient-api 1.2.0  (qlf.capsule/v1");
    expect(run.stdout).toContain("SBOM       6 components, CycloneDX 1.6 by qlf from package-lock.json");
    expect(run.stdout).toContain(
      "scan       source (source/): NOT SCANNED (scanning was turned off (--no-scan))",
    );
    expect(run.stdout).toMatch(/signing {4}ECDSA-P256-SHA256, key [0-9a-f]{64}/);
    const json = JSON.parse((await runQlf(["capsule", "inspect", signed, "--json"], slow)).stdout);
    expect(json.sbom.components).toBe(6);
    expect(json.scans[0].status).toBe("not-scanned");
  });

  it("extract: unpacks into a new directory; refuses a non-empty one and a hostile capsule (exit 1)", async () => {
    const dest = join(work, "unpacked");
    const run = await runQlf(["capsule", "extract", signed, dest, "--key", join(work, "release.pub")], slow);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/extracted {2}\d+ files/);
    expect(await readFile(join(dest, "source", "package.json"), "utf8")).toBe(
      await readFile(join(app, "package.json"), "utf8"),
    );

    const again = await runQlf(["capsule", "extract", signed, dest], slow);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is not empty/);

    const hostile = join(work, "hostile.qlcapsule");
    await writeFile(
      hostile,
      frame(tarOf([rawHeader({ path: "source/x", type: "SymbolicLink", linkpath: "/etc" })])),
    );
    const refused = await runQlf(["capsule", "extract", hostile, join(work, "h")], slow);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('symbolic link "source/x" → "/etc": links are refused');
    expect(refused.stdout).toContain("REFUSED");
    await expect(stat(join(work, "h"))).rejects.toThrow();

    const limited = await runQlf(["capsule", "verify", signed, "--max-entries", "3"], slow);
    expect(limited.code).toBe(1);
    expect(limited.stdout).toContain("more than 3 entries");
    expect((await runQlf(["capsule", "verify", signed, "--max-file-size", "lots"], slow)).code).toBe(1);
  });

  it("exits 1 for a file that is not there or not a capsule", async () => {
    const missing = await runQlf(["capsule", "verify", join(work, "nope.qlcapsule")], slow);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no capsule at/);
    const text = join(work, "text.qlcapsule");
    await writeFile(text, "hello");
    const notGzip = await runQlf(["capsule", "inspect", text], slow);
    expect(notGzip.code).toBe(1);
    expect(notGzip.stdout).toContain("not a gzip file");
  });
});
