/**
 * The Redis response cache, used instead of the disk when REDIS_URL is set, so every worker of the
 * App shares answers. Keys are `qlf:llm:<sha256>` with the TTL as expiry. Redis being down is
 * never fatal: the tiered cache skips a failing layer.
 */
import { Redis } from "ioredis";
import type { CachedAnswer, CachePort } from "../../kernel/index.js";

export const REDIS_PREFIX = "qlf:llm:";

export interface RedisCache extends CachePort {
  /** Closes the connection (the CLI must, or the process stays alive). */
  close(): Promise<void>;
}

/**
 * @example
 * const cache = redisCache({ url: process.env.REDIS_URL, ttlSeconds: 30 * 86_400 });
 * try { … } finally { await cache.close(); }
 */
export function redisCache(options: { url: string; ttlSeconds: number; prefix?: string }): RedisCache {
  const prefix = options.prefix ?? REDIS_PREFIX;
  const client = new Redis(options.url, {
    lazyConnect: true,
    // Fail fast when Redis is down instead of queueing commands forever.
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    enableOfflineQueue: true,
    retryStrategy: (times) => (times > 2 ? null : 100 * times),
  });
  // Errors surface on the commands; without a listener ioredis would also print them.
  client.on("error", () => {});
  return {
    name: "redis",
    async get(key) {
      const text = await client.get(`${prefix}${key}`);
      if (text === null) return undefined;
      try {
        const answer = JSON.parse(text) as CachedAnswer;
        return typeof answer.text === "string" ? answer : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, answer) {
      await client.set(
        `${prefix}${key}`,
        JSON.stringify(answer),
        "EX",
        Math.max(1, Math.round(options.ttlSeconds)),
      );
    },
    async close() {
      if (client.status === "end") return;
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}
