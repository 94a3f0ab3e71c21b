/** planApi: the decisions every generator inherits, checked on the fixtures and on small IR edits. */
import { describe, expect, it } from "vitest";
import { ApiPlan, type GenerationRule, IR, planApi } from "../../src/kernel/index.js";
import { contextFor, fixture, fixtures } from "./helpers.js";

const planOf = (name: string) => contextFor(fixture(name)).plan;

describe("planApi", () => {
  it.each(fixtures.map((f) => [f.name] as const))("returns a valid plan for %s", (name) => {
    const plan = planOf(name);
    expect(ApiPlan.parse(plan)).toEqual(plan);
    // Every operation id and route is unique; static segments precede {id} for the same entity.
    const routes = plan.operations.map((op) => `${op.method} ${op.path}`);
    expect(new Set(routes).size).toBe(routes.length);
    expect(new Set(plan.operations.map((op) => op.id)).size).toBe(plan.operations.length);
    for (const entity of plan.entities) {
      const paths = plan.operations.filter((op) => op.entity === entity.name).map((op) => op.path);
      const search = paths.indexOf(`/${entity.route}/search`);
      if (search !== -1) expect(search).toBeLessThan(paths.indexOf(`/${entity.route}/{id}`));
    }
  });

  it("follows the REST contract for CRUD, list and actions", () => {
    const plan = planOf("pharmacy-hipaa");
    const op = (id: string) => plan.operations.find((candidate) => candidate.id === id);
    expect(op("listPrescriptions")).toMatchObject({
      method: "GET",
      path: "/prescriptions",
      defaultSort: "-createdAt",
      filterBy: ["status", "patientId"],
      sortBy: ["prescribedAt", "createdAt"],
    });
    expect(op("listPrescriptions")?.parameters.map((p) => p.name)).toEqual([
      "page",
      "pageSize",
      "sort",
      "status",
      "patientId",
    ]);
    expect(op("createPrescription")).toMatchObject({ method: "POST", successStatus: 201 });
    expect(op("createPrescription")?.responses[0]?.headers).toEqual(["Location"]);
    expect(op("deletePrescription")).toMatchObject({ method: "DELETE", successStatus: 204 });
    expect(op("fillPrescription")).toMatchObject({
      method: "POST",
      path: "/prescriptions/{id}/fill",
      transition: { field: "status", to: "filled", from: ["pending"] },
    });
    expect(op("fillPrescription")?.responses.map((r) => r.status)).toEqual([200, 400, 401, 403, 404, 409]);
  });

  it("derives roles from the operation's roles and the roles' grants", () => {
    const plan = planOf("pharmacy-hipaa");
    const auth = (id: string) => plan.operations.find((op) => op.id === id)?.auth;
    expect(auth("fillPrescription")).toEqual({
      required: true,
      permission: "act",
      roles: ["pharmacist"],
      anyRole: false,
    });
    expect(auth("deletePatient")).toEqual({
      required: true,
      permission: "delete",
      roles: ["admin"],
      anyRole: false,
    });
    expect(auth("listPatients")?.roles).toEqual(["pharmacist", "admin"]);
    expect(planOf("todo").operations.every((op) => !op.auth.required)).toBe(true);
  });

  it("HIPAA: encrypts and audits PHI, soft-deletes, drops the unenforceable UNIQUE on an encrypted column", () => {
    const plan = planOf("pharmacy-hipaa");
    const patient = plan.entities.find((entity) => entity.name === "Patient");
    expect(patient?.encryptedFields).toEqual(["dateOfBirth", "medicalRecordNumber", "allergies"]);
    expect(patient?.audit).toEqual({
      enabled: true,
      fields: ["dateOfBirth", "medicalRecordNumber", "allergies"],
    });
    expect(patient?.softDelete).toBe(true);
    expect(patient?.fields.find((f) => f.name === "medicalRecordNumber")?.unique).toBe(false);
    expect(plan.notes.join("\n")).toContain("medicalRecordNumber is encrypted");
    expect(plan.entities.find((entity) => entity.name === "Pharmacist")?.audit.enabled).toBe(false);
    expect(plan.tables.map((table) => table.name)).toContain("audit_log");
    expect(plan.env.map((v) => v.name)).toEqual(
      expect.arrayContaining(["JWT_SECRET", "DATA_ENCRYPTION_KEY", "DATABASE_URL"]),
    );
  });

  it("PCI: token + last four, never the number; security codes are not accepted", () => {
    const plan = planOf("payments-fintech");
    const payment = plan.entities.find((entity) => entity.name === "Payment");
    expect(payment?.card).toEqual({
      inputField: "cardNumber",
      tokenColumn: "card_token",
      last4Field: "cardLast4",
      last4Column: "card_last4",
    });
    const card = payment?.fields.find((f) => f.name === "cardNumber");
    expect(card).toMatchObject({ column: null, output: false, role: "card-number", masked: true });
    expect(payment?.fields.some((f) => f.name === "cvv")).toBe(false);
    const table = plan.tables.find((t) => t.name === "payments");
    expect(table?.columns.map((c) => c.name)).toEqual(expect.arrayContaining(["card_token", "card_last4"]));
    expect(table?.columns.some((c) => c.name === "card_number" || c.name === "cvv")).toBe(false);
    expect(plan.notes.join("\n")).toContain("Payment.cvv left out");
    expect(plan.maskedFields).toEqual(expect.arrayContaining(["cardNumber"]));
  });

  it("fintech: decimal money with a currency, idempotency on money-moving operations only", () => {
    const plan = planOf("payments-fintech");
    const amount = plan.entities.find((e) => e.name === "Payment")?.fields.find((f) => f.name === "amount");
    expect(amount?.decimal).toEqual({ precision: 19, scale: 4 });
    expect(amount?.schema).toMatchObject({
      type: "string",
      format: "decimal",
      pattern: "^-?[0-9]{1,15}(\\.[0-9]{1,4})?$",
    });
    const currency = plan.entities
      .find((e) => e.name === "Payment")
      ?.fields.find((f) => f.name === "currency");
    expect(currency).toMatchObject({ role: "money-currency", default: "EUR", currencyOf: ["amount"] });
    const idempotent = plan.operations.filter((op) => op.idempotent).map((op) => op.id);
    expect(idempotent).toEqual(["createPayment", "capturePayment", "createRefund", "approveRefund"]);
    expect(plan.rateLimit).toEqual({ requests: 100, windowSeconds: 60 }); // stricter than the IR's 120/60
  });

  it("GDPR: consent fields, export with owned children, erasure strategies", () => {
    const plan = planOf("shop-gdpr");
    const customer = plan.entities.find((entity) => entity.name === "Customer");
    expect(customer?.consentFields).toEqual([
      "consentMarketing",
      "consentAnalytics",
      "consentThirdPartySharing",
    ]);
    expect(customer?.fields.find((f) => f.name === "consentGivenAt")).toMatchObject({
      role: "consent-given-at",
      create: "forbidden",
      output: true,
    });
    expect(customer?.children.map((child) => child.key)).toEqual(["orders"]);
    const erase = Object.fromEntries(
      (customer?.fields ?? []).filter((f) => f.erase !== null).map((f) => [f.name, f.erase?.strategy]),
    );
    expect(erase).toEqual({
      firstName: "marker",
      lastName: "marker",
      email: "email",
      address: "null",
      postalCode: "null",
    });
    const ids = plan.operations.filter((op) => op.entity === "Customer").map((op) => op.id);
    expect(ids).toEqual(expect.arrayContaining(["exportCustomer", "eraseCustomerPersonalData"]));
    expect(plan.operations.find((op) => op.id === "eraseCustomerPersonalData")).toMatchObject({
      method: "DELETE",
      path: "/customers/{id}/personal-data",
      successStatus: 204,
      auth: { permission: "delete", roles: ["staff"] },
    });
    // Products hold no personal data: no export, no consent.
    expect(plan.operations.some((op) => op.entity === "Product" && op.kind === "export")).toBe(false);
    expect(plan.tables.find((t) => t.name === "products_tags")?.primaryKey).toEqual(["product_id", "tag_id"]);
  });

  it("drops filters and searches on encrypted fields, with a note", () => {
    const base = fixture("todo").ir;
    const ir = IR.parse({
      ...base,
      entities: base.entities.map((entity) => ({
        ...entity,
        fields: entity.fields.map((field) =>
          field.name === "title" ? { ...field, sensitivity: ["phi"] } : field,
        ),
      })),
    });
    const rules: GenerationRule[] = [{ kind: "encrypt-fields", marks: ["phi"] }];
    const plan = planApi(ir, rules);
    expect(plan.operations.some((op) => op.kind === "search")).toBe(false);
    expect(plan.notes.join("\n")).toMatch(/search on Todo.title dropped \(the field is encrypted\)/);
    expect(plan.tables[0]?.indexes.some((index) => index.columns.includes("title"))).toBe(false);
  });

  it("renames columns and tables that PostgreSQL reserves, and merges fields every entity already has", () => {
    const base = fixture("todo").ir;
    const [todo] = base.entities;
    const extra = (name: string, column: string) => ({
      ...todo?.fields[0],
      name,
      column,
      required: false,
      unique: false,
    });
    const ir = IR.parse({
      ...base,
      entities: [
        {
          ...todo,
          table: "user",
          fields: [
            ...(todo?.fields ?? []),
            extra("when", "when"),
            extra("order", "order"),
            extra("xmin", "xmin"),
            extra("id", "id"),
          ],
        },
      ],
    });
    const plan = planApi(ir, []);
    const entity = plan.entities[0];
    expect(entity?.table).toBe("user_records");
    const columns = Object.fromEntries((entity?.fields ?? []).map((f) => [f.name, f.column]));
    expect(columns).toMatchObject({ when: "when_value", order: "order_value", xmin: "xmin_value", id: "id" });
    expect(entity?.fields.filter((f) => f.name === "id")).toHaveLength(1);
    expect(plan.notes.join("\n")).toContain("Todo.id is provided by every entity");
  });

  it("accepts rules bare or as the resolver returns them", () => {
    const f = fixture("payments-fintech");
    expect(planApi(f.ir, f.resolved.rules)).toEqual(
      planApi(
        f.ir,
        f.resolved.rules.map(({ rule }) => rule),
      ),
    );
  });
});
