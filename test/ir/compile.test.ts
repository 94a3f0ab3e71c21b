import { beforeAll, describe, expect, it } from "vitest";
import {
  BriefError,
  compileBrief,
  IR,
  irJsonSchema,
  MAX_BRIEF_BYTES,
  type Overlay,
} from "../../src/kernel/index.js";
import { loadCatalog } from "../../src/services/overlay-files.js";

let overlayCatalog: Overlay[];
beforeAll(async () => {
  overlayCatalog = (await loadCatalog()).catalog;
});

const compile = (brief: string, extra: Partial<Parameters<typeof compileBrief>[1]> = {}): IR =>
  compileBrief(brief, { overlayCatalog, ...extra });
const entity = (ir: IR, name: string) => ir.entities.find((e) => e.name === name);
const relation = (ir: IR, from: string, to: string) =>
  ir.relations.find((r) => r.from === from && r.to === to);

describe("compileBrief: the issue's example", () => {
  const brief =
    "Dental practice system under HIPAA: patients have treatments performed by dentists, and each treatment is billed on an invoice";

  it("finds the four entities, their relations, healthcare + hipaa with evidence, and PHI marks", () => {
    const ir = compile(brief);
    expect(ir.entities.map((e) => e.name)).toEqual(["Patient", "Treatment", "Dentist", "Invoice"]);
    expect(relation(ir, "Patient", "Treatment")?.kind).toBe("one-to-many");
    expect(relation(ir, "Dentist", "Treatment")?.foreignKey).toBe("dentistId");
    expect(relation(ir, "Invoice", "Treatment")?.label).toContain("billed");
    const overlays = Object.fromEntries(ir.overlays.map((o) => [o.name, o]));
    expect(overlays.hipaa?.evidence).toContain("HIPAA");
    expect(overlays.healthcare?.evidence.length).toBeGreaterThan(0);
    expect(entity(ir, "Patient")?.fields.find((f) => f.name === "dateOfBirth")?.sensitivity).toContain("phi");
    expect(ir.nonFunctional.auditLog?.origin).toBe("overlay");
    expect(ir.auth.kind).not.toBe("none");
    expect(ir.app).toMatchObject({
      name: "Dental Practice System",
      slug: "dental-practice-system",
      kind: "api",
    });
  });

  it("is deterministic and valid against its own schema", () => {
    const first = JSON.stringify(compile(brief));
    expect(JSON.stringify(compile(brief))).toBe(first);
    expect(IR.safeParse(JSON.parse(first)).success).toBe(true);
  });
});

describe("compileBrief: reading the brief", () => {
  it("reads explicit fields with types, enums, uniqueness and money", () => {
    const ir = compile(
      "Products have a name, SKU (unique), price in EUR, stock qty and a status (draft, active, archived). Customers place orders for products.",
    );
    const product = entity(ir, "Product");
    expect(product?.fields.find((f) => f.name === "sku")).toMatchObject({ unique: true, type: "string" });
    expect(product?.fields.find((f) => f.name === "price")).toMatchObject({
      type: "decimal",
      format: "money",
      currency: "EUR",
    });
    expect(product?.fields.find((f) => f.name === "status")?.enumValues).toEqual([
      "draft",
      "active",
      "archived",
    ]);
    expect(relation(ir, "Customer", "Order")).toBeDefined();
  });

  it("turns synonyms and abbreviations into canonical fields", () => {
    const ir = compile("Patients (name, DOB, e-mail address, SSN) book appointments with doctors.");
    const names = entity(ir, "Patient")?.fields.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(["name", "dateOfBirth", "email", "ssn"]));
    expect(entity(ir, "Patient")?.fields.find((f) => f.name === "dateOfBirth")?.type).toBe("date");
    expect(relation(ir, "Patient", "Appointment")).toBeDefined();
    expect(relation(ir, "Doctor", "Appointment")).toBeDefined();
  });

  it("singularises irregular plurals and keeps compounds", () => {
    const ir = compile(
      "Lab analyses have many lab results; categories contain people? no: categories contain products.",
    );
    expect(ir.entities.map((e) => e.name)).toEqual(
      expect.arrayContaining(["LabResult", "Category", "Product"]),
    );
    expect(ir.entities.map((e) => e.name)).not.toContain("Categorie");
  });

  it("reads many-to-many, custom actions with transitions, searches and roles", () => {
    const ir = compile(
      "Students enroll in courses. Refunds must be approved by a manager. Customers can search products by name. Admins can delete students; clerks can only view courses.",
    );
    expect(ir.relations.find((r) => r.kind === "many-to-many")).toMatchObject({
      joinTable: "courses_students",
    });
    const approve = ir.operations.find((op) => op.id === "approveRefund");
    expect(approve?.transition).toMatchObject({ field: "status", to: "approved" });
    expect(approve?.roles).toEqual(["manager"]);
    expect(ir.operations.find((op) => op.kind === "search")?.searchBy).toEqual(["name"]);
    expect(ir.operations.find((op) => op.id === "deleteStudent")?.roles).toEqual(["admin"]);
    expect(ir.auth.kind).toBe("jwt");
  });

  it("reads non-functional requirements with their numbers", () => {
    const ir = compile(
      "Notes API with API keys. Rate limit 50 requests per minute, audit log of every change, soft delete, keep records for 7 years, idempotent writes.",
    );
    expect(ir.auth.kind).toBe("api-key");
    expect(ir.nonFunctional.rateLimit).toMatchObject({ requests: 50, windowSeconds: 60 });
    expect(ir.nonFunctional.retention?.days).toBe(7 * 365);
    for (const key of ["auditLog", "softDelete", "idempotency"] as const)
      expect(ir.nonFunctional[key]?.origin).toBe("brief");
  });

  it("infers the stack from the brief and lets flags override it", () => {
    expect(compile("Inventory service in Go for warehouses and products").stack.framework).toBe("gin");
    const py = compile("A FastAPI backend with a React dashboard for tracking devices");
    expect(py.stack).toMatchObject({ language: "python", framework: "fastapi", frontend: "react" });
    expect(py.app.kind).toBe("fullstack");
    expect(compile("todo api", { stack: "gin", frontend: "react" }).stack).toMatchObject({
      framework: "gin",
      frontend: "react",
      origin: "flag",
    });
  });

  it("applies requested overlays and their dependencies", () => {
    const ir = compile("Payments API: merchants accept payments", { overlays: ["fintech"] });
    const names = ir.overlays.map((o) => `${o.name}:${o.reason}`);
    expect(names).toEqual(expect.arrayContaining(["fintech:requested", "pci:dependency"]));
    expect(ir.nonFunctional.idempotency?.origin).toBe("overlay");
  });

  it("asks questions instead of silently guessing", () => {
    const ir = compile("todo api");
    expect(ir.entities.map((e) => e.name)).toEqual(["Todo"]);
    expect(ir.questions.map((q) => q.id)).toEqual(
      expect.arrayContaining(["entity.Todo.fields", "auth.kind"]),
    );
    expect(ir.confidence).toBeLessThan(0.7);
  });

  it("reads the structure of French, German and Spanish briefs, and leaves English ones alone", () => {
    const de = compile(
      "Wir brauchen ein Backend: Kunden (Name, E-Mail) und Fahrzeuge (Kennzeichen, Marke). Ein Kunde hat mehrere Fahrzeuge.",
    );
    expect(de.entities.map((e) => e.name)).toEqual(["Customer", "Vehicle"]);
    expect(relation(de, "Customer", "Vehicle")?.kind).toBe("one-to-many");
    expect(entity(de, "Vehicle")?.fields.map((f) => f.name)).toEqual(["licensePlate", "make"]);
    const es = compile(
      "Necesitamos una API para los pacientes y las citas con médicos. Cada paciente tiene muchas citas.",
    );
    expect(es.entities.map((e) => e.name)).toEqual(expect.arrayContaining(["Patient", "Appointment"]));
    const fr = compile(
      "Les clients (nom, prénom, téléphone) passent des commandes. Authentification par JWT, conforme au RGPD.",
    );
    expect(fr.overlays.map((o) => o.name)).toContain("gdpr");
    const en = compile("The client app: les clients is a French phrase; customers have orders.");
    expect(en.entities.map((e) => e.name)).not.toContain("Customers");
  });

  it("survives Unicode and non-English text", () => {
    for (const brief of [
      "Café ☕ orders: customers 顧客 place orders 📦 for products",
      "Gestión de pacientes y citas 🙂",
      "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 patients",
    ]) {
      try {
        IR.parse(compile(brief));
      } catch (error) {
        expect(error).toBeInstanceOf(BriefError);
      }
    }
  });
});

describe("compileBrief: bad input is a clear BriefError", () => {
  it.each([
    ["empty", "", "brief.empty"],
    ["whitespace", "  \n\t ", "brief.empty"],
    ["punctuation", "!!! ??? ...", "brief.empty"],
    ["binary", "\u0000\u0001\u0002binary\u0000junk", "brief.binary"],
    ["small talk", "hello, how are you today?", "brief.nothing-buildable"],
    ["too large", "patients ".repeat(MAX_BRIEF_BYTES / 8), "brief.too-large"],
  ])("%s", (_name, brief, code) => {
    expect(() => compile(brief)).toThrowError(expect.objectContaining({ code, name: "BriefError" }));
  });
});

it("publishes a JSON Schema for the IR", () => {
  const schema = irJsonSchema();
  expect(schema.$schema).toContain("2020-12");
  expect(Object.keys(schema.properties as object)).toEqual(
    expect.arrayContaining(["entities", "relations", "operations", "overlays"]),
  );
});
