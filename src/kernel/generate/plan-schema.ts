/**
 * The API plan: the single source of truth that the OpenAPI document, the migrations and every
 * stack's routes, validators and repositories derive from, so that they agree by construction.
 * `planApi(ir, rules)` (plan.ts) builds it; nothing downstream re-reads the IR for these decisions.
 *
 * Reading guide for stack authors:
 * - `entities[].fields` lists every JSON field of a record, in order: `id`, the IR fields (with
 *   foreign keys, money currencies, consent fields and card fields added), `createdAt`,
 *   `updatedAt`, `deletedAt`. `output` says whether it appears in responses; `create` and `update`
 *   say whether a request body may carry it; `schema` is what to validate it against.
 * - `operations` are the HTTP routes, in a stable order; `path` uses OpenAPI templating
 *   (`/patients/{id}`), so Express turns `{id}` into `:id`, FastAPI keeps it, Gin uses `:id`.
 * - `tables` are the PostgreSQL tables in creation order (foreign keys point backwards, except the
 *   ones listed in `deferredForeignKeys`, which close cycles and are added after all tables).
 */
import { z } from "zod";
import { AppKind, AuthKind, FieldType, Permission, Sensitivity } from "../ir/schema.js";

export const PLAN_VERSION = 1 as const;

/**
 * A JSON-Schema-like description of one value, small enough that every stack can turn it into a
 * validator (zod, pydantic, go-playground/validator) and the api agent into OpenAPI.
 * `pattern` is always RE2-compatible (no look-around, no backreferences), so Go can use it.
 */
export const FieldSchema = z.object({
  type: z.enum(["string", "integer", "number", "boolean", "object"]),
  /**
   * `uuid`, `email`, `uri`, `date` (YYYY-MM-DD), `date-time` (RFC 3339), `decimal` (a string of
   * digits with an optional fraction, see `pattern`), `card-number` (12–19 digits, Luhn-valid).
   */
  format: z.enum(["uuid", "email", "uri", "date", "date-time", "decimal", "card-number"]).nullable(),
  enum: z.array(z.string()).nullable(),
  minLength: z.number().int().nonnegative().nullable(),
  maxLength: z.number().int().positive().nullable(),
  pattern: z.string().nullable(),
  minimum: z.number().nullable(),
  maximum: z.number().nullable(),
  /** `null` is an accepted value (optional fields are nullable; omitted and null mean "no value"). */
  nullable: z.boolean(),
  /** Human description, also the OpenAPI description. */
  description: z.string(),
});
export type FieldSchema = z.infer<typeof FieldSchema>;

/**
 * What a field is for. Stacks give the non-`data` roles their behaviour:
 * - `id`: server-generated UUID (`gen_random_uuid()` in SQL, `randomUUID()` in memory);
 * - `created-at` / `updated-at`: set by the server on insert / every update;
 * - `deleted-at`: set by DELETE when soft delete is on; rows with it set are hidden;
 * - `foreign-key`: a uuid pointing at `references`;
 * - `money-currency`: the ISO 4217 code that goes with the money field named in `currencyOf`;
 * - `consent`: a boolean consent for one purpose (GDPR); `consent-given-at`: set by the server to
 *   the current time whenever a request sets any consent field to true, cleared when all are false;
 * - `card-number`: input only, never stored or returned; the server stores its token in the
 *   `card-token` column and its last four digits in the `card-last4` field;
 * - `card-last4`: output only, derived from the card number on create/update.
 */
export const FieldRole = z.enum([
  "id",
  "data",
  "foreign-key",
  "money-currency",
  "consent",
  "consent-given-at",
  "card-number",
  "card-last4",
  "created-at",
  "updated-at",
  "deleted-at",
]);
export type FieldRole = z.infer<typeof FieldRole>;

/**
 * How erasure (`DELETE /{route}/{id}/personal-data`) replaces a personal field:
 * `null` sets it to null; `marker` sets a string field to `erased-<id>` (cut to maxLength);
 * `email` sets an email field to `<id>@erased.invalid`; `constant` sets the given value.
 * Encrypted fields are encrypted after replacement like any write.
 */
export const EraseStrategy = z.discriminatedUnion("strategy", [
  z.object({ strategy: z.literal("null") }),
  z.object({ strategy: z.literal("marker") }),
  z.object({ strategy: z.literal("email") }),
  z.object({ strategy: z.literal("constant"), value: z.union([z.string(), z.number(), z.boolean()]) }),
]);
export type EraseStrategy = z.infer<typeof EraseStrategy>;

export const OnDelete = z.enum(["cascade", "restrict", "set null"]);
export type OnDelete = z.infer<typeof OnDelete>;

export const PlannedField = z.object({
  /** JSON name (camelCase). */
  name: z.string(),
  /** Column holding it, or null for `card-number` (never stored). */
  column: z.string().nullable(),
  role: FieldRole,
  /** The IR type (system fields: `uuid` / `datetime`; consent: `boolean`). */
  type: FieldType,
  schema: FieldSchema,
  /** Appears in responses. */
  output: z.boolean(),
  /** In a create body: required, optional, or rejected as unknown (server-managed fields). */
  create: z.enum(["required", "optional", "forbidden"]),
  /** May be sent in a PATCH body. */
  update: z.boolean(),
  /** JSON value the server applies on create when the field is omitted (already typed). */
  default: z.union([z.string(), z.number(), z.boolean()]).nullable(),
  unique: z.boolean(),
  /** Effective marks: the IR's plus those added by `mark-sensitive` rules. */
  sensitivity: z.array(Sensitivity),
  /** Stored encrypted (rule `encrypt-fields`): AES-256-GCM, `v1:iv:tag:ciphertext`, column type text. */
  encrypted: z.boolean(),
  /** Masked in logs (rule `mask-in-logs`, and always for card numbers). */
  masked: z.boolean(),
  /** For `foreign-key`: what it points at. */
  references: z.object({ entity: z.string(), table: z.string(), onDelete: OnDelete }).nullable(),
  /** For `decimal` fields: the column's precision and scale (`numeric(p,s)`); null otherwise. */
  decimal: z.object({ precision: z.number().int(), scale: z.number().int() }).nullable(),
  /** For `money-currency`: the money fields it qualifies (one currency per record). */
  currencyOf: z.array(z.string()),
  /** Set when the entity supports erasure and this field holds personal data. */
  erase: EraseStrategy.nullable(),
});
export type PlannedField = z.infer<typeof PlannedField>;

export const EntityPlan = z.object({
  name: z.string(),
  plural: z.string(),
  table: z.string(),
  route: z.string(),
  description: z.string(),
  fields: z.array(PlannedField),
  softDelete: z.boolean(),
  /** Reads and writes write audit_log rows naming `fields` (never their values). */
  audit: z.object({ enabled: z.boolean(), fields: z.array(z.string()) }),
  /** Fields holding personal data (pii or phi): what export returns and erasure clears. */
  personalFields: z.array(z.string()),
  encryptedFields: z.array(z.string()),
  /** Token-only card storage (rule `tokenize-card-data`). */
  card: z
    .object({
      /** The input field (e.g. `cardNumber`). */
      inputField: z.string(),
      /** Column holding the HMAC-SHA256 token (hex) of the number. */
      tokenColumn: z.string(),
      /** Output field and column of the last four digits, null when keepLastFour is off. */
      last4Field: z.string().nullable(),
      last4Column: z.string().nullable(),
    })
    .nullable(),
  consentFields: z.array(z.string()),
  /**
   * Owned children (deleted with this record, included in its export under `key`, the child's
   * camelCase plural: the export body is `{ data: <record>, children: { <key>: [<child>…] } }`).
   */
  children: z.array(
    z.object({
      key: z.string(),
      entity: z.string(),
      table: z.string(),
      route: z.string(),
      foreignKey: z.string(),
      column: z.string(),
    }),
  ),
});
export type EntityPlan = z.infer<typeof EntityPlan>;

export const PlannedOperationKind = z.enum([
  "list",
  "get",
  "create",
  "update",
  "delete",
  "search",
  "action",
  "export",
  "erase",
]);
export type PlannedOperationKind = z.infer<typeof PlannedOperationKind>;

export const Parameter = z.object({
  name: z.string(),
  in: z.enum(["path", "query", "header"]),
  required: z.boolean(),
  schema: FieldSchema,
  /** Applied when the parameter is absent. */
  default: z.union([z.string(), z.number()]).nullable(),
  /** For query filters: the field they match exactly. */
  field: z.string().nullable(),
});
export type Parameter = z.infer<typeof Parameter>;

/**
 * Body of a response or request, by reference: `entity` → the record (`Patient`), `list` →
 * `{ items, page, pageSize, total }` (`PatientList`), `export` → the record with owned children
 * (`PatientExport`), `create` / `update` → the request bodies (`PatientCreate`, `PatientUpdate`),
 * `error` → `{ error: { code, message, details? } }`.
 */
export const BodyRef = z.enum(["entity", "list", "export", "create", "update", "error"]);
export type BodyRef = z.infer<typeof BodyRef>;

export const PlannedResponse = z.object({
  status: z.number().int(),
  description: z.string(),
  body: BodyRef.nullable(),
  /** Response headers, e.g. `Location` on 201, `Retry-After` on 429. */
  headers: z.array(z.string()),
});
export type PlannedResponse = z.infer<typeof PlannedResponse>;

export const PlannedOperation = z.object({
  /** Unique operationId. */
  id: z.string(),
  kind: PlannedOperationKind,
  entity: z.string(),
  /** For actions the verb; otherwise the kind. */
  verb: z.string(),
  summary: z.string(),
  method: z.enum(["GET", "POST", "PATCH", "DELETE"]),
  /** OpenAPI-style template, e.g. `/patients/{id}/approve`. */
  path: z.string(),
  parameters: z.array(Parameter),
  requestBody: z.object({ body: z.enum(["create", "update"]), required: z.boolean() }).nullable(),
  /** All documented responses, success first. */
  responses: z.array(PlannedResponse),
  successStatus: z.number().int(),
  auth: z.object({
    required: z.boolean(),
    /** The permission a role needs (list/get/search/export: read; erase: delete; action: act). */
    permission: Permission,
    /** Roles allowed; ignored when `anyRole`. Empty with `anyRole: false` means nobody may call it. */
    roles: z.array(z.string()),
    /** Any authenticated caller may call it (the IR defines no roles). */
    anyRole: z.boolean(),
  }),
  /** Requires an `Idempotency-Key` header; repeats return the stored response. */
  idempotent: z.boolean(),
  /** Writes audit_log rows (the entity is audited). */
  audited: z.boolean(),
  /** List / search: sortable fields (always includes createdAt), filters, searched fields. */
  sortBy: z.array(z.string()),
  defaultSort: z.string().nullable(),
  filterBy: z.array(z.string()),
  searchBy: z.array(z.string()),
  /** Action: the enum field and value it sets, and the values it may move from. */
  transition: z.object({ field: z.string(), to: z.string(), from: z.array(z.string()) }).nullable(),
});
export type PlannedOperation = z.infer<typeof PlannedOperation>;

export const ColumnPlan = z.object({
  name: z.string(),
  /** PostgreSQL type as written in DDL, e.g. `uuid`, `varchar(120)`, `numeric(19,4)`, `text`. */
  sqlType: z.string(),
  nullable: z.boolean(),
  /** SQL default expression, e.g. `gen_random_uuid()`, `now()`, `'USD'`, `false`. */
  default: z.string().nullable(),
  /** The JSON field it stores (null for system columns such as `card_token`). */
  field: z.string().nullable(),
});
export type ColumnPlan = z.infer<typeof ColumnPlan>;

export const ForeignKeyPlan = z.object({
  name: z.string(),
  table: z.string(),
  columns: z.array(z.string()),
  references: z.object({ table: z.string(), columns: z.array(z.string()) }),
  onDelete: OnDelete,
});
export type ForeignKeyPlan = z.infer<typeof ForeignKeyPlan>;

export const TablePlan = z.object({
  name: z.string(),
  kind: z.enum(["entity", "join", "audit-log", "idempotency-keys"]),
  /** The entity it stores, for `entity` tables. */
  entity: z.string().nullable(),
  columns: z.array(ColumnPlan),
  primaryKey: z.array(z.string()),
  uniques: z.array(z.object({ name: z.string(), columns: z.array(z.string()) })),
  checks: z.array(z.object({ name: z.string(), expression: z.string() })),
  /** Foreign keys created with the table (their targets already exist). */
  foreignKeys: z.array(ForeignKeyPlan),
  indexes: z.array(z.object({ name: z.string(), columns: z.array(z.string()) })),
});
export type TablePlan = z.infer<typeof TablePlan>;

export const EnvVar = z.object({
  name: z.string(),
  required: z.boolean(),
  /** Secret values go in a Kubernetes Secret, others in the ConfigMap. */
  secret: z.boolean(),
  description: z.string(),
  /** A safe example for docs and tests (never a real secret). */
  example: z.string(),
});
export type EnvVar = z.infer<typeof EnvVar>;

export const ApiPlan = z.object({
  planVersion: z.literal(PLAN_VERSION),
  app: z.object({ name: z.string(), slug: z.string(), summary: z.string(), kind: AppKind }),
  auth: z.object({
    kind: AuthKind,
    /** `X-API-Key` for api-key, `Authorization` (Bearer JWT) for jwt/oauth, null for none. */
    header: z.string().nullable(),
    roles: z.array(z.string()),
  }),
  rateLimit: z.object({ requests: z.number().int(), windowSeconds: z.number().int() }).nullable(),
  securityHeaders: z.boolean(),
  /** Days after which soft-deleted / old rows may be purged (rule `retention`), null when unset. */
  retentionDays: z.number().int().nullable(),
  /** JSON field names whose values are masked wherever logs could show them. */
  maskedFields: z.array(z.string()),
  entities: z.array(EntityPlan),
  operations: z.array(PlannedOperation),
  /** Creation order (foreign-key dependencies first). */
  tables: z.array(TablePlan),
  /** Foreign keys that close a cycle: added with ALTER TABLE after every table exists. */
  deferredForeignKeys: z.array(ForeignKeyPlan),
  env: z.array(EnvVar),
  /** Adjustments the planner made (e.g. a filter on an encrypted field dropped), for the README. */
  notes: z.array(z.string()),
});
export type ApiPlan = z.infer<typeof ApiPlan>;
