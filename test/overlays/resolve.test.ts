import { describe, expect, test } from "vitest";
import {
  ConfigError,
  fieldMarker,
  type Overlay,
  type OverlaySelection,
  ResolvedOverlays,
  resolveOverlays,
  UserInputError,
} from "../../src/kernel/index.js";
import { loadCatalog } from "../../src/services/overlay-files.js";
import { makeOverlay } from "./make-overlay.js";

const { catalog } = await loadCatalog();

function pick(name: string, overrides: Partial<OverlaySelection> = {}): OverlaySelection {
  return {
    name,
    kind: "compliance",
    confidence: 1,
    reason: "requested",
    requiredBy: null,
    evidence: [],
    ...overrides,
  };
}

describe("resolveOverlays: dependency closure", () => {
  test("healthcare pulls in hipaa as a dependency, with who required it", () => {
    const resolved = resolveOverlays(
      [pick("healthcare", { kind: "domain", reason: "detected", confidence: 0.4, evidence: ["patient"] })],
      catalog,
    );
    expect(ResolvedOverlays.parse(resolved)).toEqual(resolved);
    expect(resolved.selections).toEqual([
      {
        name: "healthcare",
        kind: "domain",
        confidence: 0.4,
        reason: "detected",
        requiredBy: null,
        evidence: ["patient"],
      },
      {
        name: "hipaa",
        kind: "compliance",
        confidence: 0.4,
        reason: "dependency",
        requiredBy: "healthcare",
        evidence: [],
      },
    ]);
    // Ordered by priority (hipaa 90, healthcare 50), then name.
    expect(resolved.overlays.map((overlay) => overlay.name)).toEqual(["hipaa", "healthcare"]);
    expect(
      resolved.controls.filter((control) => control.overlay === "hipaa").map((control) => control.id),
    ).toContain("164.312(b)");
  });

  test("an overlay both selected and required keeps its own reason; duplicates merge their evidence", () => {
    const resolved = resolveOverlays(
      [
        pick("fintech", { kind: "domain", reason: "detected", evidence: ["ledger"] }),
        pick("pci", { reason: "detected", confidence: 0.5, evidence: ["card"] }),
        pick("pci", { reason: "requested", confidence: 1, evidence: ["PCI", "card"] }),
      ],
      catalog,
    );
    expect(
      resolved.selections.map((selection) => [
        selection.name,
        selection.reason,
        selection.confidence,
        selection.evidence,
      ]),
    ).toEqual([
      ["fintech", "detected", 1, ["ledger"]],
      ["pci", "requested", 1, ["PCI", "card"]],
    ]);
  });

  test("every shipped combination resolves, and the result validates against its schema", () => {
    const names = catalog.map((overlay) => overlay.name);
    const all = resolveOverlays(
      names.map((name) => pick(name)),
      catalog,
    );
    expect(ResolvedOverlays.safeParse(all).success).toBe(true);
    expect(all.overlays.map((overlay) => overlay.name)).toEqual([
      "hipaa",
      "pci",
      "gdpr",
      "fintech",
      "healthcare",
      "ecommerce",
    ]);
    expect(resolveOverlays([], catalog)).toEqual({
      selections: [],
      overlays: [],
      rules: [],
      controls: [],
      decisions: [],
    });
  });

  test("an unknown name is a user error that lists the available overlays", () => {
    let error: unknown;
    try {
      resolveOverlays([pick("hipa")], catalog);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as UserInputError).message).toBe('unknown overlay "hipa"');
    expect((error as UserInputError).hint).toBe(
      "available overlays: ecommerce, fintech, gdpr, healthcare, hipaa, pci",
    );
  });

  test("a dependency cycle is a config error naming the cycle", () => {
    const cyclic = [
      makeOverlay({ name: "a", dependencies: ["b"] }),
      makeOverlay({ name: "b", dependencies: ["c"] }),
      makeOverlay({ name: "c", dependencies: ["a"] }),
    ];
    expect(() => resolveOverlays([pick("b")], cyclic)).toThrow(ConfigError);
    expect(() => resolveOverlays([pick("b")], cyclic)).toThrow("dependency cycle a → b → c → a");
  });
});

describe("resolveOverlays: merging rules", () => {
  test("list-valued rules are unioned, with every overlay that contributed", () => {
    const resolved = resolveOverlays(
      [pick("fintech", { kind: "domain" }), pick("hipaa"), pick("gdpr")],
      catalog,
    );
    const audit = resolved.rules.find(({ rule }) => rule.kind === "audit-log");
    expect(audit).toEqual({
      rule: { kind: "audit-log", on: ["phi", "cardholder", "pii"] },
      from: ["hipaa", "pci", "gdpr", "fintech"],
    });
    const masks = resolved.rules.find(({ rule }) => rule.kind === "mask-in-logs");
    expect(masks?.rule).toEqual({ kind: "mask-in-logs", marks: ["phi", "cardholder", "pii"] });
    // mark-sensitive merges per mark: fintech's account numbers join gdpr's personal data.
    const pii = resolved.rules.find(({ rule }) => rule.kind === "mark-sensitive" && rule.mark === "pii");
    expect(pii?.from).toEqual(["gdpr", "fintech"]);
    // Identical values are not conflicts.
    expect(resolved.rules.find(({ rule }) => rule.kind === "require-auth")).toEqual({
      rule: { kind: "require-auth", scheme: "jwt" },
      from: ["hipaa", "pci", "gdpr", "fintech"],
    });
  });

  test("retention keeps the longest period and records the decision", () => {
    const resolved = resolveOverlays([pick("fintech", { kind: "domain" }), pick("gdpr")], catalog);
    expect(resolved.rules.find(({ rule }) => rule.kind === "retention")).toEqual({
      rule: { kind: "retention", days: 1825 },
      from: ["fintech"],
    });
    expect(resolved.decisions).toEqual([
      {
        kind: "rule",
        rule: "retention",
        key: null,
        chosen: "fintech",
        over: ["pci", "gdpr"],
        reason: expect.stringContaining("the longest period wins"),
      },
    ]);
  });

  test("a single-valued conflict is decided by priority and recorded", () => {
    const strict = makeOverlay({
      name: "strict",
      priority: 20,
      rules: [{ kind: "rate-limit", requests: 10, windowSeconds: 60 }, { kind: "security-headers" }],
    });
    const loose = makeOverlay({
      name: "loose",
      priority: 5,
      rules: [{ kind: "rate-limit", requests: 1000, windowSeconds: 60 }, { kind: "security-headers" }],
    });
    const resolved = resolveOverlays([pick("loose"), pick("strict")], [loose, strict]);
    expect(resolved.rules).toEqual([
      { rule: { kind: "rate-limit", requests: 10, windowSeconds: 60 }, from: ["strict"] },
      { rule: { kind: "security-headers" }, from: ["strict", "loose"] },
    ]);
    expect(resolved.decisions).toEqual([
      {
        kind: "rule",
        rule: "rate-limit",
        key: null,
        chosen: "strict",
        over: ["loose"],
        reason:
          "rate-limit: kept requests=10 windowSeconds=60 from strict (priority 20) over loose (priority 5: requests=1000 windowSeconds=60); the higher priority wins",
      },
    ]);
  });

  test("equal priorities: the name first in alphabetical order wins, and the tie is said", () => {
    const a = makeOverlay({
      name: "alpha",
      rules: [{ kind: "require-auth", scheme: "oauth" }, { kind: "security-headers" }],
    });
    const b = makeOverlay({
      name: "beta",
      rules: [{ kind: "require-auth", scheme: "api-key" }, { kind: "security-headers" }],
    });
    const resolved = resolveOverlays([pick("beta"), pick("alpha")], [b, a]);
    expect(resolved.rules[0]).toEqual({ rule: { kind: "require-auth", scheme: "oauth" }, from: ["alpha"] });
    expect(resolved.decisions[0]?.chosen).toBe("alpha");
    expect(resolved.decisions[0]?.reason).toContain("equal priority");
  });

  test("the merged rules do not alias the catalog's (callers may not corrupt it)", () => {
    const resolved = resolveOverlays([pick("hipaa"), pick("gdpr")], catalog);
    const audit = resolved.rules.find(({ rule }) => rule.kind === "audit-log")?.rule;
    if (audit?.kind === "audit-log") audit.on.push("cardholder");
    const hipaa = catalog.find((overlay) => overlay.name === "hipaa") as Overlay;
    expect(hipaa.rules.find((rule) => rule.kind === "audit-log")).toEqual({ kind: "audit-log", on: ["phi"] });
  });
});

describe("fieldMarker", () => {
  test("marks field names from the mark-sensitive rules in force, on whole names", () => {
    const resolved = resolveOverlays(
      [pick("healthcare", { kind: "domain" }), pick("gdpr"), pick("pci")],
      catalog,
    );
    const marks = fieldMarker(resolved.rules.map(({ rule }) => rule));
    expect(marks("dateOfBirth")).toEqual(["phi", "pii"]);
    expect(marks("DOB")).toEqual(["phi", "pii"]);
    expect(marks("primaryDiagnosis")).toEqual(["phi"]);
    expect(marks("email")).toEqual(["pii"]);
    expect(marks("cardNumber")).toEqual(["cardholder"]);
    expect(marks("cvv")).toEqual(["cardholder"]);
    // Foreign keys and look-alikes are not marked.
    expect(marks("treatmentId")).toEqual([]);
    expect(marks("adobeId")).toEqual([]);
    expect(marks("name")).toEqual([]);
    expect(marks("expiryDate")).toEqual([]);
  });
});
