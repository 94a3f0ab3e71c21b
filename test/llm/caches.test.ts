import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CachePort, memoryCache, tieredCache } from "../../src/kernel/index.js";
import { resolveConfig } from "../../src/services/llm/config.js";
import { diskCache } from "../../src/services/llm/disk-cache.js";
import { redisCache } from "../../src/services/llm/redis-cache.js";
import { createLlmRuntime } from "../../src/services/llm/runtime.js";

const key = (n: number) => n.toString(16).padStart(64, "a");
const answer = { text: "<<<qlf:file a>>>\nx\n<<<qlf:end>>>\n", inputTokens: 10, outputTokens: 5 };
const dir = mkdtempSync(path.join(tmpdir(), "qlf-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("disk cache", () => {
  it("stores atomically, reads back, and honours the TTL", async () => {
    let now = 1000;
    const cache = diskCache({ dir, ttlMs: 500, now: () => now });
    expect(await cache.get(key(1))).toBeUndefined();
    await cache.set(key(1), answer);
    expect(await cache.get(key(1))).toEqual(answer);
    expect(readdirSync(path.join(dir, "aa")).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    now += 501;
    expect(await cache.get(key(1))).toBeUndefined();
  });

  it("treats a damaged entry as a miss and refuses keys that are not sha256 hex", async () => {
    const cache = diskCache({ dir, ttlMs: 1e9 });
    writeFileSync(path.join(dir, "aa", `${key(2)}.json`), "{not json");
    expect(await cache.get(key(2))).toBeUndefined();
    await expect(cache.set("../../etc/passwd", answer)).rejects.toThrow(/invalid cache key/);
  });
});

describe("Redis cache (the real server on 127.0.0.1:6379)", () => {
  const prefix = `qlf:test:${randomBytes(4).toString("hex")}:`;
  const cache = redisCache({ url: "redis://127.0.0.1:6379/0", ttlSeconds: 60, prefix });
  afterAll(() => cache.close());

  it("stores with an expiry and reads back", async () => {
    expect(await cache.get(key(3))).toBeUndefined();
    await cache.set(key(3), answer);
    expect(await cache.get(key(3))).toEqual(answer);
  });

  it("is skipped, not fatal, when Redis is unreachable", async () => {
    const down = redisCache({ url: "redis://127.0.0.1:1/0", ttlSeconds: 60 });
    const errors: string[] = [];
    const tiered = tieredCache([memoryCache(), down], (layer) => errors.push(layer));
    await tiered.set(key(4), answer);
    expect(await tiered.get(key(4))).toEqual(answer); // from memory
    expect(await tiered.get(key(5))).toBeUndefined();
    expect(errors).toContain("redis");
    await down.close();
  });
});

describe("tiered cache", () => {
  it("fills faster layers on a hit further down", async () => {
    const fast = memoryCache();
    const slow = memoryCache();
    await slow.set(key(6), answer);
    const tiered: CachePort = tieredCache([fast, slow]);
    expect(tiered.name).toBe("memory+memory");
    expect(await tiered.get(key(6))).toEqual(answer);
    expect(await fast.get(key(6))).toEqual(answer);
  });

  it("the runtime uses memory+disk by default, memory+redis with REDIS_URL, nothing with --no-cache", async () => {
    const base = {
      home: dir,
      env: { OPENAI_BASE_URL: "http://127.0.0.1:9/v1" },
      flags: { provider: "openai", model: "m" },
    };
    const disk = await createLlmRuntime(resolveConfig(base).config.llm);
    expect(disk.cacheName).toBe("memory+disk");
    const redis = await createLlmRuntime(
      resolveConfig({ ...base, env: { ...base.env, REDIS_URL: "redis://127.0.0.1:6379/0" } }).config.llm,
    );
    expect(redis.cacheName).toBe("memory+redis");
    await redis.close();
    const off = await createLlmRuntime(
      resolveConfig({ ...base, flags: { ...base.flags, cache: false } }).config.llm,
    );
    expect(off.cacheName).toBe("off");
  });
});
