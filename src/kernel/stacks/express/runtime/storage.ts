/**
 * `src/storage/*`: what both repository implementations share — the table constraints (so the
 * in-memory store enforces exactly what PostgreSQL enforces), the constraint error, and the
 * in-memory database itself.
 */
import type { ApiPlan } from "../../../generate/plan-schema.js";
import { camelFromSnake, indent, key, lines, str, strList } from "../code.js";

/** `src/storage/errors.ts` */
export function storageErrorsFile(): string {
  return `/**
 * A write that a table constraint refused. Both repository implementations throw it, so handlers
 * and the error middleware do not care which store is in use.
 */
export type ConstraintKind =
  /** A unique constraint: another record already has this value. */
  | "unique"
  /** A foreign key on the written record points at no existing record. */
  | "foreign-key"
  /** The record is still referenced by records that must be deleted first. */
  | "restrict";

export class ConstraintError extends Error {
  constructor(
    readonly kind: ConstraintKind,
    readonly table: string,
    readonly constraint: string,
    /** The JSON field the constraint is about, when there is exactly one. */
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = "ConstraintError";
  }
}
`;
}

/** `src/storage/schema.ts`: the constraints of every table, from the same plan as the migrations. */
export function storageSchemaFile(plan: ApiPlan): string {
  const tables = plan.tables
    .filter((table) => table.kind === "entity" || table.kind === "join")
    .map((table) => {
      const fields = table.columns
        .filter((column) => column.field !== null)
        .map((column) => `${key(column.name)}: ${str(column.field ?? camelFromSnake(column.name))}`);
      const foreignKeys = [
        ...table.foreignKeys,
        ...plan.deferredForeignKeys.filter((foreignKey) => foreignKey.table === table.name),
      ].map(
        (foreignKey) =>
          `{ name: ${str(foreignKey.name)}, columns: ${strList(foreignKey.columns)}, references: { table: ${str(foreignKey.references.table)}, columns: ${strList(foreignKey.references.columns)} }, onDelete: ${str(foreignKey.onDelete)} },`,
      );
      const uniques = table.uniques.map(
        (unique) => `{ name: ${str(unique.name)}, columns: ${strList(unique.columns)} },`,
      );
      return lines(
        "{",
        `  name: ${str(table.name)},`,
        `  primaryKey: ${strList(table.primaryKey)},`,
        `  fields: { ${fields.join(", ")} },`,
        uniques.length === 0
          ? "  uniques: [],"
          : lines("  uniques: [", indent(uniques.join("\n"), 2), "  ],"),
        foreignKeys.length === 0
          ? "  foreignKeys: [],"
          : lines("  foreignKeys: [", indent(foreignKeys.join("\n"), 2), "  ],"),
        "},",
      );
    });
  return `/**
 * The constraints of every application table, as the migrations create them. The in-memory store
 * enforces them so that tests without a database see the same conflicts as PostgreSQL, and the
 * PostgreSQL repositories use them to name the field a violated constraint is about.
 */
export type OnDelete = "cascade" | "restrict" | "set null";

export interface TableSchema {
  name: string;
  primaryKey: string[];
  /** Column → JSON field name. */
  fields: Record<string, string>;
  uniques: { name: string; columns: string[] }[];
  foreignKeys: {
    name: string;
    columns: string[];
    references: { table: string; columns: string[] };
    onDelete: OnDelete;
  }[];
}

export const tables: TableSchema[] = [
${indent(tables.join("\n"))}
];

/** Every table the application owns, for cleaning up between tests. */
export const allTableNames: string[] = ${strList(plan.tables.map((table) => table.name))};
`;
}

/** `src/storage/memory-database.ts`: rows in maps, with PostgreSQL's constraints. */
export function memoryDatabaseFile(): string {
  return `/**
 * An in-memory stand-in for the database: one map of rows per table, keyed by primary key, with
 * the unique and foreign-key constraints of \`schema.ts\` enforced the way PostgreSQL enforces
 * them (including ON DELETE CASCADE / RESTRICT / SET NULL). Rows use column names, exactly as they
 * are stored, so tests can check what actually lands in storage (ciphertext, card tokens).
 */
import { ConstraintError } from "./errors.js";
import type { Row } from "./query.js";
import { type TableSchema, tables as schema } from "./schema.js";

export class MemoryDatabase {
  private readonly data = new Map<string, Map<string, Row>>();
  private readonly schemas = new Map<string, TableSchema>();

  constructor(tables: readonly TableSchema[] = schema) {
    for (const table of tables) {
      this.schemas.set(table.name, table);
      this.data.set(table.name, new Map());
    }
  }

  /** Copies of every row of a table, in insertion order. */
  rows(table: string): Row[] {
    return [...this.table(table).values()].map((row) => ({ ...row }));
  }

  find(table: string, id: string): Row | undefined {
    const row = this.table(table).get(id);
    return row === undefined ? undefined : { ...row };
  }

  insert(table: string, row: Row): Row {
    const schema = this.schema(table);
    this.checkUnique(schema, row, undefined);
    this.checkReferences(schema, row);
    const stored = { ...row };
    this.table(table).set(primaryKey(schema, stored), stored);
    return { ...stored };
  }

  /** Applies \`changes\` to the row with this id; undefined when there is none. */
  update(table: string, id: string, changes: Row): Row | undefined {
    const schema = this.schema(table);
    const current = this.table(table).get(id);
    if (current === undefined) return undefined;
    const next = { ...current, ...changes };
    this.checkUnique(schema, next, id);
    this.checkReferences(schema, next);
    this.table(table).set(id, next);
    return { ...next };
  }

  /** Deletes the row and applies ON DELETE to the rows that reference it; false when there is none. */
  delete(table: string, id: string): boolean {
    if (!this.table(table).has(id)) return false;
    // Check every RESTRICT first so that a refused delete changes nothing, as in a transaction.
    this.checkRestrict(table, id, new Set());
    this.cascade(table, id);
    return true;
  }

  /** Empties every table. */
  clear(): void {
    for (const rows of this.data.values()) rows.clear();
  }

  private cascade(table: string, id: string): void {
    this.table(table).delete(id);
    for (const { schema, foreignKey } of this.referencing(table)) {
      const column = foreignKey.columns[0] as string;
      for (const [childId, row] of [...this.table(schema.name)]) {
        if (row[column] !== id) continue;
        if (foreignKey.onDelete === "cascade") this.cascade(schema.name, childId);
        else if (foreignKey.onDelete === "set null") row[column] = null;
      }
    }
  }

  private checkRestrict(table: string, id: string, seen: Set<string>): void {
    const marker = \`\${table}:\${id}\`;
    if (seen.has(marker)) return;
    seen.add(marker);
    for (const { schema, foreignKey } of this.referencing(table)) {
      const column = foreignKey.columns[0] as string;
      for (const [childId, row] of this.table(schema.name)) {
        if (row[column] !== id) continue;
        if (foreignKey.onDelete === "restrict") {
          throw new ConstraintError(
            "restrict",
            table,
            foreignKey.name,
            undefined,
            \`the record is still referenced by \${schema.name}\`,
          );
        }
        if (foreignKey.onDelete === "cascade") this.checkRestrict(schema.name, childId, seen);
      }
    }
  }

  private checkUnique(schema: TableSchema, row: Row, ownId: string | undefined): void {
    for (const unique of schema.uniques) {
      const values = unique.columns.map((column) => row[column]);
      // As in SQL, NULL never equals NULL, so rows with a null in the key never collide.
      if (values.some((value) => value === null || value === undefined)) continue;
      for (const [id, other] of this.table(schema.name)) {
        if (id === ownId) continue;
        if (unique.columns.every((column, i) => other[column] === values[i])) {
          const field = unique.columns.length === 1 ? schema.fields[unique.columns[0] as string] : undefined;
          throw new ConstraintError(
            "unique",
            schema.name,
            unique.name,
            field,
            field === undefined ? "a record with these values already exists" : \`a record with this \${field} already exists\`,
          );
        }
      }
    }
  }

  private checkReferences(schema: TableSchema, row: Row): void {
    for (const foreignKey of schema.foreignKeys) {
      const column = foreignKey.columns[0] as string;
      const value = row[column];
      if (value === null || value === undefined) continue;
      if (!this.table(foreignKey.references.table).has(String(value))) {
        const field = schema.fields[column];
        throw new ConstraintError(
          "foreign-key",
          schema.name,
          foreignKey.name,
          field,
          \`\${field ?? column} does not refer to an existing record\`,
        );
      }
    }
  }

  private referencing(table: string) {
    const found: { schema: TableSchema; foreignKey: TableSchema["foreignKeys"][number] }[] = [];
    for (const schema of this.schemas.values()) {
      for (const foreignKey of schema.foreignKeys) {
        if (foreignKey.references.table === table) found.push({ schema, foreignKey });
      }
    }
    return found;
  }

  private schema(table: string): TableSchema {
    const schema = this.schemas.get(table);
    if (schema === undefined) throw new Error(\`unknown table \${table}\`);
    return schema;
  }

  private table(table: string): Map<string, Row> {
    const rows = this.data.get(table);
    if (rows === undefined) throw new Error(\`unknown table \${table}\`);
    return rows;
  }
}

function primaryKey(schema: TableSchema, row: Row): string {
  return schema.primaryKey.map((column) => String(row[column])).join("/");
}
`;
}

/** `src/storage/pg-errors.ts`: PostgreSQL errors → ConstraintError, naming the field. */
export function pgErrorsFile(): string {
  return `/**
 * Translates PostgreSQL constraint violations into ConstraintError. The database's own message
 * quotes the offending value, so it is never passed on: the field comes from the constraint name.
 */
import { ConstraintError } from "./errors.js";
import { tables } from "./schema.js";

const UNIQUE_VIOLATION = "23505";
const FOREIGN_KEY_VIOLATION = "23503";

/**
 * Returns the ConstraintError for a violation, or the original error for anything else.
 * \`during\` tells a foreign key broken by a write (missing parent) from one broken by a delete
 * (the record is still referenced).
 */
export function translatePgError(err: unknown, during: "write" | "delete"): unknown {
  if (typeof err !== "object" || err === null || !("code" in err)) return err;
  const { code, constraint } = err as { code?: string; constraint?: string };
  if (code !== UNIQUE_VIOLATION && code !== FOREIGN_KEY_VIOLATION) return err;
  for (const table of tables) {
    const unique = table.uniques.find((candidate) => candidate.name === constraint);
    if (unique !== undefined && code === UNIQUE_VIOLATION) {
      const field = unique.columns.length === 1 ? table.fields[unique.columns[0] as string] : undefined;
      return new ConstraintError(
        "unique",
        table.name,
        unique.name,
        field,
        field === undefined ? "a record with these values already exists" : \`a record with this \${field} already exists\`,
      );
    }
    const foreignKey = table.foreignKeys.find((candidate) => candidate.name === constraint);
    if (foreignKey !== undefined && code === FOREIGN_KEY_VIOLATION) {
      if (during === "delete") {
        return new ConstraintError(
          "restrict",
          foreignKey.references.table,
          foreignKey.name,
          undefined,
          \`the record is still referenced by \${table.name}\`,
        );
      }
      const field = table.fields[foreignKey.columns[0] as string];
      return new ConstraintError(
        "foreign-key",
        table.name,
        foreignKey.name,
        field,
        \`\${field ?? "a reference"} does not refer to an existing record\`,
      );
    }
  }
  return err;
}
`;
}

/** `src/storage/query.ts`: paging, sorting, filtering shared by the repositories. */
export function storageQueryFile(): string {
  return `/**
 * What lists have in common: paging, a sort, exact-match filters, and the in-memory versions of
 * filtering, sorting and paging that mirror what the SQL does (NULLs last ascending, first
 * descending; ties broken by id so pages never overlap).
 */

/** A row as stored: column name → value. */
export type Row = Record<string, unknown>;

export interface Paging {
  page: number;
  pageSize: number;
}

export interface Sort<F extends string> {
  field: F;
  descending: boolean;
}

export interface ListOptions<Filters, F extends string> extends Paging {
  sort: Sort<F>;
  filters: Filters;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** \`-createdAt\` → \`{ field: "createdAt", descending: true }\`. */
export function parseSort<F extends string>(value: F | \`-\${F}\`): Sort<F> {
  return value.startsWith("-") ? { field: value.slice(1) as F, descending: true } : { field: value as F, descending: false };
}

/** The offset of the first item of a page. */
export function offsetOf({ page, pageSize }: Paging): number {
  return (page - 1) * pageSize;
}

/** Timestamps come back from PostgreSQL as Date and from memory as ISO text; the API uses ISO text. */
export function timestamp(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

type Shape = { id: string };

export function matchesFilters<T extends Shape>(record: T, filters: Partial<Record<keyof T, unknown>>): boolean {
  return Object.entries(filters).every(
    ([field, value]) => value === undefined || record[field as keyof T] === value,
  );
}

/** Case-insensitive substring match on any of \`fields\` (what ILIKE '%text%' does). */
export function containsText<T extends Shape>(record: T, fields: readonly (keyof T)[], text: string): boolean {
  const needle = text.toLowerCase();
  return fields.some((field) => {
    const value = record[field];
    return typeof value === "string" && value.toLowerCase().includes(needle);
  });
}

/** Sorts like ORDER BY field [DESC], id [DESC]; \`numeric\` fields hold decimals as text. */
export function sortRecords<T extends Shape>(
  records: T[],
  sort: Sort<string>,
  numeric: ReadonlySet<string> = new Set(),
): T[] {
  const direction = sort.descending ? -1 : 1;
  const field = sort.field as keyof T;
  return [...records].sort((a, b) => {
    const order = compareValues(a[field], b[field], numeric.has(sort.field)) || compareValues(a.id, b.id, false);
    return order * direction;
  });
}

export function paginate<T>(items: readonly T[], paging: Paging): Page<T> {
  const start = offsetOf(paging);
  return { items: items.slice(start, start + paging.pageSize), total: items.length };
}

function compareValues(a: unknown, b: unknown, numeric: boolean): number {
  if (a === b) return 0;
  // NULL sorts after every value, as in PostgreSQL.
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  const x = numeric ? Number(a) : a;
  const y = numeric ? Number(b) : b;
  return (x as number | string) < (y as number | string) ? -1 : (x as number | string) > (y as number | string) ? 1 : 0;
}
`;
}
