/** Shared by the adapters: HTTP status and Retry-After → the router's failure kinds. */
import type { ProviderFailureKind } from "../../kernel/index.js";

/** The failure kind for an HTTP status. */
export function kindForStatus(status: number): ProviderFailureKind {
  if (status === 429) return "throttled";
  if (status === 408) return "timeout";
  if (status === 401 || status === 403) return "auth";
  if (status >= 500) return "server";
  if (status >= 400) return "bad-request";
  return "server";
}

/**
 * Milliseconds to wait, from `retry-after-ms` (OpenAI, Azure), or `retry-after` in seconds or as an
 * HTTP date. Undefined when absent or unreadable.
 *
 * @example
 * retryAfterMs((name) => ({ "retry-after": "2" })[name]); // 2000
 */
export function retryAfterMs(
  header: (name: string) => string | null | undefined,
  now = Date.now(),
): number | undefined {
  const ms = header("retry-after-ms");
  if (ms !== null && ms !== undefined && /^\d+(?:\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const value = header("retry-after")?.trim();
  if (value === undefined || value === "") return undefined;
  if (/^\d+(?:\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** True for connection-level failures (refused, reset, DNS), looking through `cause` chains. */
export function isNetworkError(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
    if (current.message === "fetch failed") return true;
    current = current.cause;
  }
  return false;
}

/** A JSON Schema without `$schema` (some providers refuse the meta key). */
export function schemaForProvider(schema: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}
