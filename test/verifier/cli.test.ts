/** `qlf verify` through the bundled CLI, as a user runs it. */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { GeneratedApp } from "../../scripts/app-harness/generate.js";
import { runQlf } from "../helpers/cli.js";
import { HR_BRIEF, PHARMACY_BRIEF, preparedApp, sarifValidator } from "./helpers.js";

let hr: GeneratedApp;
let pharmacy: GeneratedApp;

beforeAll(async () => {
  [hr, pharmacy] = await Promise.all([preparedApp(HR_BRIEF), preparedApp(PHARMACY_BRIEF)]);
}, 300_000);

describe("qlf verify", () => {
  it("prints one line per gate and the verdict, exit 0 when they pass", async () => {
    // The full run through the CLI is in gates.e2e.test.ts (--format json); this is the text view.
    const { code, stdout } = await runQlf(["verify", hr.dir, "--gates", "migration,security"], {
      timeoutMs: 120_000,
    });
    expect(stdout).toMatch(/^qlf verify .* \(express\): HR System\n/);
    expect(stdout).toMatch(
      /\n {2}✓ migration\s+passed\s+\d+\.\ds {2}1 migration\(s\) up, checked against the IR, down and up again: no errors\n/,
    );
    expect(stdout).toMatch(/\n {2}✓ security\s+passed /);
    expect(stdout).toMatch(/\nPASSED: 2 of 2 gates passed; 0 error\(s\), 0 warning\(s\) in \d+\.\ds\n$/);
    expect(code).toBe(0);
  }, 120_000);

  it("writes SARIF that validates, with the pharmacy's compliance gaps located in COMPLIANCE.md", async () => {
    const { code, stdout } = await runQlf(
      ["verify", pharmacy.dir, "--gates", "migration,security", "--format", "sarif"],
      { timeoutMs: 120_000 },
    );
    const sarif = JSON.parse(stdout) as {
      runs: [
        {
          results: {
            ruleId: string;
            locations?: { physicalLocation: { artifactLocation: { uri: string } } }[];
          }[];
        },
      ];
    };
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const gaps = sarif.runs[0].results.filter((r) => r.ruleId === "security/compliance-gap");
    expect(gaps).toHaveLength(pharmacy.summary.gaps.length);
    for (const gap of gaps)
      expect(gap.locations?.[0]?.physicalLocation.artifactLocation.uri).toBe("COMPLIANCE.md");
    expect(code).toBe(pharmacy.summary.gaps.length === 0 ? 0 : 1);
  }, 120_000);

  it("writes Markdown to --output", async () => {
    const out = path.join(await mkdtemp(path.join(tmpdir(), "qlf-verify-md-")), "summary.md");
    const { code, stderr } = await runQlf(
      ["verify", hr.dir, "--gates", "security", "--format", "markdown", "--output", out],
      { timeoutMs: 60_000 },
    );
    expect(code).toBe(0);
    expect(stderr).toContain(`report written to ${out}`);
    expect(await readFile(out, "utf8")).toMatch(
      /^## qlf verify: passed ✅\n[\s\S]*\| Security \| ✅ passed \|/,
    );
  }, 60_000);

  it("refuses --repair without a provider before doing any work", async () => {
    const { code, stderr, stdout } = await runQlf(["verify", hr.dir, "--repair"]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("repair needs a provider (--provider …); none is configured");
  });

  it.each([
    [["--gates", "static,nope"], /unknown gate "nope"/],
    [["--format", "xml"], /--format xml is not a format/],
    [["--timeout", "-3"], /--timeout -3 is not a positive number/],
  ])("refuses %j", async (flags, message) => {
    const { code, stderr } = await runQlf(["verify", hr.dir, ...flags]);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
  });

  it("says so when the directory does not exist", async () => {
    const { code, stderr } = await runQlf(["verify", "/nonexistent/pharmacy"]);
    expect(code).toBe(1);
    expect(stderr).toContain("/nonexistent/pharmacy is not a directory");
  });
});
