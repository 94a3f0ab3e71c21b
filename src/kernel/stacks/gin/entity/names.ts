/** The names one entity gets across the generated Gin app, and its stored properties. */
import type { EntityPlan, PlannedField } from "../../../generate/plan-schema.js";
import { recordProperties } from "../../shared/record-properties.js";
import { exportedName, type GoKind, goKind, goType, lowerFirst, snakeFromKebab } from "../go.js";

/** Identifiers package store declares itself; an entity named like one gets a `Record` suffix. */
const STORE_NAMES = new Set([
  "Row",
  "ConstraintKind",
  "ConstraintError",
  "Paging",
  "ListOptions",
  "ResultPage",
  "Repository",
  "Sealer",
  "MemoryDB",
  "Stores",
  "MemoryStores",
  "AuditEvent",
  "AuditEntry",
  "AuditLog",
  "MemoryAuditLog",
  "StoredResponse",
  "ClaimState",
  "Claim",
  "IdempotencyStore",
  "MemoryIdempotencyStore",
]);

/**
 * Base names of the runtime's own files in internal/api and internal/store (and of the shared test
 * files): an entity whose route would take one gets a `_resource` suffix instead.
 */
const RUNTIME_FILES = new Set([
  "router",
  "errors",
  "validation",
  "records",
  "middleware",
  "auth",
  "idempotency",
  "main",
  "app",
  "store",
  "codec",
  "memory",
  "postgres",
  "schema",
  "stores",
  "audit",
]);

export interface GoEntityNames {
  /** `Patient`: the record type in package store. */
  readonly type: string;
  /** `Patients`: the repository's field in store.Stores. */
  readonly field: string;
  /** `patientsTable`, `patientCodec`, `encodePatient`, `decodePatient` (package store). */
  readonly table: string;
  readonly codec: string;
  readonly encode: string;
  readonly decode: string;
  /** `patients`: Go file names (`internal/store/patients.go`, `internal/api/patients.go`). */
  readonly file: string;
  /** `patient`: prefix of the entity's unexported names in package api. */
  readonly lower: string;
}

export function goNamesOf(entity: EntityPlan): GoEntityNames {
  const base = exportedName(entity.name);
  const type = STORE_NAMES.has(base) ? `${base}Record` : base;
  const plural = exportedName(entity.plural);
  const field = ["Ready", "Audit", "Idempotency"].includes(plural) ? `${plural}Records` : plural;
  return {
    type,
    field,
    table: `${lowerFirst(plural)}Table`,
    codec: `${lowerFirst(type)}Codec`,
    encode: `encode${type}`,
    decode: `decode${type}`,
    file: RUNTIME_FILES.has(snakeFromKebab(entity.route))
      ? `${snakeFromKebab(entity.route)}_resource`
      : snakeFromKebab(entity.route),
    lower: lowerFirst(type),
  };
}

/** A stored property of the record: a planned field with a column, or the card token. */
export interface GoProperty {
  /** Go field name. */
  readonly name: string;
  /** JSON name, or null when the property never appears in responses (`json:"-"`). */
  readonly json: string | null;
  readonly column: string;
  /** The planned field, or null for the card token. */
  readonly field: PlannedField | null;
  readonly type: string;
  readonly kind: GoKind;
  readonly pointer: boolean;
  readonly encrypted: boolean;
}

/** Every stored property in column order (the card token where the card number was), as Go sees it. */
export function goProperties(entity: EntityPlan): GoProperty[] {
  const cardNumber = entity.fields.find((field) => field.role === "card-number");
  return recordProperties(entity).map((record): GoProperty => {
    const field = record.field;
    if (field === null) {
      // The card token: a pointer also when a record may be created without a card number.
      const pointer = record.nullable || cardNumber?.create !== "required";
      return {
        name: exportedName(record.name),
        json: null,
        column: record.column,
        field: null,
        type: pointer ? "*string" : "string",
        kind: "string",
        pointer,
        encrypted: false,
      };
    }
    const kind = goKind(field.schema);
    return {
      name: exportedName(field.name),
      json: field.output ? field.name : null,
      column: record.column,
      field,
      type: goType(field.schema),
      kind,
      pointer: field.schema.nullable && kind !== "object",
      encrypted: field.encrypted,
    };
  });
}

/** The Go field holding a JSON field (`firstName` → `FirstName`). */
export function propertyOf(entity: EntityPlan, fieldName: string): GoProperty | undefined {
  return goProperties(entity).find((property) => property.field?.name === fieldName);
}

export { entityNamed } from "../../shared/test-inputs.js";
