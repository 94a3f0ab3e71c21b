/**
 * The response cache port, its key, and the in-memory layer. Disk and Redis layers are services;
 * `tieredCache` puts them behind the memory layer.
 */
import { createHash } from "node:crypto";
import type { LlmRequest, ProviderPort } from "./types.js";

/** A stored answer: enough to replay it and to say what it cost when it was made. */
export interface CachedAnswer {
  readonly text: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface CachePort {
  /** Human-readable, for reports: `memory`, `memory+disk`, `memory+redis`. */
  readonly name: string;
  get(key: string): Promise<CachedAnswer | undefined>;
  set(key: string, answer: CachedAnswer): Promise<void>;
}

/** Bump when the meaning of a cached answer changes (prompt layout, parser contract). */
export const CACHE_KEY_VERSION = 1;

/**
 * sha256 (hex) of everything that determines an answer: provider, endpoint, model, the messages
 * and the parameters. Keys are canonical JSON, so property order never changes a key.
 *
 * @example
 * cacheKey(port, request); // "9f86d08…" (64 hex digits)
 */
export function cacheKey(
  port: Pick<ProviderPort, "provider" | "model" | "endpoint">,
  request: LlmRequest,
): string {
  const material = canonical({
    v: CACHE_KEY_VERSION,
    provider: port.provider,
    endpoint: port.endpoint,
    model: port.model,
    messages: request.messages.map((message) => [message.role, message.content]),
    maxTokens: request.maxTokens,
    temperature: request.temperature,
    format: request.format,
  });
  return createHash("sha256").update(material, "utf8").digest("hex");
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * A bounded in-memory cache (least recently used out first).
 *
 * @example
 * const cache = memoryCache(500);
 */
export function memoryCache(maxEntries = 1000): CachePort {
  const entries = new Map<string, CachedAnswer>();
  return {
    name: "memory",
    get(key) {
      const found = entries.get(key);
      if (found !== undefined) {
        // Re-insert so Map order tracks recency.
        entries.delete(key);
        entries.set(key, found);
      }
      return Promise.resolve(found);
    },
    set(key, answer) {
      entries.delete(key);
      entries.set(key, answer);
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
      return Promise.resolve();
    },
  };
}

/**
 * Reads through the layers in order (filling the faster ones on a hit further down) and writes to
 * all of them. A layer that fails (Redis down) is skipped, never fatal: a cache only saves money.
 */
export function tieredCache(
  layers: readonly CachePort[],
  onError: (layer: string, error: unknown) => void = () => {},
): CachePort {
  return {
    name: layers.map((layer) => layer.name).join("+"),
    async get(key) {
      for (let i = 0; i < layers.length; i++) {
        const layer = layers[i] as CachePort;
        let found: CachedAnswer | undefined;
        try {
          found = await layer.get(key);
        } catch (error) {
          onError(layer.name, error);
          continue;
        }
        if (found !== undefined) {
          for (const faster of layers.slice(0, i))
            await faster.set(key, found).catch((error) => onError(faster.name, error));
          return found;
        }
      }
      return undefined;
    },
    async set(key, answer) {
      for (const layer of layers) await layer.set(key, answer).catch((error) => onError(layer.name, error));
    },
  };
}
