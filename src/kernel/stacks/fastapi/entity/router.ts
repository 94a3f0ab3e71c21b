/** `app/routers/<module>.py`: one FastAPI route per planned operation of the entity. */
import type {
  ApiPlan,
  EntityPlan,
  Parameter,
  PlannedField,
  PlannedOperation,
} from "../../../generate/plan-schema.js";
import type { Features } from "../../shared/features.js";
import { exportChildren } from "../../shared/repository-needs.js";
import type { Markers } from "../markers.js";
import { type EntityNames, namesOf, recordProperties } from "../names.js";
import { indent, lines, pyIdent, pyList, pyLiteral, pyStr, snake } from "../py.js";
import { erasedValue } from "../tests/values.js";
import { checkCall } from "./model.js";
import { listByName } from "./repository.js";

/** `/patients/{id}/approve` → `/{id}/approve` (relative to the router's prefix). */
export function routerPath(entity: EntityPlan, op: PlannedOperation): string {
  return op.path.slice(`/${entity.route}`.length);
}

/** Names a handler's own parameters use; a query parameter with one of them gets a suffix. */
const TAKEN = new Set(["request", "context", "body", "id", "idempotency_key", "repository"]);

interface QueryParam {
  readonly param: Parameter;
  readonly ident: string;
  readonly declaration: string;
  /** `validation.query(...)` statement checking it, or null. */
  readonly check: string | null;
}

function queryParam(param: Parameter): QueryParam {
  let ident = pyIdent(param.name);
  if (TAKEN.has(ident)) ident = `${ident}_param`;
  const schema = param.schema;
  const type =
    schema.type === "integer"
      ? "int"
      : schema.type === "number"
        ? "float"
        : schema.type === "boolean"
          ? "bool"
          : "str";
  const alias = ident === param.name ? "" : `, alias=${pyStr(param.name)}`;
  const declaration =
    param.default !== null
      ? `${ident}: ${type} = Query(${pyLiteral(param.default)}${alias})`
      : param.required
        ? `${ident}: ${type} = Query(...${alias})`
        : `${ident}: Optional[${type}] = Query(None${alias})`;
  const call = checkCall(schema);
  return {
    param,
    ident,
    declaration,
    check: call === null ? null : `validation.query(${pyStr(param.name)}, ${ident}, lambda value: ${call})`,
  };
}

export function routerFile(
  plan: ApiPlan,
  entity: EntityPlan,
  names: EntityNames,
  features: Features,
  markers: Markers,
): string {
  // Static paths before parameterised ones, so that /search is never read as an id.
  const ops = plan.operations
    .filter((op) => op.entity === entity.name)
    .map((op, index) => ({ op, index }))
    .sort((a, b) => {
      const pa = a.op.path.includes("{") ? 1 : 0;
      const pb = b.op.path.includes("{") ? 1 : 0;
      return pa - pb || a.index - b.index;
    })
    .map(({ op }) => op);
  const audited = entity.audit.enabled && features.audit;
  const handlers = ops.map((op) => handler(plan, entity, names, op, markers, audited));
  const body = handlers.join("\n\n\n");
  const children = exportChildren(plan, entity, namesOf).filter(() => ops.some((op) => op.kind === "export"));
  const childImports = children
    .filter(({ names: child }) => child.module !== names.module)
    .map(({ names: child }) => `from app.models.${child.module} import to_api as ${child.module}_to_api`);
  const modelImports = [
    ...(body.includes(`${names.create}`) ? [names.create] : []),
    ...(body.includes(`${names.update}`) ? [names.update] : []),
    "to_api",
  ];
  const errorImports = ["conflict", "not_found", "validation_failed"].filter((name) =>
    body.includes(`${name}(`),
  );
  const fastapi = [
    "APIRouter",
    ...(body.includes("Depends(") ? ["Depends"] : []),
    ...(body.includes("Header(") ? ["Header"] : []),
    ...(body.includes("Query(") ? ["Query"] : []),
    "Request",
  ];
  const responses = [
    ...(body.includes("JSONResponse(") ? ["JSONResponse"] : []),
    ...(body.includes("Response(status_code") ? ["Response"] : []),
  ];
  const typing = [
    ...(body.includes("Any") ? ["Any"] : []),
    ...(body.includes("Dict[") ? ["Dict"] : []),
    ...(body.includes("List[") ? ["List"] : []),
    ...(body.includes("Optional[") ? ["Optional"] : []),
  ];
  const storageImports = [
    ...(body.includes("Guard(") ? ["Guard"] : []),
    ...(body.includes("parse_sort(") ? ["parse_sort"] : []),
  ];
  const consent = entity.consentFields;
  const personal = entity.personalFields;
  const needsAuditHelper = audited;
  const constants = lines(
    audited &&
      `#: Sensitive fields named in audit events (names only; values never reach the audit log).\nAUDITED_FIELDS = ${pyList(entity.audit.fields)}`,
    audited &&
      ops.some((op) => op.kind === "erase") &&
      `#: Personal fields that erasure replaces.\nPERSONAL_FIELDS = ${pyList(personal)}`,
    consent.length > 0 &&
      ops.some((op) => op.kind === "update") &&
      `#: Consent flags; consentGivenAt records when one was last given.\nCONSENT_FIELDS = ${pyList(consent)}`,
  );
  const auditHelper = needsAuditHelper
    ? `

def audit(context: AppContext, request: Request, action: str, ids: List[str], fields: List[str] = AUDITED_FIELDS) -> None:
    """Records who touched which ${entity.plural} and which sensitive fields, before the response goes out."""
    context.audit.record(
        [AuditEvent(actor_of(request), action, ${pyStr(entity.name)}, entity_id, list(fields)) for entity_id in ids]
    )${markers.control("audit-log")}`
    : "";
  const typingLine =
    typing.length > 0 || auditHelper !== ""
      ? `from typing import ${[...new Set([...typing, ...(auditHelper ? ["List"] : [])])].sort().join(", ")}\n`
      : "";
  return `"""
HTTP routes of ${entity.plural} (/${entity.route}). Every input is validated before use (pydantic
bodies, checked query parameters, UUID ids); errors are raised and rendered in the contract's shape.
"""
${lines(body.includes("uuid.uuid4()") && "import uuid")}
${typingLine}${body.includes(": UUID") ? "from uuid import UUID\n" : ""}
from fastapi import ${fastapi.join(", ")}
${responses.length > 0 ? `from fastapi.responses import ${responses.join(", ")}\n` : ""}
${lines(
  body.includes("validation.") && "from app import validation",
  audited && "from app.audit import AuditEvent",
  (body.includes("allow(") || body.includes("allow_none)")) &&
    `from app.auth import ${[
      body.includes("ANY_ROLE") && "ANY_ROLE",
      body.includes("allow(") && "allow",
      body.includes("allow_none)") && "allow_none",
    ]
      .filter((name) => name !== false)
      .join(", ")}`,
  body.includes("dump(") && "from app.compat import dump",
  `from app.context import AppContext, ${audited ? "actor_of, " : ""}get_context`,
  errorImports.length > 0 && `from app.errors import ${errorImports.join(", ")}`,
  body.includes("run_idempotent(") && "from app.idempotency import run_idempotent",
  ...childImports,
  `from app.models.${names.module} import ${modelImports.join(", ")}`,
  storageImports.length > 0 && `from app.storage.query import ${storageImports.join(", ")}`,
)}

router = APIRouter(prefix="/${entity.route}", tags=[${pyStr(entity.route)}])
${constants === "" ? "" : `\n${constants}\n`}${auditHelper}


${body}
`.replace(/\n{4,}/g, "\n\n\n");
}

function handler(
  plan: ApiPlan,
  entity: EntityPlan,
  names: EntityNames,
  op: PlannedOperation,
  markers: Markers,
  audited: boolean,
): string {
  const repo = `context.repositories.${names.module}`;
  const dependencies: string[] = [];
  if (op.auth.required) {
    // An operation no role is granted gets its own named dependency: tests of its behaviour
    // override just that one (app.dependency_overrides), and it reads as what it does.
    dependencies.push(
      !op.auth.anyRole && op.auth.roles.length === 0
        ? "Depends(allow_none)"
        : `Depends(allow(${op.auth.anyRole ? "ANY_ROLE" : pyList(op.auth.roles)}))`,
    );
  }
  const path = routerPath(entity, op);
  const decoratorArgs = [
    pyStr(path),
    ...(dependencies.length > 0 ? [`dependencies=[${dependencies.join(", ")}]`] : []),
  ];
  const params: string[] = ["request: Request"];
  const usesId = op.parameters.some((p) => p.in === "path");
  if (usesId) params.push("id: UUID");
  const queries = op.parameters.filter((p) => p.in === "query").map(queryParam);
  params.push(...queries.map((q) => q.declaration));
  if (op.kind === "create") params.push(`body: ${names.create}`);
  if (op.kind === "update") params.push(`body: ${names.update}`);
  if (op.idempotent) params.push('idempotency_key: Optional[str] = Header(None, alias="Idempotency-Key")');
  params.push("context: AppContext = Depends(get_context)");
  const audit = (action: string, ids: string, fields?: string) =>
    audited
      ? `audit(context, request, ${pyStr(action)}, ${ids}${fields === undefined ? "" : `, ${fields}`})`
      : false;
  const now = "now = validation.iso(context.now())";
  const entityId = "entity_id = str(id)";
  let statements: string;
  switch (op.kind) {
    case "list": {
      const filters = queries.filter((q) => q.param.field !== null);
      const sort = queries.find((q) => q.param.name === "sort");
      statements = lines(
        ...queries.filter((q) => q.param.field === null && q.check !== null).map((q) => q.check as string),
        filters.length === 0
          ? "filters: Dict[str, Any] = {}"
          : `filters: Dict[str, Any] = {\n${indent(filters.map((q) => `${pyStr(q.param.field as string)}: ${q.check ?? q.ident},`).join("\n"))}\n}`,
        `found = ${repo}.list(page, page_size, parse_sort(${sort?.ident ?? pyStr(op.defaultSort ?? "-createdAt")}), filters)`,
        audit("list", '[record["id"] for record in found.items]'),
        'return {"items": [to_api(record) for record in found.items], "page": page, "pageSize": page_size, "total": found.total}',
      );
      break;
    }
    case "search":
      statements = lines(
        ...queries.filter((q) => q.check !== null).map((q) => q.check as string),
        `found = ${repo}.search(q, page, page_size)`,
        audit("search", '[record["id"] for record in found.items]'),
        'return {"items": [to_api(record) for record in found.items], "page": page, "pageSize": page_size, "total": found.total}',
      );
      break;
    case "get":
      statements = lines(
        `record = ${repo}.find_by_id(str(id))`,
        "if record is None:",
        `    raise not_found(${pyStr(entity.name)})`,
        audit("read", '[record["id"]]'),
        "return to_api(record)",
      );
      break;
    case "create":
      statements = createBody(entity, names, op, markers, audit, repo);
      break;
    case "update":
      statements = updateBody(entity, markers, audit, repo, now, entityId);
      break;
    case "delete":
      statements = lines(
        entityId,
        `if not ${repo}.remove(entity_id, validation.iso(context.now())):`,
        `    raise not_found(${pyStr(entity.name)})`,
        audit("delete", "[entity_id]"),
        "return Response(status_code=204)",
      );
      break;
    case "action":
      statements = actionBody(entity, op, audit, repo, now, entityId);
      break;
    case "export": {
      const children = exportChildren(plan, entity, namesOf).map(({ child, names: childNames }) => {
        const toApi = childNames.module === names.module ? "to_api" : `${childNames.module}_to_api`;
        return `${pyStr(child.key)}: [${toApi}(child) for child in context.repositories.${childNames.module}.${listByName(child.foreignKey)}(record["id"])],`;
      });
      statements = lines(
        `record = ${repo}.find_by_id(str(id))`,
        "if record is None:",
        `    raise not_found(${pyStr(entity.name)})`,
        audit("export", '[record["id"]]'),
        "# Everything held about the record, and the records it owns, as one JSON document.",
        children.length === 0
          ? `return {"data": to_api(record), "children": {}}${markers.control("data-export")}`
          : `return {${markers.control("data-export")}\n    "data": to_api(record),\n    "children": {\n${indent(children.join("\n"), 2)}\n    },\n}`,
      );
      break;
    }
    case "erase":
      statements = eraseBody(entity, markers, audit, repo, entityId);
      break;
  }
  if (op.idempotent) {
    // The work runs once per Idempotency-Key; a repeat gets the stored response.
    const hashed = op.kind === "create" ? "dump(body)" : "None";
    statements = `\ndef run() -> JSONResponse:\n${indent(statements.replace(/^return (?!JSONResponse)(.+)$/m, "return JSONResponse($1)"))}\n\nreturn run_idempotent(context.idempotency, request, idempotency_key, ${hashed}, run)`;
  }
  const fn = snake(op.id);
  const summary =
    op.summary === "" ? `${op.method} ${op.path}` : op.summary.replace(/\s+/g, " ").replace(/"""/g, "'''");
  return `@router.${op.method.toLowerCase()}(${decoratorArgs.join(", ")})
def ${fn}(
${indent(params.map((p) => `${p},`).join("\n"))}
)${returnAnnotation(op)}:
    """${summary} (${op.method} ${op.path})."""
${indent(statements)}`;
}

function returnAnnotation(op: PlannedOperation): string {
  if (op.idempotent || op.kind === "create" || op.kind === "delete" || op.kind === "erase")
    return " -> Response";
  return " -> Dict[str, Any]";
}

type AuditLine = (action: string, ids: string, fields?: string) => string | false;

function createBody(
  entity: EntityPlan,
  names: EntityNames,
  op: PlannedOperation,
  markers: Markers,
  audit: AuditLine,
  repo: string,
): string {
  const card = entity.card;
  const consent = entity.consentFields;
  const values = recordProperties(entity).map((property) => {
    const value = (() => {
      if (property.field === null) return "card.token if card is not None else None";
      const field = property.field;
      switch (field.role) {
        case "id":
          return "str(uuid.uuid4())";
        case "created-at":
        case "updated-at":
          return "now";
        case "deleted-at":
          return "None";
        case "consent-given-at":
          return `now if ${consent.map((name) => `values[${pyStr(name)}]`).join(" or ")} else None`;
        case "card-last4":
          return "card.last4 if card is not None else None";
        default:
          return field.create === "forbidden" ? "None" : `values[${pyStr(field.name)}]`;
      }
    })();
    const marker = property.field?.role === "consent-given-at" ? markers.control("consent-fields") : "";
    return `${pyStr(property.name)}: ${value},${marker}`;
  });
  const location = `f"/${entity.route}/{record['id']}"`;
  void names;
  return lines(
    "values = dump(body)",
    "now = validation.iso(context.now())",
    card !== null &&
      `# The card number itself is never stored: only its token and last four digits.\ncard = context.cards.tokenize(values[${pyStr(card.inputField)}]) if values[${pyStr(card.inputField)}] else None${markers.control("tokenize-card-data")}`,
    `record = ${repo}.insert(`,
    "    {",
    indent(values.join("\n"), 2),
    "    }",
    ")",
    audit("create", '[record["id"]]'),
    `return JSONResponse(to_api(record), ${op.successStatus}, {"Location": ${location}})`,
  );
}

function updateBody(
  entity: EntityPlan,
  markers: Markers,
  audit: AuditLine,
  repo: string,
  now: string,
  entityId: string,
): string {
  const card = entity.card;
  const cardUpdatable = card !== null && entity.fields.some((f) => f.name === card.inputField && f.update);
  const consent = entity.consentFields;
  const tokenKey = recordProperties(entity).find((p) => p.field === null)?.name ?? "cardToken";
  return lines(
    entityId,
    "changes = dump(body, exclude_unset=True)",
    "if not changes:",
    '    raise validation_failed([{"path": "", "message": "must change at least one field"}])',
    now,
    'patch: Dict[str, Any] = {**changes, "updatedAt": now}',
    cardUpdatable &&
      `if ${pyStr(card.inputField)} in patch:
    number = patch.pop(${pyStr(card.inputField)})
    card = context.cards.tokenize(number) if number else None${markers.control("tokenize-card-data")}
    patch[${pyStr(tokenKey)}] = card.token if card is not None else None${card.last4Field === null ? "" : `\n    patch[${pyStr(card.last4Field)}] = card.last4 if card is not None else None`}`,
    consent.length > 0 &&
      `if any(name in changes for name in CONSENT_FIELDS):
    # consentGivenAt: now when consent is given, cleared when every consent is withdrawn.
    current = ${repo}.find_by_id(entity_id)
    if current is None:
        raise not_found(${pyStr(entity.name)})
    merged = {**current, **changes}
    if any(changes.get(name) is True for name in CONSENT_FIELDS):
        patch["consentGivenAt"] = now
    elif not any(merged.get(name) for name in CONSENT_FIELDS):
        patch["consentGivenAt"] = None`,
    `updated = ${repo}.update(entity_id, patch)`,
    "if updated is None:",
    `    raise not_found(${pyStr(entity.name)})`,
    audit("update", "[entity_id]", "[name for name in AUDITED_FIELDS if name in patch]"),
    "return to_api(updated)",
  );
}

function actionBody(
  entity: EntityPlan,
  op: PlannedOperation,
  audit: AuditLine,
  repo: string,
  now: string,
  entityId: string,
): string {
  const transition = op.transition;
  const notFound = ["if updated is None:", `    raise not_found(${pyStr(entity.name)})`];
  if (transition === null || transition.from.length === 0) {
    const change =
      transition === null
        ? '{"updatedAt": now}'
        : `{${pyStr(transition.field)}: ${pyStr(transition.to)}, "updatedAt": now}`;
    return lines(
      entityId,
      now,
      `updated = ${repo}.update(entity_id, ${change})`,
      ...notFound,
      audit(op.verb, "[entity_id]"),
      "return to_api(updated)",
    );
  }
  return lines(
    entityId,
    `allowed_from = ${pyList(transition.from)}`,
    `current = ${repo}.find_by_id(entity_id)`,
    "if current is None:",
    `    raise not_found(${pyStr(entity.name)})`,
    `if str(current[${pyStr(transition.field)}]) not in allowed_from:`,
    `    raise conflict(f"cannot ${op.verb} a ${entity.name} whose ${transition.field} is {current[${pyStr(transition.field).replace(/^"|"$/g, "'")}]}")`,
    now,
    `# The guard makes the change atomic: it fails if another request moved the ${transition.field} meanwhile.`,
    `updated = ${repo}.update(entity_id, {${pyStr(transition.field)}: ${pyStr(transition.to)}, "updatedAt": now}, Guard(${pyStr(transition.field)}, allowed_from))`,
    "if updated is None:",
    `    raise conflict("the ${entity.name} changed while this request ran; retry")`,
    audit(op.verb, "[entity_id]"),
    "return to_api(updated)",
  );
}

function eraseBody(
  entity: EntityPlan,
  markers: Markers,
  audit: AuditLine,
  repo: string,
  entityId: string,
): string {
  const replacements = entity.fields.flatMap((field: PlannedField) => {
    const value = erasedValue(field, "entity_id");
    return value === null ? [] : [`${pyStr(field.name)}: ${value},`];
  });
  return lines(
    entityId,
    `# Personal data is replaced, the record itself kept (it may be needed for legal records).${markers.control("data-erasure")}`,
    `erased = ${repo}.update(`,
    "    entity_id,",
    "    {",
    indent(replacements.join("\n"), 2),
    '        "updatedAt": validation.iso(context.now()),',
    "    },",
    ")",
    "if erased is None:",
    `    raise not_found(${pyStr(entity.name)})`,
    audit("erase", "[entity_id]", "PERSONAL_FIELDS"),
    "return Response(status_code=204)",
  );
}
