import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runQlf } from "../helpers/cli.js";

describe("qlf compile", () => {
  it("prints a readable summary with entities, overlays and evidence", async () => {
    const { code, stdout } = await runQlf([
      "compile",
      "Pharmacy API: pharmacists fill prescriptions for patients; HIPAA",
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain("Pharmacy API");
    expect(stdout).toMatch(/Prescription\s+medication/);
    expect(stdout).toContain('hipaa (compliance, 1.00)  evidence: "HIPAA"');
  });

  it("prints the IR as JSON from a file and from standard input", async () => {
    const file = path.join(tmpdir(), `qlf-brief-${process.pid}.md`);
    writeFileSync(file, "# Library\n\n- Members borrow books\n- Books have a title and an ISBN (unique)\n");
    const fromFile = await runQlf(["compile", "-f", file, "--json"]);
    expect(fromFile.code).toBe(0);
    const ir = JSON.parse(fromFile.stdout);
    expect(ir.app.name).toBe("Library");
    expect(ir.entities.map((e: { name: string }) => e.name)).toEqual(
      expect.arrayContaining(["Member", "Book"]),
    );
    const fromStdin = await runQlf(["compile", "-", "--json", "--stack", "fastapi"], { input: "todo api" });
    expect(JSON.parse(fromStdin.stdout).stack.framework).toBe("fastapi");
  });

  it("exits 1 with a message that says what to do", async () => {
    const empty = await runQlf(["compile", ""]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("the brief is empty");
    expect(empty.stderr).toContain("hint:");
    const missing = await runQlf(["compile", "-f", "/nonexistent/brief.md"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no such file");
    const badStack = await runQlf(["compile", "todo api", "--stack", "rails"]);
    expect(badStack.code).toBe(1);
    const unknownOverlay = await runQlf(["compile", "todo api", "--overlay", "sox"]);
    expect(unknownOverlay.code).toBe(1);
    expect(unknownOverlay.stderr).toContain("available overlays");
  });
});
