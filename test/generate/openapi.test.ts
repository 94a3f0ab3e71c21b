/**
 * The api agent's OpenAPI document: valid OpenAPI 3.1 for every fixture (a maintained validator),
 * every component schema a valid JSON Schema 2020-12 under Ajv's strict mode, every $ref
 * resolvable, and exactly the plan's routes, parameters and responses (the plan is what stacks
 * serve, so document and code agree).
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import formats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { apiAgent, buildOpenApi } from "../../src/kernel/agents/api/index.js";
import { contextFor, fixture, fixtures } from "./helpers.js";

type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string;
        parameters?: Array<{ name: string; in: string; required: boolean }>;
        responses: Record<string, unknown>;
        requestBody?: unknown;
        security?: unknown[];
      }
    >
  >;
  components: { schemas: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
};

function documentOf(name: string): { doc: Doc; yaml: string } {
  const [file] = apiAgent(contextFor(fixture(name)));
  const yaml = file?.content ?? "";
  return { doc: parse(yaml) as Doc, yaml };
}

function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refs(item, out);
  else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string") out.push(item);
      else refs(item, out);
    }
  }
  return out;
}

describe.each(fixtures.map((f) => [f.name] as const))("openapi.yaml for %s", (name) => {
  it("is valid OpenAPI 3.1 (@seriousme/openapi-schema-validator)", async () => {
    const { doc } = documentOf(name);
    expect(doc.openapi).toBe("3.1.0");
    const validator = new Validator();
    const result = await validator.validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("has component schemas that compile under Ajv strict mode, and every $ref resolves", () => {
    const { doc } = documentOf(name);
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    // ajv-formats is CommonJS: its default export arrives as the module namespace under NodeNext.
    const addFormats = (formats as unknown as { default: (ajv: Ajv2020) => void }).default ?? formats;
    addFormats(ajv);
    ajv.addFormat("decimal", /^-?[0-9]+(\.[0-9]+)?$/);
    ajv.addFormat("card-number", /^[0-9]{12,19}$/);
    ajv.addKeyword("x-qlf-sensitivity");
    ajv.addKeyword("x-qlf-encrypted");
    // Ajv resolves $refs within one schema resource: move the components under $defs.
    const defs = JSON.parse(
      JSON.stringify(doc.components.schemas).replaceAll("#/components/schemas/", "#/$defs/"),
    );
    ajv.addSchema({ $id: "doc", $defs: defs });
    for (const ref of refs(doc)) {
      expect(ref).toMatch(/^#\/components\/schemas\/[A-Za-z0-9]+$/);
      const target = ref.split("/").at(-1) ?? "";
      expect(doc.components.schemas, ref).toHaveProperty(target);
    }
    for (const schemaName of Object.keys(doc.components.schemas)) {
      expect(() => ajv.getSchema(`doc#/$defs/${schemaName}`), schemaName).not.toThrow();
      expect(ajv.getSchema(`doc#/$defs/${schemaName}`), schemaName).toBeTypeOf("function");
    }
  });

  it("documents exactly the plan's routes, parameters, bodies, responses and security", () => {
    const f = fixture(name);
    const { plan } = contextFor(f);
    const { doc } = documentOf(name);
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(
      ["GET /healthz", "GET /readyz", ...plan.operations.map((op) => `${op.method} ${op.path}`)].sort(),
    );
    for (const op of plan.operations) {
      const documentedOp = doc.paths[op.path]?.[op.method.toLowerCase()];
      expect(documentedOp?.operationId).toBe(op.id);
      expect((documentedOp?.parameters ?? []).map((p) => `${p.in}:${p.name}:${p.required}`)).toEqual(
        op.parameters.map((p) => `${p.in}:${p.name}:${p.required}`),
      );
      expect(Object.keys(documentedOp?.responses ?? {}).map(Number)).toEqual(
        op.responses.map((r) => r.status),
      );
      expect(documentedOp?.requestBody !== undefined).toBe(op.requestBody !== null);
      expect((documentedOp?.security ?? []).length > 0).toBe(op.auth.required);
      // Path template parameters are declared.
      for (const segment of op.path.matchAll(/\{([^}]+)\}/g)) {
        expect(op.parameters.some((p) => p.in === "path" && p.name === segment[1])).toBe(true);
      }
    }
  });

  it("is deterministic", () => {
    expect(documentOf(name).yaml).toBe(documentOf(name).yaml);
  });
});

describe("the validator itself", () => {
  it("rejects a broken document (so the checks above can fail)", async () => {
    const { doc } = documentOf("todo");
    const broken = structuredClone(doc) as Doc & { info?: unknown };
    delete broken.info;
    const result = await new Validator().validate(broken as never);
    expect(result.valid).toBe(false);
  });
});

describe("overlay effects visible in the document", () => {
  it("PCI: card numbers are write-only, responses carry only the last four", () => {
    const { doc } = documentOf("payments-fintech");
    const schemas = doc.components.schemas as Record<
      string,
      { properties: Record<string, unknown>; required?: string[] }
    >;
    expect(Object.keys(schemas.Payment?.properties ?? {})).toContain("cardLast4");
    expect(Object.keys(schemas.Payment?.properties ?? {})).not.toContain("cardNumber");
    expect(Object.keys(schemas.PaymentCreate?.properties ?? {})).toContain("cardNumber");
    expect(Object.keys(schemas.PaymentCreate?.properties ?? {})).not.toContain("cardLast4");
    expect(Object.keys(schemas.PaymentCreate?.properties ?? {})).not.toContain("cvv");
    expect(schemas.Payment?.properties.amount).toMatchObject({ type: "string", format: "decimal" });
    const create = doc.paths["/payments"]?.post;
    expect(
      create?.parameters?.some((p) => p.name === "Idempotency-Key" && p.in === "header" && p.required),
    ).toBe(true);
    expect(doc.components.securitySchemes).toHaveProperty("ApiKeyAuth");
  });

  it("GDPR: export and erasure endpoints, consent fields", () => {
    const { doc } = documentOf("shop-gdpr");
    expect(doc.paths["/customers/{id}/export"]?.get).toBeDefined();
    expect(doc.paths["/customers/{id}/personal-data"]?.delete).toBeDefined();
    const customer = doc.components.schemas.Customer as { properties: Record<string, unknown> };
    expect(Object.keys(customer.properties)).toEqual(
      expect.arrayContaining([
        "consentMarketing",
        "consentAnalytics",
        "consentThirdPartySharing",
        "consentGivenAt",
      ]),
    );
    expect(customer.properties.email).toMatchObject({ "x-qlf-sensitivity": ["pii"] });
    const exported = doc.components.schemas.CustomerExport as {
      properties: { children: { properties: object } };
    };
    expect(Object.keys(exported.properties.children.properties)).toEqual(["orders"]);
  });

  it("no auth: no security schemes and open operations", () => {
    const doc = buildOpenApi(contextFor(fixture("todo")).plan) as unknown as Doc;
    expect(doc.components.securitySchemes).toBeUndefined();
    expect(doc.paths["/todos"]?.get?.security).toEqual([]);
  });
});
