/**
 * Migration gate: on a fresh PostgreSQL database, applies every `migrations/NNNN_name.up.sql` in
 * order, compares the schema with the plan rebuilt from `.qlf/ir.json` (tables, columns, types,
 * nullability, read from information_schema), rolls every migration back with its `.down.sql`
 * checking that each one removes exactly what its up file created, and applies them again.
 */
import type { ApiPlan } from "../../generate/plan-schema.js";
import type { Gate, GateContext, ScratchDatabase } from "../gate.js";
import { type Finding, finding } from "../report.js";

const FILE = /^migrations\/(\d+)_([\w-]+)\.(up|down)\.sql$/;

export interface MigrationPair {
  readonly version: string;
  readonly up: { readonly path: string; readonly sql: string };
  readonly down: { readonly path: string; readonly sql: string } | null;
}

export const migrationGate: Gate = {
  id: "migration",
  title: "Migrations",
  description:
    "Applies the migrations to a fresh PostgreSQL database, checks the schema against the IR, rolls them back checking nothing is left behind, and applies them again.",
  timeoutMs: 3 * 60_000,
  needs: () => [{ kind: "database", why: "migrations are applied to a fresh PostgreSQL database" }],
  async run(context) {
    const { ports, steps } = context;
    const pairs = await loadMigrations(context);
    if (pairs.length === 0)
      return {
        summary: "no migrations",
        findings: [],
        skipped: "there is no migrations/NNNN_name.up.sql file",
      };
    const findings: Finding[] = [];
    const db = await steps.run("create a scratch database", null, async () => {
      const created = await ports.createDatabase();
      return { ok: true, detail: created.url.replace(/\/\/[^@/]*@/, "//"), value: created };
    });
    try {
      findings.push(...(await cycle(context, db, pairs)));
    } finally {
      await db.drop();
    }
    const errors = findings.filter((f) => f.severity === "error").length;
    return {
      summary: `${pairs.length} migration(s) up, checked against the IR, down and up again: ${errors === 0 ? "no errors" : `${errors} error(s)`}`,
      findings,
    };
  },
};

async function cycle(
  context: GateContext,
  db: ScratchDatabase,
  pairs: readonly MigrationPair[],
): Promise<Finding[]> {
  const { steps, target } = context;
  const findings: Finding[] = [];
  const snapshots: Set<string>[] = [await snapshot(db)];
  for (const pair of pairs) {
    const ok = await steps.run(`apply ${pair.up.path}`, null, async () => {
      const error = await applyFile(db, pair.up.path, pair.up.sql);
      if (error !== undefined) findings.push(error);
      return { ok: error === undefined, detail: error?.message ?? "", value: error === undefined };
    });
    if (!ok) return findings;
    snapshots.push(await snapshot(db));
  }

  if (target.plan !== null) {
    const plan = target.plan;
    const schemaFindings = await steps.run("compare the schema with .qlf/ir.json", null, async () => {
      const found = await compareSchema(db, plan, pairs, await irLines(context));
      return {
        ok: !found.some((f) => f.severity === "error"),
        detail: `${found.length} difference(s)`,
        value: found,
      };
    });
    findings.push(...schemaFindings);
  } else steps.skip("compare the schema with .qlf/ir.json", "no .qlf/ir.json to compare with");

  for (let index = pairs.length - 1; index >= 0; index--) {
    const pair = pairs[index] as MigrationPair;
    const before = snapshots[index] as Set<string>;
    const ok = await steps.run(
      `roll back ${pair.down?.path ?? `${pair.version} (no down file)`}`,
      null,
      async () => {
        if (pair.down === null) {
          const missing = finding({
            gate: "migration",
            rule: "migration/no-down",
            severity: "error",
            message: `${pair.up.path} has no down migration (${pair.up.path.replace(/\.up\.sql$/, ".down.sql")})`,
            path: pair.up.path,
            line: 1,
          });
          findings.push(missing);
          return { ok: false, detail: missing.message, value: false };
        }
        const error = await applyFile(db, pair.down.path, pair.down.sql);
        if (error !== undefined) {
          findings.push(error);
          return { ok: false, detail: error.message, value: false };
        }
        const after = await snapshot(db);
        const left = withoutParts([...after].filter((object) => !before.has(object)));
        const removed = withoutParts([...before].filter((object) => !after.has(object)));
        const found: Finding[] = [];
        for (const object of left) {
          const created = locateCreation(object, pairs);
          found.push(
            finding({
              gate: "migration",
              rule: "migration/not-rolled-back",
              severity: "error",
              message: `${describe(object)} is still there after ${pair.down.path}: the down migration does not drop it`,
              path: created?.path ?? pair.down.path,
              line: created?.line ?? null,
              related: [
                { path: pair.down.path, line: null, message: "the down migration that should drop it" },
              ],
            }),
          );
        }
        for (const object of removed) {
          found.push(
            finding({
              gate: "migration",
              rule: "migration/over-rolled-back",
              severity: "error",
              message: `${pair.down.path} drops ${describe(object)}, which an earlier migration created`,
              path: pair.down.path,
              line: null,
            }),
          );
        }
        findings.push(...found);
        return {
          ok: found.length === 0,
          detail: found.map((f) => f.message).join("\n"),
          value: found.length === 0,
        };
      },
    );
    if (!ok) return findings;
  }

  for (const pair of pairs) {
    const ok = await steps.run(`apply ${pair.up.path} again`, null, async () => {
      const error = await applyFile(db, pair.up.path, pair.up.sql);
      if (error !== undefined) {
        findings.push({
          ...error,
          rule: "migration/not-reapplicable",
          message: `${pair.up.path} does not apply again after rolling back: ${error.message}`,
        });
      }
      return { ok: error === undefined, detail: error?.message ?? "", value: error === undefined };
    });
    if (!ok) break;
  }
  return findings;
}

/** The migration pairs, ordered by version. */
export async function loadMigrations({ ports }: Pick<GateContext, "ports">): Promise<MigrationPair[]> {
  const entries = (await ports.listFiles()).filter((entry) => entry.kind === "file" && FILE.test(entry.path));
  const byVersion = new Map<
    string,
    { up?: { path: string; sql: string }; down?: { path: string; sql: string } }
  >();
  for (const entry of entries) {
    const match = FILE.exec(entry.path);
    if (match === null) continue;
    const version = match[1] ?? "";
    const sql = (await ports.readText(entry.path)) ?? "";
    const pair = byVersion.get(version) ?? {};
    if (match[3] === "up") pair.up = { path: entry.path, sql };
    else pair.down = { path: entry.path, sql };
    byVersion.set(version, pair);
  }
  return [...byVersion.entries()]
    .filter(
      (
        entry,
      ): entry is [string, { up: { path: string; sql: string }; down?: { path: string; sql: string } }] =>
        entry[1].up !== undefined,
    )
    .sort(([a], [b]) => Number(a) - Number(b) || (a < b ? -1 : 1))
    .map(([version, pair]) => ({ version, up: pair.up, down: pair.down ?? null }));
}

/**
 * Runs one migration file; a failure is a finding at the line PostgreSQL pointed to.
 * The connection is rolled back after a failure, so a file's own BEGIN … COMMIT is undone.
 */
export async function applyFile(
  db: ScratchDatabase,
  path: string,
  sql: string,
): Promise<Finding | undefined> {
  const result = await db.query(sql);
  if (result.ok) return undefined;
  await db.query("ROLLBACK");
  return finding({
    gate: "migration",
    rule: "migration/failed",
    severity: "error",
    message: `${path} failed: ${result.message}`,
    path,
    line: result.position === null ? lineNaming(sql, result.message) : lineAt(sql, result.position - 1),
  });
}

/**
 * Errors raised while running a statement (not parsing it) carry no position; they name the
 * object instead (`table "x" does not exist`), so the first line mentioning it is the statement.
 */
function lineNaming(sql: string, message: string): number | null {
  const names = [
    ...[...message.matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? ""),
    ...[
      ...message.matchAll(
        /\b(?:table|relation|function|type|view|sequence|index|trigger|constraint|column|extension|schema)\s+([A-Za-z_][\w.]*)/gi,
      ),
    ].map((m) => m[1] ?? ""),
  ].filter((name) => name !== "");
  // Comments mention names too; blank them out (keeping offsets) before searching.
  const code = sql.replace(/--[^\n]*/g, (comment) => " ".repeat(comment.length));
  for (const raw of names) {
    const name = raw.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const statement = new RegExp(
      `\\b(?:DROP|CREATE|ALTER)\\s+(?:\\w+\\s+){0,2}(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?(?:"?public"?\\.)?"?${name}"?(?![\\w])`,
      "i",
    ).exec(code);
    if (statement !== null) return lineAt(sql, statement.index);
  }
  for (const raw of names) {
    const name = raw.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const found = new RegExp(`(^|[^\\w])"?${name}"?(?![\\w])`, "m").exec(code);
    if (found !== null) return lineAt(sql, found.index + (found[1] ?? "").length);
  }
  return null;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < Math.min(offset, text.length); i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const SNAPSHOT = `
SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table' ELSE 'table' END AS kind,
       c.relname AS name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
UNION ALL
SELECT 'column', c.table_name || '.' || c.column_name
  FROM information_schema.columns c
 WHERE c.table_schema = 'public'
UNION ALL
SELECT 'function', p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'public'
UNION ALL
SELECT 'type', t.typname
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'c')
   AND (t.typrelid = 0 OR EXISTS (SELECT 1 FROM pg_class r WHERE r.oid = t.typrelid AND r.relkind = 'c'))
UNION ALL
SELECT 'trigger', t.tgname || ' on ' || r.relname
  FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid JOIN pg_namespace n ON n.oid = r.relnamespace
 WHERE n.nspname = 'public' AND NOT t.tgisinternal
UNION ALL
SELECT 'extension', e.extname FROM pg_extension e WHERE e.extname <> 'plpgsql'`;

/** Every object the migrations could create, as `kind:name`. */
async function snapshot(db: ScratchDatabase): Promise<Set<string>> {
  const result = await db.query(SNAPSHOT);
  if (!result.ok) throw new Error(`cannot read the database catalog: ${result.message}`);
  return new Set(result.rows.map((row) => `${String(row.kind)}:${String(row.name)}`));
}

/** Drops the columns and triggers of tables that are themselves in the list (one finding per table). */
function withoutParts(objects: readonly string[]): string[] {
  const tables = new Set(objects.filter((o) => o.startsWith("table:")).map((o) => o.slice("table:".length)));
  return objects.filter((object) => {
    if (object.startsWith("column:")) return !tables.has(object.slice("column:".length).split(".")[0] ?? "");
    if (object.startsWith("trigger:")) return !tables.has(object.split(" on ").pop() ?? "");
    return true;
  });
}

function describe(object: string): string {
  const colon = object.indexOf(":");
  return `${object.slice(0, colon)} ${object.slice(colon + 1)}`;
}

/** Where an object is created in the up files: `CREATE TABLE name`, `ADD COLUMN`, … */
export function locateCreation(
  object: string,
  pairs: readonly MigrationPair[],
): { path: string; line: number } | undefined {
  const colon = object.indexOf(":");
  const kind = object.slice(0, colon);
  const name = object.slice(colon + 1);
  const patterns: RegExp[] = [];
  const ident = (text: string) => `"?${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"?`;
  if (kind === "column") {
    const [table = "", column = ""] = name.split(".");
    for (const pair of pairs) {
      const located = locateColumn(pair.up.sql, table, column);
      if (located !== undefined) return { path: pair.up.path, line: located };
    }
    return undefined;
  }
  const bare = name.replace(/\(.*$/, "").replace(/ on .*$/, "");
  const keyword: Record<string, string> = {
    table: "TABLE",
    view: "VIEW",
    "materialized view": "MATERIALIZED\\s+VIEW",
    sequence: "SEQUENCE",
    function: "(?:FUNCTION|PROCEDURE)",
    type: "(?:TYPE|DOMAIN)",
    trigger: "(?:CONSTRAINT\\s+)?TRIGGER",
    extension: "EXTENSION",
  };
  patterns.push(
    new RegExp(
      `\\bCREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:UNLOGGED\\s+|TEMP(?:ORARY)?\\s+)?${keyword[kind] ?? kind}\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(?:"?public"?\\.)?${ident(bare)}(?![\\w"])`,
      "i",
    ),
  );
  for (const pair of pairs) {
    for (const pattern of patterns) {
      const match = pattern.exec(pair.up.sql);
      if (match !== null) return { path: pair.up.path, line: lineAt(pair.up.sql, match.index) };
    }
  }
  return undefined;
}

/** The line defining `column` inside `CREATE TABLE table (…)`, or its `ADD COLUMN`. */
export function locateColumn(sql: string, table: string, column: string): number | undefined {
  const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const create = new RegExp(
    `\\bCREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(?:"?public"?\\.)?"?${escapeRe(table)}"?\\s*\\(`,
    "i",
  ).exec(sql);
  if (create !== null) {
    let depth = 0;
    const start = create.index + create[0].length - 1;
    for (let i = start; i < sql.length; i++) {
      const char = sql[i];
      if (char === "(") depth++;
      else if (char === ")") {
        depth--;
        if (depth === 0) {
          const body = sql.slice(start, i);
          const match = new RegExp(`(^|[(,\\n])(\\s*)"?${escapeRe(column)}"?\\s+\\w`, "i").exec(body);
          if (match !== null)
            return lineAt(sql, start + match.index + (match[1] ?? "").length + (match[2] ?? "").length);
          break;
        }
      }
    }
  }
  const added = new RegExp(
    `\\bALTER\\s+TABLE\\s+(?:ONLY\\s+)?(?:"?public"?\\.)?"?${escapeRe(table)}"?\\s+ADD\\s+(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?"?${escapeRe(column)}"?\\b`,
    "i",
  ).exec(sql);
  return added === null ? undefined : lineAt(sql, added.index);
}

const COLUMNS = `
SELECT table_name, column_name, is_nullable, data_type, udt_name, character_maximum_length,
       numeric_precision, numeric_scale
  FROM information_schema.columns
 WHERE table_schema = 'public'
 ORDER BY table_name, ordinal_position`;

async function compareSchema(
  db: ScratchDatabase,
  plan: ApiPlan,
  pairs: readonly MigrationPair[],
  irLine: (entity: string) => number | null,
): Promise<Finding[]> {
  const result = await db.query(COLUMNS);
  if (!result.ok) throw new Error(`cannot read information_schema: ${result.message}`);
  const actual = new Map<string, Map<string, { type: string; nullable: boolean }>>();
  for (const row of result.rows) {
    const table = String(row.table_name);
    const columns = actual.get(table) ?? new Map();
    columns.set(String(row.column_name), {
      type: informationSchemaType(row),
      nullable: row.is_nullable === "YES",
    });
    actual.set(table, columns);
  }
  const findings: Finding[] = [];
  const firstUp = pairs[0]?.up.path ?? "migrations";
  const at = (table: string, column?: string): { path: string; line: number | null } => {
    for (const pair of pairs) {
      const line =
        column === undefined
          ? locateCreation(`table:${table}`, [pair])?.line
          : locateColumn(pair.up.sql, table, column);
      if (line !== undefined) return { path: pair.up.path, line };
    }
    return { path: firstUp, line: null };
  };
  for (const table of plan.tables) {
    const columns = actual.get(table.name);
    const source = table.entity === null ? "" : ` (entity ${table.entity})`;
    const irRef =
      table.entity === null
        ? []
        : [{ path: ".qlf/ir.json", line: irLine(table.entity), message: `entity ${table.entity}` }];
    if (columns === undefined) {
      findings.push(
        finding({
          gate: "migration",
          rule: "migration/schema-mismatch",
          severity: "error",
          message: `table ${table.name}${source} from .qlf/ir.json is not created by the migrations`,
          path: firstUp,
          line: null,
          related: irRef,
        }),
      );
      continue;
    }
    for (const column of table.columns) {
      const found = columns.get(column.name);
      const where = at(table.name, column.name);
      if (found === undefined) {
        findings.push(
          finding({
            gate: "migration",
            rule: "migration/schema-mismatch",
            severity: "error",
            message: `column ${table.name}.${column.name}${column.field === null ? "" : ` (field ${column.field})`} is missing`,
            ...at(table.name),
            related: irRef,
          }),
        );
        continue;
      }
      const expected = normaliseType(column.sqlType);
      if (expected !== found.type) {
        findings.push(
          finding({
            gate: "migration",
            rule: "migration/schema-mismatch",
            severity: "error",
            message: `column ${table.name}.${column.name} is ${found.type} but the IR plans ${column.sqlType}`,
            ...where,
            related: irRef,
          }),
        );
      }
      if (found.nullable !== column.nullable) {
        findings.push(
          finding({
            gate: "migration",
            rule: "migration/schema-mismatch",
            severity: "error",
            message: `column ${table.name}.${column.name} is ${found.nullable ? "nullable" : "NOT NULL"} but the IR plans it ${column.nullable ? "nullable" : "NOT NULL"}`,
            ...where,
            related: irRef,
          }),
        );
      }
    }
    const planned = new Set(table.columns.map((c) => c.name));
    for (const name of columns.keys()) {
      if (!planned.has(name)) {
        findings.push(
          finding({
            gate: "migration",
            rule: "migration/schema-extra",
            severity: "warning",
            message: `column ${table.name}.${name} is not in the IR's plan`,
            ...at(table.name, name),
          }),
        );
      }
    }
  }
  const plannedTables = new Set(plan.tables.map((t) => t.name));
  for (const table of actual.keys()) {
    if (plannedTables.has(table) || table === "schema_migrations") continue;
    findings.push(
      finding({
        gate: "migration",
        rule: "migration/schema-extra",
        severity: "warning",
        message: `table ${table} is not in the IR's plan`,
        ...at(table),
      }),
    );
  }
  return findings;
}

function informationSchemaType(row: Record<string, unknown>): string {
  const dataType = String(row.data_type);
  const length = row.character_maximum_length;
  if (
    (dataType === "character varying" || dataType === "character") &&
    length !== null &&
    length !== undefined
  ) {
    return `${dataType}(${String(length)})`;
  }
  if (dataType === "numeric" && row.numeric_precision !== null && row.numeric_precision !== undefined) {
    return `numeric(${String(row.numeric_precision)},${String(row.numeric_scale ?? 0)})`;
  }
  if (dataType === "ARRAY") return `${normaliseType(String(row.udt_name).replace(/^_/, ""))}[]`;
  if (dataType === "USER-DEFINED") return String(row.udt_name);
  return dataType;
}

const ALIASES: Record<string, string> = {
  varchar: "character varying",
  char: "character",
  bpchar: "character",
  int: "integer",
  int4: "integer",
  integer: "integer",
  serial: "integer",
  int8: "bigint",
  bigserial: "bigint",
  int2: "smallint",
  bool: "boolean",
  float8: "double precision",
  float4: "real",
  decimal: "numeric",
  timestamptz: "timestamp with time zone",
  timestamp: "timestamp without time zone",
  timetz: "time with time zone",
  time: "time without time zone",
};

/** A DDL type as information_schema spells it: `varchar(120)` → `character varying(120)`. */
export function normaliseType(sqlType: string): string {
  const type = sqlType.trim().toLowerCase().replace(/\s+/g, " ");
  if (type.endsWith("[]")) return `${normaliseType(type.slice(0, -2))}[]`;
  const match = /^([a-z][a-z0-9 ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/.exec(type);
  if (match === null) return type;
  const base = ALIASES[match[1] ?? ""] ?? match[1] ?? "";
  if (match[2] === undefined) return base;
  if (base === "numeric") return `numeric(${match[2]},${match[3] ?? "0"})`;
  return `${base}(${match[2]})`;
}

/** Line of an entity's definition in .qlf/ir.json (for related locations). */
async function irLines({ ports }: GateContext): Promise<(entity: string) => number | null> {
  const text = (await ports.readText(".qlf/ir.json")) ?? "";
  const lines = text.split("\n");
  return (entity) => {
    const index = lines.findIndex((line) => line.includes(`"name": ${JSON.stringify(entity)}`));
    return index < 0 ? null : index + 1;
  };
}
