/**
 * The pipeline's own contract, with a small test stack (the real stacks have their own contract
 * tests and the golden trees): determinism, the workflow policy, duplicate detection naming both
 * producers, the stack/frontend choice, and COMPLIANCE.md tracing markers to file:line.
 */
import { describe, expect, it } from "vitest";
import {
  type GeneratedFile,
  type GenerationContext,
  generateApp,
  registerStack,
  type StackPlugin,
  UnsafePathError,
  UserInputError,
} from "../../src/kernel/index.js";
import { fixture, fixtures, GENERATOR_VERSION } from "./helpers.js";

/** Emits one line per rule in force, marked, and one test per rule, marked: enough to trace. */
function markerStack(extra: (context: GenerationContext) => GeneratedFile[] = () => []): StackPlugin {
  return {
    id: "gin",
    title: "Marker test stack",
    language: "go",
    generate(context) {
      const kinds = [...new Set(context.rules.map((rule) => rule.kind))].sort();
      const code = [
        "package main",
        "",
        ...kinds.map((kind) => `var ${kind.replaceAll("-", "_")} = true // qlf:control ${kind}`),
      ];
      const test = [
        "package main",
        "",
        ...kinds.flatMap((kind) => [
          `// qlf:test ${kind}`,
          "",
          `func Test_${kind.replaceAll("-", "_")}(t *testing.T) {}`,
        ]),
      ];
      return [
        { path: "main.go", content: `${code.join("\n")}\n`, mode: 0o644 },
        { path: "main_test.go", content: `${test.join("\n")}\n`, mode: 0o644 },
        { path: "docs/stack.md", content: "## Stack: marker\n\nRun `go test`.\n", mode: 0o644 },
        ...extra(context),
      ];
    },
    commands: {
      install: "go mod download",
      test: "go test ./...",
      build: "go build ./...",
      start: "go run .",
    },
    image: { baseImages: ["scratch"], port: 8080 },
    conventions: [],
  };
}

const options = { stack: "gin" as const, allowWorkflows: true, generatorVersion: GENERATOR_VERSION };

describe("generateApp", () => {
  registerStack(markerStack());

  it.each(fixtures.map((f) => [f.name, f] as const))(
    "is deterministic for %s (byte-identical trees)",
    (_name, f) => {
      const first = generateApp({
        ir: f.ir,
        overlays: f.resolved,
        options: { ...options, frontend: "none" },
      });
      const second = generateApp({
        ir: structuredClone(f.ir),
        overlays: structuredClone(f.resolved),
        options: { ...options, frontend: "none" },
      });
      expect(second.files).toEqual(first.files);
      expect(first.files.map((file) => file.path)).toEqual([...first.files.map((file) => file.path)].sort());
      expect(first.summary.fileCount).toBe(first.files.length);
    },
  );

  it("writes the workflow only when allowed", () => {
    const f = fixture("todo");
    const allowed = generateApp({ ir: f.ir, overlays: f.resolved, options });
    const denied = generateApp({
      ir: f.ir,
      overlays: f.resolved,
      options: { ...options, allowWorkflows: false },
    });
    const workflow = allowed.files.find((file) => file.path === ".github/workflows/qlf.yml");
    expect(workflow?.content).toContain("uses: quantumlayer/qlf-action@v1");
    expect(workflow?.content).toContain("command: verify");
    expect(workflow?.content).toMatch(
      /permissions:\n {2}contents: read\n {2}checks: write\n {2}pull-requests: write/,
    );
    expect(denied.files.some((file) => file.path.startsWith(".github/workflows/"))).toBe(false);
    expect(denied.files.find((file) => file.path === "README.md")?.content).not.toContain("qlf.yml");
  });

  it("refuses a stack that writes outside its lane, naming both producers", () => {
    registerStack(markerStack(() => [{ path: "README.md", content: "mine", mode: 0o644 }]));
    try {
      const f = fixture("todo");
      expect(() => generateApp({ ir: f.ir, overlays: f.resolved, options })).toThrow(
        /"README.md" \(gin\) and "README.md" \(ops\)|"README.md" \(ops\) and "README.md" \(gin\)/,
      );
    } finally {
      registerStack(markerStack());
    }
  });

  it("refuses a stack that writes an unsafe path", () => {
    registerStack(markerStack(() => [{ path: "../escape.txt", content: "x", mode: 0o644 }]));
    try {
      const f = fixture("todo");
      expect(() => generateApp({ ir: f.ir, overlays: f.resolved, options })).toThrow(UnsafePathError);
    } finally {
      registerStack(markerStack());
    }
  });

  it("says which stacks exist when asked for one that does not", () => {
    const f = fixture("todo");
    let error: unknown;
    try {
      generateApp({ ir: f.ir, overlays: f.resolved, options: { ...options, stack: "fastapi" } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as Error).message).toMatch(/^stack fastapi is not available yet; available: .*gin/);
  });

  it("records provenance: IR and brief hashes, overlays, per-agent counts", () => {
    const f = fixture("pharmacy-hipaa");
    const result = generateApp({ ir: f.ir, overlays: f.resolved, options });
    const provenance = JSON.parse(
      result.files.find((file) => file.path === ".qlf/provenance.json")?.content ?? "",
    );
    expect(provenance.briefSha256).toBe(f.ir.briefSha256);
    expect(provenance.irSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(provenance.provider).toBe("template");
    expect(provenance.overlays).toEqual(f.resolved.overlays.map((o) => `${o.name}@${o.version}`));
    expect(provenance.files).toMatchObject({ database: 2, api: 1, gin: 3, docs: 3 });
    const total = Object.values(provenance.files as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(total).toBe(result.files.length);
    expect(JSON.parse(result.files.find((file) => file.path === ".qlf/ir.json")?.content ?? "")).toEqual(
      f.ir,
    );
  });
});

describe("COMPLIANCE.md", () => {
  it("lists every HIPAA control with the implementing and testing file:line", () => {
    registerStack(markerStack());
    const f = fixture("pharmacy-hipaa");
    const result = generateApp({ ir: f.ir, overlays: f.resolved, options });
    const compliance = result.files.find((file) => file.path === "COMPLIANCE.md")?.content ?? "";
    const main = result.files.find((file) => file.path === "main.go")?.content.split("\n") ?? [];
    const test = result.files.find((file) => file.path === "main_test.go")?.content.split("\n") ?? [];
    expect(f.resolved.controls.length).toBeGreaterThan(5);
    for (const control of f.resolved.controls) {
      const row = compliance.split("\n").find((line) => line.startsWith(`| ${control.id}`));
      expect(row, control.id).toBeDefined();
      for (const kind of control.implementedBy) {
        // The code marker is on the implementing line itself.
        const codeLine = main.findIndex((line) => line.includes(`qlf:control ${kind}`)) + 1;
        expect(row).toContain(`main.go:${codeLine}`);
        // The test marker sits above the test: the location is the test's own line.
        const testLine = test.findIndex((line) => line.includes(`qlf:test ${kind}`)) + 3;
        expect(test[testLine - 1]).toMatch(/^func Test_/);
        expect(row).toContain(`main_test.go:${testLine}`);
      }
    }
    // Migration markers count too: encryption and soft delete are visible in the SQL.
    expect(compliance).toMatch(/migrations\/0001_init\.up\.sql:\d+/);
    expect(result.summary.gaps).toEqual([]);
    expect(compliance).not.toContain("**GAP:");
    expect(compliance).toContain(
      `**${f.resolved.controls.length} of ${f.resolved.controls.length} applicable controls traced; 0 gaps.**`,
    );
  });

  it("marks controls without markers as GAP in bold", () => {
    registerStack({
      ...markerStack(),
      generate: () => [{ path: "main.go", content: "package main\n", mode: 0o644 }],
    });
    try {
      const f = fixture("pharmacy-hipaa");
      const result = generateApp({ ir: f.ir, overlays: f.resolved, options });
      const compliance = result.files.find((file) => file.path === "COMPLIANCE.md")?.content ?? "";
      expect(compliance).toMatch(/\*\*GAP: no implementation of require-auth\*\*/);
      expect(compliance).toMatch(/\*\*GAP: no test of audit-log\*\*/);
      expect(result.summary.gaps).toContain("164.312(a)(1)");
    } finally {
      registerStack(markerStack());
    }
  });

  it("says so when no overlay applies", () => {
    const f = fixture("todo");
    const result = generateApp({ ir: f.ir, overlays: f.resolved, options });
    expect(result.files.find((file) => file.path === "COMPLIANCE.md")?.content).toContain("nothing to trace");
  });
});

describe("COMPLIANCE.md applicability", () => {
  it("lists rules with nothing to act on as not applicable instead of as gaps", () => {
    registerStack(markerStack());
    const f = fixture("shop-gdpr"); // pci comes in through ecommerce, but the shop stores no card numbers
    const result = generateApp({ ir: f.ir, overlays: f.resolved, options });
    const compliance = result.files.find((file) => file.path === "COMPLIANCE.md")?.content ?? "";
    const row = compliance.split("\n").find((line) => line.startsWith("| PCI-DSS-3.5.1"));
    expect(row).toContain("tokenize-card-data: not applicable (no card number field)");
    expect(row).toContain("encrypt-fields: not applicable (no field carries a mark to encrypt)");
    expect(row).toMatch(/\| not applicable \|$/);
    const trace = result.summary.controls.find((t) => t.control.id === "PCI-DSS-3.5.1");
    expect(trace).toMatchObject({ applicable: false, gap: false });
    // A control with one applicable kind is still traced for that kind.
    const partly = result.summary.controls.find((t) => t.control.id === "PCI-DSS-3.3.1");
    expect(partly).toMatchObject({ applicable: true, gap: false });
    expect(partly?.implementations.every((m) => m.rule === "mask-in-logs")).toBe(true);
    expect(compliance).toMatch(/applicable controls traced; 0 gaps; \d+ not applicable\.\*\*/);
  });
});
