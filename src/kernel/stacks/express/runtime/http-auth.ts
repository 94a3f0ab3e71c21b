/** `src/http/auth.ts`: API keys or bearer JWTs → a caller with a role; roles → 401 / 403. */
import type { Features } from "../../shared/features.js";

export function httpAuthFile(features: Features): string {
  const apiKey = features.auth === "api-key";
  const imports = apiKey
    ? `import { createHash, timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";`
    : `import type { Request, RequestHandler, Response } from "express";
import jwt from "jsonwebtoken";`;
  const authenticator = apiKey
    ? `/**
 * Callers send \`X-API-Key\`; keys and their roles come from API_KEYS. Keys are compared as SHA-256
 * digests in constant time, and a caller is identified by a digest prefix, never by the key.
 */
export function apiKeyAuthenticator(keys: ReadonlyMap<string, string>): Authenticator {
  const known = [...keys].map(([key, role]) => {
    const digest = sha256(key);
    return { digest, caller: { id: \`api-key:\${digest.toString("hex").slice(0, 12)}\`, role } };
  });
  return (req) => {
    const presented = req.get("x-api-key");
    if (presented === undefined || presented === "") return undefined;
    const digest = sha256(presented);
    return known.find((entry) => timingSafeEqual(entry.digest, digest))?.caller;
  };
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}`
    : `/**
 * Callers send \`Authorization: Bearer <JWT>\`, signed with HS256 and JWT_SECRET; the role is the
 * \`role\` claim and the caller id the \`sub\` claim. Tampered, expired and non-expiring tokens are
 * refused.
 * (For OAuth identity providers, verify RS256 tokens against the provider's JWKS instead.)
 */
export function jwtAuthenticator(secret: string): Authenticator {
  return (req) => {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(req.get("authorization") ?? "");
    if (match?.[1] === undefined) return undefined;
    try {
      const claims = jwt.verify(match[1], secret, { algorithms: ["HS256"] });
      // Tokens must expire: one without \`exp\` would be valid forever if it leaked.
      if (typeof claims === "string" || typeof claims.exp !== "number" || typeof claims.role !== "string") {
        return undefined;
      }
      return { id: typeof claims.sub === "string" ? claims.sub : "unknown", role: claims.role };
    } catch {
      return undefined;
    }
  };
}`;
  const challenge = apiKey ? "ApiKey" : "Bearer";
  return `/**
 * Authentication says who is calling; authorisation says whether their role may call this route.
 * Missing or invalid credentials are a 401, a role that may not do this a 403.
 */
${imports}
import { ApiError } from "./errors.js";

export interface Caller {
  /** Stable identifier for logs and the audit trail (never a secret). */
  id: string;
  role: string;
}

declare module "express-serve-static-core" {
  interface Locals {
    caller?: Caller;
  }
}

/** Finds the caller of a request, or undefined when its credentials are missing or invalid. */
export type Authenticator = (req: Request) => Caller | undefined;

${authenticator}

/**
 * Builds the per-route guard.
 *
 * @example
 * router.post("/", access.allow(["admin"]), handler); // 401 without credentials, 403 for other roles
 * router.get("/", access.allow("any-role"), handler);  // any authenticated caller
 */
export function createAccess(authenticate: Authenticator) {
  return {
    allow(roles: readonly string[] | "any-role"): RequestHandler {
      return (req, res, next) => {
        const caller = authenticate(req);
        if (caller === undefined) {
          res.setHeader("WWW-Authenticate", ${JSON.stringify(challenge)});
          throw new ApiError(401, "unauthorized", "missing or invalid credentials");
        }
        if (roles !== "any-role" && !roles.includes(caller.role)) {
          throw new ApiError(403, "forbidden", \`the role "\${caller.role}" may not do this\`);
        }
        res.locals.caller = caller;
        next();
      };
    },
  };
}

export type Access = ReturnType<typeof createAccess>;

/** Who made the request, for the audit trail: the authenticated caller's id. */
export function actorOf(res: Response): string {
  return res.locals.caller?.id ?? "anonymous";
}
`;
}
