/**
 * Scratch PostgreSQL databases: created empty on a server where qlf may create and drop databases
 * (QLF_VERIFY_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres), one connection
 * each, dropped afterwards (with FORCE, so a crashed app's connections do not keep it alive).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { QueryResult, ScratchDatabase } from "../../kernel/index.js";

export const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";

/** The admin URL from the flag, the environment or the default. */
export function adminUrl(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.QLF_VERIFY_DATABASE_URL ?? DEFAULT_ADMIN_URL;
}

/** Whether the server answers and lets us create databases; the reason when not. */
export async function probeDatabase(
  url: string,
): Promise<{ available: true } | { available: false; reason: string }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ ok: boolean }>(
      "SELECT rolcreatedb OR rolsuper AS ok FROM pg_roles WHERE rolname = current_user",
    );
    if (rows[0]?.ok !== true)
      return { available: false, reason: `the PostgreSQL user at ${redact(url)} may not create databases` };
    return { available: true };
  } catch (error) {
    return {
      available: false,
      reason: `no PostgreSQL at ${redact(url)} (${(error as Error).message}); set QLF_VERIFY_DATABASE_URL or --database-url`,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates `qlf_verify_<random>` and returns it with one connection. */
export async function createScratchDatabase(url: string): Promise<ScratchDatabase> {
  const name = `qlf_verify_${randomBytes(6).toString("hex")}`;
  await admin(url, `CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  // Go's lib/pq requires TLS unless told otherwise; a scratch database on this machine needs none.
  if (/^(127\.0\.0\.1|localhost|\[::1\])$/.test(target.hostname) && !target.searchParams.has("sslmode")) {
    target.searchParams.set("sslmode", "disable");
  }
  const client = new pg.Client({ connectionString: target.toString() });
  // A notice per dropped object would only be noise.
  client.on("notice", () => undefined);
  let connected: Promise<void> | undefined;
  let dropped = false;
  return {
    url: target.toString(),
    async query(sql: string): Promise<QueryResult> {
      connected ??= client.connect().then(() => undefined);
      try {
        await connected;
        const result = await client.query(sql);
        const last = Array.isArray(result) ? result[result.length - 1] : result;
        return { ok: true, rows: (last?.rows ?? []) as Record<string, unknown>[] };
      } catch (error) {
        const e = error as { message?: string; position?: string };
        return {
          ok: false,
          message: e.message ?? String(error),
          position: e.position === undefined ? null : Number(e.position),
        };
      }
    },
    async drop(): Promise<void> {
      if (dropped) return;
      dropped = true;
      await client.end().catch(() => undefined);
      await admin(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The URL without its password. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
