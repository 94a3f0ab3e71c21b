/** `src/http/idempotency.ts`: the Idempotency-Key middleware and its two stores. */
import type { Markers } from "../markers.js";

export function idempotencyFile(markers: Markers): string {
  return `/**
 * Idempotency keys for operations that must not happen twice (e.g. moving money). The client sends
 * \`Idempotency-Key\`; the first request with a key runs and its 2xx response is stored; a repeat
 * gets the stored response back (with \`Idempotent-Replayed: true\`) without running again.
 *
 * A key is claimed before the handler runs, so two concurrent requests with the same key cannot
 * both run: the second gets 409 while the first is in progress. A failed request releases its key
 * so the client can retry. Reusing a key with a different body is a 409 too.
 */
import { createHash } from "node:crypto";
import type { RequestHandler } from "express";
import type { Queryable } from "../db.js";
import { conflict, validationFailed } from "./errors.js";

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** What a claim found: nothing (the caller now owns the key), a request in progress, or a result. */
export type Claim =
  | { state: "claimed" }
  | { state: "in-progress"; requestHash: string }
  | { state: "completed"; requestHash: string; response: StoredResponse };

export interface IdempotencyStore {
  /** Claims (scope, key) for a request with this body hash, or reports who holds it. */
  claim(scope: string, key: string, requestHash: string): Promise<Claim>;
  complete(scope: string, key: string, response: StoredResponse): Promise<void>;
  release(scope: string, key: string): Promise<void>;
}

/** Response headers worth replaying. */
const REPLAYED_HEADERS = ["location"];

/**
 * @example
 * router.post("/", idempotent(store), handler);
 */
export function idempotent(store: IdempotencyStore): RequestHandler {
  return async (req, res, next) => {
    const key = req.get("idempotency-key");
    if (key === undefined || key.trim() === "" || key.length > 255) {
      throw validationFailed([
        { path: "Idempotency-Key", message: "header is required (a unique value of at most 255 characters)" },
      ]);
    }
    // Keys are per caller and per route, so callers never see each other's responses.
    const scope = \`\${res.locals.caller?.id ?? "anonymous"} \${req.method} \${req.baseUrl}\${req.path}\`;
    const requestHash = createHash("sha256")
      .update(JSON.stringify(req.body ?? null))
      .digest("hex");
    const claim = await store.claim(scope, key, requestHash);${markers.control("idempotency-keys")}
    if (claim.state !== "claimed") {
      if (claim.requestHash !== requestHash) {
        throw conflict("this Idempotency-Key was already used with a different request body");
      }
      if (claim.state === "in-progress") throw conflict("a request with this Idempotency-Key is still in progress");
      for (const [name, value] of Object.entries(claim.response.headers)) res.setHeader(name, value);
      res.setHeader("Idempotent-Replayed", "true");
      res.status(claim.response.status).json(claim.response.body);
      return;
    }

    // Store the response on its way out: 2xx completes the key, anything else releases it.
    const send = res.json.bind(res);
    res.json = (body: unknown) => {
      const done =
        res.statusCode >= 200 && res.statusCode < 300
          ? store.complete(scope, key, { status: res.statusCode, body, headers: replayable(res.getHeaders()) })
          : store.release(scope, key);
      done.then(() => send(body), next);
      return res;
    };
    next();
  };
}

function replayable(headers: Record<string, unknown>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = headers[name];
    if (typeof value === "string") kept[name] = value;
  }
  return kept;
}

export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, { requestHash: string; response: StoredResponse | undefined }>();

  async claim(scope: string, key: string, requestHash: string): Promise<Claim> {
    const id = \`\${scope}\\u0000\${key}\`;
    const entry = this.entries.get(id);
    if (entry === undefined) {
      this.entries.set(id, { requestHash, response: undefined });
      return { state: "claimed" };
    }
    return entry.response === undefined
      ? { state: "in-progress", requestHash: entry.requestHash }
      : { state: "completed", requestHash: entry.requestHash, response: entry.response };
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    const entry = this.entries.get(\`\${scope}\\u0000\${key}\`);
    if (entry !== undefined) entry.response = response;
  }

  async release(scope: string, key: string): Promise<void> {
    this.entries.delete(\`\${scope}\\u0000\${key}\`);
  }
}

/** Rows of \`idempotency_keys\`; status_code 0 marks a request still in progress. */
export class PgIdempotencyStore implements IdempotencyStore {
  constructor(private readonly db: Queryable) {}

  async claim(scope: string, key: string, requestHash: string): Promise<Claim> {
    const inserted = await this.db.query(
      \`INSERT INTO idempotency_keys (key, scope, request_hash, status_code)
       VALUES ($1, $2, $3, 0)
       ON CONFLICT (scope, key) DO NOTHING\`,
      [key, scope, requestHash],
    );
    if (inserted.rowCount === 1) return { state: "claimed" };
    const { rows } = await this.db.query<{
      request_hash: string;
      status_code: number;
      response_body: unknown;
      response_headers: Record<string, string>;
    }>(
      "SELECT request_hash, status_code, response_body, response_headers FROM idempotency_keys WHERE scope = $1 AND key = $2",
      [scope, key],
    );
    const row = rows[0];
    // Released between our insert and select: the caller may simply retry.
    if (row === undefined) return { state: "in-progress", requestHash };
    if (row.status_code === 0) return { state: "in-progress", requestHash: row.request_hash };
    return {
      state: "completed",
      requestHash: row.request_hash,
      response: { status: row.status_code, body: row.response_body, headers: row.response_headers },
    };
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    await this.db.query(
      \`UPDATE idempotency_keys SET status_code = $3, response_body = $4, response_headers = $5
       WHERE scope = $1 AND key = $2\`,
      [scope, key, response.status, JSON.stringify(response.body ?? null), JSON.stringify(response.headers)],
    );
  }

  async release(scope: string, key: string): Promise<void> {
    await this.db.query("DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2", [scope, key]);
  }
}
`;
}
