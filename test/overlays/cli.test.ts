/** `qlf overlays list|describe` through the real bundled CLI (node bin/qlf.js). */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runQlf } from "../helpers/cli.js";

const repoWithOverlays = path.join(import.meta.dirname, "fixtures", "repo-with-overlays");
let brokenRepo: string;

beforeAll(async () => {
  // Written at test time: a broken YAML file cannot live in the tree (the formatter parses it).
  brokenRepo = await mkdtemp(path.join(tmpdir(), "qlf-overlays-"));
  await mkdir(path.join(brokenRepo, ".qlf", "overlays"), { recursive: true });
  await writeFile(
    path.join(brokenRepo, ".qlf", "overlays", "broken.yaml"),
    "name: broken\nkind: compliance\ndetection:\n  patterns: [\n    { pattern: x, weight: 1 }\n  threshold: 1\n",
  );
});

afterAll(async () => {
  await rm(brokenRepo, { recursive: true, force: true });
});

describe("qlf overlays list", () => {
  test("prints a table of the shipped overlays", async () => {
    const { code, stdout, stderr } = await runQlf(["overlays", "list"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+KIND\s+VERSION\s+PRIORITY\s+DEPENDS ON\s+RULES\s+CONTROLS$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual([
      "ecommerce",
      "fintech",
      "gdpr",
      "healthcare",
      "hipaa",
      "pci",
    ]);
    expect(stdout).toMatch(/^healthcare\s+domain\s+1\.0\.0\s+50\s+hipaa\s+\d+\s+\d+$/m);
  });

  test("--json, with --repo adding and overriding overlays (and saying so)", async () => {
    const { code, stdout } = await runQlf(["overlays", "list", "--json", "--repo", repoWithOverlays]);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as {
      overlays: Array<{ name: string; version: string; controls: number }>;
      decisions: Array<{ kind: string; overlay: string; chosen: string; over: string[] }>;
    };
    expect(parsed.overlays.map((overlay) => overlay.name)).toEqual([
      "ecommerce",
      "fintech",
      "gdpr",
      "healthcare",
      "hipaa",
      "pci",
      "sox",
    ]);
    expect(parsed.overlays.find((overlay) => overlay.name === "hipaa")).toMatchObject({
      version: "2.0.0",
      controls: 2,
    });
    expect(parsed.decisions).toEqual([
      expect.objectContaining({
        kind: "override",
        overlay: "hipaa",
        chosen: expect.stringMatching(/repo-with-overlays\/\.qlf\/overlays\/hipaa\.yaml$/),
        over: ["overlays/compliance/hipaa.yaml"],
      }),
    ]);
  });
});

describe("qlf overlays describe", () => {
  test("hipaa shows its controls, rules, detection and prompts", async () => {
    const { code, stdout, stderr } = await runQlf(["overlays", "describe", "hipaa"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^hipaa 1\.0\.0 \(compliance, priority 90\)$/m);
    for (const id of [
      "164.312(a)(1)",
      "164.312(a)(2)(iv)",
      "164.312(b)",
      "164.312(c)(1)",
      "164.312(d)",
      "164.316(b)(2)(i)",
    ]) {
      expect(stdout).toContain(`  ${id}  `);
    }
    expect(stdout).toMatch(/164\.312\(b\)\s+Audit controls\n\s+Every read, creation, change and deletion/);
    expect(stdout).toContain("implemented by: audit-log");
    expect(stdout).toContain("retention 2190 days");
    expect(stdout).toContain("Detection (detected at summed weight 1):");
    for (const agent of ["backend", "frontend", "database", "api", "test", "ops"])
      expect(stdout).toContain(`  ${agent}:\n`);
  });

  test("--json prints the overlay as validated data", async () => {
    const { code, stdout } = await runQlf(["overlays", "describe", "pci", "--json"]);
    expect(code).toBe(0);
    const { overlay } = JSON.parse(stdout) as { overlay: { name: string; rules: Array<{ kind: string }> } };
    expect(overlay.name).toBe("pci");
    expect(overlay.rules).toContainEqual({ kind: "tokenize-card-data", keepLastFour: true });
  });

  test("--repo describes the repository's replacement and notes the override", async () => {
    const { code, stdout } = await runQlf(["overlays", "describe", "hipaa", "--repo", repoWithOverlays]);
    expect(code).toBe(0);
    expect(stdout).toContain("HIPAA (our stricter house rules)");
    expect(stdout).toContain("HOUSE-RET-7");
    expect(stdout).toMatch(/Decisions:\n\s+- the repository's overlay "hipaa" replaces the shipped one/);
  });

  test("an unknown name exits 1 and lists the overlays", async () => {
    const { code, stdout, stderr } = await runQlf(["overlays", "describe", "hipa"]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      'qlf: error: no overlay named "hipa"\n  hint: available overlays: ecommerce, fintech, gdpr, healthcare, hipaa, pci\n',
    );
  });

  test("a broken repository overlay exits 1 with file:line:col", async () => {
    const { code, stderr } = await runQlf(["overlays", "list", "--repo", brokenRepo]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^qlf: error: .*\.qlf\/overlays\/broken\.yaml:6:3: invalid YAML: /);
    expect(stderr).not.toContain("    at ");
  });

  test("--help describes the sub-commands", async () => {
    const { code, stdout } = await runQlf(["overlays", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("list");
    expect(stdout).toContain("describe");
  });
});
