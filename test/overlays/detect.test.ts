import { describe, expect, test } from "vitest";
import { compileDetector, detectOverlays, type OverlaySelection } from "../../src/kernel/index.js";
import { loadCatalog } from "../../src/services/overlay-files.js";
import { makeOverlay } from "./make-overlay.js";

const { catalog } = await loadCatalog();
const detect = compileDetector(catalog);
const summary = (selections: OverlaySelection[]) =>
  Object.fromEntries(selections.map((selection) => [selection.name, selection.evidence]));

describe("detectOverlays on the shipped catalog", () => {
  // [brief, detected overlays with their evidence (in brief order, as written)]
  const table: Array<[string, Record<string, string[]>]> = [
    [
      "HIPAA-compliant patient API with appointments",
      { healthcare: ["patient", "appointments"], hipaa: ["HIPAA"] },
    ],
    [
      "Dental practice system under HIPAA: patients have treatments performed by dentists, and each treatment is billed on an invoice",
      { healthcare: ["Dental", "patients", "treatments", "dentists", "treatment"], hipaa: ["HIPAA"] },
    ],
    ["Card game scoreboard: players, rounds and the cards each player holds", {}],
    ["Library card number lookup for members of our community library", {}],
    ["Todo list API with due dates and tags", {}],
    ["Graphic design portfolio for European artists", {}],
    ["Internal inventory tool for our warehouses: items with SKUs and stock movements", {}],
    [
      "Online store for coffee beans: product catalog, shopping cart, checkout and order history. Accept credit card payments via Stripe.",
      {
        ecommerce: ["Online store", "product", "catalog", "shopping cart", "checkout", "order"],
        // "payments" sits inside "card payments", which is the evidence.
        pci: ["checkout", "credit card", "card payments", "Stripe"],
      },
    ],
    [
      "Peer-to-peer money transfer app with wallets, a double-entry ledger and payouts to bank accounts",
      { fintech: ["money transfer", "wallets", "double-entry", "ledger", "payouts", "bank accounts"] },
    ],
    [
      "GDPR-compliant newsletter signup: store email and consent per purpose; subscribers can export their data and delete their account",
      { gdpr: ["GDPR", "consent", "export their data", "delete their account"] },
    ],
    [
      "Patient records system that stores PHI for a network of clinics",
      { healthcare: ["Patient", "clinics"], hipaa: ["Patient records", "PHI"] },
    ],
    [
      "Gestion des patients d'un cabinet médical, conforme au RGPD",
      { gdpr: ["RGPD"], healthcare: ["patients"] },
    ],
    [
      "We are a small PSP: merchants create payments with the card number and expiry, and can refund them",
      { fintech: ["PSP", "payments", "refund"], pci: ["payments", "card number"] },
    ],
  ];

  test.each(table)("%s", (brief, expected) => {
    expect(summary(detect(brief))).toEqual(expected);
  });

  test("one weak clinical word detects healthcare at low confidence; several make it certain", () => {
    const [one] = detect("A small app to keep track of patient visits");
    expect(one).toEqual({
      name: "healthcare",
      kind: "domain",
      confidence: 0.4,
      reason: "detected",
      requiredBy: null,
      evidence: ["patient"],
    });
    const [many] = detect("Clinic app: patients, physicians, prescriptions and lab results");
    expect(many?.confidence).toBe(1);
  });

  test("compliance words detect their overlay with full confidence", () => {
    for (const [brief, name] of [
      ["Must be HIPAA compliant", "hipaa"],
      ["PCI DSS scope must stay small", "pci"],
      ["Comply with the General Data Protection Regulation", "gdpr"],
    ] as const) {
      expect(detect(brief).find((selection) => selection.name === name)?.confidence, brief).toBe(1);
    }
  });

  test("matches on word boundaries only, Unicode letters included", () => {
    expect(detect("graphics, ephemeral, impatiently, Europe, pancakes")).toEqual([]);
    // A letter outside ASCII right before or after a keyword keeps it inside a word.
    expect(detect("épatient patienté")).toEqual([]);
    expect(summary(detect("«Patients»—and doctors"))).toEqual({ healthcare: ["Patients", "doctors"] });
  });

  test("a pattern counts once however often it matches", () => {
    expect(detect("card card card card card card card")).toEqual([]);
    expect(detect("payments payments payments")).toEqual([]);
  });

  test("evidence keeps the brief's spelling and drops case-insensitive repeats and words inside phrases", () => {
    const [pci] = detect("Store CREDIT CARD tokens; a credit card is never stored; Credit Card data");
    expect(pci?.evidence).toEqual(["CREDIT CARD"]);
    expect(detect("Protected   Health\nInformation")[0]?.evidence).toEqual(["Protected Health Information"]);
  });

  test("does not count what the brief says it does without", () => {
    expect(
      summary(detect("Riders pay per trip. We never store card numbers; the PSP keeps them.")),
    ).not.toHaveProperty("pci");
    expect(
      summary(detect("Orders are paid on pickup; we don't keep credit cards ourselves.")),
    ).not.toHaveProperty("pci");
    // Not negated: the same words as a requirement still count.
    expect(summary(detect("Customers pay by credit card at checkout."))).toHaveProperty("pci");
  });

  test("does not count a word that is only a value in a list", () => {
    expect(detect("Projects (title, track: AI, climate, fintech, open) are scored by judges.")).toEqual([]);
    expect(summary(detect("A fintech app: wallets (balance, currency) and transfers."))).toHaveProperty(
      "fintech",
    );
  });

  test("results are ordered by name and deterministic", () => {
    const brief = "HIPAA and GDPR compliant clinic with card payments and an online store";
    const first = detect(brief);
    expect(first.map((selection) => selection.name)).toEqual([
      "ecommerce",
      "gdpr",
      "healthcare",
      "hipaa",
      "pci",
    ]);
    expect(detect(brief)).toEqual(first);
    expect(detectOverlays(brief, catalog)).toEqual(first);
  });

  test("finishes on a 64 KiB brief and on adversarial input (speed: bench/overlays.bench.mjs)", () => {
    const paragraph =
      "Patients book appointments with dentists and pay outstanding balances by credit card under HIPAA. ";
    const large = paragraph.repeat(Math.floor((64 * 1024) / paragraph.length));
    expect(detect(large).map((selection) => selection.name)).toEqual(["healthcare", "hipaa", "pci"]);
    expect(detect(`${"a".repeat(64 * 1024)}!`)).toEqual([]);
    expect(detect("患者".repeat(32 * 1024))).toEqual([]);
  });
});

describe("compileDetector semantics", () => {
  test("threshold, certainAt and weights summed without floating-point error", () => {
    const overlay = makeOverlay({
      name: "demo",
      detection: {
        patterns: [
          { pattern: "alpha", weight: 0.7 },
          { pattern: "beta", weight: 0.3 },
          { pattern: "gamma", weight: 0.1 },
          { pattern: "delta", weight: 0.2 },
        ],
        threshold: 0.3,
        certainAt: 1,
      },
    });
    const run = compileDetector([overlay]);
    expect(run("alpha beta")[0]?.confidence).toBe(1); // 0.7 + 0.3 is exactly 1
    expect(run("gamma delta")[0]?.confidence).toBe(0.3); // 0.1 + 0.2 reaches 0.3
    expect(run("gamma")).toEqual([]);
  });

  test("an `unless` pattern rules the overlay out, on word boundaries", () => {
    const overlay = makeOverlay({
      name: "people",
      detection: { patterns: [{ pattern: "clinic", weight: 1 }], threshold: 1, unless: ["vet\\s+clinic"] },
    });
    const run = compileDetector([overlay]);
    expect(run("a dental clinic")).toHaveLength(1);
    expect(run("a vet clinic for cats")).toEqual([]);
    expect(run("a corvet clinic")).toHaveLength(1);
  });

  test("the shipped catalog: animals are no HIPAA patients, and being paid by bank transfer is no fintech", () => {
    expect(
      Object.keys(
        summary(detect("Veterinary clinic: owners, pets, appointments, treatments and vaccinations")),
      ),
    ).toEqual([]);
    expect(
      Object.keys(
        summary(
          detect("Tutors send invoices to families, who pay by bank transfer; we store the tutor's IBAN"),
        ),
      ),
    ).not.toContain("fintech");
  });

  test("an overlay without patterns is never detected", () => {
    const overlay = makeOverlay({ name: "quiet", detection: { patterns: [], threshold: 1 } });
    expect(compileDetector([overlay])("quiet please")).toEqual([]);
  });
});
