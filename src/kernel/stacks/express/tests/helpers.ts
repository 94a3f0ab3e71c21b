/** `test/helpers/app.ts` (the app per test, in memory or on PostgreSQL) and `test/helpers/samples.ts`. */

import type { ApiPlan, EntityPlan } from "../../../generate/plan-schema.js";
import type { Features } from "../../shared/features.js";
import { OUTSIDER_ROLE, testRoles } from "../../shared/test-access.js";
import { entityNamed, inputFields } from "../../shared/test-inputs.js";
import { indent, key, lines, str } from "../code.js";
import { namesOf, recordProperties } from "../entity/names.js";
import { sampleValue } from "./values.js";

export function testAppFile(plan: ApiPlan, features: Features): string {
  const roles = [...testRoles(plan), OUTSIDER_ROLE];
  const env = lines(
    '  DATABASE_URL: process.env.DATABASE_URL ?? "postgres://unused-in-memory-tests",',
    features.auth === "api-key" &&
      `  API_KEYS: ${str(roles.map((role) => `test-key-${role}:${role}`).join(","))},`,
    features.jwt && '  JWT_SECRET: "test-secret-that-is-at-least-32-characters-long",',
    features.encryption && '  DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),',
    features.card && '  CARD_TOKEN_KEY: "test-card-token-key",',
    features.rateLimit &&
      '  // High enough that only the rate-limit test (which sets its own) ever hits it.\n  RATE_LIMIT_REQUESTS: "100000",',
  );
  const cfg = features.encryption ? "config" : "";
  const unguarded =
    features.auth === "none" ? "" : " unguardedApp: createApp({ config, stores, access: allowEveryone }),";
  const authHelper =
    features.auth === "api-key"
      ? `
/** Headers that authenticate as a caller with this role. */
export function authAs(role: string): Record<string, string> {
  return { "X-API-Key": \`test-key-\${role}\` };
}
`
      : features.jwt
        ? `
/** Headers that authenticate as a caller with this role (a short-lived HS256 token). */
export function authAs(role: string): Record<string, string> {
  const token = jwt.sign({ sub: \`test-\${role}\`, role }, TEST_ENV.JWT_SECRET, { algorithm: "HS256", expiresIn: "5m" });
  return { Authorization: \`Bearer \${token}\` };
}
`
        : "";
  const unguardedHelper =
    features.auth === "none"
      ? ""
      : `
/**
 * A guard that lets every request through, as a test superuser. Only these tests build an app with
 * it (createApp's \`access\` option; no configuration reaches it), to test what an operation does
 * when no role is granted it; the access tests check that the real guard refuses it.
 */
const allowEveryone: Access = {
  allow: () => (_req, res, next) => {
    res.locals.caller = { id: "test-superuser", role: "test-superuser" };
    next();
  },
};
`;
  const callHelper =
    features.auth === "none"
      ? ""
      : `
/** A request whose method is given as text, for tables of routes. */
export function call(app: Express, method: string, path: string) {
  const agent = request(app);
  switch (method) {
    case "GET":
      return agent.get(path);
    case "POST":
      return agent.post(path);
    case "PATCH":
      return agent.patch(path);
    case "DELETE":
      return agent.delete(path);
    default:
      throw new Error(\`unsupported method \${method}\`);
  }
}
`;
  return `/**
 * The app under test, fresh for every test. Without DATABASE_URL it runs on in-memory stores; with
 * it, on PostgreSQL: migrations are applied once per file and every table is emptied before each
 * test. The tests are the same either way.
 */
${lines(
  'import type { Express } from "express";',
  features.jwt && 'import jwt from "jsonwebtoken";',
  'import type pg from "pg";',
  features.auth !== "none" && 'import request from "supertest";',
  'import { afterAll, beforeAll, beforeEach } from "vitest";',
  'import { createApp } from "../../src/app.js";',
  features.audit && 'import type { AuditEvent } from "../../src/audit/audit-log.js";',
  'import { loadConfig } from "../../src/config.js";',
  'import { createPool } from "../../src/db.js";',
  features.auth !== "none" && 'import type { Access } from "../../src/http/auth.js";',
  'import { loadMigrations, migrateUp } from "../../src/migrations.js";',
  'import { allTableNames } from "../../src/storage/schema.js";',
  'import { createMemoryStores, createPgStores, type MemoryStores, type Stores } from "../../src/stores.js";',
)}

export const TEST_ENV = {
${env}
};

export const config = loadConfig(TEST_ENV);
${authHelper}${unguardedHelper}${callHelper}
export interface TestApp {
  readonly app: Express;${
    features.auth === "none"
      ? ""
      : `
  /** The same app and stores with every route's role check lifted, for operations no role may call. */
  readonly unguardedApp: Express;`
  }
  readonly stores: Stores;
  /** A row exactly as stored (column names; ciphertext and tokens as they are), or undefined. */
  rawRow(table: string, id: string): Promise<Record<string, unknown> | undefined>;
  countRows(table: string): Promise<number>;${features.audit ? "\n  auditEntries(): Promise<AuditEvent[]>;" : ""}
  /** Runs SQL on the test database (PostgreSQL only). */
  sql(text: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
}

/** Registers this file's hooks and returns the app of the running test. */
export function useTestApp(): TestApp {
  const databaseUrl = process.env.DATABASE_URL;
  let pool: pg.Pool | undefined;
  let current: { app: Express;${features.auth === "none" ? "" : " unguardedApp: Express;"} stores: Stores; memory: MemoryStores | undefined } | undefined;

  beforeAll(async () => {
    if (databaseUrl === undefined) return;
    pool = createPool(databaseUrl);
    const client = await pool.connect();
    try {
      await migrateUp(client, await loadMigrations());
    } finally {
      client.release();
    }
  });

  beforeEach(async () => {
    if (pool === undefined) {
      const stores = createMemoryStores(${cfg});
      current = { app: createApp({ config, stores }),${unguarded} stores, memory: stores };
      return;
    }
    await pool.query(\`TRUNCATE \${allTableNames.join(", ")} CASCADE\`);
    const stores = createPgStores(pool${cfg === "" ? "" : ", config"});
    current = { app: createApp({ config, stores }),${unguarded} stores, memory: undefined };
  });

  afterAll(async () => {
    await pool?.end();
  });

  const running = () => {
    if (current === undefined) throw new Error("useTestApp: no test is running");
    return current;
  };
  const database = () => {
    if (pool === undefined) throw new Error("useTestApp: not connected to PostgreSQL");
    return pool;
  };

  return {
    get app() {
      return running().app;
    },
    get stores() {
      return running().stores;
    },${
      features.auth === "none"
        ? ""
        : `
    get unguardedApp() {
      return running().unguardedApp;
    },`
    }
    async rawRow(table, id) {
      const { memory } = running();
      if (memory !== undefined) return memory.db.find(table, id);
      const { rows } = await database().query(\`SELECT * FROM \${table} WHERE id = $1\`, [id]);
      return rows[0];
    },
    async countRows(table) {
      const { memory } = running();
      if (memory !== undefined) return memory.db.rows(table).length;
      const { rows } = await database().query<{ count: number }>(\`SELECT count(*) AS count FROM \${table}\`);
      return rows[0]?.count ?? 0;
    },
    async sql(text, values = []) {
      return (await database().query(text, values)).rows;
    },${
      features.audit
        ? `
    async auditEntries() {
      const { memory } = running();
      if (memory !== undefined) return memory.audit.entries;
      const { rows } = await database().query<AuditEvent>(
        'SELECT actor, action, entity, entity_id AS "entityId", fields FROM audit_log ORDER BY occurred_at',
      );
      return rows;
    },`
        : ""
    }
  };
}
`;
}

/** A card token stand-in for seeded records, unique per call. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: this is generated source text, not a template
const SAMPLE_TOKEN = "`test-token-${n}`";

export function samplesFile(plan: ApiPlan): string {
  const recordImports = plan.entities.map((entity) => {
    const names = namesOf(entity);
    return `import type { ${names.record} } from "../../src/resources/${names.folder}/model.js";`;
  });
  const creatable = new Set(plan.operations.filter((op) => op.kind === "create").map((op) => op.entity));
  const body = plan.entities
    .map((entity) => {
      const parts = [seedFunction(plan, entity)];
      if (creatable.has(entity.name)) parts.unshift(inputFunction(plan, entity));
      return parts.join("\n\n");
    })
    .join("\n\n");
  return `/**
 * Valid sample data: request bodies for the API, and records inserted straight into the store to
 * set up a test. Unique fields get a fresh value on every call.
 */
${lines(body.includes("randomUUID()") && 'import { randomUUID } from "node:crypto";', ...recordImports, 'import type { TestApp } from "./app.js";')}

let sequence = 0;

/** A number no earlier call returned, for values that must be unique. */
function next(): number {
  sequence += 1;
  return sequence;
}

${body}
`;
}

export function inputName(entity: EntityPlan): string {
  return `${entity.name.charAt(0).toLowerCase()}${entity.name.slice(1)}Input`;
}

export function seedName(entity: EntityPlan): string {
  return `seed${entity.name}`;
}

function inputFunction(plan: ApiPlan, entity: EntityPlan): string {
  const values = inputFields(plan, entity).map((field) => {
    if (field.role === "foreign-key" && field.references !== null) {
      return `${key(field.name)}: (await ${seedName(entityNamed(plan, field.references.entity) as EntityPlan)}(t)).id,`;
    }
    return `${key(field.name)}: ${sampleValue(field, "n")},`;
  });
  const usesN = values.some((line) => /\bn\b/.test(line.replace(/"[^"]*"/g, "")));
  const usesT = values.some((line) => line.includes("(t)"));
  return `/** A valid body for POST /${entity.route}. */
export async function ${inputName(entity)}(${usesT ? "t" : "_t"}: TestApp, overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {${usesN ? "\n  const n = next();" : ""}
  return {
${indent(values.join("\n"), 2)}
    ...overrides,
  };
}`;
}

function seedFunction(plan: ApiPlan, entity: EntityPlan): string {
  const names = namesOf(entity);
  const values = recordProperties(entity).map((property) => {
    const field = property.field;
    if (field === null) return `${property.name}: ${property.nullable ? "null" : SAMPLE_TOKEN},`;
    switch (field.role) {
      case "id":
        return `${key(field.name)}: randomUUID(),`;
      case "created-at":
      case "updated-at":
        return `${key(field.name)}: now,`;
      case "deleted-at":
      case "consent-given-at":
        return `${key(field.name)}: null,`;
      case "card-last4":
        return `${key(field.name)}: ${field.schema.nullable ? "null" : '"4242"'},`;
      case "foreign-key": {
        const parent = field.references === null ? undefined : entityNamed(plan, field.references.entity);
        if (field.schema.nullable || parent === undefined || parent.name === entity.name)
          return `${key(field.name)}: null,`;
        return `${key(field.name)}: overrides.${field.name} ?? (await ${seedName(parent)}(t)).id,`;
      }
      default:
        return `${key(field.name)}: ${sampleValue(field, "n")},`;
    }
  });
  const usesN = values.some((line) => /\bn\b/.test(line.replace(/"[^"]*"/g, "")));
  return `/** Inserts a ${entity.name} straight into the store and returns it. */
export async function ${seedName(entity)}(t: TestApp, overrides: Partial<${names.record}> = {}): Promise<${names.record}> {${usesN ? "\n  const n = next();" : ""}
  const now = new Date().toISOString();
  return t.stores.repositories.${names.key}.insert({
${indent(values.join("\n"), 2)}
    ...overrides,
  });
}`;
}
