/**
 * Package store, per plan: the record type of every entity with its table description and row
 * codec (`internal/store/<route>.go`), the table constraints (`schema.go`) and the Stores that wire
 * the repositories together (`stores.go`).
 */
import type { ApiPlan, EntityPlan } from "../../../generate/plan-schema.js";
import type { Features } from "../../shared/features.js";
import { align, goComment, goString, goStrings, importBlock, lines, tabs } from "../go.js";
import type { Markers } from "../markers.js";
import { type GoProperty, goNamesOf, goProperties } from "./names.js";

/** `internal/store/<route>.go` */
export function storeEntityGo(plan: ApiPlan, entity: EntityPlan, markers: Markers): string {
  const names = goNamesOf(entity);
  const properties = goProperties(entity);
  const ops = plan.operations.filter((op) => op.entity === entity.name);
  const list = ops.find((op) => op.kind === "list");
  const search = ops.find((op) => op.kind === "search");
  const columnOf = (fieldName: string) =>
    properties.find((property) => property.field?.name === fieldName)?.column ?? fieldName;
  const references = entity.fields.filter((field) => field.role === "foreign-key" && field.column !== null);
  const numeric = (list?.sortBy ?? []).filter(
    (name) => entity.fields.find((field) => field.name === name)?.schema.format === "decimal",
  );

  const struct = align(
    properties.map((property) => [
      property.name,
      property.type,
      `\`json:${goString(property.json ?? "-")}\``,
    ]),
  );
  const sortColumns = (list?.sortBy ?? ["createdAt"]).map(
    (name) => `${goString(name)}: ${goString(columnOf(name))},`,
  );
  const tableLines = align([
    ["name:", `${goString(entity.table)},`],
    ["columns:", `${goStrings(properties.map((property) => property.column))},`],
    ["softDelete:", `${entity.softDelete},`],
    ["sortColumns:", `map[string]string{${sortColumns.join(" ").replace(/,$/, "")}},`],
    [
      "filterColumns:",
      `map[string]string{${(list?.filterBy ?? []).map((name) => `${goString(name)}: ${goString(columnOf(name))}`).join(", ")}},`,
    ],
    [
      "referenceColumns:",
      `map[string]string{${references.map((field) => `${goString(field.name)}: ${goString(field.column ?? "")}`).join(", ")}},`,
    ],
    ["numericSort:", `map[string]bool{${numeric.map((name) => `${goString(name)}: true`).join(", ")}},`],
    ["searchColumns:", `${goStrings((search?.searchBy ?? []).map(columnOf))},`],
  ]);

  const sealed = properties.filter((property) => property.encrypted);
  const encodeLines = properties.map((property) => encodeLine(property));
  const firstSealed = encodeLines.findIndex((line) => line.startsWith("w.seal("));
  if (firstSealed >= 0 && markers.control("encrypt-fields") !== "") {
    encodeLines.splice(firstSealed, 0, markers.control("encrypt-fields"));
  }
  const decodeFields = align(
    properties
      .filter((property) => !property.encrypted)
      .map((property) => [`${property.name}:`, `${decodeExpr(property)},`]),
  );
  const opens = sealed.map((property) => `r.open(${goString(property.column)}, &record.${property.name})`);
  const usesTime = properties.some((property) => property.kind === "time");

  return `package store

${importBlock("", usesTime ? ["time"] : [])}${usesTime ? "\n\n" : ""}${lines(
  goComment(
    `${names.type} is one record of ${entity.plural.toLowerCase()}, as stored${sealed.length > 0 ? " (decrypted)" : ""}.`,
  ),
  entity.description === "" ? "" : goComment(entity.description),
)}
// Fields tagged json:"-" are never returned by the API.
type ${names.type} struct {
${tabs(struct.join("\n"))}
}

// ${names.table} describes how ${entity.plural} are stored.
var ${names.table} = &entityTable{
${tabs(tableLines.join("\n"))}
}

var ${names.codec} = codec[${names.type}]{encode: ${names.encode}, decode: ${names.decode}}

func ${names.encode}(record ${names.type}, sealer Sealer) (Row, error) {
	w := newRowWriter(sealer)
${tabs(encodeLines.join("\n"))}
	return w.row, w.err
}

func ${names.decode}(row Row, sealer Sealer) (${names.type}, error) {
	r := rowReader{row: row, sealer: sealer}
	record := ${names.type}{
${tabs(decodeFields.join("\n"), 2)}
	}
${opens.length > 0 ? `${tabs(opens.join("\n"))}\n` : ""}	return record, r.err
}
`.replace(/\n{3,}/g, "\n\n");
}

function encodeLine(property: GoProperty): string {
  const value = property.pointer ? `opt(record.${property.name})` : `record.${property.name}`;
  if (property.encrypted) {
    return `w.seal(${goString(property.column)}, ${property.kind === "object" ? `objectOrNil(record.${property.name})` : value})`;
  }
  if (property.kind === "object") return `w.object(${goString(property.column)}, record.${property.name})`;
  return `w.put(${goString(property.column)}, ${value})`;
}

const READERS: Record<GoProperty["kind"], string> = {
  string: "text",
  time: "timestamp",
  integer: "integer",
  number: "number",
  boolean: "boolean",
  object: "object",
};

function decodeExpr(property: GoProperty): string {
  const reader = READERS[property.kind];
  if (property.kind === "object") return `r.object(${goString(property.column)})`;
  const method = property.pointer ? `opt${reader.charAt(0).toUpperCase()}${reader.slice(1)}` : reader;
  return `r.${method}(${goString(property.column)})`;
}

/** `internal/store/schema.go`: the constraints of every entity table, as the migrations create them. */
export function schemaGo(plan: ApiPlan): string {
  const entityTables = plan.tables.filter((table) => table.kind === "entity");
  const literals = entityTables.map((table) => {
    const fields = table.columns
      .filter((column) => column.field !== null)
      .map((column) => `${goString(column.name)}: ${goString(column.field ?? "")}`);
    const foreignKeys = [
      ...table.foreignKeys,
      ...plan.deferredForeignKeys.filter((key) => key.table === table.name),
    ].filter((key) => entityTables.some((candidate) => candidate.name === key.references.table));
    const body = align([
      ["name:", `${goString(table.name)},`],
      ["fields:", `map[string]string{${fields.join(", ")}},`],
      [
        "uniques:",
        `[]uniqueKey{${table.uniques.map((unique) => `{name: ${goString(unique.name)}, columns: ${goStrings(unique.columns)}}`).join(", ")}},`,
      ],
      [
        "foreignKeys:",
        `[]foreignKey{${foreignKeys
          .map(
            (key) =>
              `{name: ${goString(key.name)}, column: ${goString(key.columns[0] ?? "")}, references: ${goString(key.references.table)}, onDelete: ${goString(key.onDelete)}}`,
          )
          .join(", ")}},`,
      ],
    ]);
    return `{\n${tabs(body.join("\n"))}\n},`;
  });
  return `package store

// tableSchema is the constraints of one table, as the migrations create them: the in-memory store
// enforces them, and PostgreSQL errors are translated with them (constraint → field).
type tableSchema struct {
	name string
	// column → JSON field
	fields      map[string]string
	uniques     []uniqueKey
	foreignKeys []foreignKey
}

type uniqueKey struct {
	name    string
	columns []string
}

type foreignKey struct {
	name       string
	column     string
	references string
	// onDelete is cascade, restrict or set null.
	onDelete string
}

var tables = []tableSchema{
${tabs(literals.join("\n"))}
}
`;
}

/** `internal/store/stores.go` */
export function storesGo(plan: ApiPlan, features: Features): string {
  const entities = plan.entities.map((entity) => ({ entity, names: goNamesOf(entity) }));
  const fields = align([
    ...entities.map(({ names }) => [names.field, `Repository[${names.type}]`]),
    ...(features.audit ? [["Audit", "AuditLog"]] : []),
    ...(features.idempotency ? [["Idempotency", "IdempotencyStore"]] : []),
    "// Ready reports whether the store can serve requests (GET /readyz).",
    ["Ready", "func(ctx context.Context) error"],
  ]);
  const memory = align([
    ...entities.map(({ names }) => [
      `${names.field}:`,
      `newMemoryRepository(db, ${names.table}, ${names.codec}, sealer),`,
    ]),
    ...(features.audit ? [["Audit:", "audit,"]] : []),
    ...(features.idempotency ? [["Idempotency:", "&MemoryIdempotencyStore{},"]] : []),
    ["Ready:", "func(context.Context) error { return nil },"],
  ]);
  const pg = align([
    ...entities.map(({ names }) => [
      `${names.field}:`,
      `newPgRepository(db, ${names.table}, ${names.codec}, sealer),`,
    ]),
    ...(features.audit ? [["Audit:", "pgAuditLog{db: db},"]] : []),
    ...(features.idempotency ? [["Idempotency:", "pgIdempotencyStore{db: db},"]] : []),
  ]);
  const memoryFields = align([
    "Stores",
    ["DB", "*MemoryDB"],
    ...(features.audit ? [["AuditLog", "*MemoryAuditLog"]] : []),
  ]);
  return `package store

import (
	"context"
	"database/sql"
)

// Stores are the application's repositories${features.audit ? ", audit log" : ""}${features.idempotency ? " and idempotency keys" : ""}, in memory or in PostgreSQL.
type Stores struct {
${tabs(fields.join("\n"))}
}

// MemoryStores are Stores in memory; the database${features.audit ? " and the audit log are" : " is"} exposed so that tests can
// look at what was stored.
type MemoryStores struct {
${tabs(memoryFields.join("\n"))}
}

// NewMemoryStores returns empty in-memory stores. sealer encrypts sealed columns (nil when the
// application has none).
func NewMemoryStores(sealer Sealer) *MemoryStores {
	db := NewMemoryDB()${features.audit ? "\n\taudit := &MemoryAuditLog{}" : ""}
	return &MemoryStores{
		Stores: Stores{
${tabs(memory.join("\n"), 3)}
		},
${tabs(align([["DB:", "db,"], ...(features.audit ? [["AuditLog:", "audit,"]] : [])]).join("\n"), 2)}
	}
}

// NewPgStores returns stores on PostgreSQL. sealer encrypts sealed columns (nil when the
// application has none).
func NewPgStores(db *sql.DB, sealer Sealer) Stores {
	return Stores{
${tabs(pg.join("\n"), 2)}
		Ready: func(ctx context.Context) error {
			_, err := db.ExecContext(ctx, "SELECT 1")
			return err
		},
	}
}
`;
}
