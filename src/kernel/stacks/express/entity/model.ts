/** `src/resources/<route>/model.ts`: record and API types, request schemas, record → API mapping. */
import type { EntityPlan, Parameter, PlannedField, PlannedOperation } from "../../../generate/plan-schema.js";
import { indent, key, lines, literal, str, upperFirst } from "../code.js";
import type { Markers } from "../markers.js";
import { tsTypeFor, usesHelper, zodFor } from "../zod.js";
import { type EntityNames, recordProperties } from "./names.js";

export function modelFile(
  entity: EntityPlan,
  names: EntityNames,
  operations: readonly PlannedOperation[],
  markers: Markers,
): string {
  const properties = recordProperties(entity);
  const output = entity.fields.filter((field) => field.output);
  const createFields = entity.fields.filter((field) => field.create !== "forbidden");
  const updateFields = entity.fields.filter((field) => field.update);
  const hasCreate = operations.some((op) => op.kind === "create");
  const hasUpdate = operations.some((op) => op.kind === "update");
  const queries = operations.filter((op) => op.kind === "list" || op.kind === "search");
  const list = operations.find((op) => op.kind === "list");

  const bodySchemas = [...(hasCreate ? createFields : []), ...(hasUpdate ? updateFields : [])].map(
    (f) => f.schema,
  );
  const querySchemas = queries.flatMap((op) =>
    op.parameters.filter((p) => p.in === "query").map((p) => p.schema),
  );
  const helpers = [
    ...(bodySchemas.some((s) => usesHelper(s, "body", "luhn")) ? ["luhn"] : []),
    ...(querySchemas.some((s) => usesHelper(s, "query", "queryBoolean")) ? ["queryBoolean"] : []),
    ...([...bodySchemas, ...querySchemas].some((s) => usesHelper(s, "body", "toScale")) ? ["toScale"] : []),
  ];
  const needsZod = hasCreate || hasUpdate || queries.length > 0;

  const recordLines = properties.map((property) =>
    lines(
      docLine(
        property.field === null
          ? "HMAC-SHA256 token of the card number (never the number)."
          : property.field.schema.description,
      ),
      `${key(property.name)}: ${property.field === null ? (property.nullable ? "string | null" : "string") : tsTypeFor(property.field.schema)};`,
    ),
  );
  // When every stored property is shown as is, the API type is the record type.
  const sameShape =
    output.length === properties.length && output.every((field, i) => properties[i]?.field === field);
  const apiLines = output.map((field) =>
    lines(docLine(field.schema.description), `${key(field.name)}: ${tsTypeFor(field.schema)};`),
  );

  const parts: string[] = [
    `/**
 * ${entity.name}${entity.description === "" ? "" : `: ${entity.description}`}
 *
 * The record as the application holds it, the shape the API returns, and the request bodies and
 * queries it accepts. Generated from the same plan as the OpenAPI document and the migrations.
 */`,
    lines(
      needsZod && 'import { z } from "zod";',
      helpers.length > 0 && `import { ${helpers.join(", ")} } from "../../http/validation.js";`,
    ),
    `/** A ${entity.name} as stored${entity.encryptedFields.length > 0 ? " (decrypted)" : ""}. */
export interface ${names.record} {
${indent(recordLines.join("\n"))}
}`,
    sameShape
      ? `/** A ${entity.name} as the API returns it: every stored field. */
export type ${names.type} = ${names.record};`
      : `/** A ${entity.name} as the API returns it. */
export interface ${names.type} {
${indent(apiLines.join("\n"))}
}`,
  ];
  if (hasCreate) {
    parts.push(`/** Body of POST /${entity.route}. Unknown fields are refused. */
export const ${entity.name}Create = z.strictObject({
${indent(createFields.map((field) => `${key(field.name)}: ${createZod(field)},${field.schema.format === "decimal" ? markers.control("decimal-money") : ""}`).join("\n"))}
});
export type ${entity.name}Create = z.infer<typeof ${entity.name}Create>;`);
  }
  if (hasUpdate) {
    parts.push(`/** Body of PATCH /${entity.route}/{id}: any subset of the updatable fields. */
export const ${entity.name}Update = z.strictObject({
${indent(updateFields.map((field) => `${key(field.name)}: ${zodFor(field.schema, "body")}.optional(),`).join("\n"))}
}).refine((body) => Object.keys(body).length > 0, "must change at least one field");
export type ${entity.name}Update = z.infer<typeof ${entity.name}Update>;`);
  }
  for (const op of queries) {
    const params = op.parameters.filter((p) => p.in === "query");
    parts.push(`/** Query of ${op.method} ${op.path}. */
export const ${queryName(op)} = z.object({
${indent(params.map((param) => `${key(param.name)}: ${queryZod(param)},`).join("\n"))}
});`);
  }
  if (list !== undefined) {
    parts.push(`/** Fields GET /${entity.route} can sort by. */
export type ${entity.name}SortField = ${list.sortBy.map(str).join(" | ")};`);
    parts.push(`/** Fields GET /${entity.route} can filter on (exact match). */
export type ${entity.name}Filters = ${
      list.filterBy.length === 0
        ? "Record<string, never>"
        : `Partial<Pick<${names.record}, ${list.filterBy.map(str).join(" | ")}>>`
    };`);
  }
  parts.push(`/** What the API shows of a record: an explicit list, so a new stored column is never leaked. */
export function ${names.toApi}(record: ${names.record}): ${names.type} {
  return {
${indent(output.map((field) => `${key(field.name)}: record.${field.name},`).join("\n"), 2)}
  };
}`);
  return `${parts.filter((part) => part !== "").join("\n\n")}\n`;
}

/** `ListPatientsQuery` */
export function queryName(op: PlannedOperation): string {
  return `${upperFirst(op.id)}Query`;
}

function createZod(field: PlannedField): string {
  const base = zodFor(field.schema, "body");
  if (field.default !== null) return `${base}.default(${literal(field.default)})`;
  return field.create === "required" ? base : `${base}.optional()`;
}

function queryZod(param: Parameter): string {
  const base = zodFor(param.schema, "query");
  if (param.default !== null) return `${base}.default(${literal(param.default)})`;
  return param.required ? base : `${base}.optional()`;
}

function docLine(text: string): string | false {
  const clean = text.replace(/\*\//g, "* /").replace(/\s+/g, " ").trim();
  return clean !== "" && `/** ${clean} */`;
}
