/**
 * Package api, per plan: `router.go` (every route of the plan, with its guards) and one handler
 * file per entity (`internal/api/<route>.go`) with the request rules generated from the plan.
 */
import type {
  ApiPlan,
  EntityPlan,
  FieldSchema,
  Parameter,
  PlannedField,
  PlannedOperation,
} from "../../../generate/plan-schema.js";
import { erasureOf } from "../../shared/erasure.js";
import type { Features } from "../../shared/features.js";
import { decimalScale, normaliseDecimal } from "../../shared/sample-values.js";
import { align, goLiteral, goString, goStrings, importBlock, lines, tabs } from "../go.js";
import type { Markers } from "../markers.js";
import { entityNamed, type GoProperty, goNamesOf, goProperties, propertyOf } from "./names.js";

/** `handleListPatients`: the server method serving an operation. */
export function handlerName(op: PlannedOperation): string {
  return `handle${op.id.charAt(0).toUpperCase()}${op.id.slice(1)}`;
}

/** `/patients/{id}/approve` → `/patients/:id/approve`. */
export function ginPath(op: PlannedOperation): string {
  return op.path.replace(/\{([A-Za-z0-9_]+)\}/g, ":$1");
}

/** `internal/api/router.go` */
export function routerGo(plan: ApiPlan, features: Features, markers: Markers, modulePath: string): string {
  const routes = plan.operations.map((op) => {
    const guards: string[] = [];
    if (op.auth.required) {
      guards.push(
        op.auth.anyRole
          ? "s.allowAny()"
          : op.auth.roles.length === 0
            ? "s.allowNone()"
            : `s.allow(${op.auth.roles.map(goString).join(", ")})`,
      );
    }
    if (op.idempotent) guards.push("s.idempotent()");
    return `routes.${op.method}(${goString(ginPath(op))}, ${[...guards, `s.${handlerName(op)}`].join(", ")})`;
  });
  const serverFields = align([
    ["stores", "store.Stores"],
    ["logger", "*logging.Logger"],
    ["now", "func() time.Time"],
    ...(features.auth !== "none" ? [["authenticate", "authenticator"]] : []),
    ...(features.card ? [["cards", "*security.CardTokenizer"]] : []),
  ]);
  const authenticator =
    features.auth === "api-key"
      ? "apiKeyAuthenticator(deps.Config.APIKeys)"
      : features.jwt
        ? "jwtAuthenticator([]byte(deps.Config.JWTSecret), time.Now)"
        : null;
  const serverValues = align([
    ["stores:", "deps.Stores,"],
    ["logger:", "deps.Logger,"],
    ["now:", "deps.Now,"],
    ...(authenticator === null ? [] : [["authenticate:", `${authenticator},`]]),
    ...(features.card ? [["cards:", "security.NewCardTokenizer(deps.Config.CardTokenKey),"]] : []),
  ]);
  const imports = [
    "context",
    "net/http",
    "time",
    "github.com/gin-gonic/gin",
    `${modulePath}/internal/config`,
    `${modulePath}/internal/logging`,
    ...(features.card ? [`${modulePath}/internal/security`] : []),
    `${modulePath}/internal/store`,
  ];
  const rateLimit = features.rateLimit
    ? `
	limit := s.rateLimit(newRateLimiter(cfg.RateLimit.Requests, cfg.RateLimit.Window, s.now))`
    : "";
  const requireAuth = markers.control("require-auth");
  return `// Package api is the HTTP API: routes generated from the same plan as openapi.yaml, request
// validation, errors in the contract's shape${features.auth === "none" ? "" : ", authentication"}${features.audit ? ", the audit trail" : ""} and the
// cross-cutting protections. NewRouter builds it from injected stores, so that tests run it in
// memory and the server on PostgreSQL.
package api

${importBlock(modulePath, imports)}

// Deps is what the API is built from.
type Deps struct {
	Config config.Config
	Stores store.Stores
	// Logger defaults to one that writes nothing; Now (the clock) to time.Now.
	Logger *logging.Logger
	Now    func() time.Time
}

type server struct {
${tabs(serverFields.join("\n"))}
}

// NewRouter returns the API's handler.
func NewRouter(deps Deps) *gin.Engine {
	return newServer(deps).routes(deps.Config)
}

func newServer(deps Deps) *server {
	if deps.Logger == nil {
		deps.Logger = logging.Discard()
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
${requireAuth === "" ? "" : `\t${requireAuth}\n`}	return &server{
${tabs(serverValues.join("\n"), 2)}
	}
}

// routes registers every route of the plan with its guards, behind the shared middleware.
func (s *server) routes(cfg config.Config) *gin.Engine {
	router := gin.New()
	// Client IPs (rate limiting, logs) come from the connection unless TRUSTED_PROXIES names the
	// proxies whose X-Forwarded-For may be believed; config.Load has checked the list.
	_ = router.SetTrustedProxies(cfg.TrustedProxies)
	router.Use(s.requestLog(), s.recoverer()${features.securityHeaders ? ", securityHeaders()" : ""})

	// Probes answer before rate limiting and authentication: liveness never touches the database,
	// readiness checks that it answers.
	router.GET("/healthz", s.healthz)
	router.GET("/readyz", s.readyz)
${rateLimit}
	routes := router.Group(""${features.rateLimit ? ", limit" : ""})
${tabs(routes.join("\n"))}
	router.NoRoute(${features.rateLimit ? "limit, " : ""}s.noRoute)
	return router
}

func (s *server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

func (s *server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	if err := s.stores.Ready(ctx); err != nil {
		s.logger.Warn("not ready", map[string]any{"error": err.Error()})
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// clock is the time written to records: UTC, to the microsecond that PostgreSQL keeps.
func (s *server) clock() time.Time {
	return s.now().UTC().Round(time.Microsecond)
}
${
  features.audit
    ? `
// audit records who touched which records and which sensitive fields, before the response goes out.
${markers.control("audit-log") === "" ? "" : `${markers.control("audit-log")}\n`}func (s *server) audit(c *gin.Context, action, entity string, ids []string, fields []string) error {
	events := make([]store.AuditEvent, 0, len(ids))
	for _, id := range ids {
		events = append(events, store.AuditEvent{Actor: actorOf(c), Action: action, Entity: entity, EntityID: id, Fields: fields})
	}
	return s.stores.Audit.Record(c.Request.Context(), events)
}
`
    : ""
}${
  features.auth === "none"
    ? `
// actorOf is who made the request: without authentication, always anonymous.
func actorOf(*gin.Context) string { return "anonymous" }
`
    : ""
}`;
}

/** `internal/api/records.go`: small helpers the handlers share. */
export function recordsGo(): string {
  return `package api

import (
	"encoding/json"
	"strings"
)

// touched reports whether a checked body carries any of the fields.
func touched(raw map[string]json.RawMessage, names ...string) bool {
	for _, name := range names {
		if _, ok := raw[name]; ok {
			return true
		}
	}
	return false
}

// setsTrue reports whether a checked body sets any of the (boolean) fields to true.
func setsTrue(raw map[string]json.RawMessage, names ...string) bool {
	for _, name := range names {
		if strings.TrimSpace(string(raw[name])) == "true" {
			return true
		}
	}
	return false
}

// changedFields are the fields of names that a checked body carries.
func changedFields(raw map[string]json.RawMessage, names []string) []string {
	changed := []string{}
	for _, name := range names {
		if _, ok := raw[name]; ok {
			changed = append(changed, name)
		}
	}
	return changed
}

// erasedMarker is what erasure writes into a personal text field: erased-<id>, cut to max.
func erasedMarker(id string, max int) string {
	marker := "erased-" + id
	if max > 0 && len(marker) > max {
		marker = marker[:max]
	}
	return marker
}

// textOf is an optional text for messages: its value, or null.
func textOf(value *string) string {
	if value == nil {
		return "null"
	}
	return *value
}

// oneOf reports whether value is one of allowed.
func oneOf(value string, allowed ...string) bool {
	for _, candidate := range allowed {
		if value == candidate {
			return true
		}
	}
	return false
}

// isTrue reports whether an optional boolean is set and true.
func isTrue(value *bool) bool { return value != nil && *value }
`;
}

// ---------------------------------------------------------------------------------------------
// Rules

const KINDS: Record<FieldSchema["type"], string> = {
  string: "kindString",
  integer: "kindInteger",
  number: "kindNumber",
  boolean: "kindBoolean",
  object: "kindObject",
};

/** One `fieldRule` literal. */
export function ruleLiteral(
  name: string,
  schema: FieldSchema,
  options: { readonly required: boolean; readonly nullable: boolean; readonly fallback: string | null },
): string {
  const parts = [`name: ${goString(name)}`, `kind: ${KINDS[schema.type]}`];
  if (schema.format !== null) parts.push(`format: ${goString(schema.format)}`);
  if (schema.enum !== null) parts.push(`enum: ${goStrings(schema.enum)}`);
  const plain = schema.enum === null && [null, "email", "uri"].includes(schema.format);
  if (plain && schema.minLength !== null && schema.minLength > 0)
    parts.push(`minLength: ${schema.minLength}`);
  if (plain && schema.maxLength !== null) parts.push(`maxLength: ${schema.maxLength}`);
  if (schema.pattern !== null && (plain || schema.format === "decimal")) {
    parts.push(`pattern: regexp.MustCompile(${goRegex(schema.pattern)})`);
  }
  if (schema.minimum !== null) parts.push(`minimum: bound(${schema.minimum})`);
  if (schema.maximum !== null) parts.push(`maximum: bound(${schema.maximum})`);
  if (options.nullable) parts.push("nullable: true");
  if (options.required) parts.push("required: true");
  if (options.fallback !== null) parts.push(`fallback: ${goString(options.fallback)}`);
  if (schema.format === "decimal") parts.push(`scale: ${decimalScale(schema)}`);
  return `{${parts.join(", ")}},`;
}

/** A regular expression as a Go raw string literal when it can be one (no backquote), else quoted. */
function goRegex(pattern: string): string {
  return pattern.includes("`") ? goString(pattern) : `\`${pattern}\``;
}

function bodyFallback(field: PlannedField): string | null {
  if (field.default === null) return null;
  if (field.schema.format === "decimal" && typeof field.default === "string") {
    return JSON.stringify(normaliseDecimal(field.default, decimalScale(field.schema)));
  }
  return JSON.stringify(field.default);
}

function queryRule(param: Parameter): string {
  return ruleLiteral(param.name, param.schema, {
    required: param.required,
    nullable: false,
    fallback: param.default === null ? null : String(param.default),
  });
}

// ---------------------------------------------------------------------------------------------
// Handlers

interface HandlerContext {
  readonly plan: ApiPlan;
  readonly entity: EntityPlan;
  readonly features: Features;
  readonly markers: Markers;
  readonly audited: boolean;
  readonly type: string;
  readonly repo: string;
  readonly lower: string;
}

/** `internal/api/<route>.go` */
export function handlersGo(
  plan: ApiPlan,
  entity: EntityPlan,
  features: Features,
  markers: Markers,
  modulePath: string,
): string {
  const names = goNamesOf(entity);
  const ops = plan.operations.filter((op) => op.entity === entity.name);
  const ctx: HandlerContext = {
    plan,
    entity,
    features,
    markers,
    audited: entity.audit.enabled && features.audit,
    type: `store.${names.type}`,
    repo: `s.stores.${names.field}`,
    lower: names.lower,
  };
  const vars: string[] = [];
  if (ops.some((op) => op.kind === "create")) {
    const rules = entity.fields
      .filter((field) => field.create !== "forbidden")
      .map((field) =>
        ruleLiteral(field.name, field.schema, {
          required: field.create === "required",
          nullable: field.schema.nullable,
          fallback: bodyFallback(field),
        }),
      );
    vars.push(`// ${names.lower}CreateRules check the body of POST /${entity.route}.
var ${names.lower}CreateRules = []fieldRule{
${tabs(rules.join("\n"))}
}`);
  }
  if (ops.some((op) => op.kind === "update")) {
    const rules = entity.fields
      .filter((field) => field.update)
      .map((field) =>
        ruleLiteral(field.name, field.schema, {
          required: false,
          nullable: field.schema.nullable,
          fallback: null,
        }),
      );
    vars.push(`// ${names.lower}UpdateRules check the body of PATCH /${entity.route}/{id}: any subset of these fields.
var ${names.lower}UpdateRules = []fieldRule{
${tabs(rules.join("\n"))}
}`);
  }
  for (const op of ops.filter((candidate) => candidate.kind === "list" || candidate.kind === "search")) {
    const params = op.parameters.filter((param) => param.in === "query");
    vars.push(`// ${op.id}Query checks the query of ${op.method} ${op.path}.
var ${op.id}Query = []fieldRule{
${tabs(params.map(queryRule).join("\n"))}
}`);
  }
  if (ctx.audited) {
    vars.push(`// ${names.lower}AuditedFields are the sensitive fields named in audit entries (names only, never values).
var ${names.lower}AuditedFields = ${goStrings(entity.audit.fields)}`);
  }
  if (ops.some((op) => op.kind === "erase") && ctx.audited) {
    vars.push(`// ${names.lower}PersonalFields are the fields erasure replaces.
var ${names.lower}PersonalFields = ${goStrings(entity.personalFields)}`);
  }
  const handlers = ops.map((op) => handler(ctx, op));
  const body = [...vars, ...handlers].join("\n\n");
  const imports = [
    ...(body.includes("context.") ? ["context"] : []),
    ...(body.includes("http.") ? ["net/http"] : []),
    ...(body.includes("regexp.") ? ["regexp"] : []),
    ...(body.includes("gin.") ? ["github.com/gin-gonic/gin"] : []),
    ...(body.includes("store.") ? [`${modulePath}/internal/store`] : []),
  ];
  return `package api

${importBlock(modulePath, imports)}

${body}
`;
}

function handler(ctx: HandlerContext, op: PlannedOperation): string {
  const doc = `// ${handlerName(op)} serves ${op.method} ${op.path} (${op.id}${op.summary === "" ? "" : `: ${op.summary.replace(/\s+/g, " ").replace(/\.$/, "")}`}).`;
  let body: string;
  switch (op.kind) {
    case "list":
      body = listBody(ctx, op);
      break;
    case "search":
      body = searchBody(ctx, op);
      break;
    case "create":
      body = createBody(ctx, op);
      break;
    case "get":
      body = lines(
        ID_LINES,
        `record, err := ${ctx.repo}.FindByID(c.Request.Context(), id)`,
        failIf(ctx),
        auditLines(ctx, "read", "[]string{id}"),
        "c.JSON(http.StatusOK, record)",
      );
      break;
    case "update":
      body = updateBody(ctx);
      break;
    case "delete":
      body = lines(
        ID_LINES,
        `if err := ${ctx.repo}.Remove(c.Request.Context(), id, s.clock()); err != nil {`,
        `\ts.fail(c, ${goString(ctx.entity.name)}, err)`,
        "\treturn",
        "}",
        auditLines(ctx, "delete", "[]string{id}"),
        "c.Status(http.StatusNoContent)",
      );
      break;
    case "action":
      body = actionBody(ctx, op);
      break;
    case "export":
      body = exportBody(ctx);
      break;
    case "erase":
      body = eraseBody(ctx);
      break;
  }
  return `${doc}\nfunc (s *server) ${handlerName(op)}(c *gin.Context) {\n${tabs(body)}\n}`;
}

const ID_LINES = `id, problem := idParam(c)
if problem != nil {
	s.fail(c, "", problem)
	return
}`;

function failIf(ctx: HandlerContext): string {
  return `if err != nil {
	s.fail(c, ${goString(ctx.entity.name)}, err)
	return
}`;
}

function auditLines(ctx: HandlerContext, action: string, ids: string, fields?: string): string | false {
  if (!ctx.audited) return false;
  return `if err := s.audit(c, ${goString(action)}, ${goString(ctx.entity.name)}, ${ids}, ${fields ?? `${ctx.lower}AuditedFields`}); err != nil {
	s.fail(c, "", err)
	return
}`;
}

function queryLines(op: PlannedOperation): string {
  return `query, details := parseQuery(c, ${op.id}Query)
if details != nil {
	s.fail(c, "", validationFailed(details))
	return
}
page, pageSize := pageOf(query)`;
}

function listResponse(ctx: HandlerContext, action: string): string {
  return lines(
    failIf(ctx),
    ctx.audited &&
      lines(
        "ids := make([]string, 0, len(found.Items))",
        "for _, record := range found.Items {",
        "\tids = append(ids, record.ID)",
        "}",
      ),
    auditLines(ctx, action, "ids"),
    `c.JSON(http.StatusOK, gin.H{"items": found.Items, "page": page, "pageSize": pageSize, "total": found.Total})`,
  );
}

function listBody(ctx: HandlerContext, op: PlannedOperation): string {
  const options = align([
    ["Paging:", "store.Paging{Page: page, PageSize: pageSize},"],
    ["SortField:", "field,"],
    ["Descending:", "descending,"],
    ...(op.filterBy.length > 0
      ? [["Filters:", `pick(query, ${op.filterBy.map(goString).join(", ")}),`]]
      : []),
  ]);
  return lines(
    queryLines(op),
    "field, descending := sortOf(query)",
    `found, err := ${ctx.repo}.List(c.Request.Context(), store.ListOptions{`,
    tabs(options.join("\n")),
    "})",
    listResponse(ctx, "list"),
  );
}

function searchBody(ctx: HandlerContext, op: PlannedOperation): string {
  return lines(
    queryLines(op),
    'text, _ := query["q"].(string)',
    `found, err := ${ctx.repo}.Search(c.Request.Context(), text, store.Paging{Page: page, PageSize: pageSize})`,
    listResponse(ctx, "search"),
  );
}

const BODY_LINES = (rules: string) => `raw, problem := readObject(c)
if problem != nil {
	s.fail(c, "", problem)
	return
}
if details := checkBody(raw, ${rules}, ${rules.endsWith("CreateRules") ? "true" : "false"}); details != nil {
	s.fail(c, "", validationFailed(details))
	return
}`;

function consentExpr(ctx: HandlerContext, target: string): string {
  return ctx.entity.consentFields
    .map((name) => {
      const property = propertyOf(ctx.entity, name);
      if (property === undefined) return "false";
      return property.pointer ? `isTrue(${target}.${property.name})` : `${target}.${property.name}`;
    })
    .join(" || ");
}

function consentGivenAt(ctx: HandlerContext): GoProperty | undefined {
  return goProperties(ctx.entity).find((property) => property.field?.role === "consent-given-at");
}

function cardLines(ctx: HandlerContext, target: string, updating: boolean): string | false {
  const card = ctx.entity.card;
  if (card === null) return false;
  const properties = goProperties(ctx.entity);
  const token = properties.find((property) => property.field === null);
  const last4 = card.last4Field === null ? undefined : propertyOf(ctx.entity, card.last4Field);
  if (token === undefined) return false;
  const assign = (property: GoProperty, value: string) =>
    `${target}.${property.name} = ${property.pointer ? `&${value}` : value}`;
  const tokenize = lines(
    `token, last4 := s.cards.Tokenize(*number)`,
    assign(token, "token"),
    last4 === undefined ? "_ = last4" : assign(last4, "last4"),
  );
  const cardField = ctx.entity.fields.find((candidate) => candidate.name === card.inputField);
  // A PATCH may remove a card only when the card number may be null.
  const clear =
    cardField?.schema.nullable === true
      ? lines(
          token.pointer && `${target}.${token.name} = nil`,
          last4?.pointer === true && `${target}.${last4.name} = nil`,
        )
      : "";
  const marker = ctx.markers.control("tokenize-card-data");
  if (!updating) {
    return lines(
      "// The card number itself is never stored: only its token and last four digits.",
      marker,
      `if number := textField(raw, ${goString(card.inputField)}); number != nil {`,
      tabs(tokenize),
      "}",
    );
  }
  return lines(
    marker,
    `if number := textField(raw, ${goString(card.inputField)}); number != nil {`,
    tabs(tokenize),
    clear !== "" && `} else if touched(raw, ${goString(card.inputField)}) {`,
    clear !== "" && tabs(clear),
    "}",
  );
}

function createBody(ctx: HandlerContext, op: PlannedOperation): string {
  const { entity } = ctx;
  const properties = goProperties(entity);
  const given = consentGivenAt(ctx);
  const stamps = properties.flatMap((property) => {
    switch (property.field?.role) {
      case "id":
        return [`record.${property.name} = store.NewID()`];
      case "created-at":
      case "updated-at":
        return [`record.${property.name} = ${property.pointer ? "&now" : "now"}`];
      default:
        return [];
    }
  });
  return lines(
    BODY_LINES(`${ctx.lower}CreateRules`),
    `var record ${ctx.type}`,
    "if err := decodeInto(raw, &record); err != nil {",
    '\ts.fail(c, "", err)',
    "\treturn",
    "}",
    "now := s.clock()",
    ...stamps,
    cardLines(ctx, "record", false),
    given !== undefined &&
      entity.consentFields.length > 0 &&
      lines(
        "// consentGivenAt records when consent was given.",
        ctx.markers.control("consent-fields"),
        `if ${consentExpr(ctx, "record")} {`,
        `\trecord.${given.name} = ${given.pointer ? "&now" : "now"}`,
        "}",
      ),
    `created, err := ${ctx.repo}.Insert(c.Request.Context(), record)`,
    failIf(ctx),
    auditLines(ctx, "create", "[]string{created.ID}"),
    `c.Header("Location", "/${entity.route}/"+created.ID)`,
    `c.JSON(${op.successStatus === 201 ? "http.StatusCreated" : op.successStatus}, created)`,
  );
}

function updateBody(ctx: HandlerContext): string {
  const { entity } = ctx;
  const properties = goProperties(entity);
  const updatedAt = properties.find((property) => property.field?.role === "updated-at");
  const objects = properties.filter(
    (property) => property.kind === "object" && property.field?.update === true,
  );
  const given = consentGivenAt(ctx);
  const consent = entity.consentFields;
  const consentNames = consent.map(goString).join(", ");
  const change = lines(
    ...objects.map(
      (property) =>
        `if touched(raw, ${goString(property.field?.name ?? "")}) {\n\t// An object is replaced, not merged.\n\trecord.${property.name} = nil\n}`,
    ),
    "if err := decodeInto(raw, record); err != nil {",
    "\treturn err",
    "}",
    updatedAt !== undefined && `record.${updatedAt.name} = ${updatedAt.pointer ? "&now" : "now"}`,
    cardLines(ctx, "record", true),
    given !== undefined &&
      consent.length > 0 &&
      lines(
        "// consentGivenAt: now when consent is given, cleared when every consent is withdrawn.",
        ctx.markers.control("consent-fields"),
        `if setsTrue(raw, ${consentNames}) {`,
        `\trecord.${given.name} = ${given.pointer ? "&now" : "now"}`,
        `} else if touched(raw, ${consentNames}) && !(${consentExpr(ctx, "record")}) {`,
        given.pointer ? `\trecord.${given.name} = nil` : `\trecord.${given.name} = time.Time{}`,
        "}",
      ),
    "return nil",
  );
  return lines(
    ID_LINES,
    BODY_LINES(`${ctx.lower}UpdateRules`),
    "now := s.clock()",
    `updated, err := ${ctx.repo}.Update(c.Request.Context(), id, func(record *${ctx.type}) error {`,
    tabs(change),
    "})",
    failIf(ctx),
    auditLines(ctx, "update", "[]string{id}", `changedFields(raw, ${ctx.lower}AuditedFields)`),
    "c.JSON(http.StatusOK, updated)",
  );
}

function actionBody(ctx: HandlerContext, op: PlannedOperation): string {
  const properties = goProperties(ctx.entity);
  const updatedAt = properties.find((property) => property.field?.role === "updated-at");
  const transition = op.transition;
  const target = transition === null ? undefined : propertyOf(ctx.entity, transition.field);
  const change: string[] = [];
  if (transition !== null && target !== undefined) {
    if (transition.from.length > 0) {
      const current = target.pointer ? `textOf(record.${target.name})` : `record.${target.name}`;
      change.push(
        `if !oneOf(${current}, ${transition.from.map(goString).join(", ")}) {`,
        `\treturn conflict("cannot ${op.verb} a ${ctx.entity.name} whose ${transition.field} is " + ${current})`,
        "}",
      );
    }
    change.push(
      `record.${target.name} = ${target.pointer ? `ptr(${goString(transition.to)})` : goString(transition.to)}`,
    );
  }
  if (updatedAt !== undefined) change.push(`record.${updatedAt.name} = now`);
  change.push("return nil");
  return lines(
    ID_LINES,
    "now := s.clock()",
    transition !== null &&
      transition.from.length > 0 &&
      `// The check and the change happen atomically: a concurrent change of ${transition.field} cannot slip in between.`,
    `updated, err := ${ctx.repo}.Update(c.Request.Context(), id, func(record *${ctx.type}) error {`,
    tabs(change.join("\n")),
    "})",
    failIf(ctx),
    auditLines(ctx, op.verb, "[]string{id}"),
    "c.JSON(http.StatusOK, updated)",
  );
}

function exportBody(ctx: HandlerContext): string {
  const children = ctx.entity.children.flatMap((child) => {
    const childEntity = entityNamed(ctx.plan, child.entity);
    return childEntity === undefined ? [] : [{ child, names: goNamesOf(childEntity) }];
  });
  const childLines = children.map(
    (
      { child, names },
      index,
    ) => `${childVar(index)}, err := s.stores.${names.field}.ListBy(c.Request.Context(), ${goString(child.foreignKey)}, id)
if err != nil {
	s.fail(c, ${goString(child.entity)}, err)
	return
}`,
  );
  const childrenValue =
    children.length === 0
      ? "gin.H{}"
      : `gin.H{${children.map(({ child }, index) => `${goString(child.key)}: ${childVar(index)}`).join(", ")}}`;
  return lines(
    ID_LINES,
    `record, err := ${ctx.repo}.FindByID(c.Request.Context(), id)`,
    failIf(ctx),
    ...childLines,
    auditLines(ctx, "export", "[]string{id}"),
    "// Everything held about the record, and the records it owns, as one JSON document.",
    ctx.markers.control("data-export"),
    `c.JSON(http.StatusOK, gin.H{"data": record, "children": ${childrenValue}})`,
  );
}

function childVar(index: number): string {
  return `owned${index + 1}`;
}

function eraseBody(ctx: HandlerContext): string {
  const properties = goProperties(ctx.entity);
  const updatedAt = properties.find((property) => property.field?.role === "updated-at");
  const replacements = properties.flatMap((property) => {
    const value = erasedGo(property);
    return value === null ? [] : [`record.${property.name} = ${value}`];
  });
  return lines(
    ID_LINES,
    "now := s.clock()",
    "// Personal data is replaced and the record kept (it may be needed for legal records).",
    ctx.markers.control("data-erasure"),
    `_, err := ${ctx.repo}.Update(c.Request.Context(), id, func(record *${ctx.type}) error {`,
    tabs(lines(...replacements, updatedAt !== undefined && `record.${updatedAt.name} = now`, "return nil")),
    "})",
    failIf(ctx),
    auditLines(ctx, "erase", "[]string{id}", `${ctx.lower}PersonalFields`),
    "c.Status(http.StatusNoContent)",
  );
}

/** The Go value erasure writes into a property (`id` names the record id), or null. */
export function erasedGo(property: GoProperty): string | null {
  const erasure = property.field === null ? null : erasureOf(property.field);
  if (erasure === null) return null;
  const wrap = (value: string) => (property.pointer ? `ptr(${value})` : value);
  switch (erasure.kind) {
    case "null":
      return property.pointer || property.kind === "object" ? "nil" : null;
    case "marker":
      // erasedMarker cuts to its second argument; 0 leaves the marker whole.
      return wrap(`erasedMarker(id, ${erasure.cut ?? 0})`);
    case "email":
      return wrap(`id + "@erased.invalid"`);
    case "constant": {
      const value = erasure.value;
      if (typeof value === "number" && property.kind === "integer") return wrap(`int64(${value})`);
      if (typeof value === "number" && property.kind === "number") return wrap(`float64(${value})`);
      return wrap(goLiteral(value));
    }
  }
}
