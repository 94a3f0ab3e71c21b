/**
 * One test per phrasing rule of the brief reader, each on a brief of its own (not a corpus brief),
 * so that a rule that stops working says which phrasing broke.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { compileBrief, type IR, type Overlay } from "../../src/kernel/index.js";
import { loadCatalog } from "../../src/services/overlay-files.js";

let overlayCatalog: Overlay[];
beforeAll(async () => {
  overlayCatalog = (await loadCatalog()).catalog;
});

const compile = (brief: string): IR => compileBrief(brief, { overlayCatalog });
const names = (ir: IR): string[] => ir.entities.map((e) => e.name);
const fieldsOf = (ir: IR, entity: string): string[] =>
  ir.entities.find((e) => e.name === entity)?.fields.map((f) => f.name) ?? [];
const links = (ir: IR): string[] => ir.relations.map((r) => `${r.from} ${r.kind} ${r.to}`);

describe("relations: who creates what", () => {
  it("makes the author of a record its parent", () => {
    const ir = compile(
      "Tenants file maintenance requests (title, description, urgency). Landlords manage buildings (address, floors).",
    );
    expect(links(ir)).toContain("Tenant one-to-many MaintenanceRequest");
  });

  it("reads the verb after a modal and a quantifier", () => {
    const ir = compile("Authors can write several articles (headline, body). Readers leave comments (text).");
    expect(links(ir)).toEqual(
      expect.arrayContaining(["Author one-to-many Article", "Reader one-to-many Comment"]),
    );
  });

  it("keeps a verb of permission a permission", () => {
    const ir = compile("Vendors (name, email) supply parts (sku, price). Admins can create vendors.");
    expect(links(ir).some((link) => link.startsWith("Admin"))).toBe(false);
    expect(names(ir)).not.toContain("Admin");
  });
});

describe("relations: what is not a relation", () => {
  it("does not link across a subordinate clause", () => {
    const ir = compile(
      "Sensor readings (value, unit, taken at) are stored as gateways forward them. Gateways have a name.",
    );
    expect(links(ir)).not.toContain("SensorReading one-to-many Gateway");
  });

  it("reads 'can track a thing' as what a person does, not as the person's fields", () => {
    const ir = compile(
      "Couriers deliver parcels (weight, barcode). Recipients can track a parcel by barcode.",
    );
    expect(fieldsOf(ir, "Recipient")).not.toContain("parcel");
    expect(links(ir)).not.toContain("Parcel one-to-many Recipient");
  });
});

describe("lists inside parentheses", () => {
  it("keeps a semicolon inside parentheses within the field list", () => {
    const ir = compile(
      "Crews log incidents (severity: minor, major, critical; reported at, location, summary).",
    );
    const incident = ir.entities.find((e) => e.name === "Incident");
    expect(incident?.fields.find((f) => f.name === "severity")?.enumValues).toEqual([
      "minor",
      "major",
      "critical",
    ]);
    expect(fieldsOf(ir, "Incident")).toEqual(expect.arrayContaining(["reportedAt", "location", "summary"]));
  });

  it("shares a suffix only within one item", () => {
    const ir = compile("Seasons (name, opening and closing date; ticket price).");
    expect(fieldsOf(ir, "Season")).toEqual(
      expect.arrayContaining(["name", "openingDate", "closingDate", "ticketPrice"]),
    );
  });
});

describe("a bare head noun after its compound", () => {
  it("means the compound named before it", () => {
    const ir = compile(
      "Audit findings (title, risk level) are raised by auditors. Managers respond to findings with action plans.",
    );
    expect(names(ir)).toContain("AuditFinding");
    expect(names(ir)).not.toContain("Finding");
  });

  it("reads 'a report' as the expense report of the brief", () => {
    const ir = compile(
      "Travel claims app. A traveller submits a claim with one or more receipts (date, amount, vendor).",
    );
    expect(links(ir)).toContain("TravelClaim one-to-many Receipt");
  });
});
