/**
 * Calls every operation of the OpenAPI document on the running app and checks each answer: the
 * status code is documented for the operation, the body matches the documented schema (required
 * fields, types, formats, no undocumented properties where the schema forbids them), secured
 * operations refuse calls without credentials, and unknown ids give 404.
 *
 * Requests are built from the document's schemas (and the plan, when there is one, for roles,
 * foreign keys and state transitions): records are created parents first, every other operation
 * runs on them, and deletions run on fresh records so nothing else depends on them.
 */
import type { ApiPlan, PlannedOperation } from "../../generate/plan-schema.js";
import type { HttpRequest, HttpResult } from "../gate.js";
import { type Finding, finding } from "../report.js";
import type { ServerCredentials } from "./credentials.js";
import {
  type ContractDocument,
  type DocOperation,
  isObject,
  type JsonObject,
  type ResponseValidator,
  resolveRef,
} from "./openapi.js";
import { SampleCounter, sample } from "./samples.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Expectation = "success" | "unauthorized" | "not-found" | "rejected";

export interface ExerciseInput {
  readonly doc: ContractDocument;
  readonly plan: ApiPlan | null;
  readonly credentials: ServerCredentials;
  readonly validator: ResponseValidator;
  readonly baseUrl: string;
  readonly call: (request: HttpRequest) => Promise<HttpResult>;
  /** The server's recent output, quoted with server errors. */
  readonly serverOutput: () => string;
}

export interface ExerciseResult {
  readonly findings: Finding[];
  readonly requests: number;
  readonly operations: number;
  /** Operations that answered with a documented 2xx at least once. */
  readonly succeeded: number;
}

const MISSING_ID = "00000000-0000-4000-8000-00000000dead";
const OPENAPI = "openapi.yaml";

interface Shape {
  readonly op: DocOperation;
  /** Path up to the first parameter: `/patients`. */
  readonly collection: string;
  /** `create`, `list`, `item` (has the record's id), `other`. */
  readonly role: "create" | "list" | "item" | "other";
  /** The record's id parameter, for item operations. */
  readonly idParam: string | null;
  readonly planned: PlannedOperation | undefined;
}

export async function exercise(input: ExerciseInput, docPath = OPENAPI): Promise<ExerciseResult> {
  const { doc, plan, credentials, validator } = input;
  const findings: Finding[] = [];
  const counter = new SampleCounter();
  const shapes = doc.operations.map((op) => shapeOf(op, plan));
  const entityOf = new Map<string, string>(); // collection → entity name
  for (const shape of shapes) {
    if (shape.role !== "create") continue;
    const name = shape.planned?.entity ?? entityFromSchema(shape.op);
    if (name !== null) entityOf.set(shape.collection, name);
  }
  const records = new Map<string, string>(); // entity (lower-case) → id of its main record
  const createFailures = new Map<string, string>(); // entity (lower-case) → why it could not be created
  const succeeded = new Set<DocOperation>();
  let requests = 0;

  const fkValue = (entity: string | undefined, property: string, schema: JsonObject): string | undefined => {
    if (schema.format !== "uuid" && !/Id$/.test(property)) return undefined;
    const planned =
      entity === undefined
        ? undefined
        : plan?.entities.find((e) => e.name === entity)?.fields.find((f) => f.name === property);
    const target = planned?.references?.entity ?? (/Id$/.test(property) ? property.slice(0, -2) : undefined);
    return target === undefined ? undefined : records.get(target.toLowerCase());
  };

  const send = async (
    shape: Shape,
    expect: Expectation,
    options: { id?: string; body?: Json; auth?: boolean } = {},
  ): Promise<{ status: number; json: unknown } | undefined> => {
    const { op } = shape;
    const entity = entityOf.get(shape.collection);
    let path = op.path;
    for (const parameter of op.parameters.filter((p) => p.in === "path")) {
      let value: string;
      if (parameter.name === shape.idParam)
        value = options.id ?? records.get((entity ?? "").toLowerCase()) ?? MISSING_ID;
      else
        value =
          fkValue(entity, parameter.name, parameter.schema) ??
          String(sample(parameter.schema, { components: doc.components }, counter));
      path = path.replace(`{${parameter.name}}`, encodeURIComponent(value));
    }
    const query = op.parameters
      .filter((p) => p.in === "query" && p.required)
      .map(
        (p) =>
          `${encodeURIComponent(p.name)}=${encodeURIComponent(String(sample(p.schema, { components: doc.components }, counter)))}`,
      );
    const headers: Record<string, string> = { Accept: "application/json" };
    for (const parameter of op.parameters.filter((p) => p.in === "header" && p.required)) {
      headers[parameter.name] = /idempotency/i.test(parameter.name)
        ? `qlf-verify-${counter.next()}`
        : String(sample(parameter.schema, { components: doc.components }, counter));
    }
    if (options.auth !== false && op.secured)
      Object.assign(headers, credentials.headersFor(roleFor(shape, credentials)));
    let body: string | undefined;
    if (op.requestBody !== null) {
      const value =
        options.body ??
        sample(
          op.requestBody.schema,
          {
            components: doc.components,
            optional: op.method === "PATCH" || op.method === "PUT",
            override: (property, schema) => fkValue(entity, property, schema),
            skip: (property, schema) =>
              (op.method === "PATCH" || op.method === "PUT") &&
              (schema.format === "uuid" || /Id$/.test(property)),
          },
          counter,
        );
      body = JSON.stringify(value);
      headers["Content-Type"] = "application/json";
    }
    const url = `${input.baseUrl}${doc.basePath}${path}${query.length > 0 ? `?${query.join("&")}` : ""}`;
    requests++;
    const result = await input.call({
      method: op.method,
      url,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    return check(shape, expect, result, `${op.method} ${path}`);
  };

  const explain = (shape: Shape): string => {
    if (shape.role !== "item") return "";
    const why = createFailures.get((entityOf.get(shape.collection) ?? "").toLowerCase());
    return why === undefined ? "" : `: ${why}`;
  };

  const check = (
    shape: Shape,
    expect: Expectation,
    result: HttpResult,
    label: string,
  ): { status: number; json: unknown } | undefined => {
    const { op } = shape;
    const at = { path: docPath, line: op.line };
    const name = op.id === null ? `${op.method} ${op.path}` : `${op.id} (${op.method} ${op.path})`;
    if (!result.ok) {
      findings.push(
        finding({
          gate: "contract",
          rule: "contract/no-answer",
          severity: "error",
          message: `${label}: no answer (${result.message})`,
          ...at,
        }),
      );
      return undefined;
    }
    const status = result.status;
    const documented =
      op.responses.find((r) => r.status === String(status)) ??
      op.responses.find((r) => r.status.toUpperCase() === `${Math.floor(status / 100)}XX`) ??
      op.responses.find((r) => r.status === "default");
    const snippet = result.body.length > 200 ? `${result.body.slice(0, 200)}…` : result.body;
    let json: unknown;
    if (result.body.trim() !== "") {
      try {
        json = JSON.parse(result.body);
      } catch {
        json = undefined;
      }
    }
    if (status >= 500) {
      const last = input.serverOutput().trim().split("\n").slice(-1)[0] ?? "";
      const log = last.length > 200 ? `${last.slice(0, 200)}…` : last;
      findings.push(
        finding({
          gate: "contract",
          rule: "contract/server-error",
          severity: "error",
          message: `${label} answered ${status}: ${snippet}${log === "" ? "" : ` (server: ${log.slice(0, 400)})`}`,
          ...at,
        }),
      );
      return { status, json };
    }
    if (documented === undefined) {
      findings.push(
        finding({
          gate: "contract",
          rule: "contract/undocumented-status",
          severity: "error",
          message: `${label} answered ${status}, which ${docPath} does not document for ${name} (documented: ${op.responses.map((r) => r.status).join(", ")})`,
          ...at,
        }),
      );
    } else if (documented.json && !(status === 204 && result.body === "")) {
      const where = { path: docPath, line: documented.line ?? op.line };
      if (json === undefined) {
        findings.push(
          finding({
            gate: "contract",
            rule: "contract/response-schema",
            severity: "error",
            message: `${label} answered ${status} with a body that is not JSON: ${snippet}`,
            ...where,
          }),
        );
      } else if (documented.schema !== null) {
        const errors = validator.validate(documented.schema, json);
        if (errors.length > 0) {
          findings.push(
            finding({
              gate: "contract",
              rule: "contract/response-schema",
              severity: "error",
              message: `${label} answered ${status} with a body that does not match the documented schema${schemaName(documented.schema)}: ${errors.join("; ")}`,
              ...where,
            }),
          );
        }
      }
    }
    if (expect === "success") {
      if (status >= 200 && status < 300) {
        succeeded.add(op);
        const created = op.method === "POST" && status === 201;
        const wanted = documented?.headers ?? [];
        for (const header of wanted) {
          if (header.toLowerCase() === "location" && created && result.headers.location === undefined) {
            findings.push(
              finding({
                gate: "contract",
                rule: "contract/response-header",
                severity: "warning",
                message: `${label} answered 201 without the documented Location header`,
                ...at,
              }),
            );
          }
        }
      } else if (
        documented !== undefined &&
        !(status === 403 && shape.planned?.auth.roles.length === 0 && shape.planned.auth.anyRole === false)
      ) {
        findings.push(
          finding({
            gate: "contract",
            rule: "contract/not-exercised",
            severity: "warning",
            message: `${label}: expected a success response but got ${status} (${snippet}); the success response of ${name} was not checked${explain(shape)}`,
            ...at,
          }),
        );
      }
    } else if (expect === "unauthorized" && status !== 401) {
      findings.push(
        finding({
          gate: "contract",
          rule: "contract/auth",
          severity: status < 300 ? "error" : "warning",
          message: `${label} without credentials answered ${status} instead of 401`,
          ...at,
        }),
      );
    } else if (expect === "rejected" && status < 300) {
      findings.push(
        finding({
          gate: "contract",
          rule: "contract/request-validation",
          severity: "error",
          message: `${label} accepted an empty body (${status}) that the documented request schema rejects`,
          ...at,
        }),
      );
    } else if (expect === "not-found" && status !== 404) {
      findings.push(
        finding({
          gate: "contract",
          rule: "contract/not-found",
          severity: status < 300 ? "error" : "warning",
          message: `${label} for an id that does not exist answered ${status} instead of 404`,
          ...at,
        }),
      );
    }
    return { status, json };
  };

  const create = async (shape: Shape, overrides: Record<string, Json> = {}): Promise<string | undefined> =>
    (await createWithStatus(shape, overrides)).id;
  const createWithStatus = async (
    shape: Shape,
    overrides: Record<string, Json> = {},
  ): Promise<{ id: string | undefined; status: number | undefined }> => {
    const entity = entityOf.get(shape.collection);
    const schema = shape.op.requestBody?.schema;
    const body =
      schema === undefined
        ? undefined
        : (sample(
            schema,
            {
              components: doc.components,
              override: (property, propertySchema) =>
                overrides[property] ?? fkValue(entity, property, propertySchema),
            },
            counter,
          ) as Json);
    const answer = await send(shape, "success", body === undefined ? {} : { body });
    const record = answer?.json;
    return {
      id: isRecord(record) && typeof record.id === "string" ? record.id : undefined,
      status: answer?.status,
    };
  };

  // 1. Records, parents first.
  const creates = orderCreates(
    shapes.filter((s) => s.role === "create"),
    entityOf,
    doc,
    plan,
  );
  for (const shape of creates) {
    const { id, status } = await createWithStatus(shape);
    const entity = entityOf.get(shape.collection);
    if (id !== undefined && entity !== undefined) records.set(entity.toLowerCase(), id);
    else if (entity !== undefined) {
      createFailures.set(
        entity.toLowerCase(),
        `no ${entity} could be created first (${shape.op.id ?? "its create operation"} answered ${status ?? "nothing"})`,
      );
    }
  }

  // 2. Every other operation except deletions, on those records.
  const destructive = (shape: Shape) => shape.op.method === "DELETE";
  for (const shape of shapes) {
    if (shape.role === "create" || destructive(shape)) continue;
    const transition = shape.planned?.transition;
    const maker = shapes.find((s) => s.role === "create" && s.collection === shape.collection);
    if (
      transition !== null &&
      transition !== undefined &&
      transition.from.length > 0 &&
      maker !== undefined &&
      createAccepts(maker, transition.field, doc)
    ) {
      // An action moves a record from certain states: make one in the first of them.
      const id = await create(maker, { [transition.field]: transition.from[0] ?? null });
      await send(shape, "success", id === undefined ? {} : { id });
    } else {
      await send(shape, "success");
    }
  }

  // 3. Secured operations refuse anonymous calls; bodies the schema rejects are refused; unknown ids are 404.
  for (const shape of shapes) {
    if (shape.op.secured) await send(shape, "unauthorized", { auth: false });
    if (shape.op.requestBody !== null && rejectsEmpty(shape.op.requestBody.schema, doc)) {
      await send(shape, "rejected", { body: {} });
    }
    const nobody =
      shape.planned !== undefined &&
      !shape.planned.auth.anyRole &&
      shape.planned.auth.roles.length === 0 &&
      shape.planned.auth.required;
    if (
      !nobody &&
      shape.role === "item" &&
      shape.op.method === "GET" &&
      shape.op.path.endsWith(`{${shape.idParam}}`)
    ) {
      await send(shape, "not-found", { id: MISSING_ID });
    }
  }

  // 4. Deletions, each on a fresh record of its own.
  for (const shape of shapes.filter(destructive)) {
    const maker = shapes.find((s) => s.role === "create" && s.collection === shape.collection);
    const id = maker === undefined || shape.role !== "item" ? undefined : await create(maker);
    await send(shape, "success", id === undefined ? {} : { id });
  }

  return {
    findings: dedupeFindings(findings),
    requests,
    operations: doc.operations.length,
    succeeded: succeeded.size,
  };
}

function shapeOf(op: DocOperation, plan: ApiPlan | null): Shape {
  const planned = op.id === null ? undefined : plan?.operations.find((p) => p.id === op.id);
  const segments = op.path.split("/").filter((s) => s !== "");
  const firstParam = segments.findIndex((s) => s.startsWith("{"));
  const collection = `/${(firstParam < 0 ? segments : segments.slice(0, firstParam)).join("/")}`;
  if (firstParam < 0) {
    const role = op.method === "POST" ? "create" : op.method === "GET" ? "list" : "other";
    // `/patients/search` is not a collection of its own.
    const parent = `/${segments.slice(0, -1).join("/")}`;
    return {
      op,
      collection:
        role === "create" ? collection : segments.length > 1 && op.method === "GET" ? parent : collection,
      role: planned?.kind === "search" ? "other" : role,
      idParam: null,
      planned,
    };
  }
  const idParam = (segments[firstParam] ?? "").slice(1, -1);
  return { op, collection, role: "item", idParam, planned };
}

function roleFor(shape: Shape, credentials: ServerCredentials): string {
  const auth = shape.planned?.auth;
  if (auth !== undefined && !auth.anyRole && auth.roles.length > 0)
    return auth.roles[0] ?? credentials.roles[0] ?? "admin";
  return credentials.roles[0] ?? "admin";
}

function entityFromSchema(op: DocOperation): string | null {
  for (const response of op.responses) {
    const ref = response.schema?.$ref;
    if (response.status.startsWith("2") && typeof ref === "string") return ref.split("/").pop() ?? null;
  }
  return null;
}

/** Creation order: an entity after the entities its create body references. */
function orderCreates(
  shapes: readonly Shape[],
  entityOf: ReadonlyMap<string, string>,
  doc: ContractDocument,
  plan: ApiPlan | null,
): Shape[] {
  const depends = new Map<Shape, Set<string>>();
  for (const shape of shapes) {
    const entity = entityOf.get(shape.collection);
    const schema =
      shape.op.requestBody === null
        ? {}
        : resolveRef(shape.op.requestBody.schema, { components: doc.components });
    const properties = isObject(schema) && isObject(schema.properties) ? schema.properties : {};
    const deps = new Set<string>();
    for (const [property, raw] of Object.entries(properties)) {
      const value = resolveRef(raw, { components: doc.components });
      const fk = plan?.entities.find((e) => e.name === entity)?.fields.find((f) => f.name === property)
        ?.references?.entity;
      if (fk !== undefined) deps.add(fk.toLowerCase());
      else if (isObject(value) && value.format === "uuid" && /Id$/.test(property))
        deps.add(property.slice(0, -2).toLowerCase());
    }
    depends.set(shape, deps);
  }
  const done = new Set<string>();
  const out: Shape[] = [];
  const pending = [...shapes];
  while (pending.length > 0) {
    const index = pending.findIndex((shape) =>
      [...(depends.get(shape) ?? [])].every(
        (dep) => done.has(dep) || ![...entityOf.values()].some((e) => e.toLowerCase() === dep),
      ),
    );
    const next = pending.splice(Math.max(index, 0), 1)[0] as Shape;
    out.push(next);
    done.add((entityOf.get(next.collection) ?? "").toLowerCase());
  }
  return out;
}

/** `{}` is invalid for this body schema (required properties or minProperties). */
function rejectsEmpty(schemaIn: JsonObject, doc: ContractDocument): boolean {
  const schema = resolveRef(schemaIn, { components: doc.components });
  if (!isObject(schema)) return false;
  const required = Array.isArray(schema.required) ? schema.required.length : 0;
  const minProperties = typeof schema.minProperties === "number" ? schema.minProperties : 0;
  return required > 0 || minProperties > 0;
}

function createAccepts(shape: Shape, field: string, doc: ContractDocument): boolean {
  const schema =
    shape.op.requestBody === null
      ? {}
      : resolveRef(shape.op.requestBody.schema, { components: doc.components });
  return isObject(schema) && isObject(schema.properties) && field in schema.properties;
}

function schemaName(schema: JsonObject): string {
  return typeof schema.$ref === "string" ? ` ${schema.$ref}` : "";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function dedupeFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    // The server's log tail differs between otherwise equal findings.
    const key = `${f.rule}|${f.line}|${f.message.replace(/ \(server: [\s\S]*$/, "")}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
