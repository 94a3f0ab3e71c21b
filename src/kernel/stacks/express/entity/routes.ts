/** `src/resources/<route>/routes.ts`: one Express route per planned operation of the entity. */
import type { ApiPlan, EntityPlan, PlannedField, PlannedOperation } from "../../../generate/plan-schema.js";
import type { Features } from "../../shared/features.js";
import { exportChildren } from "../../shared/repository-needs.js";
import { indent, key, lines, literal, str, strList } from "../code.js";
import type { Markers } from "../markers.js";
import { erasedValue } from "../tests/values.js";
import { queryName } from "./model.js";
import { type EntityNames, namesOf, recordProperties } from "./names.js";
import { listByName } from "./repository.js";

/** `/patients/{id}/approve` → `/:id/approve` (relative to the router's mount point). */
export function expressPath(entity: EntityPlan, op: PlannedOperation): string {
  const relative = op.path.slice(`/${entity.route}`.length);
  return relative === "" ? "/" : relative.replace(/\{([A-Za-z0-9_]+)\}/g, ":$1");
}

export function routesFile(
  plan: ApiPlan,
  entity: EntityPlan,
  names: EntityNames,
  features: Features,
  markers: Markers,
): string {
  // Static paths before parameterised ones, so `/search` is never read as an id.
  const ops = plan.operations
    .filter((op) => op.entity === entity.name)
    .map((op, index) => ({ op, index }))
    .sort((a, b) => {
      const pa = expressPath(entity, a.op).includes(":") ? 1 : 0;
      const pb = expressPath(entity, b.op).includes(":") ? 1 : 0;
      return pa - pb || a.index - b.index;
    })
    .map(({ op }) => op);
  const audited = entity.audit.enabled && features.audit;
  const repo = names.key;
  const usesId = ops.some((op) => op.parameters.some((p) => p.in === "path"));
  const handlers = ops.map((op) =>
    handler(plan, entity, names, op, markers, audited, features.auth !== "none"),
  );
  const body = handlers.join("\n\n");

  const modelImports = new Set<string>();
  for (const op of ops) {
    if (op.kind === "list" || op.kind === "search") modelImports.add(queryName(op));
    if (op.kind === "create") modelImports.add(`${entity.name}Create`);
    if (op.kind === "update") {
      modelImports.add(`${entity.name}Update`);
      modelImports.add(`type ${names.record}`);
    }
  }
  modelImports.add(names.toApi);
  const exporting = ops.some((op) => op.kind === "export");
  const childImports = (exporting ? exportChildren(plan, entity, namesOf) : []).map(
    ({ names: child }) => `import { ${child.toApi} } from "../${child.folder}/model.js";`,
  );
  const errorImports = [
    ...(body.includes("conflict(") ? ["conflict"] : []),
    ...(body.includes("notFound(") ? ["notFound"] : []),
  ];
  const validationImports = [...(usesId ? ["IdParams"] : []), ...(body.includes("parse(") ? ["parse"] : [])];
  const personal = entity.personalFields;
  const consent = entity.consentFields;

  return `/**
 * HTTP routes of ${entity.plural} (mounted at /${entity.route}). Every input is validated before use;
 * errors are thrown and rendered by the error middleware in the contract's shape.
 */
${lines(
  body.includes("randomUUID()") && 'import { randomUUID } from "node:crypto";',
  `import { ${audited && features.auth !== "none" ? "type Response, " : ""}Router } from "express";`,
  'import type { AppContext } from "../../context.js";',
  features.auth !== "none" && audited && 'import { actorOf } from "../../http/auth.js";',
  errorImports.length > 0 && `import { ${errorImports.join(", ")} } from "../../http/errors.js";`,
  body.includes("idempotent(") && 'import { idempotent } from "../../http/idempotency.js";',
  validationImports.length > 0 &&
    `import { ${validationImports.join(", ")} } from "../../http/validation.js";`,
  body.includes("parseSort(") && 'import { parseSort } from "../../storage/query.js";',
  ...childImports,
  `import { ${[...modelImports].sort((a, b) => bare(a).localeCompare(bare(b))).join(", ")} } from "./model.js";`,
)}
${
  audited
    ? `
/** Sensitive fields named in audit events (names only; values never reach the audit log). */
const AUDITED_FIELDS: string[] = ${strList(entity.audit.fields)};
`
    : ""
}${
  personal.length > 0 && ops.some((op) => op.kind === "erase") && audited
    ? `
/** Personal fields that erasure replaces. */
const PERSONAL_FIELDS: string[] = ${strList(personal)};
`
    : ""
}${
  consent.length > 0 && ops.some((op) => op.kind === "update")
    ? `
/** Consent flags; consentGivenAt records when one was last given. */
const CONSENT_FIELDS = ${strList(consent)} as const;
`
    : ""
}
export function ${names.routes}(ctx: AppContext): Router {
  const router = Router();
  const ${repo} = ctx.repositories.${repo};${
    audited
      ? `

  /** Records who touched which ${entity.plural} and which sensitive fields, before the response goes out. */
  const audit = (${features.auth === "none" ? "" : "res: Response, "}action: string, ids: string[], fields = AUDITED_FIELDS) =>
    ctx.audit.record(
      ids.map((entityId) => ({ actor: ${features.auth === "none" ? '"anonymous"' : "actorOf(res)"}, action, entity: ${str(entity.name)}, entityId, fields })),
    );${markers.control("audit-log")}`
      : ""
  }

${indent(body)}

  return router;
}
`;
}

function bare(name: string): string {
  return name.replace(/^type /, "");
}

function handler(
  plan: ApiPlan,
  entity: EntityPlan,
  names: EntityNames,
  op: PlannedOperation,
  markers: Markers,
  audited: boolean,
  /** Audit events name the authenticated caller (taken from the response locals). */
  withCaller: boolean,
): string {
  const repo = names.key;
  const guards: string[] = [];
  if (op.auth.required) {
    const allow = op.auth.anyRole ? '"any-role"' : strList(op.auth.roles);
    guards.push(`ctx.access.allow(${allow})`);
  }
  if (op.idempotent) guards.push("idempotent(ctx.idempotency)");
  const path = expressPath(entity, op);
  const method = op.method.toLowerCase();
  const head = `router.${method}(${str(path)}, ${guards.map((guard) => `${guard}, `).join("")}async (req, res) => {`;
  const doc = `// ${op.id}: ${op.method} ${op.path}${op.summary === "" ? "" : ` (${op.summary.replace(/\s+/g, " ")})`}`;
  const audit = (action: string, ids: string, fields?: string) =>
    audited
      ? `await audit(${withCaller ? "res, " : ""}${str(action)}, ${ids}${fields === undefined ? "" : `, ${fields}`});`
      : false;
  const idLine = "const { id } = parse(IdParams, req.params);";
  const now = "ctx.now().toISOString()";
  let bodyLines: string;
  switch (op.kind) {
    case "list":
      bodyLines = lines(
        `const { page, pageSize, sort, ...filters } = parse(${queryName(op)}, req.query);`,
        `const found = await ${repo}.list({ page, pageSize, sort: parseSort(sort), filters });`,
        audit("list", "found.items.map((record) => record.id)"),
        `res.json({ items: found.items.map(${names.toApi}), page, pageSize, total: found.total });`,
      );
      break;
    case "search":
      bodyLines = lines(
        `const { q, page, pageSize } = parse(${queryName(op)}, req.query);`,
        `const found = await ${repo}.search(q, { page, pageSize });`,
        audit("search", "found.items.map((record) => record.id)"),
        `res.json({ items: found.items.map(${names.toApi}), page, pageSize, total: found.total });`,
      );
      break;
    case "create":
      bodyLines = createBody(entity, names, op, markers, audit);
      break;
    case "get":
      bodyLines = lines(
        idLine,
        `const record = await ${repo}.findById(id);`,
        `if (record === undefined) throw notFound(${str(entity.name)});`,
        audit("read", "[id]"),
        `res.json(${names.toApi}(record));`,
      );
      break;
    case "update":
      bodyLines = updateBody(entity, names, markers, audit);
      break;
    case "delete":
      bodyLines = lines(
        idLine,
        `if (!(await ${repo}.remove(id, ${now}))) throw notFound(${str(entity.name)});`,
        audit("delete", "[id]"),
        "res.status(204).end();",
      );
      break;
    case "action":
      bodyLines = actionBody(entity, names, op, audit);
      break;
    case "export": {
      const children = exportChildren(plan, entity, namesOf).map(
        ({ child, names: childNames }) =>
          `${key(child.key)}: (await ctx.repositories.${childNames.key}.${listByName(child.foreignKey)}(id)).map(${childNames.toApi}),`,
      );
      bodyLines = lines(
        idLine,
        `const record = await ${repo}.findById(id);`,
        `if (record === undefined) throw notFound(${str(entity.name)});`,
        audit("export", "[id]"),
        "// Everything held about the record, and the records it owns, as one JSON document.",
        children.length === 0
          ? `res.json({ data: ${names.toApi}(record), children: {} });${markers.control("data-export")}`
          : `res.json({${markers.control("data-export")}
  data: ${names.toApi}(record),
  children: {
${indent(children.join("\n"), 2)}
  },
});`,
      );
      break;
    }
    case "erase":
      bodyLines = eraseBody(entity, names, markers, audit);
      break;
  }
  return `${doc}\n${head}\n${indent(bodyLines)}\n});`;
}

type AuditLine = (action: string, ids: string, fields?: string) => string | false;

function createBody(
  entity: EntityPlan,
  names: EntityNames,
  op: PlannedOperation,
  markers: Markers,
  audit: AuditLine,
): string {
  const card = entity.card;
  const cardField = card === null ? undefined : entity.fields.find((f) => f.name === card.inputField);
  const consent = entity.consentFields;
  const cardOptional =
    cardField === undefined || cardField.schema.nullable || cardField.create !== "required";
  const values = recordProperties(entity).map((property) => {
    const value = (() => {
      if (property.field === null) return cardOptional ? "card?.token ?? null" : "card.token";
      const field = property.field;
      switch (field.role) {
        case "id":
          return "randomUUID()";
        case "created-at":
        case "updated-at":
          return "now";
        case "deleted-at":
          return "null";
        case "consent-given-at":
          return `${consent.map((name) => `body.${name}`).join(" || ")} ? now : null`;
        case "card-last4":
          return cardOptional ? "card?.last4 ?? null" : "card.last4";
        default:
          return bodyValue(field);
      }
    })();
    const marker = property.field?.role === "consent-given-at" ? markers.control("consent-fields") : "";
    return `${property.name}: ${value},${marker}`;
  });
  const location = `\`/${entity.route}/\${record.id}\``;
  return lines(
    `const body = parse(${entity.name}Create, req.body);`,
    "const now = ctx.now().toISOString();",
    card !== null &&
      cardField !== undefined &&
      `// The card number itself is never stored: only its token and last four digits.
const card = ${
        cardField.schema.nullable || cardField.create !== "required"
          ? `body.${card.inputField} ? ctx.cards.tokenize(body.${card.inputField}) : null`
          : `ctx.cards.tokenize(body.${card.inputField})`
      };${markers.control("tokenize-card-data")}`,
    `const record = await ${names.key}.insert({`,
    indent(values.join("\n")),
    "});",
    audit("create", "[record.id]"),
    `res.status(${op.successStatus}).location(${location}).json(${names.toApi}(record));`,
  );
}

function bodyValue(field: PlannedField): string {
  if (field.create === "forbidden") return "null";
  return field.create === "required" || field.default !== null
    ? `body.${field.name}`
    : `body.${field.name} ?? null`;
}

function updateBody(entity: EntityPlan, names: EntityNames, markers: Markers, audit: AuditLine): string {
  const card = entity.card;
  const cardField =
    card === null ? undefined : entity.fields.find((f) => f.name === card.inputField && f.update);
  const cardUpdatable = card !== null && cardField !== undefined;
  const cardNullable = cardField?.schema.nullable ?? true;
  const consent = entity.consentFields;
  const repo = names.key;
  const destructure = cardUpdatable
    ? `const { ${card.inputField}, ...changes } = parse(${entity.name}Update, req.body);`
    : `const changes = parse(${entity.name}Update, req.body);`;
  return lines(
    "const { id } = parse(IdParams, req.params);",
    destructure,
    "const now = ctx.now().toISOString();",
    `const patch: Partial<${names.record}> = { ...changes, updatedAt: now };`,
    cardUpdatable &&
      (cardNullable
        ? `if (${card.inputField} !== undefined) {
  const card = ${card.inputField} === null ? null : ctx.cards.tokenize(${card.inputField});${markers.control("tokenize-card-data")}
  patch.${namesOfCardToken(entity)} = card?.token ?? null;${card.last4Field === null ? "" : `\n  patch.${card.last4Field} = card?.last4 ?? null;`}
}`
        : `if (${card.inputField} !== undefined) {
  const card = ctx.cards.tokenize(${card.inputField});${markers.control("tokenize-card-data")}
  patch.${namesOfCardToken(entity)} = card.token;${card.last4Field === null ? "" : `\n  patch.${card.last4Field} = card.last4;`}
}`),
    consent.length > 0 &&
      `if (CONSENT_FIELDS.some((field) => changes[field] !== undefined)) {
  // consentGivenAt: now when consent is given, cleared when every consent is withdrawn.
  const current = await ${repo}.findById(id);
  if (current === undefined) throw notFound(${str(entity.name)});
  const merged = { ...current, ...changes };
  if (CONSENT_FIELDS.some((field) => changes[field] === true)) patch.consentGivenAt = now;
  else if (CONSENT_FIELDS.every((field) => !merged[field])) patch.consentGivenAt = null;
}`,
    `const updated = await ${repo}.update(id, patch);`,
    `if (updated === undefined) throw notFound(${str(entity.name)});`,
    audit("update", "[id]", "AUDITED_FIELDS.filter((field) => field in patch)"),
    `res.json(${names.toApi}(updated));`,
  );
}

function namesOfCardToken(entity: EntityPlan): string {
  return recordProperties(entity).find((property) => property.field === null)?.name ?? "cardToken";
}

function actionBody(entity: EntityPlan, names: EntityNames, op: PlannedOperation, audit: AuditLine): string {
  const repo = names.key;
  const transition = op.transition;
  if (transition === null) {
    return lines(
      "const { id } = parse(IdParams, req.params);",
      `const updated = await ${repo}.update(id, { updatedAt: ctx.now().toISOString() });`,
      `if (updated === undefined) throw notFound(${str(entity.name)});`,
      audit(op.verb, "[id]"),
      `res.json(${names.toApi}(updated));`,
    );
  }
  const from = strList(transition.from);
  const change = `{ ${transition.field}: ${literal(transition.to)}, updatedAt: ctx.now().toISOString() }`;
  if (transition.from.length === 0) {
    return lines(
      "const { id } = parse(IdParams, req.params);",
      `const updated = await ${repo}.update(id, ${change});`,
      `if (updated === undefined) throw notFound(${str(entity.name)});`,
      audit(op.verb, "[id]"),
      `res.json(${names.toApi}(updated));`,
    );
  }
  return lines(
    "const { id } = parse(IdParams, req.params);",
    `const allowedFrom = ${from};`,
    `const current = await ${repo}.findById(id);`,
    `if (current === undefined) throw notFound(${str(entity.name)});`,
    `if (!allowedFrom.includes(String(current.${transition.field}))) {`,
    `  throw conflict(\`cannot ${op.verb} a ${entity.name} whose ${transition.field} is \${current.${transition.field}}\`);`,
    "}",
    `// The guard makes the change atomic: it fails if another request moved the ${transition.field} meanwhile.`,
    `const updated = await ${repo}.update(id, ${change}, { field: ${str(transition.field)}, oneOf: allowedFrom });`,
    `if (updated === undefined) throw conflict("the ${entity.name} changed while this request ran; retry");`,
    audit(op.verb, "[id]"),
    `res.json(${names.toApi}(updated));`,
  );
}

function eraseBody(entity: EntityPlan, names: EntityNames, markers: Markers, audit: AuditLine): string {
  const replacements = entity.fields.flatMap((field) => {
    const value = erasedValue(field, "id");
    return value === null ? [] : [`${field.name}: ${value},`];
  });
  return lines(
    "const { id } = parse(IdParams, req.params);",
    `// Personal data is replaced, the record itself kept (it may be needed for legal records).${markers.control("data-erasure")}`,
    `const erased = await ${names.key}.update(id, {`,
    indent(replacements.join("\n")),
    "  updatedAt: ctx.now().toISOString(),",
    "});",
    `if (erased === undefined) throw notFound(${str(entity.name)});`,
    audit("erase", "[id]", "PERSONAL_FIELDS"),
    "res.status(204).end();",
  );
}
