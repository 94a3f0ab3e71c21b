/**
 * The intermediate representation (IR): what qlf understood from a brief.
 *
 * One zod schema is the single source of truth: the TypeScript types are inferred from it and
 * `qlf schema ir` publishes its JSON Schema. Every generator (template or LLM) reads only this.
 *
 * Conventions every stack applies, so they are not repeated in each entity:
 * - every entity has an `id` (UUID) primary key and `createdAt` / `updatedAt` timestamps;
 * - a one-to-many relation puts a foreign key `<parentCamel>Id` on the child ("many") side;
 * - a many-to-many relation gets a join table named `<a>_<b>` (table names in alphabetical order).
 */
import { z } from "zod";

export const IR_VERSION = 1 as const;

/** Where a piece of the IR came from, so reviewers (and the LLM merge) can tell rule from guess. */
export const Origin = z
  .enum(["brief", "domain", "overlay", "convention", "llm", "flag"])
  .describe(
    "brief: named in the brief; domain: implied by a domain vocabulary; overlay: required by an overlay; " +
      "convention: a default qlf applies; llm: added by a model; flag: set on the command line",
  );
export type Origin = z.infer<typeof Origin>;

/** The words in the brief that triggered a decision (empty for conventions). */
export const Evidence = z.array(z.string().min(1)).describe("Words from the brief that triggered this");

const identifier = z.string().regex(/^[a-z][A-Za-z0-9]*$/, "camelCase identifier");
const pascalName = z.string().regex(/^[A-Z][A-Za-z0-9]*$/, "PascalCase name");
const snakeName = z.string().regex(/^[a-z][a-z0-9_]*$/, "snake_case name");

export const FieldType = z.enum([
  "string",
  "text",
  "integer",
  "decimal",
  "boolean",
  "date",
  "datetime",
  "uuid",
  "enum",
  "json",
]);
export type FieldType = z.infer<typeof FieldType>;

/** A refinement of the type that generators validate and document (e.g. `string` + `email`). */
export const FieldFormat = z.enum([
  "email",
  "url",
  "phone",
  "money",
  "percent",
  "postal-code",
  "country-code",
]);
export type FieldFormat = z.infer<typeof FieldFormat>;

/** Data-protection marks; overlays key their rules on these (PHI → audit + encryption, etc.). */
export const Sensitivity = z
  .enum(["pii", "phi", "cardholder"])
  .describe("pii: personal data (GDPR); phi: protected health information (HIPAA); cardholder: PCI DSS data");
export type Sensitivity = z.infer<typeof Sensitivity>;

export const Field = z.object({
  name: identifier,
  /** Column name in the database. */
  column: snakeName,
  type: FieldType,
  format: FieldFormat.nullable(),
  required: z.boolean(),
  unique: z.boolean(),
  /** Default value, already typed (a string for enum values, dates as ISO strings). */
  default: z.union([z.string(), z.number(), z.boolean()]).nullable(),
  /** For `enum` fields: the allowed values, in order (first is the default when none is given). */
  enumValues: z.array(z.string().min(1)).nullable(),
  /** For `string`: the maximum length. */
  maxLength: z.number().int().positive().nullable(),
  /** For `decimal`: precision and scale (money defaults to 19,4). */
  precision: z.number().int().positive().nullable(),
  scale: z.number().int().nonnegative().nullable(),
  /** ISO 4217 code for money fields. */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .nullable(),
  sensitivity: z.array(Sensitivity),
  /** Field can be used to filter, search or sort lists (gets an index). */
  searchable: z.boolean(),
  description: z.string(),
  origin: Origin,
  evidence: Evidence,
});
export type Field = z.infer<typeof Field>;

export const Entity = z.object({
  name: pascalName,
  /** PascalCase plural, e.g. `Patients`. */
  plural: pascalName,
  /** snake_case plural table name, e.g. `patients`. */
  table: snakeName,
  /** kebab-case plural used in URLs, e.g. `lab-results`. */
  route: z.string().regex(/^[a-z][a-z0-9-]*$/),
  description: z.string(),
  fields: z.array(Field),
  origin: Origin,
  evidence: Evidence,
});
export type Entity = z.infer<typeof Entity>;

export const RelationKind = z.enum(["one-to-one", "one-to-many", "many-to-many"]);
export type RelationKind = z.infer<typeof RelationKind>;

export const Relation = z.object({
  kind: RelationKind,
  /** The "one" side (parent) for one-to-many; either side for many-to-many. */
  from: pascalName,
  to: pascalName,
  /** Foreign key field on `to` for one-to-one / one-to-many (e.g. `patientId`); null for many-to-many. */
  foreignKey: identifier.nullable(),
  /** Join table for many-to-many, null otherwise. */
  joinTable: snakeName.nullable(),
  /** The child must have a parent (NOT NULL foreign key). */
  required: z.boolean(),
  /** Ownership: the child belongs to its parent (deleted with it, scoped by it). */
  owned: z.boolean(),
  /** The verb phrase that links them, e.g. "performed by". */
  label: z.string(),
  origin: Origin,
  evidence: Evidence,
});
export type Relation = z.infer<typeof Relation>;

export const OperationKind = z.enum([
  "list",
  "get",
  "create",
  "update",
  "delete",
  "search",
  "action",
  "export",
]);
export type OperationKind = z.infer<typeof OperationKind>;

export const Operation = z.object({
  /** Unique camelCase id, used as OpenAPI operationId (e.g. `listPatients`, `approveRefund`). */
  id: identifier,
  kind: OperationKind,
  entity: pascalName,
  /** For custom actions: the verb (`approve`); otherwise the kind. */
  verb: z.string().regex(/^[a-z][a-z-]*$/),
  summary: z.string(),
  /** List and search: paging, and which fields may filter and sort. */
  pagination: z.boolean(),
  filterBy: z.array(identifier),
  sortBy: z.array(identifier),
  /** Search: the fields the query matches. */
  searchBy: z.array(identifier),
  /** Action: the enum field and value the action sets, when the action is a state change. */
  transition: z.object({ field: identifier, to: z.string(), from: z.array(z.string()) }).nullable(),
  /** Roles allowed to call it; empty means any authenticated caller (or anyone when auth is none). */
  roles: z.array(z.string()),
  origin: Origin,
  evidence: Evidence,
});
export type Operation = z.infer<typeof Operation>;

/** What an operation must say; the rest defaults to "no paging, filters, search, transition or role limits". */
type OperationEssentials = Pick<
  Operation,
  "id" | "kind" | "entity" | "verb" | "summary" | "origin" | "evidence"
>;

/** An operation from its essentials, with anything else it needs given in `rest`. */
export function operationOf(essentials: OperationEssentials, rest: Partial<Operation> = {}): Operation {
  return {
    pagination: false,
    filterBy: [],
    sortBy: [],
    searchBy: [],
    transition: null,
    roles: [],
    ...essentials,
    ...rest,
  };
}

export const AuthKind = z.enum(["none", "api-key", "jwt", "oauth"]);
export type AuthKind = z.infer<typeof AuthKind>;

export const Permission = z.enum(["read", "create", "update", "delete", "act"]);
export type Permission = z.infer<typeof Permission>;

/** The permission a role needs for each kind of operation (reads, writes and custom actions). */
export const OPERATION_PERMISSION: Readonly<Record<OperationKind, Permission>> = {
  list: "read",
  get: "read",
  search: "read",
  export: "read",
  create: "create",
  update: "update",
  delete: "delete",
  action: "act",
};

export const Role = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  description: z.string(),
  /** Per entity, what the role may do; `*` stands for every entity. */
  grants: z.array(
    z.object({ entity: z.union([pascalName, z.literal("*")]), permissions: z.array(Permission) }),
  ),
  origin: Origin,
  evidence: Evidence,
});
export type Role = z.infer<typeof Role>;

export const Auth = z.object({
  kind: AuthKind,
  roles: z.array(Role),
  origin: Origin,
  evidence: Evidence,
});
export type Auth = z.infer<typeof Auth>;

/** A non-functional requirement that is on, with why. `null` in `NonFunctional` means off. */
const Requirement = z.object({ origin: Origin, evidence: Evidence });

export const NonFunctional = z.object({
  rateLimit: Requirement.extend({
    requests: z.number().int().positive(),
    windowSeconds: z.number().int().positive(),
  }).nullable(),
  auditLog: Requirement.nullable(),
  softDelete: Requirement.nullable(),
  encryptionAtRest: Requirement.nullable(),
  idempotency: Requirement.nullable(),
  retention: Requirement.extend({ days: z.number().int().positive() }).nullable(),
});
export type NonFunctional = z.infer<typeof NonFunctional>;

export const Language = z.enum(["typescript", "python", "go"]);
export const Framework = z.enum(["express", "fastapi", "gin"]);
export const Database = z.enum(["postgres"]);
export const Frontend = z.enum(["react", "none"]);
export type Framework = z.infer<typeof Framework>;

export const Stack = z.object({
  language: Language,
  framework: Framework,
  database: Database,
  frontend: Frontend,
  origin: Origin,
  evidence: Evidence,
});
export type Stack = z.infer<typeof Stack>;

export const OverlayKind = z.enum(["domain", "compliance"]);

export const OverlaySelection = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  kind: OverlayKind,
  /** 0..1: 1 for requested overlays; for detected ones, the weight of the evidence. */
  confidence: z.number().min(0).max(1),
  /** How it got in: asked for (flag or brief), detected from words, or pulled in by another overlay. */
  reason: z.enum(["requested", "detected", "dependency"]),
  /** For `dependency`: the overlay that needs it. */
  requiredBy: z.string().nullable(),
  evidence: Evidence,
});
export type OverlaySelection = z.infer<typeof OverlaySelection>;

export const Question = z.object({
  /** Stable id, e.g. `auth.kind`, so answers can be supplied later. */
  id: z.string(),
  question: z.string(),
  /** What qlf assumed in the meantime. */
  assumption: z.string(),
});
export type Question = z.infer<typeof Question>;

export const AppKind = z.enum(["api", "web", "fullstack", "worker"]);
export type AppKind = z.infer<typeof AppKind>;

export const IR = z
  .object({
    irVersion: z.literal(IR_VERSION),
    app: z.object({
      name: z.string().min(1),
      slug: z.string().regex(/^[a-z][a-z0-9-]*$/),
      summary: z.string(),
      kind: AppKind,
    }),
    entities: z.array(Entity),
    relations: z.array(Relation),
    operations: z.array(Operation),
    auth: Auth,
    nonFunctional: NonFunctional,
    stack: Stack,
    overlays: z.array(OverlaySelection),
    /** 0..1: how much of the IR came from the brief rather than from guesses. */
    confidence: z.number().min(0).max(1),
    questions: z.array(Question),
    /** sha256 of the normalised brief, for provenance. */
    briefSha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .describe("QuantumLayer Factory intermediate representation of a brief");
export type IR = z.infer<typeof IR>;

/** JSON Schema (draft 2020-12) of the IR, for `qlf schema ir` and for LLM structured output. */
export function irJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(IR, { target: "draft-2020-12" }) as Record<string, unknown>;
}
