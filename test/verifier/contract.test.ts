/** The contract gate's pure parts: code routes, the OpenAPI reader, sample values and credentials. */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  createValidator,
  extractRoutes,
  normaliseRoutePath,
  parseOpenApi,
  routeKey,
  serverCredentials,
  signHs256,
} from "../../src/kernel/index.js";
import { exercise } from "../../src/kernel/verifier/contract/exercise.js";
import { SampleCounter, sample } from "../../src/kernel/verifier/contract/samples.js";

describe("extractRoutes", () => {
  it("joins Express routers to their app.use mounts", () => {
    const routes = extractRoutes("express", [
      {
        path: "src/app.ts",
        content:
          'app.get("/healthz", h);\napp.use("/patients", patientRoutes(ctx));\napp.use("/v1/notes", auth, noteRouter);\n',
      },
      {
        path: "src/resources/patients/routes.ts",
        content:
          'export function patientRoutes(ctx) {\n  const router = Router();\n  router.get("/", list);\n  router.delete("/:id", remove);\n  return router;\n}\n',
      },
      {
        path: "src/notes.ts",
        content: 'export const noteRouter = express.Router();\nnoteRouter.post("/:noteId/pin", pin);\n',
      },
      { path: "test/app.test.ts", content: 'app.get("/only-in-tests", h);' },
    ]);
    expect(routes.map((r) => `${r.method} ${r.path} ${r.file}:${r.line}`)).toEqual([
      "GET /healthz src/app.ts:1",
      "GET /patients src/resources/patients/routes.ts:3",
      "DELETE /patients/{id} src/resources/patients/routes.ts:4",
      "POST /v1/notes/{noteId}/pin src/notes.ts:2",
    ]);
  });

  it("reads FastAPI decorators with router and include_router prefixes", () => {
    const routes = extractRoutes("fastapi", [
      {
        path: "app/main.py",
        content:
          'app = FastAPI()\napp.include_router(patients.router, prefix="/api")\n@app.get("/healthz")\ndef health(): ...\n',
      },
      {
        path: "app/routers/patients.py",
        content:
          'router = APIRouter(prefix="/patients")\n\n@router.get("/{patient_id}")\ndef get(patient_id): ...\n',
      },
    ]);
    expect(routes.map((r) => `${r.method} ${r.path} ${r.line}`)).toEqual([
      "GET /healthz 3",
      "GET /api/patients/{patient_id} 3",
    ]);
  });

  it("reads Gin groups", () => {
    const routes = extractRoutes("gin", [
      {
        path: "internal/api/router.go",
        content:
          'r := gin.New()\nr.GET("/healthz", h)\nv1 := r.Group("/v1")\np := v1.Group("/patients")\np.DELETE("/:id", s.delete)\n',
      },
    ]);
    expect(routes.map((r) => `${r.method} ${r.path} ${r.line}`)).toEqual([
      "GET /healthz 2",
      "DELETE /v1/patients/{id} 5",
    ]);
  });

  it("matches paths whatever the parameters are called", () => {
    expect(normaliseRoutePath("/a/:id/")).toBe("/a/{id}");
    expect(routeKey("get", "/a/{patientId}")).toBe(routeKey("GET", "/a/:id"));
  });
});

const DOC = `openapi: "3.1.0"
info: { title: t, version: "1" }
servers:
- url: http://localhost:8080/api
paths:
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: "#/components/schemas/ItemCreate" }
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Item" }
        "400":
          description: bad
      security:
      - Bearer: []
  /items/{id}:
    get:
      operationId: getItem
      parameters:
      - { name: id, in: path, required: true, schema: { type: string, format: uuid } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Item" }
components:
  securitySchemes:
    Bearer: { type: http, scheme: bearer }
  schemas:
    ItemCreate:
      type: object
      required: [name, phone]
      additionalProperties: false
      properties:
        name: { type: string, minLength: 1, maxLength: 8 }
        phone: { type: string, pattern: "^\\\\+?[0-9][0-9 ().-]{5,19}$" }
        price: { type: string, format: decimal }
        ownerId: { type: string, format: uuid }
    Item:
      type: object
      required: [id, name]
      additionalProperties: false
      properties:
        id: { type: string, format: uuid }
        name: { type: string }
        createdAt: { type: string, format: date-time }
`;

describe("parseOpenApi", () => {
  it("lists operations with their lines, parameters, bodies, responses and security", () => {
    const parsed = parseOpenApi(DOC);
    if (!parsed.ok) throw new Error(parsed.message);
    const { doc } = parsed;
    expect(doc.basePath).toBe("/api");
    expect(doc.securitySchemes).toEqual({ Bearer: { type: "bearer" } });
    expect(doc.operations.map((op) => [op.id, op.method, op.path, op.line, op.secured])).toEqual([
      ["createItem", "POST", "/items", 7, true],
      ["getItem", "GET", "/items/{id}", 25, false],
    ]);
    expect(doc.operations[0]?.responses.map((r) => [r.status, r.line, r.json])).toEqual([
      ["201", 15, true],
      ["400", 20, false],
    ]);
    expect(doc.operations[1]?.parameters).toEqual([
      { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } },
    ]);
  });

  it("refuses what is not an OpenAPI 3 document, with the line", () => {
    expect(parseOpenApi("swagger: '2.0'\npaths: {}\n")).toMatchObject({
      ok: false,
      message: expect.stringContaining("not an OpenAPI 3"),
    });
    expect(parseOpenApi("openapi: 3.1.0\npaths:\n  /a: [\n")).toMatchObject({ ok: false, line: 4 });
  });

  it("validates bodies against component schemas", () => {
    const parsed = parseOpenApi(DOC);
    if (!parsed.ok) throw new Error(parsed.message);
    const validator = createValidator(parsed.doc);
    const schema = { $ref: "#/components/schemas/Item" };
    expect(validator.validate(schema, { id: "0f8fad5b-d9cb-469f-a165-70867728950e", name: "a" })).toEqual([]);
    expect(validator.validate(schema, { id: "nope", extra: 1 })).toEqual([
      "(body) must have required property 'name'",
      "(body) must NOT have additional properties (extra)",
      '/id must match format "uuid"',
    ]);
  });
});

describe("sample", () => {
  it("makes valid, distinct values from schemas", () => {
    const parsed = parseOpenApi(DOC);
    if (!parsed.ok) throw new Error(parsed.message);
    const counter = new SampleCounter();
    const context = {
      components: parsed.doc.components,
      optional: true,
      override: (name: string) => (name === "ownerId" ? "owner-id" : undefined),
    };
    const first = sample({ $ref: "#/components/schemas/ItemCreate" }, context, counter);
    const second = sample({ $ref: "#/components/schemas/ItemCreate" }, context, counter);
    expect(first).toEqual({ name: "verify-1", phone: "+15551234567", price: "12.50", ownerId: "owner-id" });
    expect(second).toMatchObject({ name: "verify-4" });
    const validator = createValidator(parsed.doc);
    expect(
      validator.validate(
        { $ref: "#/components/schemas/ItemCreate" },
        { ...(first as object), ownerId: "0f8fad5b-d9cb-469f-a165-70867728950e" },
      ),
    ).toEqual([]);
  });

  it("respects formats, enums, ranges and lengths", () => {
    const counter = new SampleCounter();
    const of = (schema: object) => sample(schema as never, { components: {} }, counter);
    expect(of({ type: "string", format: "email" })).toMatch(/^verify\d+@example\.com$/);
    expect(of({ type: "string", format: "date" })).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(of({ type: ["string", "null"], enum: [null, "pending", "done"] })).toBe("pending");
    expect(of({ type: "integer", minimum: 5, maximum: 9 })).toBe(5);
    expect(of({ type: "number", maximum: 1 })).toBe(1);
    expect(of({ type: "string", minLength: 20 })).toHaveLength(20);
    expect(of({ type: "string", pattern: "^[A-Z]{3}$" })).toBe("USD");
  });
});

describe("serverCredentials", () => {
  const ports = { randomHex: (bytes: number) => "ab".repeat(bytes), unixSeconds: () => 1_700_000_000 };
  const parsed = parseOpenApi(DOC);
  if (!parsed.ok) throw new Error(parsed.message);

  it("signs HS256 tokens with a fresh JWT_SECRET and the role claim", () => {
    const creds = serverCredentials(
      null,
      parsed.doc,
      "JWT_SECRET=change-me\nDATA_ENCRYPTION_KEY=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nLOG_LEVEL=info\n",
      ports,
    );
    expect(creds.env.JWT_SECRET).toBe("ab".repeat(32));
    expect(Buffer.from(creds.env.DATA_ENCRYPTION_KEY ?? "", "base64")).toHaveLength(32);
    expect(creds.env.LOG_LEVEL).toBe("warn");
    const token = creds.headersFor("admin").Authorization?.replace("Bearer ", "") ?? "";
    const [header, payload, signature] = token.split(".");
    expect(
      createHmac("sha256", creds.env.JWT_SECRET ?? "")
        .update(`${header}.${payload}`)
        .digest("base64url"),
    ).toBe(signature);
    expect(JSON.parse(Buffer.from(payload ?? "", "base64url").toString())).toEqual({
      sub: "qlf-verify-admin",
      role: "admin",
      iat: 1_700_000_000,
      exp: 1_700_000_900,
    });
    expect(signHs256({ a: 1 }, "k").split(".")).toHaveLength(3);
  });

  it("hands out one API key per role", () => {
    const apiKeyDoc = {
      ...parsed.doc,
      securitySchemes: { Key: { type: "apiKey" as const, header: "X-API-Key" } },
    };
    const creds = serverCredentials(null, apiKeyDoc, undefined, ports);
    expect(creds.env.API_KEYS).toBe(`qlf-verify-${"ab".repeat(16)}:admin`);
    expect(creds.headersFor("admin")).toEqual({ "X-API-Key": `qlf-verify-${"ab".repeat(16)}` });
  });
});

const SERVED = `openapi: "3.1.0"
info: { title: t, version: "1" }
paths:
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: "#/components/schemas/ItemCreate" }
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Item" }
        "400": { description: bad, content: { application/json: { schema: { $ref: "#/components/schemas/Error" } } } }
        "401": { description: who, content: { application/json: { schema: { $ref: "#/components/schemas/Error" } } } }
      security:
      - Bearer: []
  /items/{id}:
    get:
      operationId: getItem
      parameters:
      - { name: id, in: path, required: true, schema: { type: string, format: uuid } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Item" }
        "401": { description: who, content: { application/json: { schema: { $ref: "#/components/schemas/Error" } } } }
        "404": { description: none, content: { application/json: { schema: { $ref: "#/components/schemas/Error" } } } }
      security:
      - Bearer: []
components:
  securitySchemes:
    Bearer: { type: http, scheme: bearer }
  schemas:
    Error: { type: object, required: [error], properties: { error: { type: string } } }
    ItemCreate: { type: object, required: [name], additionalProperties: false, properties: { name: { type: string } } }
    Item: { type: object, required: [id, name], additionalProperties: false, properties: { id: { type: string, format: uuid }, name: { type: string } } }
`;

describe("exercise (the contract gate's calls, against a fake app)", () => {
  const ID = "0f8fad5b-d9cb-469f-a165-70867728950e";
  type Faults = { acceptEmpty?: boolean; crash?: boolean; dropName?: boolean; open?: boolean };
  function fakeApp(faults: Faults) {
    const items = new Map<string, { id: string; name: string }>();
    return async (request: {
      method: string;
      url: string;
      headers: Readonly<Record<string, string>>;
      body?: string;
    }) => {
      const reply = (status: number, body: unknown) => ({
        ok: true as const,
        status,
        headers: {},
        body: JSON.stringify(body),
      });
      if (!faults.open && request.headers.Authorization === undefined)
        return reply(401, { error: "unauthorized" });
      const path = new URL(request.url).pathname;
      if (request.method === "POST" && path === "/items") {
        const body = JSON.parse(request.body ?? "{}") as { name?: string };
        if (body.name === undefined && !faults.acceptEmpty) return reply(400, { error: "name is required" });
        if (faults.crash) return reply(500, { error: "boom" });
        const item = { id: ID, name: body.name ?? "" };
        items.set(ID, item);
        return reply(201, faults.dropName ? { id: ID } : item);
      }
      const item = items.get(path.split("/")[2] ?? "");
      return item === undefined
        ? reply(404, { error: "not found" })
        : reply(200, faults.dropName ? { id: item.id } : item);
    };
  }
  async function run(faults: Faults) {
    const parsed = parseOpenApi(SERVED);
    if (!parsed.ok) throw new Error(parsed.message);
    const credentials = serverCredentials(null, parsed.doc, undefined, {
      randomHex: (n) => "cd".repeat(n),
      unixSeconds: () => 1,
    });
    return exercise({
      doc: parsed.doc,
      plan: null,
      credentials,
      validator: createValidator(parsed.doc),
      baseUrl: "http://app.test",
      call: fakeApp(faults),
      serverOutput: () => "the server's last line",
    });
  }
  const rules = (result: Awaited<ReturnType<typeof run>>) =>
    result.findings.map((f) => `${f.severity} ${f.rule} ${f.line}`);

  it("finds nothing wrong with an app that keeps its contract", async () => {
    const result = await run({});
    expect(result.findings).toEqual([]);
    expect(result).toMatchObject({ operations: 2, succeeded: 2 });
  });

  it.each([
    [{ acceptEmpty: true }, ["error contract/request-validation 5"]],
    [{ crash: true }, ["error contract/server-error 5"]],
    [{ dropName: true }, ["error contract/response-schema 13", "error contract/response-schema 28"]],
    [{ open: true }, ["error contract/auth 5", "error contract/auth 23"]],
  ])("reports %j at the operation or response it breaks", async (faults, expected) => {
    const result = await run(faults);
    expect(rules(result).filter((r) => r.startsWith("error"))).toEqual(expected);
  });
});
