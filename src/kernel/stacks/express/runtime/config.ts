/** `src/config.ts`: the environment, parsed once at start-up with a message per bad variable. */
import type { ApiPlan } from "../../../generate/plan-schema.js";
import type { Features } from "../../shared/features.js";
import { lines } from "../code.js";

export function configFile(plan: ApiPlan, features: Features): string {
  const envLines = lines(
    "  PORT: z.coerce.number<string>().int().min(1).max(65535).default(8080),",
    '  DATABASE_URL: z.string().min(1, "is required (postgres://user:password@host:5432/database)"),',
    '  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),',
    "  /** Reverse proxies in front of the app, whose X-Forwarded-For is trusted for the client IP. */",
    "  TRUST_PROXY: z.coerce.number<string>().int().min(0).default(0),",
    features.auth === "api-key" &&
      '  API_KEYS: z.string().min(1, "is required: comma-separated key:role pairs, e.g. s3cret:admin"),',
    features.jwt && '  JWT_SECRET: z.string().min(32, "must be at least 32 characters"),',
    features.encryption &&
      '  DATA_ENCRYPTION_KEY: z.string().refine((value) => Buffer.from(value, "base64").length === 32, "must be 32 bytes, base64-encoded (openssl rand -base64 32)"),',
    features.card && '  CARD_TOKEN_KEY: z.string().min(16, "must be at least 16 characters"),',
    plan.rateLimit !== null &&
      `  RATE_LIMIT_REQUESTS: z.coerce.number<string>().int().positive().default(${plan.rateLimit.requests}),`,
    plan.rateLimit !== null &&
      `  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number<string>().int().positive().default(${plan.rateLimit.windowSeconds}),`,
  );
  const configLines = lines(
    "  port: number;",
    "  databaseUrl: string;",
    "  logLevel: string;",
    "  /** Number of trusted reverse proxies (Express's trust proxy hop count). */",
    "  trustProxy: number;",
    features.auth === "api-key" && "  /** API key → role. */\n  apiKeys: Map<string, string>;",
    features.jwt && "  jwtSecret: string;",
    features.encryption && "  /** AES-256-GCM key for encrypted columns. */\n  dataEncryptionKey: Buffer;",
    features.card && "  /** HMAC key for card tokens. */\n  cardTokenKey: string;",
    plan.rateLimit !== null && "  rateLimit: { requests: number; windowSeconds: number };",
  );
  const valueLines = lines(
    "    port: env.PORT,",
    "    databaseUrl: env.DATABASE_URL,",
    "    logLevel: env.LOG_LEVEL,",
    "    trustProxy: env.TRUST_PROXY,",
    features.auth === "api-key" && "    apiKeys: parseApiKeys(env.API_KEYS),",
    features.jwt && "    jwtSecret: env.JWT_SECRET,",
    features.encryption && '    dataEncryptionKey: Buffer.from(env.DATA_ENCRYPTION_KEY, "base64"),',
    features.card && "    cardTokenKey: env.CARD_TOKEN_KEY,",
    plan.rateLimit !== null &&
      "    rateLimit: { requests: env.RATE_LIMIT_REQUESTS, windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS },",
  );
  const apiKeyParser =
    features.auth === "api-key"
      ? `

/** \`key1:role1,key2:role2\` → Map. Keys may not contain \`:\` or \`,\`. */
function parseApiKeys(text: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const pair of text.split(",")) {
    const trimmed = pair.trim();
    if (trimmed === "") continue;
    const separator = trimmed.lastIndexOf(":");
    if (separator <= 0 || separator === trimmed.length - 1) {
      throw new ConfigError(["API_KEYS: every entry must be key:role"]);
    }
    keys.set(trimmed.slice(0, separator), trimmed.slice(separator + 1));
  }
  if (keys.size === 0) throw new ConfigError(["API_KEYS: at least one key:role pair is required"]);
  return keys;
}`
      : "";
  return `/**
 * Configuration comes from the environment only (twelve-factor). It is parsed once, at start-up,
 * and the process refuses to start with a message naming every missing or malformed variable.
 */
import { z } from "zod";

const Env = z.object({
${envLines}
});

export interface AppConfig {
${configLines}
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(\`invalid configuration:\\n  \${problems.join("\\n  ")}\`);
    this.name = "ConfigError";
  }
}

/**
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(source: Record<string, string | undefined>): AppConfig {
  const parsed = Env.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => \`\${issue.path.join(".")}: \${issue.message}\`));
  }
  const env = parsed.data;
  return {
${valueLines}
  };
}${apiKeyParser}
`;
}
