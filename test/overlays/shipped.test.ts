/**
 * Contract test over every shipped overlay (the renovate pattern: one loop, the same checks for
 * each entry), plus the catalog as a whole.
 */
import { describe, expect, test } from "vitest";
import {
  Agent,
  GenerationRuleKind,
  loadOverlayCatalog,
  type Overlay,
  parseOverlay,
  requestedSelection,
  resolveOverlays,
} from "../../src/kernel/index.js";
import { readShippedOverlaySources } from "../../src/services/overlay-files.js";

const sources = await readShippedOverlaySources();
const { catalog } = loadOverlayCatalog(sources, []);
const byName = new Map(catalog.map((overlay) => [overlay.name, overlay]));

test("the six overlays ship, in their kind's directory", () => {
  expect(sources.map((source) => source.path)).toEqual([
    "overlays/compliance/gdpr.yaml",
    "overlays/compliance/hipaa.yaml",
    "overlays/compliance/pci.yaml",
    "overlays/domains/ecommerce.yaml",
    "overlays/domains/fintech.yaml",
    "overlays/domains/healthcare.yaml",
  ]);
  expect(catalog.map((overlay) => overlay.name)).toEqual([
    "ecommerce",
    "fintech",
    "gdpr",
    "healthcare",
    "hipaa",
    "pci",
  ]);
});

describe.each(sources.map((source) => [source.path, source] as const))("%s", (file, source) => {
  const overlay: Overlay = parseOverlay(source);

  test("is named after its file and lives in the directory of its kind", () => {
    expect(file).toBe(
      `overlays/${overlay.kind === "domain" ? "domains" : "compliance"}/${overlay.name}.yaml`,
    );
  });

  test("has detection patterns that compile and a threshold some of them can reach", () => {
    expect(overlay.detection.patterns.length).toBeGreaterThanOrEqual(5);
    for (const { pattern } of overlay.detection.patterns)
      expect(() => new RegExp(pattern, "iu")).not.toThrow();
    const total = overlay.detection.patterns.reduce((sum, pattern) => sum + pattern.weight, 0);
    expect(total).toBeGreaterThanOrEqual(overlay.detection.threshold);
    // The overlay's own name, used in a brief, is enough to detect it.
    const strongest = Math.max(...overlay.detection.patterns.map((pattern) => pattern.weight));
    expect(strongest).toBeGreaterThanOrEqual(overlay.detection.threshold);
  });

  test("has prompts for every agent", () => {
    for (const agent of Agent.options) {
      expect(overlay.prompts[agent]?.length ?? 0, `prompts.${agent}`).toBeGreaterThan(0);
    }
  });

  test("has rules, and controls with unique ids, each implemented by a rule in its dependency closure", () => {
    expect(overlay.rules.length).toBeGreaterThan(0);
    expect(overlay.controls.length).toBeGreaterThanOrEqual(3);
    const ids = overlay.controls.map((control) => control.id);
    expect(new Set(ids).size).toBe(ids.length);
    const closure = resolveOverlays([requestedSelection(overlay)], catalog);
    const kinds = new Set(closure.rules.map(({ rule }) => rule.kind));
    for (const control of overlay.controls) {
      expect(control.implementedBy.length).toBeGreaterThan(0);
      for (const kind of control.implementedBy) {
        expect(GenerationRuleKind.options).toContain(kind);
        expect(kinds.has(kind), `${control.id} implemented by ${kind}`).toBe(true);
      }
    }
  });

  test("every rule it sets is traced by at least one control of its closure", () => {
    const closure = resolveOverlays([requestedSelection(overlay)], catalog);
    const traced = new Set(closure.controls.flatMap((control) => control.implementedBy));
    for (const rule of overlay.rules) {
      if (rule.kind === "mark-sensitive" || rule.kind === "encrypt-fields" || rule.kind === "mask-in-logs") {
        // Marking is what the other rules key on; it is traced through them.
        continue;
      }
      expect(traced.has(rule.kind), `${overlay.name} sets ${rule.kind} but no control needs it`).toBe(true);
    }
  });
});

describe("regulatory content", () => {
  test("hipaa cites the Security Rule's technical safeguards and six-year retention", () => {
    const hipaa = byName.get("hipaa") as Overlay;
    expect(hipaa.controls.map((control) => control.id)).toEqual(
      expect.arrayContaining([
        "164.312(a)(1)",
        "164.312(a)(2)(iv)",
        "164.312(b)",
        "164.312(c)(1)",
        "164.312(d)",
        "164.316(b)(2)(i)",
      ]),
    );
    expect(hipaa.rules).toContainEqual({ kind: "retention", days: 2190 });
    expect(hipaa.rules).toContainEqual({ kind: "audit-log", on: ["phi"] });
    expect(hipaa.rules).toContainEqual({ kind: "encrypt-fields", marks: ["phi"] });
  });

  test("pci never keeps a full card number and cites PCI DSS v4.0 requirements", () => {
    const pci = byName.get("pci") as Overlay;
    expect(pci.rules).toContainEqual({ kind: "tokenize-card-data", keepLastFour: true });
    expect(pci.controls.map((control) => control.id)).toEqual(
      expect.arrayContaining([
        "PCI-DSS-3.3.1",
        "PCI-DSS-3.4.1",
        "PCI-DSS-3.5.1",
        "PCI-DSS-8.3.1",
        "PCI-DSS-10.2.1",
      ]),
    );
  });

  test("gdpr gives export, erasure and consent and cites the articles", () => {
    const gdpr = byName.get("gdpr") as Overlay;
    const kinds = gdpr.rules.map((rule) => rule.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(["data-export", "data-erasure", "consent-fields", "retention"]),
    );
    expect(gdpr.controls.map((control) => control.id)).toEqual(
      expect.arrayContaining([
        "GDPR-Art-5(1)(e)",
        "GDPR-Art-7",
        "GDPR-Art-15",
        "GDPR-Art-17",
        "GDPR-Art-20",
        "GDPR-Art-25",
        "GDPR-Art-32",
      ]),
    );
  });

  test("fintech uses decimal money 19/4 and idempotency keys on money movement", () => {
    const fintech = byName.get("fintech") as Overlay;
    expect(fintech.rules).toContainEqual({ kind: "decimal-money", precision: 19, scale: 4 });
    const idempotency = fintech.rules.find((rule) => rule.kind === "idempotency-keys");
    expect(idempotency?.kind === "idempotency-keys" && idempotency.on).toEqual(
      expect.arrayContaining(["transfer", "payment", "refund", "payout", "withdraw", "deposit"]),
    );
  });

  test("domains depend on their compliance regimes", () => {
    expect(byName.get("fintech")?.dependencies).toEqual(["pci"]);
    expect(byName.get("healthcare")?.dependencies).toEqual(["hipaa"]);
    expect(byName.get("ecommerce")?.dependencies).toEqual(["pci"]);
  });
});
