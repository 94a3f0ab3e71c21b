/** `qlf generate` through the real bundle, the way a user runs it. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runQlf } from "../helpers/cli.js";

const base = mkdtempSync(path.join(tmpdir(), "qlf-generate-cli-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const BRIEF = "Pharmacy API: pharmacists fill prescriptions for patients; HIPAA";

describe("qlf generate", () => {
  it("writes the application, prints the tree with sizes and what to do next", async () => {
    const out = path.join(base, "pharmacy");
    const { code, stdout, stderr } = await runQlf(["generate", BRIEF, "--out", out]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Generated Pharmacy API \(express\) in .*pharmacy: \d+ files, [\d.]+ kB/);
    expect(stdout).toMatch(/├── migrations\/\n│ {3}├── 0001_init\.down\.sql +\d+ B/);
    expect(stdout).toContain("openapi.yaml");
    expect(stdout).toMatch(/Compliance: hipaa@1\.0\.0/);
    expect(stdout).toContain("What next:\n  cd ");
    expect(stdout).toContain("  npm install\n  npm test\n");
    for (const file of [
      "README.md",
      "COMPLIANCE.md",
      "openapi.yaml",
      "migrations/0001_init.up.sql",
      ".qlf/provenance.json",
    ]) {
      expect(existsSync(path.join(out, file)), file).toBe(true);
    }
    expect(existsSync(path.join(out, ".github/workflows/qlf.yml"))).toBe(true);
    expect(readdirSync(base).filter((name) => name.includes(".qlf-"))).toEqual([]); // no staging left
  });

  it("refuses a non-empty directory without --force (exit 1) and replaces it with --force", async () => {
    const out = path.join(base, "busy");
    await runQlf(["generate", BRIEF, "--out", out]);
    writeFileSync(path.join(out, "mine.txt"), "keep me");
    const refused = await runQlf(["generate", BRIEF, "--out", out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("is not empty");
    expect(refused.stderr).toContain("--force");
    expect(readFileSync(path.join(out, "mine.txt"), "utf8")).toBe("keep me");
    const forced = await runQlf(["generate", BRIEF, "--out", out, "--force"]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/^Replaced /);
    expect(existsSync(path.join(out, "mine.txt"))).toBe(false);
  });

  it("leaves out the workflow with --no-workflows", async () => {
    const out = path.join(base, "noflow");
    const { code } = await runQlf(["generate", BRIEF, "--out", out, "--no-workflows"]);
    expect(code).toBe(0);
    expect(existsSync(path.join(out, ".github"))).toBe(false);
  });

  it("reads the brief from a file and prints a JSON summary", async () => {
    const brief = path.join(base, "brief.md");
    writeFileSync(brief, "# Todo\n\nA todo list API where users add, complete and delete todos.\n");
    const out = path.join(base, "todo");
    const { code, stdout } = await runQlf(["generate", "-f", brief, "--out", out, "--json"]);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.stack).toBe("express");
    expect(summary.files.length).toBeGreaterThan(10);
    expect(summary.files.map((file: { path: string }) => file.path)).toContain("openapi.yaml");
    expect(summary.next).toEqual(expect.arrayContaining(["npm install", "npm test"]));
    expect(existsSync(path.join(out, "package.json"))).toBe(true);
  });

  it("says which stacks there are when asked for one that is not (exit 1), and writes nothing", async () => {
    const { code, stderr } = await runQlf([
      "generate",
      BRIEF,
      "--stack",
      "rails",
      "--out",
      path.join(base, "rails"),
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/Allowed choices are express, fastapi, gin/);
    expect(existsSync(path.join(base, "rails"))).toBe(false);
  });

  it("requires --out and a brief", async () => {
    expect((await runQlf(["generate", BRIEF])).code).toBe(1);
    const missing = await runQlf(["generate", "--out", path.join(base, "none")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no brief given");
  });
});
