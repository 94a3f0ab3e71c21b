import type { Features } from "../../shared/features.js";

/** The process edges: database pool, migrations runner and the server entry point. */

/** `src/db.ts` */
export function dbFile(): string {
  return `/**
 * The PostgreSQL pool. Values are always sent as parameters ($1, $2…), never spliced into SQL.
 */
import pg from "pg";

/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, "query">;

const { builtins, getTypeParser } = pg.types;

/**
 * DATE is a calendar day: keep it as \`YYYY-MM-DD\` rather than a Date at local midnight.
 * COUNT(*) is a bigint: page totals fit comfortably in a number.
 */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === builtins.DATE) return (value: string) => value;
    if (oid === builtins.INT8) return (value: string) => Number.parseInt(value, 10);
    return getTypeParser(oid, format);
  }) as typeof getTypeParser,
};

export function createPool(databaseUrl: string): pg.Pool {
  return new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    types,
  });
}
`;
}

/** `src/migrations.ts` */
export function migrationsFile(): string {
  return `/**
 * Applies the SQL files in \`migrations/\` in order and records each in \`schema_migrations\`.
 * A file pair is \`NNNN_name.up.sql\` / \`NNNN_name.down.sql\`; each file runs its own transaction.
 * An advisory lock makes concurrent runs (several replicas starting at once) wait for each other.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";

export interface Migration {
  version: string;
  name: string;
  up: string;
  down: string | undefined;
}

/** \`migrations/\` next to \`src/\` and \`dist/\`. */
export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "migrations");

const FILE = /^(\\d+)_([A-Za-z0-9_-]+)\\.(up|down)\\.sql$/;
/** An arbitrary constant: the key of this application's migration lock. */
const LOCK_KEY = 727_274_001;

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const byVersion = new Map<string, Migration>();
  for (const file of (await readdir(dir)).sort()) {
    const match = FILE.exec(file);
    if (match === null) continue;
    const [, version = "", name = "", direction] = match;
    const sql = await readFile(path.join(dir, file), "utf8");
    const migration = byVersion.get(version) ?? { version, name, up: "", down: undefined };
    if (direction === "up") migration.up = sql;
    else migration.down = sql;
    byVersion.set(version, migration);
  }
  return [...byVersion.values()].filter((migration) => migration.up !== "");
}

/** Applies every migration not yet applied; returns the versions it applied. */
export async function migrateUp(client: pg.ClientBase, migrations: readonly Migration[]): Promise<string[]> {
  return withLock(client, async (applied) => {
    const done: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await run(client, migration.up, \`\${migration.version}_\${migration.name}.up.sql\`);
      await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
      done.push(migration.version);
    }
    return done;
  });
}

/** Rolls back the last \`steps\` applied migrations (all of them with Infinity); returns their versions. */
export async function migrateDown(
  client: pg.ClientBase,
  migrations: readonly Migration[],
  steps = 1,
): Promise<string[]> {
  return withLock(client, async (applied) => {
    const done: string[] = [];
    for (const migration of [...migrations].reverse()) {
      if (done.length >= steps) break;
      if (!applied.has(migration.version)) continue;
      if (migration.down === undefined) throw new Error(\`migration \${migration.version} has no down file\`);
      await run(client, migration.down, \`\${migration.version}_\${migration.name}.down.sql\`);
      await client.query("DELETE FROM schema_migrations WHERE version = $1", [migration.version]);
      done.push(migration.version);
    }
    return done;
  });
}

async function withLock<T>(client: pg.ClientBase, work: (applied: Set<string>) => Promise<T>): Promise<T> {
  await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
  try {
    await client.query(
      \`CREATE TABLE IF NOT EXISTS schema_migrations (
         version text PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )\`,
    );
    const { rows } = await client.query<{ version: string }>("SELECT version FROM schema_migrations");
    return await work(new Set(rows.map((row) => row.version)));
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]);
  }
}

async function run(client: pg.ClientBase, sql: string, file: string): Promise<void> {
  try {
    await client.query(sql);
  } catch (error) {
    // The file's own transaction is aborted; end it so the connection is usable again.
    await client.query("ROLLBACK").catch(() => undefined);
    throw new Error(\`\${file} failed: \${error instanceof Error ? error.message : String(error)}\`, { cause: error });
  }
}
`;
}

/** `src/migrate.ts` */
export function migrateCliFile(): string {
  return `/**
 * \`npm run migrate\` (or \`node dist/migrate.js up\` in the image) applies pending migrations;
 * \`npm run migrate:down\` rolls back the last one (\`down all\` rolls back everything).
 */
import pg from "pg";
import { loadMigrations, migrateDown, migrateUp } from "./migrations.js";

async function main(): Promise<void> {
  const [command = "up", count] = process.argv.slice(2);
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl === undefined || databaseUrl === "") throw new Error("DATABASE_URL is not set");
  if (command !== "up" && command !== "down") throw new Error(\`unknown command "\${command}" (use up or down)\`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const migrations = await loadMigrations();
    const steps = count === "all" ? Number.POSITIVE_INFINITY : Number(count ?? 1);
    const versions = command === "up" ? await migrateUp(client, migrations) : await migrateDown(client, migrations, steps);
    console.log(versions.length === 0 ? "nothing to do" : \`\${command}: \${versions.join(", ")}\`);
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
`;
}

/** `src/server.ts` */
export function serverFile(features: Features): string {
  return `/**
 * The process entry point: configuration from the environment, PostgreSQL stores, HTTP on PORT,
 * and a graceful shutdown on SIGTERM (Kubernetes) or SIGINT (Ctrl-C): stop accepting connections,
 * let in-flight requests finish, close the pool.
 */
import { createApp } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { createPool } from "./db.js";
import { createLogger } from "./logger.js";
import { createPgStores } from "./stores.js";

/** How long in-flight requests get before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

function main(): void {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const pool = createPool(config.databaseUrl);
  pool.on("error", (err) => logger.error({ err }, "idle database connection failed"));
  const app = createApp({ config, logger, stores: createPgStores(pool${features.encryption ? ", config" : ""}) });

  const server = app.listen(config.port, (error?: Error) => {
    if (error !== undefined) {
      logger.fatal({ err: error }, "could not listen");
      process.exit(1);
    }
    logger.info({ port: config.port }, "listening");
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    setTimeout(() => {
      logger.error("in-flight requests did not finish in time; exiting");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    server.close(() => {
      pool.end().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
    server.closeIdleConnections();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

try {
  main();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
`;
}
