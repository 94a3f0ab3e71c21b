/** The runner: every registered gate keeps the contract, missing needs skip with a reason, time limits hold. */
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  GATE_IDS,
  listGates,
  PROFILED_STACKS,
  profileFor,
  registerBuiltinGates,
  UserInputError,
  type VerifyTarget,
} from "../../src/kernel/index.js";
import { verifyApp } from "../../src/services/verifier/index.js";

const CLOSED_PORT_URL = "postgres://postgres@127.0.0.1:1/postgres";

async function nodeApp(withModules: boolean): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "qlf-verify-runner-"));
  await writeFile(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "tiny", scripts: { test: "vitest run" } }),
  );
  await writeFile(path.join(dir, "index.ts"), "export const a = 1;\n");
  if (withModules) await mkdir(path.join(dir, "node_modules"));
  return dir;
}

describe("registered gates", () => {
  registerBuiltinGates();
  it("are the five, in order, each documented with a time limit", () => {
    expect(listGates().map((g) => g.id)).toEqual([...GATE_IDS]);
    for (const gate of listGates()) {
      expect(gate.title.length).toBeGreaterThan(3);
      expect(gate.description.length).toBeGreaterThan(60);
      expect(gate.timeoutMs).toBeGreaterThanOrEqual(60_000);
    }
  });

  it.each(PROFILED_STACKS)("declare well-formed needs for %s", (stack) => {
    const profile = profileFor(stack);
    const target = { profile } as unknown as VerifyTarget;
    for (const gate of listGates()) {
      for (const need of gate.needs(target)) {
        expect(need.why.length).toBeGreaterThan(5);
        if (need.kind === "tool") expect(profile.tools.map((t) => t.id)).toContain(need.tool);
      }
    }
  });
});

describe("verifyApp", () => {
  it("skips what cannot run here, saying why, and fails the run unless those gates are optional", async () => {
    const dir = await nodeApp(false);
    const report = await verifyApp({ dir, toolVersion: "0", install: false, databaseUrl: CLOSED_PORT_URL });
    const byGate = Object.fromEntries(report.gates.map((g) => [g.gate, g]));
    for (const gate of ["static", "unit", "contract"]) {
      expect(byGate[gate]?.status).toBe("skipped");
      expect(byGate[gate]?.reason).toMatch(
        /the dependencies are not installed \(run npm install, or drop --no-install\)/,
      );
    }
    expect(byGate.contract?.reason).toMatch(/^no PostgreSQL at .*; also, the dependencies are not installed/);
    expect(byGate.migration?.status).toBe("skipped");
    expect(byGate.migration?.reason).toMatch(
      /^no PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/postgres .*; a database is needed/,
    );
    expect(byGate.security?.status).toBe("passed");
    expect(report.status).toBe("failed");

    const lenient = await verifyApp({
      dir,
      toolVersion: "0",
      install: false,
      databaseUrl: CLOSED_PORT_URL,
      optional: ["static", "unit", "contract", "migration"],
    });
    expect(lenient.status).toBe("passed");
    expect(lenient.gates.filter((g) => g.required).map((g) => g.gate)).toEqual(["security"]);
  });

  it("stops a gate at its time limit and reports it errored", async () => {
    const dir = await nodeApp(true);
    const started = performance.now();
    const report = await verifyApp({
      dir,
      toolVersion: "0",
      gates: ["static"],
      timeoutMs: 200,
      install: false,
    });
    expect(report.gates[0]).toMatchObject({
      gate: "static",
      status: "errored",
      reason: "did not finish within 0 s (--timeout raises the limit)",
    });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("refuses a directory that is not there or whose stack it cannot tell", async () => {
    await expect(verifyApp({ dir: "/nonexistent/app", toolVersion: "0" })).rejects.toThrow(UserInputError);
    const empty = await mkdtemp(path.join(tmpdir(), "qlf-verify-empty-"));
    await expect(verifyApp({ dir: empty, toolVersion: "0" })).rejects.toThrow(/cannot tell which stack/);
  });
});

describe("security gate on the file tree", () => {
  it("reports workflows when they are not allowed, risky workflows when they are, and symlinks out of the tree", async () => {
    const dir = await nodeApp(false);
    await mkdir(path.join(dir, ".github", "workflows"), { recursive: true });
    const workflow = `on:\n  pull_request_target:\njobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n`;
    await writeFile(path.join(dir, ".github", "workflows", "ci.yml"), workflow);
    await symlink("/etc/passwd", path.join(dir, "passwd"));
    const refused = await verifyApp({ dir, toolVersion: "0", gates: ["security"], allowWorkflows: false });
    expect(refused.gates[0]?.findings.map((f) => [f.rule, f.path, f.line])).toEqual([
      ["security/file-placement", ".github/workflows/ci.yml", 1],
      ["security/file-placement", "passwd", null],
    ]);
    const allowed = await verifyApp({ dir, toolVersion: "0", gates: ["security"] });
    expect(allowed.gates[0]?.findings.map((f) => [f.rule, f.path, f.line])).toEqual([
      ["security/file-placement", "passwd", null],
      ["security/workflow", ".github/workflows/ci.yml", 2],
    ]);
  });
});
