/**
 * A plain reading of an OpenAPI 3.x (or Swagger 2) document for the capsule's API reference:
 * operations with their parameters, bodies and responses, and the named schemas. Tolerant: what it
 * cannot read it leaves out, and a document it cannot parse at all becomes a note, not a failure.
 */
import { parse as parseYaml } from "yaml";

export interface ApiParameter {
  name: string;
  in: string;
  type: string;
  required: boolean;
  description: string;
}

export interface ApiOperation {
  method: string;
  path: string;
  operationId: string;
  summary: string;
  parameters: ApiParameter[];
  requestBody: Array<{ contentType: string; type: string }>;
  responses: Array<{ status: string; description: string; type: string }>;
}

export interface ApiSchema {
  name: string;
  type: string;
  properties: Array<{ name: string; type: string; required: boolean; description: string }>;
}

export interface ApiReference {
  source: string;
  title: string;
  version: string;
  description: string;
  operations: ApiOperation[];
  schemas: ApiSchema[];
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Obj) : {};
}

function str(value: unknown): string {
  return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
}

/** Parses the document; throws with the parser's message when it is neither YAML nor JSON. */
export function readOpenApi(text: string, source: string): ApiReference {
  const doc = obj(source.endsWith(".json") ? JSON.parse(text) : parseYaml(text));
  if (doc.openapi === undefined && doc.swagger === undefined)
    throw new Error("no `openapi` or `swagger` field");
  const info = obj(doc.info);
  const components = obj(doc.components);
  const schemaRoot =
    Object.keys(obj(components.schemas)).length > 0 ? obj(components.schemas) : obj(doc.definitions);
  const deref = (value: unknown): Obj => {
    let current = obj(value);
    for (let hops = 0; typeof current.$ref === "string" && hops < 8; hops += 1) {
      const path = current.$ref.replace(/^#\//, "").split("/");
      let target: unknown = doc;
      for (const part of path) target = obj(target)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
      current = obj(target);
    }
    return current;
  };

  const operations: ApiOperation[] = [];
  for (const [path, rawItem] of Object.entries(obj(doc.paths))) {
    const item = obj(rawItem);
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of METHODS) {
      if (item[method] === undefined) continue;
      const op = obj(item[method]);
      const own = Array.isArray(op.parameters) ? op.parameters : [];
      const parameters = [...shared, ...own]
        .map(deref)
        .filter((p) => str(p.in) !== "body")
        .map((p) => ({
          name: str(p.name),
          in: str(p.in),
          type: typeName(p.schema ?? p),
          required: p.required === true,
          description: oneLine(str(p.description)),
        }));
      const body = deref(op.requestBody);
      const requestBody = Object.entries(obj(body.content)).map(([contentType, media]) => ({
        contentType,
        type: typeName(obj(media).schema),
      }));
      const swaggerBody = [...shared, ...own].map(deref).find((p) => str(p.in) === "body");
      if (swaggerBody !== undefined)
        requestBody.push({ contentType: "body", type: typeName(swaggerBody.schema) });
      const responses = Object.entries(obj(op.responses)).map(([status, raw]) => {
        const response = deref(raw);
        const content = Object.values(obj(response.content))[0];
        return {
          status,
          description: oneLine(str(response.description)),
          type: content === undefined ? typeName(response.schema) : typeName(obj(content).schema),
        };
      });
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: str(op.operationId),
        summary: oneLine(str(op.summary) || str(op.description)),
        parameters,
        requestBody,
        responses,
      });
    }
  }

  const schemas: ApiSchema[] = Object.entries(schemaRoot).map(([name, raw]) => {
    const schema = obj(raw);
    const required = new Set(Array.isArray(schema.required) ? schema.required.map(str) : []);
    return {
      name,
      type: typeName(schema),
      properties: Object.entries(obj(schema.properties)).map(([prop, value]) => ({
        name: prop,
        type: typeName(value),
        required: required.has(prop),
        description: oneLine(str(obj(value).description)),
      })),
    };
  });

  return {
    source,
    title: str(info.title) || "API",
    version: str(info.version),
    description: str(info.description),
    operations,
    schemas,
  };
}

/** A short type expression: `Patient`, `array<Patient>`, `string (date-time)`, `enum(a, b)`. */
export function typeName(value: unknown, depth = 0): string {
  const schema = obj(value);
  if (depth > 4) return "…";
  if (typeof schema.$ref === "string") return schema.$ref.slice(schema.$ref.lastIndexOf("/") + 1);
  for (const key of ["oneOf", "anyOf", "allOf"]) {
    const list = schema[key];
    if (Array.isArray(list)) return `${key}(${list.map((v) => typeName(v, depth + 1)).join(" | ")})`;
  }
  if (Array.isArray(schema.enum)) return `enum(${schema.enum.map(str).join(", ")})`;
  const type = Array.isArray(schema.type) ? schema.type.map(str).join(" | ") : str(schema.type);
  if (type === "array") return `array<${typeName(schema.items, depth + 1)}>`;
  if (type === "") return Object.keys(schema).length === 0 ? "" : "object";
  return schema.format === undefined ? type : `${type} (${str(schema.format)})`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
