/**
 * The environment the app under test starts with, and the credentials the contract gate sends.
 * Secrets are made fresh for each run (through the ports' random source); the variables follow the
 * plan's conventions (JWT_SECRET verifies HS256 tokens with a `role` claim; API_KEYS holds
 * `key:role` pairs for the X-API-Key header), with `.env.example` supplying anything else.
 */
import { createHmac } from "node:crypto";
import type { ApiPlan } from "../../generate/plan-schema.js";
import type { VerifyPorts } from "../gate.js";
import type { ContractDocument } from "./openapi.js";

export interface ServerCredentials {
  /** Environment for the server, without PORT and DATABASE_URL. */
  readonly env: Record<string, string>;
  /** Headers that authenticate as `role`; empty when the app has no authentication. */
  headersFor(role: string): Record<string, string>;
  readonly roles: readonly string[];
}

/**
 * @example
 * const creds = serverCredentials(plan, doc, envExample, ports);
 * creds.headersFor("pharmacist"); // { Authorization: "Bearer eyJ…" }
 */
export function serverCredentials(
  plan: ApiPlan | null,
  doc: ContractDocument,
  envExample: string | undefined,
  ports: Pick<VerifyPorts, "randomHex" | "unixSeconds">,
): ServerCredentials {
  const env: Record<string, string> = {};
  for (const line of (envExample ?? "").split("\n")) {
    const match = /^\s*([A-Z_][A-Z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (match !== null) env[match[1] ?? ""] = unquote(match[2] ?? "");
  }
  const secretNames = new Set<string>();
  for (const variable of plan?.env ?? []) {
    env[variable.name] = variable.example;
    if (variable.secret) secretNames.add(variable.name);
  }
  for (const name of Object.keys(env)) if (/SECRET|KEY|TOKEN|PASSWORD/.test(name)) secretNames.add(name);
  for (const name of secretNames) {
    if (name === "DATABASE_URL" || name === "API_KEYS") continue;
    const example = env[name] ?? "";
    const base64Key = /^[A-Za-z0-9+/]{43}=$/.test(example);
    env[name] = base64Key ? Buffer.from(ports.randomHex(32), "hex").toString("base64") : ports.randomHex(32);
  }
  delete env.PORT;
  delete env.DATABASE_URL;
  env.LOG_LEVEL = "warn";

  const schemes = Object.values(doc.securitySchemes);
  const kind =
    plan?.auth.kind ??
    (schemes.some((s) => s.type === "apiKey")
      ? "api-key"
      : schemes.some((s) => s.type === "bearer")
        ? "jwt"
        : "none");
  const roles = plan !== null && plan.auth.roles.length > 0 ? plan.auth.roles : ["admin"];
  if (kind === "api-key") {
    const header =
      plan?.auth.header ??
      schemes.find((s): s is { type: "apiKey"; header: string } => s.type === "apiKey")?.header ??
      "X-API-Key";
    const keys = new Map(roles.map((role) => [role, `qlf-verify-${ports.randomHex(16)}`]));
    env.API_KEYS = [...keys].map(([role, key]) => `${key}:${role}`).join(",");
    return {
      env,
      roles,
      headersFor: (role) => ({ [header]: keys.get(role) ?? keys.values().next().value ?? "" }),
    };
  }
  if (kind === "jwt" || kind === "oauth") {
    const secret = env.JWT_SECRET ?? ports.randomHex(32);
    env.JWT_SECRET = secret;
    return {
      env,
      roles,
      headersFor: (role) => {
        const now = ports.unixSeconds();
        return {
          Authorization: `Bearer ${signHs256({ sub: `qlf-verify-${role}`, role, iat: now, exp: now + 900 }, secret)}`,
        };
      },
    };
  }
  return { env, roles, headersFor: () => ({}) };
}

function unquote(value: string): string {
  const trimmed = value.trim();
  return /^(["']).*\1$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}

/** A compact JWS with HS256. */
export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const body = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(claims)}`;
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
}
