/** `src/app.ts`, `src/context.ts` and `src/stores.ts`: wiring the app from injected stores. */
import type { ApiPlan } from "../../../generate/plan-schema.js";
import type { Features } from "../../shared/features.js";
import { indent, lines } from "../code.js";
import { namesOf } from "../entity/names.js";
import type { Markers } from "../markers.js";

export function appFile(plan: ApiPlan, features: Features, markers: Markers): string {
  const mounted = plan.entities.filter((entity) => plan.operations.some((op) => op.entity === entity.name));
  const routeImports = mounted.map((entity) => {
    const names = namesOf(entity);
    return `import { ${names.routes} } from "./resources/${names.folder}/routes.js";`;
  });
  const authenticator =
    features.auth === "api-key"
      ? "apiKeyAuthenticator(config.apiKeys)"
      : "jwtAuthenticator(config.jwtSecret)";
  const contextLines = lines(
    "repositories: stores.repositories,",
    features.audit && "audit: stores.audit,",
    features.idempotency && "idempotency: stores.idempotency,",
    features.auth !== "none" &&
      `access: access ?? createAccess(${authenticator}),${markers.control("require-auth")}`,
    features.card && "cards: new CardTokenizer(config.cardTokenKey),",
    "now,",
  );
  return `/**
 * The Express application, built from injected stores so that tests run it in memory and the
 * server runs it on PostgreSQL. \`createApp\` does no I/O itself.
 */
${lines(
  'import express, { type Express } from "express";',
  'import type { AppConfig } from "./config.js";',
  'import type { AppContext } from "./context.js";',
  features.auth === "api-key" &&
    'import { type Access, apiKeyAuthenticator, createAccess } from "./http/auth.js";',
  features.jwt && 'import { type Access, createAccess, jwtAuthenticator } from "./http/auth.js";',
  'import { errorHandler, notFoundHandler } from "./http/errors.js";',
  features.rateLimit && 'import { rateLimit } from "./http/rate-limit.js";',
  features.securityHeaders && 'import { securityHeaders } from "./http/security-headers.js";',
  'import { createLogger, type Logger, requestLogger } from "./logger.js";',
  ...routeImports,
  features.card && 'import { CardTokenizer } from "./security/card-tokens.js";',
  'import type { Stores } from "./stores.js";',
)}

export interface AppDeps {
  config: AppConfig;
  stores: Stores;
  /** Defaults to a silent logger (tests). */
  logger?: Logger;
  /** The clock; tests may fix it. */
  now?: () => Date;${
    features.auth === "none"
      ? ""
      : `
  /**
   * The route guard; defaults to the one built from the configured credentials. Only code can pass
   * another (no configuration or environment variable does): tests use it to reach operations no
   * role is granted.
   */
  access?: Access;`
  }
}

/**
 * @example
 * const app = createApp({ config: loadConfig(process.env), stores: createMemoryStores(config) });
 * app.listen(8080);
 */
export function createApp({ config, stores, logger = createLogger("silent"), now = () => new Date()${features.auth === "none" ? "" : ", access"} }: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy);
  app.use(requestLogger(logger));${features.securityHeaders ? `\n  app.use(securityHeaders);${markers.control("security-headers")}` : ""}

  // Probes answer before rate limiting and authentication: liveness never touches the database,
  // readiness checks that it answers.
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    try {
      await stores.ready();
      res.json({ status: "ok" });
    } catch {
      res.status(503).json({ status: "unavailable" });
    }
  });
${features.rateLimit ? `\n  app.use(rateLimit(config.rateLimit));${markers.control("rate-limit")}` : ""}
  app.use(express.json({ limit: "100kb" }));

  const ctx: AppContext = {
${indent(contextLines, 2)}
  };
${indent(
  mounted
    .map((entity) => {
      const names = namesOf(entity);
      return `app.use("/${entity.route}", ${names.routes}(ctx));`;
    })
    .join("\n"),
)}

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
`.replace(/\n{3,}/g, "\n\n");
}

export function contextFile(plan: ApiPlan, features: Features): string {
  const repoImports = plan.entities.map((entity) => {
    const names = namesOf(entity);
    return `import type { ${names.repository} } from "./resources/${names.folder}/repository.js";`;
  });
  return `/** What route handlers get: the stores, the access guard and the clock. */
${lines(
  features.audit && 'import type { AuditLog } from "./audit/audit-log.js";',
  features.auth !== "none" && 'import type { Access } from "./http/auth.js";',
  features.idempotency && 'import type { IdempotencyStore } from "./http/idempotency.js";',
  ...repoImports,
  features.card && 'import type { CardTokenizer } from "./security/card-tokens.js";',
)}

export interface Repositories {
${indent(plan.entities.map((entity) => `${namesOf(entity).key}: ${namesOf(entity).repository};`).join("\n"))}
}

export interface AppContext {
${indent(
  lines(
    "repositories: Repositories;",
    features.audit && "audit: AuditLog;",
    features.idempotency && "idempotency: IdempotencyStore;",
    features.auth !== "none" && "access: Access;",
    features.card && "cards: CardTokenizer;",
    "now: () => Date;",
  ),
)}
}
`;
}

export function storesFile(plan: ApiPlan, features: Features): string {
  const imports: string[] = [];
  const memory: string[] = [];
  const pg: string[] = [];
  for (const entity of plan.entities) {
    const names = namesOf(entity);
    const cipher = entity.encryptedFields.length > 0 ? ", cipher" : "";
    imports.push(
      `import { ${names.memoryRepository} } from "./resources/${names.folder}/memory-repository.js";`,
    );
    imports.push(`import { ${names.pgRepository} } from "./resources/${names.folder}/pg-repository.js";`);
    memory.push(`${names.key}: new ${names.memoryRepository}(db${cipher}),`);
    pg.push(`${names.key}: new ${names.pgRepository}(pool${cipher}),`);
  }
  imports.sort((a, b) => a.localeCompare(b));
  const configParam = features.encryption ? "config: AppConfig" : "";
  const cipherLine = features.encryption
    ? "  const cipher = new FieldCipher(config.dataEncryptionKey);\n"
    : "";
  return `/**
 * The two ways to store data behind the same interfaces: in memory (tests, local runs) and in
 * PostgreSQL (the server). Handlers never know which one they are using.
 */
${lines(
  'import type pg from "pg";',
  features.audit && 'import { type AuditLog, MemoryAuditLog, PgAuditLog } from "./audit/audit-log.js";',
  features.encryption && 'import type { AppConfig } from "./config.js";',
  'import type { Repositories } from "./context.js";',
  features.idempotency &&
    'import { type IdempotencyStore, MemoryIdempotencyStore, PgIdempotencyStore } from "./http/idempotency.js";',
  ...imports,
  features.encryption && 'import { FieldCipher } from "./security/field-cipher.js";',
  'import { MemoryDatabase } from "./storage/memory-database.js";',
)}

export interface Stores {
  repositories: Repositories;${features.audit ? "\n  audit: AuditLog;" : ""}${features.idempotency ? "\n  idempotency: IdempotencyStore;" : ""}
  /** Resolves when the store can serve requests; rejects otherwise (GET /readyz). */
  ready(): Promise<void>;
}

/** In-memory stores; \`db\`${features.audit ? " and `audit`" : ""} are exposed so tests can look at what was stored. */
export interface MemoryStores extends Stores {
  db: MemoryDatabase;${features.audit ? "\n  audit: MemoryAuditLog;" : ""}
}

export function createMemoryStores(${configParam}): MemoryStores {
  const db = new MemoryDatabase();
${cipherLine}  return {
    db,
    repositories: {
${indent(memory.join("\n"), 3)}
    },${features.audit ? "\n    audit: new MemoryAuditLog()," : ""}${features.idempotency ? "\n    idempotency: new MemoryIdempotencyStore()," : ""}
    ready: async () => {},
  };
}

export function createPgStores(pool: pg.Pool${configParam === "" ? "" : `, ${configParam}`}): Stores {
${cipherLine}  return {
    repositories: {
${indent(pg.join("\n"), 3)}
    },${features.audit ? "\n    audit: new PgAuditLog(pool)," : ""}${features.idempotency ? "\n    idempotency: new PgIdempotencyStore(pool)," : ""}
    ready: async () => {
      await pool.query("SELECT 1");
    },
  };
}
`;
}
