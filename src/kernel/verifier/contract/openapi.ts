/**
 * Reads an OpenAPI 3.x document into the operations the contract gate calls, each with the line it
 * is declared on (so findings point into openapi.yaml), and compiles its response schemas with ajv
 * (JSON Schema 2020-12, which OpenAPI 3.1 uses).
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { LineCounter, parseDocument } from "yaml";

// ajv-formats is CommonJS; its default export arrives wrapped under some bundlers.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface DocParameter {
  readonly name: string;
  readonly in: "path" | "query" | "header" | "cookie";
  readonly required: boolean;
  readonly schema: JsonObject;
}

export interface DocResponse {
  readonly status: string;
  readonly line: number | null;
  /** JSON schema of an `application/json` body, or null when none is documented. */
  readonly schema: JsonObject | null;
  readonly json: boolean;
  readonly headers: readonly string[];
}

export interface DocOperation {
  readonly id: string | null;
  readonly method: string;
  readonly path: string;
  readonly line: number | null;
  readonly parameters: readonly DocParameter[];
  readonly requestBody: { readonly required: boolean; readonly schema: JsonObject } | null;
  readonly responses: readonly DocResponse[];
  /** Calls need credentials (a non-empty security requirement applies). */
  readonly secured: boolean;
}

export interface ContractDocument {
  readonly operations: readonly DocOperation[];
  readonly components: JsonObject;
  /** `bearer`, `apiKey:<header>` per security scheme name. */
  readonly securitySchemes: Readonly<
    Record<string, { type: "bearer" } | { type: "apiKey"; header: string } | { type: "other" }>
  >;
  /** Path prefix of the first server URL (`/api/v1`), or "". */
  readonly basePath: string;
}

export type ParseDocResult =
  | { ok: true; doc: ContractDocument }
  | { ok: false; message: string; line: number | null };

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/**
 * @example
 * const parsed = parseOpenApi(readFileSync("openapi.yaml", "utf8"));
 * if (parsed.ok) parsed.doc.operations.length;
 */
export function parseOpenApi(text: string): ParseDocResult {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter });
  const error = document.errors[0];
  if (error !== undefined)
    return {
      ok: false,
      message: error.message.split("\n")[0] ?? "invalid YAML",
      line: counter.linePos(error.pos[0]).line,
    };
  const root = document.toJS() as Json;
  if (!isObject(root) || !isObject(root.paths))
    return { ok: false, message: "the document has no paths", line: 1 };
  if (typeof root.openapi !== "string" || !root.openapi.startsWith("3.")) {
    return { ok: false, message: "not an OpenAPI 3 document (no openapi: 3.x)", line: 1 };
  }
  const lineAt = (keys: readonly string[]): number | null => {
    const node = document.getIn(keys, true) as { range?: [number, number, number] } | undefined;
    if (node?.range === undefined) return null;
    // The key's line: a collection node starts on the line after its key.
    const keyNode = findKeyLine(document, keys, counter);
    return keyNode ?? counter.linePos(node.range[0]).line;
  };
  const components = isObject(root.components) ? root.components : {};
  const resolve = (value: Json): Json => resolveRef(value, root);
  const globalSecured =
    Array.isArray(root.security) && root.security.some((req) => isObject(req) && Object.keys(req).length > 0);
  const operations: DocOperation[] = [];
  for (const [path, item] of Object.entries(root.paths)) {
    if (!isObject(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const parameters = new Map<string, DocParameter>();
      for (const raw of [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
        const parameter = resolve(raw);
        if (!isObject(parameter) || typeof parameter.name !== "string") continue;
        const where = parameter.in;
        if (where !== "path" && where !== "query" && where !== "header" && where !== "cookie") continue;
        parameters.set(`${where}:${parameter.name}`, {
          name: parameter.name,
          in: where,
          required: parameter.required === true || where === "path",
          schema: isObject(parameter.schema) ? parameter.schema : {},
        });
      }
      const body = resolve(op.requestBody ?? null);
      const bodySchema =
        isObject(body) && isObject(body.content) ? jsonContent(body.content)?.schema : undefined;
      const responses: DocResponse[] = [];
      if (isObject(op.responses)) {
        for (const [status, rawResponse] of Object.entries(op.responses)) {
          const response = resolve(rawResponse);
          if (!isObject(response)) continue;
          const content = isObject(response.content) ? jsonContent(response.content) : undefined;
          responses.push({
            status,
            line: lineAt(["paths", path, method, "responses", status]),
            schema: content !== undefined && isObject(content.schema) ? content.schema : null,
            json: content !== undefined,
            headers: isObject(response.headers) ? Object.keys(response.headers) : [],
          });
        }
      }
      const security = op.security;
      const secured = Array.isArray(security)
        ? security.length > 0 && security.every((req) => isObject(req) && Object.keys(req).length > 0)
        : globalSecured;
      operations.push({
        id: typeof op.operationId === "string" ? op.operationId : null,
        method: method.toUpperCase(),
        path,
        line: lineAt(["paths", path, method]),
        parameters: [...parameters.values()],
        requestBody: isObject(bodySchema)
          ? { required: isObject(body) && body.required === true, schema: bodySchema }
          : null,
        responses,
        secured,
      });
    }
  }
  const schemes: Record<string, { type: "bearer" } | { type: "apiKey"; header: string } | { type: "other" }> =
    {};
  const rawSchemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  for (const [name, raw] of Object.entries(rawSchemes)) {
    const scheme = resolve(raw);
    if (!isObject(scheme)) continue;
    if (scheme.type === "http" && String(scheme.scheme).toLowerCase() === "bearer")
      schemes[name] = { type: "bearer" };
    else if (scheme.type === "oauth2" || scheme.type === "openIdConnect") schemes[name] = { type: "bearer" };
    else if (scheme.type === "apiKey" && scheme.in === "header" && typeof scheme.name === "string")
      schemes[name] = { type: "apiKey", header: scheme.name };
    else schemes[name] = { type: "other" };
  }
  const server =
    Array.isArray(root.servers) && isObject(root.servers[0]) ? String(root.servers[0].url ?? "") : "";
  const basePath = /^(?:https?:\/\/[^/]+)?(\/[^?#]*)$/.exec(server)?.[1]?.replace(/\/$/, "") ?? "";
  return { ok: true, doc: { operations, components, securitySchemes: schemes, basePath } };
}

function findKeyLine(
  document: ReturnType<typeof parseDocument>,
  keys: readonly string[],
  counter: LineCounter,
): number | null {
  const parent = keys.length === 1 ? document.contents : document.getIn(keys.slice(0, -1), true);
  const items = (
    parent as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | null
  )?.items;
  if (!Array.isArray(items)) return null;
  const last = keys[keys.length - 1];
  const pair = items.find((item) => String(item.key?.value) === last);
  return pair?.key?.range === undefined ? null : counter.linePos(pair.key.range[0]).line;
}

function jsonContent(content: JsonObject): JsonObject | undefined {
  const key = Object.keys(content).find((type) => /^application\/(?:[\w.+-]+\+)?json\b/.test(type));
  const value = key === undefined ? undefined : content[key];
  return isObject(value) ? value : undefined;
}

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Follows a local `$ref` (`#/components/...`) once; other values come back unchanged. */
export function resolveRef(value: Json, root: Json): Json {
  let current = value;
  for (let depth = 0; depth < 20 && isObject(current) && typeof current.$ref === "string"; depth++) {
    const ref = current.$ref;
    if (!ref.startsWith("#/")) return current;
    let target: Json | undefined = root;
    for (const raw of ref.slice(2).split("/")) {
      const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      target = isObject(target) ? target[key] : undefined;
    }
    if (target === undefined) return current;
    current = target;
  }
  return current;
}

const BASE_ID = "qlf:openapi";

/** Rewrites `#/components/...` refs to ids ajv knows. */
function rewriteRefs(value: Json): Json {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] =
      key === "$ref" && typeof inner === "string" && inner.startsWith("#/")
        ? `${BASE_ID}/${inner.slice(2)}`
        : rewriteRefs(inner);
  }
  return out;
}

export interface ResponseValidator {
  /** Validation errors (`/items/0/email must match format "email"`), empty when valid. */
  validate(schema: JsonObject, value: unknown): string[];
}

/** An ajv instance holding every component schema of the document. */
export function createValidator(doc: ContractDocument): ResponseValidator {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat("decimal", /^-?\d+(?:\.\d+)?$/);
  ajv.addFormat("card-number", /^\d{12,19}$/);
  const schemas = isObject(doc.components.schemas) ? doc.components.schemas : {};
  for (const [name, schema] of Object.entries(schemas)) {
    const rewritten = rewriteRefs(schema);
    ajv.addSchema(isObject(rewritten) ? rewritten : {}, `${BASE_ID}/components/schemas/${name}`);
  }
  const cache = new Map<JsonObject, ValidateFunction>();
  return {
    validate(schema, value) {
      let compiled = cache.get(schema);
      if (compiled === undefined) {
        const rewritten = rewriteRefs(schema);
        compiled = ajv.compile(isObject(rewritten) ? rewritten : {});
        cache.set(schema, compiled);
      }
      if (compiled(value)) return [];
      return (compiled.errors ?? [])
        .slice(0, 5)
        .map(
          (error) =>
            `${error.instancePath || "(body)"} ${error.message ?? "is invalid"}${error.params !== undefined && "additionalProperty" in error.params ? ` (${String(error.params.additionalProperty)})` : ""}`,
        );
    },
  };
}
