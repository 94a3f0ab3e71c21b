/**
 * The on-disk response cache: one JSON file per key under `<dir>/<2 hex>/<key>.json`, written
 * atomically (temporary file + rename) so that concurrent runs never read half a file. Entries
 * older than the TTL are misses. A damaged entry is a miss, never an error.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { CachedAnswer, CachePort } from "../../kernel/index.js";

const KEY = /^[0-9a-f]{64}$/;

interface Entry {
  readonly v: 1;
  readonly storedAt: number;
  readonly answer: CachedAnswer;
}

/**
 * @example
 * const cache = diskCache({ dir: path.join(os.homedir(), ".cache/qlf/llm"), ttlMs: 30 * 86_400_000 });
 */
export function diskCache(options: { dir: string; ttlMs: number; now?: () => number }): CachePort {
  const now = options.now ?? Date.now;
  const fileFor = (key: string) => {
    // Keys are our own sha256 hex; anything else must not become a path.
    if (!KEY.test(key)) throw new Error(`invalid cache key ${JSON.stringify(key)}`);
    return path.join(options.dir, key.slice(0, 2), `${key}.json`);
  };
  return {
    name: "disk",
    async get(key) {
      let text: string;
      try {
        text = await readFile(fileFor(key), "utf8");
      } catch {
        return undefined;
      }
      try {
        const entry = JSON.parse(text) as Entry;
        if (entry.v !== 1 || typeof entry.answer?.text !== "string") return undefined;
        if (now() - entry.storedAt > options.ttlMs) return undefined;
        return entry.answer;
      } catch {
        return undefined;
      }
    },
    async set(key, answer) {
      const file = fileFor(key);
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
      const entry: Entry = { v: 1, storedAt: now(), answer };
      try {
        await writeFile(temp, JSON.stringify(entry), { mode: 0o600 });
        await rename(temp, file);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
  };
}
