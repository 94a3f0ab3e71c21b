/**
 * `planApi(ir, rules)`: decide every route, parameter, schema, column and table once, from the IR
 * and the resolved generation rules. The OpenAPI document, the migrations and every stack read the
 * plan, never the IR, for these decisions; that is what keeps them in agreement.
 */
import {
  type AuthKind,
  type Entity,
  type Field,
  type IR,
  OPERATION_PERMISSION,
  type Operation,
  operationOf,
  type Permission,
  type Relation,
  type Sensitivity,
} from "../ir/schema.js";
import { type FieldMarker, fieldMarker } from "../overlays/field-marks.js";
import type { GenerationRule } from "../overlays/schema.js";
import {
  type ApiPlan,
  type ColumnPlan,
  type EntityPlan,
  type EnvVar,
  type EraseStrategy,
  type FieldSchema,
  type ForeignKeyPlan,
  type OnDelete,
  type Parameter,
  PLAN_VERSION,
  type PlannedField,
  type PlannedOperation,
  type PlannedResponse,
  type TablePlan,
} from "./plan-schema.js";
import { camelCase, compareStrings, pascalCase, snakeCase, sqlIdentifier, sqlString } from "./text.js";

/** A rule as the overlay resolver returns it (`{ rule, from }`) or bare. */
export type RuleInput = GenerationRule | { readonly rule: GenerationRule; readonly from: readonly string[] };

/** Bare rules from either shape. */
export function bareRules(rules: readonly RuleInput[]): GenerationRule[] {
  return rules.map((entry) => ("rule" in entry ? entry.rule : entry));
}

const ALL_MARKS: readonly Sensitivity[] = ["pii", "phi", "cardholder"];
const PERSONAL_MARKS: readonly Sensitivity[] = ["pii", "phi"];
const DEFAULT_STRING_LENGTH = 255;
/** `text` columns are unbounded; the API still bounds them so a request cannot be arbitrarily large. */
const TEXT_API_LENGTH = 10_000;
const CARD_NAME = /^(?:.*card.*(?:number|num|no)|pan|primaryAccountNumber|ccNum(?:ber)?)$/i;
/**
 * Sensitive authentication data (PCI DSS 3.3.1): never stored after authorisation, not even
 * encrypted. With token-only card storage these fields are left out of the API and the table.
 */
const SENSITIVE_AUTH_DATA =
  /^(?:cvv2?|cvc2?|cvn|cardVerificationValue|securityCode|cardSecurityCode|pin|pinBlock|trackData|magneticStripe)$/i;

/**
 * PostgreSQL reserved key words (and the ones that can only be a function or type name) plus the
 * system columns: a column or table with one of these names would need quoting in every query of
 * every stack, so the plan renames it instead (`when` → `when_value`, table `user` → `user_records`).
 */
const SQL_RESERVED = new Set(
  (
    "all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate " +
    "collation column concurrently constraint create cross current_catalog current_date current_role " +
    "current_schema current_time current_timestamp current_user default deferrable desc distinct do else end " +
    "except false fetch for foreign freeze from full grant group having ilike in initially inner intersect into " +
    "is isnull join lateral leading left like limit localtime localtimestamp natural not notnull null offset on " +
    "only or order outer overlaps placing primary references returning right select session_user similar some " +
    "symmetric system_user table tablesample then to trailing true union unique user using variadic verbose when " +
    "where window with"
  ).split(" "),
);
const SYSTEM_COLUMNS = new Set(["oid", "tableoid", "xmin", "xmax", "cmin", "cmax", "ctid"]);
/** Fields every entity gets from the plan; an IR field of the same name is dropped. */
const SYSTEM_FIELDS = new Set(["id", "createdAt", "updatedAt", "deletedAt"]);

export function safeTableName(name: string): string {
  return SQL_RESERVED.has(name) ? `${name}_records` : name;
}

export function safeColumnName(name: string): string {
  return SQL_RESERVED.has(name) || SYSTEM_COLUMNS.has(name) ? `${name}_value` : name;
}

const PATTERNS = {
  phone: "^\\+?[0-9][0-9 ().-]{5,19}$",
  "postal-code": "^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$",
  "country-code": "^[A-Z]{2}$",
  currency: "^[A-Z]{3}$",
  cardNumber: "^[0-9]{12,19}$",
} as const;

interface Context {
  readonly ir: IR;
  readonly rules: readonly GenerationRule[];
  readonly notes: string[];
  /** Marks from `mark-sensitive` rules (whole-name, case-insensitive; shared with the IR compiler). */
  readonly marker: FieldMarker;
  readonly authKind: AuthKind;
  readonly encryptMarks: ReadonlySet<Sensitivity>;
  readonly auditMarks: ReadonlySet<Sensitivity> | "all" | null;
  readonly maskMarks: ReadonlySet<Sensitivity>;
  readonly softDelete: boolean;
  readonly card: { readonly keepLastFour: boolean } | null;
  readonly money: { readonly precision: number; readonly scale: number } | null;
  readonly consentPurposes: readonly string[];
  readonly exportOn: boolean;
  readonly eraseOn: boolean;
  readonly idempotency: readonly string[] | "all" | null;
}

/**
 * Builds the API plan. Pure and deterministic.
 *
 * @example
 * const plan = planApi(ir, resolved.rules);
 * plan.operations.map((op) => `${op.method} ${op.path}`); // ["GET /patients", "POST /patients", …]
 */
export function planApi(ir: IR, rules: readonly RuleInput[]): ApiPlan {
  const context = makeContext(ir, bareRules(rules));
  const entities = ir.entities.map((entity) => planEntity(context, entity));
  if (context.consentPurposes.length > 0 && entities.every((entity) => entity.consentFields.length === 0)) {
    context.notes.push("consent-fields: no entity holds personal data, so no consent fields were added");
  }
  const byName = new Map(entities.map((entity) => [entity.name, entity]));
  const operations = planOperations(context, byName);
  const { tables, deferredForeignKeys } = planTables(context, entities);
  const maskedFields = [
    ...new Set(entities.flatMap((entity) => entity.fields.filter((f) => f.masked).map((f) => f.name))),
  ].sort(compareStrings);
  return {
    planVersion: PLAN_VERSION,
    app: { ...ir.app },
    auth: {
      kind: context.authKind,
      header:
        context.authKind === "none" ? null : context.authKind === "api-key" ? "X-API-Key" : "Authorization",
      roles: ir.auth.roles.map((role) => role.name),
    },
    rateLimit: rateLimit(ir, context.rules),
    securityHeaders: context.rules.some((rule) => rule.kind === "security-headers"),
    retentionDays: retentionDays(ir, context.rules),
    maskedFields,
    entities,
    operations,
    tables,
    deferredForeignKeys,
    env: envVars(context, entities),
    notes: context.notes,
  };
}

function makeContext(ir: IR, rules: readonly GenerationRule[]): Context {
  const of = <K extends GenerationRule["kind"]>(kind: K) =>
    rules.filter((rule): rule is Extract<GenerationRule, { kind: K }> => rule.kind === kind);
  const requireAuth = of("require-auth")[0];
  const authKind: AuthKind = ir.auth.kind !== "none" ? ir.auth.kind : (requireAuth?.scheme ?? "none");
  const encryptRules = of("encrypt-fields");
  const encryptMarks = new Set<Sensitivity>(encryptRules.flatMap((rule) => rule.marks));
  if (encryptRules.length === 0 && ir.nonFunctional.encryptionAtRest !== null) {
    for (const mark of ALL_MARKS) encryptMarks.add(mark);
  }
  const auditRules = of("audit-log");
  const auditMarks =
    auditRules.length > 0
      ? new Set<Sensitivity>(auditRules.flatMap((rule) => rule.on))
      : ir.nonFunctional.auditLog !== null
        ? "all"
        : null;
  const tokenize = of("tokenize-card-data")[0];
  const money = of("decimal-money")[0];
  const idempotencyRules = of("idempotency-keys");
  return {
    ir,
    rules,
    notes: [],
    marker: fieldMarker(rules),
    authKind,
    encryptMarks,
    auditMarks,
    maskMarks: new Set(of("mask-in-logs").flatMap((rule) => rule.marks)),
    softDelete: of("soft-delete").length > 0 || ir.nonFunctional.softDelete !== null,
    card: tokenize === undefined ? null : { keepLastFour: tokenize.keepLastFour },
    money: money === undefined ? null : { precision: money.precision, scale: money.scale },
    consentPurposes: [...new Set(of("consent-fields").flatMap((rule) => rule.purposes))],
    exportOn: of("data-export").length > 0,
    eraseOn: of("data-erasure").length > 0,
    idempotency:
      idempotencyRules.length > 0
        ? idempotencyRules.flatMap((rule) => rule.on.map((word) => word.toLowerCase()))
        : ir.nonFunctional.idempotency !== null
          ? "all"
          : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Entities and fields

function sensitivityOf(context: Context, field: Field): Sensitivity[] {
  const marks = new Set<Sensitivity>([...field.sensitivity, ...context.marker(field.name)]);
  return ALL_MARKS.filter((mark) => marks.has(mark));
}

function isPersonal(marks: readonly Sensitivity[]): boolean {
  return marks.some((mark) => PERSONAL_MARKS.includes(mark));
}

function isMoney(field: Field): boolean {
  return field.format === "money";
}

function relationsInto(ir: IR, entity: string): Relation[] {
  return ir.relations.filter((relation) => relation.kind !== "many-to-many" && relation.to === entity);
}

function planEntity(context: Context, entity: Entity): EntityPlan {
  const { ir } = context;
  const fields: PlannedField[] = [systemField("id", "id", "uuid", "Server-generated identifier.")];
  const irNames = new Set(entity.fields.map((field) => field.name));
  const personalFields: string[] = [];
  let card: EntityPlan["card"] = null;

  for (const field of entity.fields) {
    if (SYSTEM_FIELDS.has(field.name)) {
      context.notes.push(
        `${entity.name}.${field.name} is provided by every entity; the brief's field was merged into it`,
      );
      continue;
    }
    const marks = sensitivityOf(context, field);
    const isForeignKey = relationsInto(ir, entity.name).some(
      (relation) => relation.foreignKey === field.name,
    );
    if (isForeignKey) continue; // planned below, with its relation
    if (context.card !== null && SENSITIVE_AUTH_DATA.test(field.name)) {
      context.notes.push(
        `${entity.name}.${field.name} left out: card security codes, PINs and track data are never stored (PCI DSS 3.3.1); the payment processor collects them`,
      );
      continue;
    }
    if (context.card !== null && card === null && CARD_NAME.test(field.name) && field.type === "string") {
      card = {
        inputField: field.name,
        tokenColumn: "card_token",
        last4Field: context.card.keepLastFour ? "cardLast4" : null,
        last4Column: context.card.keepLastFour ? "card_last4" : null,
      };
      fields.push(cardNumberField(field, marks));
      if (context.card.keepLastFour) fields.push(cardLast4Field());
      continue;
    }
    if (field.name === "currency" && entity.fields.some(isMoney)) {
      fields.push(currencyField(entity, field));
      continue;
    }
    if (isPersonal(marks)) personalFields.push(field.name);
    fields.push(dataField(context, entity, field, marks));
  }

  // Foreign keys: `<parent>Id` on the child side of one-to-one and one-to-many relations.
  for (const relation of relationsInto(ir, entity.name)) {
    const parent = ir.entities.find((candidate) => candidate.name === relation.from);
    if (parent === undefined || relation.foreignKey === null) {
      context.notes.push(
        `relation ${relation.from} → ${relation.to} skipped: unknown entity or no foreign key`,
      );
      continue;
    }
    if (fields.some((field) => field.name === relation.foreignKey)) continue;
    const declared = entity.fields.find((field) => field.name === relation.foreignKey);
    const required = relation.required || (declared?.required ?? false);
    const onDelete: OnDelete = relation.owned ? "cascade" : required ? "restrict" : "set null";
    fields.push(
      plannedField({
        name: relation.foreignKey,
        column: safeColumnName(declared?.column ?? snakeCase(relation.foreignKey)),
        role: "foreign-key",
        type: "uuid",
        schema: schema({
          type: "string",
          format: "uuid",
          nullable: !required,
          description:
            declared?.description ||
            `The ${parent.name} this ${entity.name} ${relation.label || "belongs to"}.`,
        }),
        output: true,
        create: required ? "required" : "optional",
        update: true,
        unique: relation.kind === "one-to-one" || (declared?.unique ?? false),
        references: { entity: parent.name, table: safeTableName(parent.table), onDelete },
      }),
    );
  }

  // One currency per record that holds money, unless the IR already has a `currency` field.
  const moneyFields = entity.fields.filter(isMoney).map((field) => field.name);
  if (moneyFields.length > 0 && !irNames.has("currency")) {
    const first = entity.fields.find(isMoney);
    fields.push({
      ...currencyField(entity, null, first?.currency ?? "USD"),
      currencyOf: moneyFields,
    });
  }

  const holdsPersonalData = personalFields.length > 0;
  const consentFields: string[] = [];
  if (context.consentPurposes.length > 0 && holdsPersonalData) {
    for (const purpose of context.consentPurposes) {
      const name = `consent${pascalCase(purpose)}`;
      if (fields.some((field) => field.name === name)) continue;
      consentFields.push(name);
      fields.push(
        plannedField({
          name,
          column: snakeCase(name),
          role: "consent",
          type: "boolean",
          schema: schema({ type: "boolean", nullable: false, description: `Consent to ${purpose}.` }),
          output: true,
          create: "optional",
          update: true,
          default: false,
        }),
      );
    }
    if (consentFields.length > 0) {
      fields.push({
        ...systemField(
          "consentGivenAt",
          "consent-given-at",
          "datetime",
          "When consent was last given (set by the server).",
        ),
        column: "consent_given_at",
        schema: schema({
          type: "string",
          format: "date-time",
          nullable: true,
          description: "When consent was last given (set by the server).",
        }),
      });
    }
  }

  fields.push(systemField("createdAt", "created-at", "datetime", "When the record was created."));
  fields.push(systemField("updatedAt", "updated-at", "datetime", "When the record was last updated."));
  if (context.softDelete) {
    fields.push({
      ...systemField("deletedAt", "deleted-at", "datetime", "When the record was deleted (soft delete)."),
      schema: schema({
        type: "string",
        format: "date-time",
        nullable: true,
        description: "When the record was deleted (soft delete); deleted records are hidden.",
      }),
    });
  }

  // Two fields may not share a column (an IR field named like a column the plan adds, e.g. `cardLast4`).
  const taken = new Set<string>(card === null ? [] : [card.tokenColumn]);
  for (const field of fields) {
    if (field.column === null) continue;
    if (taken.has(field.column)) {
      let suffix = 2;
      while (taken.has(`${field.column}_${suffix}`)) suffix++;
      context.notes.push(
        `${entity.name}.${field.name}: column ${field.column} is taken, using ${field.column}_${suffix}`,
      );
      field.column = `${field.column}_${suffix}`;
    }
    taken.add(field.column);
  }

  // Erasure strategies for personal fields.
  if (context.eraseOn && holdsPersonalData) {
    for (const field of fields) {
      if (personalFields.includes(field.name) && field.role === "data") field.erase = eraseStrategy(field);
    }
  }

  const auditFields =
    context.auditMarks === null
      ? []
      : fields
          .filter((field) =>
            field.sensitivity.some((mark) => context.auditMarks === "all" || context.auditMarks?.has(mark)),
          )
          .map((field) => field.name);
  const audited = context.auditMarks === "all" || auditFields.length > 0;

  const children = ir.relations
    .filter((relation) => relation.from === entity.name && relation.owned && relation.kind !== "many-to-many")
    .flatMap((relation) => {
      const child = ir.entities.find((candidate) => candidate.name === relation.to);
      if (child === undefined || relation.foreignKey === null) return [];
      const declared = child.fields.find((field) => field.name === relation.foreignKey);
      return [
        {
          key: camelCase(child.plural),
          entity: child.name,
          table: safeTableName(child.table),
          route: child.route,
          foreignKey: relation.foreignKey,
          column: safeColumnName(declared?.column ?? snakeCase(relation.foreignKey)),
        },
      ];
    });

  return {
    name: entity.name,
    plural: entity.plural,
    table: safeTableName(entity.table),
    route: entity.route,
    description: entity.description,
    fields,
    softDelete: context.softDelete,
    audit: { enabled: audited, fields: auditFields },
    personalFields,
    encryptedFields: fields.filter((field) => field.encrypted).map((field) => field.name),
    card,
    consentFields,
    children,
  };
}

function schema(
  partial: Partial<FieldSchema> & Pick<FieldSchema, "type" | "nullable" | "description">,
): FieldSchema {
  return {
    format: null,
    enum: null,
    minLength: null,
    maxLength: null,
    pattern: null,
    minimum: null,
    maximum: null,
    ...partial,
  };
}

/** What a planned field must say; the rest defaults to no special handling. */
type FieldCore = Pick<
  PlannedField,
  "name" | "column" | "role" | "type" | "schema" | "output" | "create" | "update"
> &
  Partial<PlannedField>;

/** A planned field with the plain defaults filled in, keys in the schema's order (the plan's JSON is stable). */
function plannedField(field: FieldCore): PlannedField {
  return {
    name: field.name,
    column: field.column,
    role: field.role,
    type: field.type,
    schema: field.schema,
    output: field.output,
    create: field.create,
    update: field.update,
    default: field.default ?? null,
    unique: field.unique ?? false,
    sensitivity: field.sensitivity ?? [],
    encrypted: field.encrypted ?? false,
    masked: field.masked ?? false,
    references: field.references ?? null,
    decimal: field.decimal ?? null,
    currencyOf: field.currencyOf ?? [],
    erase: field.erase ?? null,
  };
}

function systemField(
  name: string,
  role: "id" | "created-at" | "updated-at" | "deleted-at" | "consent-given-at",
  type: "uuid" | "datetime",
  description: string,
): PlannedField {
  return plannedField({
    name,
    column: snakeCase(name),
    role,
    type,
    schema: schema({
      type: "string",
      format: type === "uuid" ? "uuid" : "date-time",
      nullable: false,
      description,
    }),
    output: true,
    create: "forbidden",
    update: false,
  });
}

function cardNumberField(field: Field, marks: readonly Sensitivity[]): PlannedField {
  return plannedField({
    name: field.name,
    column: null,
    role: "card-number",
    type: "string",
    schema: schema({
      type: "string",
      format: "card-number",
      pattern: PATTERNS.cardNumber,
      minLength: 12,
      maxLength: 19,
      nullable: !field.required,
      description: `${field.description || "Card number"} (write-only: stored as a token, never returned).`,
    }),
    output: false,
    create: field.required ? "required" : "optional",
    update: true,
    sensitivity: marks.includes("cardholder") ? [...marks] : [...marks, "cardholder"],
    masked: true,
  });
}

function cardLast4Field(): PlannedField {
  return plannedField({
    name: "cardLast4",
    column: "card_last4",
    role: "card-last4",
    type: "string",
    schema: schema({
      type: "string",
      pattern: "^[0-9]{4}$",
      minLength: 4,
      maxLength: 4,
      nullable: true,
      description: "Last four digits of the card number.",
    }),
    output: true,
    create: "forbidden",
    update: false,
  });
}

function currencyField(entity: Entity, declared: Field | null, fallback = "USD"): PlannedField {
  const moneyFields = entity.fields.filter(isMoney).map((field) => field.name);
  const code = declared?.default ?? entity.fields.find(isMoney)?.currency ?? fallback;
  return plannedField({
    name: declared?.name ?? "currency",
    column: safeColumnName(declared?.column ?? "currency"),
    role: "money-currency",
    type: "string",
    schema: schema({
      type: "string",
      pattern: PATTERNS.currency,
      minLength: 3,
      maxLength: 3,
      nullable: false,
      description: declared?.description || "ISO 4217 currency code of the money amounts.",
    }),
    output: true,
    create: "optional",
    update: true,
    default: String(code),
    currencyOf: moneyFields,
  });
}

function dataField(context: Context, entity: Entity, field: Field, marks: Sensitivity[]): PlannedField {
  const encrypted = marks.some((mark) => context.encryptMarks.has(mark));
  if (encrypted && field.unique) {
    context.notes.push(
      `${entity.name}.${field.name} is encrypted with a random IV, so its UNIQUE constraint cannot be enforced by the database and was dropped`,
    );
  }
  const nullable = !field.required;
  const base = { nullable, description: field.description || `${entity.name} ${field.name}.` };
  let fieldSchema: FieldSchema;
  switch (field.type) {
    case "string": {
      const formatLength =
        field.format === "email" ? 254 : field.format === "url" ? 2048 : DEFAULT_STRING_LENGTH;
      const pattern =
        field.format === "phone" || field.format === "postal-code" || field.format === "country-code"
          ? PATTERNS[field.format]
          : null;
      fieldSchema = schema({
        ...base,
        type: "string",
        format: field.format === "email" ? "email" : field.format === "url" ? "uri" : null,
        pattern,
        minLength: field.required ? 1 : null,
        maxLength: field.maxLength ?? (field.format === "country-code" ? 2 : formatLength),
      });
      break;
    }
    case "text":
      fieldSchema = schema({
        ...base,
        type: "string",
        minLength: field.required ? 1 : null,
        maxLength: field.maxLength ?? TEXT_API_LENGTH,
      });
      break;
    case "integer":
      fieldSchema = schema({
        ...base,
        type: "integer",
        minimum: field.format === "percent" ? 0 : -2147483648,
        maximum: field.format === "percent" ? 100 : 2147483647,
      });
      break;
    case "decimal": {
      const { precision, scale } = decimalOf(context, field);
      fieldSchema = schema({
        ...base,
        type: "string",
        format: "decimal",
        pattern: decimalPattern(precision, scale),
        maxLength: precision + 2,
      });
      break;
    }
    case "boolean":
      fieldSchema = schema({ ...base, type: "boolean" });
      break;
    case "date":
      fieldSchema = schema({ ...base, type: "string", format: "date" });
      break;
    case "datetime":
      fieldSchema = schema({ ...base, type: "string", format: "date-time" });
      break;
    case "uuid":
      fieldSchema = schema({ ...base, type: "string", format: "uuid" });
      break;
    case "enum":
      fieldSchema = schema({ ...base, type: "string", enum: field.enumValues ?? [] });
      break;
    case "json":
      fieldSchema = schema({ ...base, type: "object" });
      break;
  }
  // Money is decimal whatever the IR said, so that amounts are never floats.
  if (isMoney(field) && field.type !== "decimal") {
    const { precision, scale } = decimalOf(context, field);
    fieldSchema = schema({
      ...base,
      type: "string",
      format: "decimal",
      pattern: decimalPattern(precision, scale),
      maxLength: precision + 2,
    });
  }
  const decimal = field.type === "decimal" || isMoney(field) ? decimalOf(context, field) : null;
  const defaultValue =
    field.default ?? (field.type === "enum" && field.required ? (field.enumValues?.[0] ?? null) : null);
  return plannedField({
    name: field.name,
    column: safeColumnName(field.column),
    role: "data",
    type: isMoney(field) ? "decimal" : field.type,
    schema: fieldSchema,
    output: true,
    create: field.required && defaultValue === null ? "required" : "optional",
    update: true,
    default: defaultValue,
    unique: field.unique && !encrypted,
    sensitivity: marks,
    encrypted,
    masked: marks.some((mark) => context.maskMarks.has(mark)),
    decimal,
  });
}

function decimalOf(context: Context, field: Field): { precision: number; scale: number } {
  if (isMoney(field) && context.money !== null) return context.money;
  if (isMoney(field)) return { precision: field.precision ?? 19, scale: field.scale ?? 4 };
  return { precision: field.precision ?? 12, scale: field.scale ?? 2 };
}

/** A decimal as a JSON string: up to precision − scale integer digits and scale fraction digits. */
function decimalPattern(precision: number, scale: number): string {
  const whole = Math.max(1, precision - scale);
  return scale > 0 ? `^-?[0-9]{1,${whole}}(\\.[0-9]{1,${scale}})?$` : `^-?[0-9]{1,${whole}}$`;
}

function eraseStrategy(field: PlannedField): EraseStrategy {
  if (field.schema.nullable) return { strategy: "null" };
  switch (field.type) {
    case "string":
    case "text":
    case "json":
      return field.schema.format === "email" ? { strategy: "email" } : { strategy: "marker" };
    case "integer":
      return { strategy: "constant", value: 0 };
    case "decimal":
      return { strategy: "constant", value: "0" };
    case "boolean":
      return { strategy: "constant", value: false };
    case "date":
      return { strategy: "constant", value: "1970-01-01" };
    case "datetime":
      return { strategy: "constant", value: "1970-01-01T00:00:00.000Z" };
    case "uuid":
      return { strategy: "constant", value: "00000000-0000-0000-0000-000000000000" };
    case "enum":
      return { strategy: "constant", value: field.schema.enum?.[0] ?? "" };
  }
}

// ---------------------------------------------------------------------------------------------
// Operations

const KIND_ORDER = [
  "list",
  "search",
  "create",
  "get",
  "update",
  "delete",
  "action",
  "export",
  "erase",
] as const;

/** Erasure (GDPR Art. 17) is a delete as far as roles are concerned. */
const PERMISSION: Record<PlannedOperation["kind"], Permission> = { ...OPERATION_PERMISSION, erase: "delete" };

function planOperations(context: Context, entities: ReadonlyMap<string, EntityPlan>): PlannedOperation[] {
  const { ir } = context;
  const planned: PlannedOperation[] = [];
  for (const operation of ir.operations) {
    if (!entities.has(operation.entity)) {
      context.notes.push(`operation ${operation.id} skipped: unknown entity ${operation.entity}`);
    }
  }
  const seenIds = new Set<string>();
  const seenRoutes = new Set<string>();
  for (const entity of entities.values()) {
    const own = ir.operations.filter((operation) => operation.entity === entity.name);
    const synthetic: Operation[] = [];
    const personal = entity.personalFields.length > 0;
    if (context.exportOn && personal && !own.some((operation) => operation.kind === "export")) {
      synthetic.push(
        syntheticOperation(entity, "export", `export${entity.name}`, `Export a ${entity.name}'s data`),
      );
    }
    const ordered = [...own, ...synthetic]
      .map((operation, index) => ({ operation, index }))
      .sort(
        (a, b) =>
          KIND_ORDER.indexOf(a.operation.kind) - KIND_ORDER.indexOf(b.operation.kind) || a.index - b.index,
      )
      .map(({ operation }) => operation);
    const candidates: PlannedOperation[] = ordered.flatMap((operation) => {
      const op = planOperation(context, entity, entities, operation.kind, operation);
      return op === null ? [] : [op];
    });
    if (context.eraseOn && personal) {
      const erase = planOperation(
        context,
        entity,
        entities,
        "erase",
        syntheticOperation(
          entity,
          "delete",
          `erase${entity.name}PersonalData`,
          `Erase a ${entity.name}'s personal data`,
        ),
      );
      if (erase !== null) candidates.push(erase);
    }
    for (const op of candidates) {
      const route = `${op.method} ${op.path}`;
      if (seenIds.has(op.id) || seenRoutes.has(route)) {
        context.notes.push(`operation ${op.id} (${route}) dropped: its id or route is already taken`);
        continue;
      }
      seenIds.add(op.id);
      seenRoutes.add(route);
      planned.push(op);
    }
  }
  return planned;
}

const CONFLICT: [number, string] = [
  409,
  "A unique field already has this value, or a referenced record does not exist.",
];

function syntheticOperation(
  entity: EntityPlan,
  kind: Operation["kind"],
  id: string,
  summary: string,
): Operation {
  return operationOf({ id, kind, entity: entity.name, verb: kind, summary, origin: "overlay", evidence: [] });
}

function planOperation(
  context: Context,
  entity: EntityPlan,
  entities: ReadonlyMap<string, EntityPlan>,
  kind: PlannedOperation["kind"],
  operation: Operation,
): PlannedOperation | null {
  const base = `/${entity.route}`;
  const field = (name: string) => entity.fields.find((candidate) => candidate.name === name);
  const usable = (names: readonly string[], purpose: string, accept: (f: PlannedField) => boolean) =>
    names.filter((name) => {
      const found = field(name);
      if (found === undefined || !found.output || found.encrypted || !accept(found)) {
        context.notes.push(
          `${operation.id}: ${purpose} on ${entity.name}.${name} dropped (${found === undefined ? "no such field" : found.encrypted ? "the field is encrypted" : "not supported for this field"})`,
        );
        return false;
      }
      return true;
    });

  const idParam: Parameter = {
    name: "id",
    in: "path",
    required: true,
    schema: schema({
      type: "string",
      format: "uuid",
      nullable: false,
      description: `The ${entity.name} id.`,
    }),
    default: null,
    field: "id",
  };
  const paging: Parameter[] = [
    {
      name: "page",
      in: "query",
      required: false,
      schema: schema({ type: "integer", minimum: 1, nullable: false, description: "Page number, from 1." }),
      default: 1,
      field: null,
    },
    {
      name: "pageSize",
      in: "query",
      required: false,
      schema: schema({
        type: "integer",
        minimum: 1,
        maximum: 100,
        nullable: false,
        description: "Items per page (1–100).",
      }),
      default: 20,
      field: null,
    },
  ];

  let method: PlannedOperation["method"];
  let path: string;
  let parameters: Parameter[] = [];
  let requestBody: PlannedOperation["requestBody"] = null;
  let sortBy: string[] = [];
  let filterBy: string[] = [];
  let searchBy: string[] = [];
  let transition: PlannedOperation["transition"] = null;
  let defaultSort: string | null = null;
  // A write may collide with a unique value or name a record that does not exist.
  const mayConflict = entity.fields.some((f) => f.unique || f.references !== null);
  const referencedWithRestrict = [...entities.values()].some((other) =>
    other.fields.some((f) => f.references?.entity === entity.name && f.references.onDelete === "restrict"),
  );
  const success: PlannedResponse[] = [];
  const failures: Array<[number, string]> = [];

  switch (kind) {
    case "list": {
      method = "GET";
      path = base;
      sortBy = usable(operation.sortBy, "sort", (f) => f.type !== "json");
      if (!sortBy.includes("createdAt")) sortBy.push("createdAt");
      filterBy = usable(operation.filterBy, "filter", (f) => f.type !== "json" && f.type !== "text");
      defaultSort = "-createdAt";
      parameters = [
        ...paging,
        {
          name: "sort",
          in: "query",
          required: false,
          schema: schema({
            type: "string",
            enum: sortBy.flatMap((name) => [name, `-${name}`]),
            nullable: false,
            description: "Sort field; prefix with - for descending.",
          }),
          default: defaultSort,
          field: null,
        },
        ...filterBy.map((name): Parameter => {
          const target = field(name);
          return {
            name,
            in: "query",
            required: false,
            schema:
              target === undefined
                ? schema({ type: "string", nullable: false, description: name })
                : {
                    ...target.schema,
                    nullable: false,
                    description: `Only items whose ${name} equals this value.`,
                  },
            default: null,
            field: name,
          };
        }),
      ];
      success.push(response(200, `A page of ${entity.plural}.`, "list"));
      failures.push([400, "Invalid query parameters."]);
      break;
    }
    case "search": {
      method = "GET";
      path = `${base}/search`;
      searchBy = usable(
        operation.searchBy,
        "search",
        (f) => f.schema.type === "string" && f.schema.format === null,
      );
      if (searchBy.length === 0) {
        context.notes.push(`${operation.id} dropped: none of its search fields can be searched`);
        return null;
      }
      defaultSort = "-createdAt";
      parameters = [
        {
          name: "q",
          in: "query",
          required: true,
          schema: schema({
            type: "string",
            minLength: 1,
            maxLength: 200,
            nullable: false,
            description: `Text matched case-insensitively against ${searchBy.join(", ")}.`,
          }),
          default: null,
          field: null,
        },
        ...paging,
      ];
      success.push(response(200, `Matching ${entity.plural}.`, "list"));
      failures.push([400, "Invalid query parameters."]);
      break;
    }
    case "create":
      method = "POST";
      path = base;
      requestBody = { body: "create", required: true };
      success.push({ ...response(201, `The created ${entity.name}.`, "entity"), headers: ["Location"] });
      failures.push([400, "The body failed validation."]);
      if (mayConflict) failures.push(CONFLICT);
      break;
    case "get":
      method = "GET";
      path = `${base}/{id}`;
      parameters = [idParam];
      success.push(response(200, `The ${entity.name}.`, "entity"));
      failures.push([400, "The id is not a UUID."], [404, `No such ${entity.name}.`]);
      break;
    case "update":
      method = "PATCH";
      path = `${base}/{id}`;
      parameters = [idParam];
      requestBody = { body: "update", required: true };
      success.push(response(200, `The updated ${entity.name}.`, "entity"));
      failures.push([400, "The body failed validation."], [404, `No such ${entity.name}.`]);
      if (mayConflict) failures.push(CONFLICT);
      break;
    case "delete":
      method = "DELETE";
      path = `${base}/{id}`;
      parameters = [idParam];
      success.push(response(204, `The ${entity.name} was deleted.`, null));
      failures.push([400, "The id is not a UUID."], [404, `No such ${entity.name}.`]);
      if (referencedWithRestrict) failures.push([409, "Other records still reference it."]);
      break;
    case "action": {
      method = "POST";
      path = `${base}/{id}/${operation.verb}`;
      parameters = [idParam];
      if (operation.transition !== null) {
        const target = field(operation.transition.field);
        if (target?.schema.enum?.includes(operation.transition.to)) {
          transition = {
            field: operation.transition.field,
            to: operation.transition.to,
            from: operation.transition.from.filter((value) => target.schema.enum?.includes(value)),
          };
        } else {
          context.notes.push(
            `${operation.id}: transition dropped (${operation.transition.field} is not an enum with that value)`,
          );
        }
      }
      success.push(response(200, `The updated ${entity.name}.`, "entity"));
      failures.push([400, "The id is not a UUID."], [404, `No such ${entity.name}.`]);
      if (transition !== null) {
        failures.push([409, `The ${entity.name}'s ${transition.field} does not allow this action.`]);
      }
      break;
    }
    case "export":
      method = "GET";
      path = `${base}/{id}/export`;
      parameters = [idParam];
      success.push(response(200, `The ${entity.name}'s data with its owned records.`, "export"));
      failures.push([400, "The id is not a UUID."], [404, `No such ${entity.name}.`]);
      break;
    case "erase":
      method = "DELETE";
      path = `${base}/{id}/personal-data`;
      parameters = [idParam];
      success.push(
        response(204, "The personal data was erased; the record is kept for legal purposes.", null),
      );
      failures.push([400, "The id is not a UUID."], [404, `No such ${entity.name}.`]);
      break;
  }

  const idempotent = (kind === "create" || kind === "action") && needsIdempotency(context, entity, operation);
  if (idempotent) {
    parameters = [
      ...parameters,
      {
        name: "Idempotency-Key",
        in: "header",
        required: true,
        schema: schema({
          type: "string",
          minLength: 1,
          maxLength: 255,
          nullable: false,
          description: "A unique key per intended operation; a repeat returns the first response.",
        }),
        default: null,
        field: null,
      },
    ];
  }
  const auth = authFor(context, entity, operation, kind);
  if (auth.required)
    failures.push([401, "Missing or invalid credentials."], [403, "The caller's role may not do this."]);
  if (
    context.ir.nonFunctional.rateLimit !== null ||
    context.rules.some((rule) => rule.kind === "rate-limit")
  ) {
    failures.push([429, "Too many requests; retry after the number of seconds in Retry-After."]);
  }
  const responses = [
    ...success,
    ...failures
      .sort((a, b) => a[0] - b[0])
      .map(([status, description]) => ({
        ...response(status, description, "error"),
        headers: status === 429 ? ["Retry-After"] : [],
      })),
  ];
  const first = success[0];
  return {
    id: operation.id,
    kind,
    entity: entity.name,
    verb: kind === "action" ? operation.verb : kind,
    summary: operation.summary || `${kind} ${entity.name}`,
    method,
    path,
    parameters,
    requestBody,
    responses,
    successStatus: first?.status ?? 200,
    auth,
    idempotent,
    audited: entity.audit.enabled,
    sortBy,
    defaultSort,
    filterBy,
    searchBy,
    transition,
  };
}

function response(status: number, description: string, body: PlannedResponse["body"]): PlannedResponse {
  return { status, description, body, headers: [] };
}

function needsIdempotency(context: Context, entity: EntityPlan, operation: Operation): boolean {
  if (context.idempotency === null) return false;
  if (context.idempotency === "all") return true;
  // Whole words, singular or plural: `pay` must not match `display`, `order` matches `OrderLine`.
  const words = [entity.name, operation.verb].flatMap((text) =>
    snakeCase(text)
      .split("_")
      .map((word) => word.replace(/s$/, "")),
  );
  return (context.idempotency as readonly string[]).some((word) => words.includes(word.replace(/s$/, "")));
}

function authFor(
  context: Context,
  entity: EntityPlan,
  operation: Operation,
  kind: PlannedOperation["kind"],
): PlannedOperation["auth"] {
  const permission = PERMISSION[kind];
  if (context.authKind === "none") return { required: false, permission, roles: [], anyRole: true };
  const roles = context.ir.auth.roles;
  if (roles.length === 0) return { required: true, permission, roles: [], anyRole: true };
  const allowed = roles
    .filter((role) => operation.roles.length === 0 || operation.roles.includes(role.name))
    .filter((role) =>
      role.grants.some(
        (grant) =>
          (grant.entity === "*" || grant.entity === entity.name) && grant.permissions.includes(permission),
      ),
    )
    .map((role) => role.name);
  return { required: true, permission, roles: allowed, anyRole: false };
}

// ---------------------------------------------------------------------------------------------
// Tables

function sqlTypeOf(field: PlannedField): string {
  if (field.encrypted) return "text";
  switch (field.role) {
    case "money-currency":
      return "char(3)";
    case "card-last4":
      return "char(4)";
    case "id":
    case "foreign-key":
      return "uuid";
    case "created-at":
    case "updated-at":
    case "deleted-at":
    case "consent-given-at":
      return "timestamptz";
    case "consent":
      return "boolean";
    default:
      break;
  }
  switch (field.type) {
    case "string":
      return `varchar(${field.schema.maxLength ?? DEFAULT_STRING_LENGTH})`;
    case "text":
    case "enum":
      return "text";
    case "integer":
      return "integer";
    case "decimal":
      return `numeric(${field.decimal?.precision ?? 12},${field.decimal?.scale ?? 2})`;
    case "boolean":
      return "boolean";
    case "date":
      return "date";
    case "datetime":
      return "timestamptz";
    case "uuid":
      return "uuid";
    case "json":
      return "jsonb";
  }
}

function sqlDefault(field: PlannedField): string | null {
  switch (field.role) {
    case "id":
      return "gen_random_uuid()";
    case "created-at":
    case "updated-at":
      return "now()";
    default:
      break;
  }
  if (field.encrypted || field.default === null) return null;
  if (typeof field.default === "boolean") return field.default ? "true" : "false";
  if (typeof field.default === "number") return String(field.default);
  return sqlString(field.default);
}

function planTables(
  context: Context,
  entities: readonly EntityPlan[],
): { tables: TablePlan[]; deferredForeignKeys: ForeignKeyPlan[] } {
  const { ir } = context;
  const entityTables = new Map<string, TablePlan>();
  for (const entity of entities) {
    const columns: ColumnPlan[] = [];
    const checks: TablePlan["checks"] = [];
    const uniques: TablePlan["uniques"] = [];
    const foreignKeys: ForeignKeyPlan[] = [];
    const indexColumns: string[] = [];
    for (const field of entity.fields) {
      if (field.role === "card-number" && entity.card !== null) {
        columns.push({
          name: entity.card.tokenColumn,
          sqlType: "text",
          nullable: field.schema.nullable,
          default: null,
          field: null,
        });
        continue;
      }
      if (field.column === null) continue;
      const column = field.column;
      columns.push({
        name: column,
        sqlType: sqlTypeOf(field),
        nullable: field.role === "id" ? false : field.schema.nullable,
        default: sqlDefault(field),
        field: field.name,
      });
      const named = (suffix: string) => sqlIdentifier(`${entity.table}_${column}_${suffix}`);
      if (!field.encrypted) {
        if (field.schema.enum !== null && field.schema.enum.length > 0) {
          checks.push({
            name: named("check"),
            expression: `${column} IN (${field.schema.enum.map(sqlString).join(", ")})`,
          });
        }
        if (field.role === "money-currency") {
          checks.push({ name: named("check"), expression: `${column} ~ '^[A-Z]{3}$'` });
        }
        if (field.role === "card-last4") {
          checks.push({ name: named("check"), expression: `${column} ~ '^[0-9]{4}$'` });
        }
        if (field.type === "integer" && field.schema.minimum === 0 && field.schema.maximum === 100) {
          checks.push({ name: named("check"), expression: `${column} BETWEEN 0 AND 100` });
        }
        if (field.unique) uniques.push({ name: named("key"), columns: [column] });
      }
      if (field.references !== null) {
        foreignKeys.push({
          name: named("fkey"),
          table: entity.table,
          columns: [column],
          references: { table: field.references.table, columns: ["id"] },
          onDelete: field.references.onDelete,
        });
        if (!field.unique) indexColumns.push(column);
      }
    }
    // Lookup indexes: searchable IR fields, list filters and sorts (the default sort is created_at).
    const irEntity = ir.entities.find((candidate) => candidate.name === entity.name);
    const columnOf = (name: string) =>
      entity.fields.find((f) => f.name === name && !f.encrypted && !f.unique)?.column;
    for (const field of irEntity?.fields ?? []) {
      if (field.searchable) {
        const column = columnOf(field.name);
        if (column) indexColumns.push(column);
      }
    }
    for (const operation of ir.operations.filter((op) => op.entity === entity.name && op.kind === "list")) {
      for (const name of [...operation.filterBy, ...operation.sortBy]) {
        const found = entity.fields.find((f) => f.name === name);
        if (found && found.type !== "json" && found.type !== "text") {
          const column = columnOf(name);
          if (column) indexColumns.push(column);
        }
      }
    }
    indexColumns.push("created_at");
    const indexes = [...new Set(indexColumns)].map((column) => ({
      name: sqlIdentifier(`${entity.table}_${column}_idx`),
      columns: [column],
    }));
    entityTables.set(entity.name, {
      name: entity.table,
      kind: "entity",
      entity: entity.name,
      columns,
      primaryKey: ["id"],
      uniques,
      checks,
      foreignKeys,
      indexes,
    });
  }

  // Creation order: parents before children (Kahn's algorithm, IR order breaking ties). A cycle is
  // broken at the first remaining entity: its foreign keys to tables not yet created are deferred.
  const ordered: TablePlan[] = [];
  const deferredForeignKeys: ForeignKeyPlan[] = [];
  const created = new Set<string>();
  const remaining = [...entityTables.values()];
  while (remaining.length > 0) {
    const ready = remaining.findIndex((table) =>
      table.foreignKeys.every((fk) => fk.references.table === table.name || created.has(fk.references.table)),
    );
    const index = ready === -1 ? 0 : ready;
    const [table] = remaining.splice(index, 1);
    if (table === undefined) break;
    if (ready === -1) {
      const now = table.foreignKeys.filter(
        (fk) => fk.references.table === table.name || created.has(fk.references.table),
      );
      deferredForeignKeys.push(...table.foreignKeys.filter((fk) => !now.includes(fk)));
      table.foreignKeys = now;
      context.notes.push(
        `tables: a foreign-key cycle through ${table.name} is closed with ALTER TABLE after creation`,
      );
    }
    created.add(table.name);
    ordered.push(table);
  }

  // Many-to-many join tables.
  for (const relation of ir.relations.filter((r) => r.kind === "many-to-many")) {
    const a = entities.find((entity) => entity.name === relation.from);
    const b = entities.find((entity) => entity.name === relation.to);
    if (a === undefined || b === undefined) continue;
    const [first, second] = compareStrings(a.table, b.table) <= 0 ? [a, b] : [b, a];
    const name = safeTableName(relation.joinTable ?? `${first.table}_${second.table}`);
    if (ordered.some((table) => table.name === name)) continue;
    const firstColumn = `${snakeCase(first.name)}_id`;
    const secondColumn =
      first === second ? `related_${snakeCase(second.name)}_id` : `${snakeCase(second.name)}_id`;
    ordered.push({
      name,
      kind: "join",
      entity: null,
      columns: [
        { name: firstColumn, sqlType: "uuid", nullable: false, default: null, field: null },
        { name: secondColumn, sqlType: "uuid", nullable: false, default: null, field: null },
        { name: "created_at", sqlType: "timestamptz", nullable: false, default: "now()", field: null },
      ],
      primaryKey: [firstColumn, secondColumn],
      uniques: [],
      checks: [],
      foreignKeys: [
        {
          name: sqlIdentifier(`${name}_${firstColumn}_fkey`),
          table: name,
          columns: [firstColumn],
          references: { table: first.table, columns: ["id"] },
          onDelete: "cascade",
        },
        {
          name: sqlIdentifier(`${name}_${secondColumn}_fkey`),
          table: name,
          columns: [secondColumn],
          references: { table: second.table, columns: ["id"] },
          onDelete: "cascade",
        },
      ],
      indexes: [{ name: sqlIdentifier(`${name}_${secondColumn}_idx`), columns: [secondColumn] }],
    });
  }

  if (entities.some((entity) => entity.audit.enabled)) ordered.push(AUDIT_LOG_TABLE);
  const idempotent = context.idempotency !== null;
  if (idempotent) ordered.push(IDEMPOTENCY_TABLE);
  return { tables: ordered, deferredForeignKeys };
}

/**
 * `audit_log`: one row per read or write of an audited entity. `actor` is the caller (API key role
 * or JWT subject, `anonymous` without auth); `action` the operation kind or action verb; `fields`
 * the names of the sensitive fields touched, never their values; `entity_id` null for lists.
 */
export const AUDIT_LOG_TABLE: TablePlan = {
  name: "audit_log",
  kind: "audit-log",
  entity: null,
  columns: [
    { name: "id", sqlType: "uuid", nullable: false, default: "gen_random_uuid()", field: null },
    { name: "occurred_at", sqlType: "timestamptz", nullable: false, default: "now()", field: null },
    { name: "actor", sqlType: "text", nullable: false, default: null, field: null },
    { name: "action", sqlType: "text", nullable: false, default: null, field: null },
    { name: "entity", sqlType: "text", nullable: false, default: null, field: null },
    { name: "entity_id", sqlType: "uuid", nullable: true, default: null, field: null },
    { name: "fields", sqlType: "text[]", nullable: false, default: "'{}'", field: null },
  ],
  primaryKey: ["id"],
  uniques: [],
  checks: [],
  foreignKeys: [],
  indexes: [
    { name: "audit_log_entity_entity_id_idx", columns: ["entity", "entity_id"] },
    { name: "audit_log_occurred_at_idx", columns: ["occurred_at"] },
  ],
};

/**
 * `idempotency_keys`: the first response to a request carrying `Idempotency-Key`. `scope` is
 * `<caller> <METHOD> <path>` of the concrete request, so two callers never see each other's
 * responses; `request_hash` is the sha256 (hex) of the body, so reusing a key with a different
 * body is a 409 conflict rather than a silent replay.
 */
export const IDEMPOTENCY_TABLE: TablePlan = {
  name: "idempotency_keys",
  kind: "idempotency-keys",
  entity: null,
  columns: [
    { name: "key", sqlType: "varchar(255)", nullable: false, default: null, field: null },
    { name: "scope", sqlType: "text", nullable: false, default: null, field: null },
    { name: "request_hash", sqlType: "char(64)", nullable: false, default: null, field: null },
    { name: "status_code", sqlType: "integer", nullable: false, default: null, field: null },
    { name: "response_body", sqlType: "jsonb", nullable: true, default: null, field: null },
    { name: "response_headers", sqlType: "jsonb", nullable: false, default: "'{}'", field: null },
    { name: "created_at", sqlType: "timestamptz", nullable: false, default: "now()", field: null },
  ],
  primaryKey: ["scope", "key"],
  uniques: [],
  checks: [],
  foreignKeys: [],
  indexes: [{ name: "idempotency_keys_created_at_idx", columns: ["created_at"] }],
};

// ---------------------------------------------------------------------------------------------
// Cross-cutting settings

function rateLimit(ir: IR, rules: readonly GenerationRule[]): ApiPlan["rateLimit"] {
  const candidates = [
    ...(ir.nonFunctional.rateLimit === null
      ? []
      : [
          {
            requests: ir.nonFunctional.rateLimit.requests,
            windowSeconds: ir.nonFunctional.rateLimit.windowSeconds,
          },
        ]),
    ...rules.flatMap((rule) =>
      rule.kind === "rate-limit" ? [{ requests: rule.requests, windowSeconds: rule.windowSeconds }] : [],
    ),
  ];
  // The strictest limit wins: an overlay's limit is a requirement, not a suggestion.
  candidates.sort((a, b) => a.requests / a.windowSeconds - b.requests / b.windowSeconds);
  return candidates[0] ?? null;
}

function retentionDays(ir: IR, rules: readonly GenerationRule[]): number | null {
  const days = [
    ...(ir.nonFunctional.retention === null ? [] : [ir.nonFunctional.retention.days]),
    ...rules.flatMap((rule) => (rule.kind === "retention" ? [rule.days] : [])),
  ];
  return days.length === 0 ? null : Math.max(...days);
}

function envVars(context: Context, entities: readonly EntityPlan[]): EnvVar[] {
  const env: EnvVar[] = [
    { name: "PORT", required: false, secret: false, description: "HTTP port.", example: "8080" },
    {
      name: "DATABASE_URL",
      required: true,
      secret: true,
      description: "PostgreSQL connection URL.",
      example: "postgres://app:app@localhost:5432/app",
    },
    {
      name: "LOG_LEVEL",
      required: false,
      secret: false,
      description: "debug, info, warn or error.",
      example: "info",
    },
  ];
  if (context.authKind === "api-key") {
    env.push({
      name: "API_KEYS",
      required: true,
      secret: true,
      description: "Comma-separated key:role pairs accepted in the X-API-Key header.",
      example: "change-me:admin",
    });
  }
  if (context.authKind === "jwt" || context.authKind === "oauth") {
    env.push({
      name: "JWT_SECRET",
      required: true,
      secret: true,
      description: "HS256 secret that verifies bearer tokens (role in the `role` claim).",
      example: "change-me-to-a-long-random-secret",
    });
  }
  if (entities.some((entity) => entity.encryptedFields.length > 0)) {
    env.push({
      name: "DATA_ENCRYPTION_KEY",
      required: true,
      secret: true,
      description: "32 bytes, base64: the AES-256-GCM key for encrypted columns.",
      example: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    });
  }
  if (entities.some((entity) => entity.card !== null)) {
    env.push({
      name: "CARD_TOKEN_KEY",
      required: true,
      secret: true,
      description: "Secret for the HMAC-SHA256 card tokens.",
      example: "change-me-card-token-key",
    });
  }
  return env;
}

/**
 * Rule kinds that have nothing to act on in this plan, with the reason: token-only card storage
 * without a card number field, export without personal data, and so on. The compliance matrix
 * reports their controls as not applicable instead of as gaps. Kinds that always act (soft delete,
 * retention, auth, rate limit, security headers) never appear.
 */
export function ruleApplicability(plan: ApiPlan): Partial<Record<GenerationRule["kind"], string>> {
  const fields = plan.entities.flatMap((entity) => entity.fields);
  const out: Partial<Record<GenerationRule["kind"], string>> = {};
  if (!plan.entities.some((entity) => entity.card !== null))
    out["tokenize-card-data"] = "no card number field";
  if (!fields.some((field) => field.encrypted)) out["encrypt-fields"] = "no field carries a mark to encrypt";
  if (!plan.entities.some((entity) => entity.audit.enabled))
    out["audit-log"] = "no entity holds audited data";
  if (!plan.operations.some((op) => op.kind === "export"))
    out["data-export"] = "no entity holds personal data";
  if (!plan.operations.some((op) => op.kind === "erase"))
    out["data-erasure"] = "no entity holds personal data";
  if (!fields.some((field) => field.role === "consent"))
    out["consent-fields"] = "no entity holds personal data";
  if (!plan.operations.some((op) => op.idempotent)) out["idempotency-keys"] = "no operation moves money";
  if (!fields.some((field) => field.currencyOf.length > 0)) out["decimal-money"] = "no money field";
  if (!fields.some((field) => field.sensitivity.length > 0))
    out["mark-sensitive"] = "no field is personal, health or card data";
  if (!fields.some((field) => field.masked)) out["mask-in-logs"] = "no field carries a masked mark";
  return out;
}
