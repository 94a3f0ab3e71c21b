import { describe, expect, it } from "vitest";
import {
  createRouter,
  fieldMarker,
  type IR,
  Ledger,
  LlmUnavailableError,
  mergeIr,
  understandBrief,
  understandBriefWithLlm,
} from "../../src/kernel/index.js";
import { draftIr } from "../fixtures/llm/echo-model.js";
import { catalog } from "../generate/helpers.js";
import { answer, fakeEnvironment, fakePort, routed, type Step } from "./fakes.js";

const brief = "Clinic API: patients book appointments with doctors. Patients pay a bill after each visit.";
const shop = "Shop API: customers place orders for products.";
const user = (messages: readonly { role: string; content: string }[]) =>
  messages.find((message) => message.role === "user")?.content ?? "";

/** A model that takes the draft IR from the prompt and edits it. */
function modelThat(edit: (ir: IR) => void): Step {
  return (call) => {
    const ir = draftIr(user(call.messages)) as unknown as IR;
    edit(ir);
    return answer(JSON.stringify(ir), 900, 700);
  };
}

function router(step: Step) {
  const port = fakePort([step]);
  return {
    port,
    router: createRouter({
      providers: [routed(port)],
      ledger: new Ledger(null),
      environment: fakeEnvironment(),
    }),
  };
}

const invoice: IR["entities"][number] = {
  name: "Invoice",
  plural: "Invoices",
  table: "invoices",
  route: "invoices",
  description: "An invoice sent to a patient",
  fields: [
    {
      name: "amount",
      column: "amount",
      type: "decimal",
      format: "money",
      required: true,
      unique: false,
      default: null,
      enumValues: null,
      maxLength: null,
      precision: 19,
      scale: 4,
      currency: "USD",
      sensitivity: [],
      searchable: false,
      description: "Amount due",
      origin: "brief",
      evidence: ["pay a bill", "words the brief never said"],
    },
  ],
  origin: "brief",
  evidence: ["bill"],
};

describe("understandBriefWithLlm", () => {
  const heuristic = understandBrief(brief, { overlayCatalog: catalog });

  it("asks for the IR as structured output and merges what the model adds, marked llm", async () => {
    const { port, router: r } = router(
      modelThat((ir) => {
        ir.entities.push(invoice);
        ir.relations.push({
          kind: "one-to-many",
          from: "Patient",
          to: "Invoice",
          foreignKey: null,
          joinTable: null,
          required: true,
          owned: true,
          label: "pays",
          origin: "brief",
          evidence: ["Patients pay a bill"],
        });
      }),
    );
    const result = await understandBriefWithLlm(
      brief,
      { overlayCatalog: catalog },
      { router: r, temperature: 0, maxTokens: 8192, fallback: false },
    );
    const call = port.calls[0];
    expect(call?.format).toMatchObject({ kind: "json", name: "qlf_ir" });
    expect(call?.format.kind === "json" && call.format.schema.$schema).toBe(
      "https://json-schema.org/draft/2020-12/schema",
    );
    const added = result.ir.entities.find((entity) => entity.name === "Invoice");
    expect(added).toMatchObject({ origin: "llm", evidence: ["bill"] });
    // Evidence the brief does not contain is dropped.
    expect(added?.fields[0]).toMatchObject({ origin: "llm", evidence: ["pay a bill"] });
    const relation = result.ir.relations.find((candidate) => candidate.to === "Invoice");
    expect(relation).toMatchObject({ origin: "llm", foreignKey: "patientId" });
    expect(result.additions).toEqual(["entity Invoice", "relation Patient one-to-many Invoice"]);
    expect(result.note).toBe("openai/m-1");
    // Everything the rules found is still there, unchanged.
    for (const entity of heuristic.ir.entities) {
      expect(result.ir.entities.find((candidate) => candidate.name === entity.name)).toEqual(entity);
    }
  });

  it("keeps the union of PII marks and overlays, and applies the overlays' marks to added fields", async () => {
    const before = understandBrief(shop, { overlayCatalog: catalog }).ir;
    const { router: r } = router(
      modelThat((ir) => {
        const customer = ir.entities.find((entity) => entity.name === "Customer");
        const product = ir.entities.find((entity) => entity.name === "Product");
        const sku = product?.fields.find((field) => field.name === "sku");
        if (sku) sku.sensitivity = ["pii"];
        const email = customer?.fields.find((field) => field.name === "email");
        if (email) email.sensitivity = []; // the model forgets a mark the rules set
        customer?.fields.push({
          ...(invoice.fields[0] as IR["entities"][number]["fields"][number]),
          name: "dateOfBirth",
          column: "date_of_birth",
          type: "date",
          format: null,
          precision: null,
          scale: null,
          currency: null,
          sensitivity: [],
          evidence: [],
        });
        ir.overlays.push({
          name: "gdpr",
          kind: "compliance",
          confidence: 1,
          reason: "detected",
          requiredBy: null,
          evidence: ["customers"],
        });
        ir.overlays.push({
          name: "no-such-overlay",
          kind: "domain",
          confidence: 1,
          reason: "detected",
          requiredBy: null,
          evidence: [],
        });
      }),
    );
    const result = await understandBriefWithLlm(
      shop,
      { overlayCatalog: catalog },
      { router: r, temperature: 0, maxTokens: 8192, fallback: false },
    );
    expect(before.overlays.map((selection) => selection.name)).not.toContain("gdpr");
    expect(result.ir.overlays.map((selection) => selection.name)).toContain("gdpr");
    expect(result.ir.overlays.map((selection) => selection.name)).not.toContain("no-such-overlay");
    expect(result.resolved.overlays.map((overlay) => overlay.name)).toContain("gdpr");
    const customer = result.ir.entities.find((entity) => entity.name === "Customer");
    const product = result.ir.entities.find((entity) => entity.name === "Product");
    expect(product?.fields.find((field) => field.name === "sku")?.sensitivity).toEqual(["pii"]);
    expect(customer?.fields.find((field) => field.name === "email")?.sensitivity).toEqual(["pii"]);
    // gdpr marks dateOfBirth as pii, although the model did not.
    expect(customer?.fields.find((field) => field.name === "dateOfBirth")).toMatchObject({
      sensitivity: ["pii"],
      origin: "llm",
    });
    expect(result.additions).toEqual(["overlay gdpr", "mark Product.sku: pii", "field Customer.dateOfBirth"]);
  });

  it("cannot weaken auth, grants, the stack or what the rules found", async () => {
    const secured = understandBrief(`${brief} Users sign in with JWT; admins manage doctors.`, {
      overlayCatalog: catalog,
    });
    const { router: r } = router(
      modelThat((ir) => {
        ir.auth.kind = "none";
        for (const role of ir.auth.roles)
          role.grants = [{ entity: "*", permissions: ["read", "create", "update", "delete", "act"] }];
        ir.stack.framework = "gin";
        ir.entities = ir.entities.slice(1);
        ir.operations = [];
        ir.nonFunctional.auditLog = null;
      }),
    );
    const result = await understandBriefWithLlm(
      `${brief} Users sign in with JWT; admins manage doctors.`,
      { overlayCatalog: catalog },
      {
        router: r,
        temperature: 0,
        maxTokens: 8192,
        fallback: false,
      },
    );
    expect(result.ir).toEqual(secured.ir);
    expect(result.additions).toEqual([]);
  });

  it("a schema-invalid answer goes back with the issues, then the heuristic IR is kept when allowed", async () => {
    const { port, router: r } = router(answer('{"irVersion": 2}'));
    const kept = await understandBriefWithLlm(
      brief,
      { overlayCatalog: catalog },
      { router: r, temperature: 0, maxTokens: 8192, fallback: true },
    );
    expect(port.calls).toHaveLength(2);
    expect(port.calls[1]?.messages.at(-1)?.content).toMatch(/did not match the schema: irVersion: /);
    expect(kept.ir).toEqual(heuristic.ir);
    expect(kept.note).toMatch(/kept the rule-based IR/);
    const { router: strict } = router(answer("not json"));
    await expect(
      understandBriefWithLlm(
        brief,
        { overlayCatalog: catalog },
        { router: strict, temperature: 0, maxTokens: 8192, fallback: false },
      ),
    ).rejects.toBeInstanceOf(LlmUnavailableError);
  });
});

describe("mergeIr", () => {
  it("drops relations and operations on unknown entities, and filters unknown fields and roles", () => {
    const base = understandBrief(brief, { overlayCatalog: catalog }).ir;
    const model = structuredClone(base);
    model.relations.push({ ...(base.relations[0] as IR["relations"][number]), from: "Ghost", to: "Patient" });
    model.operations.push({
      ...(base.operations[0] as IR["operations"][number]),
      id: "archivePatient",
      kind: "action",
      verb: "archive",
      entity: "Patient",
      filterBy: ["nope"],
      roles: ["superuser"],
      transition: { field: "missing", to: "archived", from: [] },
    });
    model.operations.push({
      ...(base.operations[0] as IR["operations"][number]),
      id: "listGhosts",
      entity: "Ghost",
    });
    const merged = mergeIr(base, model, brief, fieldMarker([]));
    const archive = merged.ir.operations.find((op) => op.id === "archivePatient");
    expect(archive).toMatchObject({ origin: "llm", filterBy: [], roles: [], transition: null, evidence: [] });
    expect(merged.dropped).toEqual([
      "relation Ghost → Patient: unknown entity",
      "operation listGhosts: unknown entity Ghost",
    ]);
  });
});
