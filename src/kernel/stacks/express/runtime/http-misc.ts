/** Small HTTP middleware: rate limiting and security headers. */

/** `src/http/rate-limit.ts` */
export function rateLimitFile(): string {
  return `/**
 * Fixed-window rate limiting per client, in memory: each client may make \`requests\` requests per
 * \`windowSeconds\`; the next one gets 429 with Retry-After. A client is its API key (by digest) when
 * it sends one, its IP address otherwise. With several replicas each counts on its own; use a
 * shared store (e.g. Redis) when the limit must hold across them.
 */
import { createHash } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { ApiError } from "./errors.js";

export interface RateLimitOptions {
  requests: number;
  windowSeconds: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

/** Windows kept before expired ones are swept, so memory stays bounded. */
const SWEEP_AT = 10_000;

export function rateLimit({ requests, windowSeconds, now = Date.now }: RateLimitOptions): RequestHandler {
  const windowMs = windowSeconds * 1000;
  const windows = new Map<string, { start: number; count: number }>();
  return (req, res, next) => {
    const time = now();
    const client = clientOf(req);
    let window = windows.get(client);
    if (window === undefined || time - window.start >= windowMs) {
      if (windows.size >= SWEEP_AT) {
        for (const [key, old] of windows) if (time - old.start >= windowMs) windows.delete(key);
      }
      window = { start: time, count: 0 };
      windows.set(client, window);
    }
    window.count += 1;
    res.setHeader("RateLimit-Limit", String(requests));
    res.setHeader("RateLimit-Remaining", String(Math.max(0, requests - window.count)));
    if (window.count > requests) {
      res.setHeader("Retry-After", String(Math.max(1, Math.ceil((window.start + windowMs - time) / 1000))));
      throw new ApiError(429, "rate_limited", "too many requests; retry later");
    }
    next();
  };
}

function clientOf(req: Request): string {
  const key = req.get("x-api-key");
  if (key !== undefined && key !== "") return \`key:\${createHash("sha256").update(key).digest("hex").slice(0, 16)}\`;
  return \`ip:\${req.ip ?? "unknown"}\`;
}
`;
}

/** `src/http/security-headers.ts` */
export function securityHeadersFile(): string {
  return `/**
 * Conservative security headers for a JSON API: no sniffing, no framing, no referrer, HTTPS only,
 * and a content security policy that forbids everything (the API serves no HTML).
 */
import type { RequestHandler } from "express";

const HEADERS: Record<string, string> = {
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Referrer-Policy": "no-referrer",
  "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
};

export const securityHeaders: RequestHandler = (_req, res, next) => {
  for (const [name, value] of Object.entries(HEADERS)) res.setHeader(name, value);
  next();
};
`;
}
