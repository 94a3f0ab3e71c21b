import { describe, expect, it } from "vitest";
import {
  BudgetExceededError,
  backoffDelay,
  CircuitBreaker,
  ConfigError,
  cacheKey,
  createRouter,
  DEFAULT_RETRY,
  Ledger,
  type LlmRequest,
  LlmUnavailableError,
  memoryCache,
  ProviderCallError,
  type Validation,
} from "../../src/kernel/index.js";
import { answer, fakeEnvironment, fakePort, routed } from "./fakes.js";

const request: LlmRequest = {
  agent: "backend",
  messages: [
    { role: "system", content: "You write files." },
    { role: "user", content: "Write a.ts" },
  ],
  maxTokens: 1000,
  temperature: 0,
  format: { kind: "text" },
};
const accept = (text: string): Validation<string> => ({ ok: true, value: text });
const onlyGood = (text: string): Validation<string> =>
  text === "good"
    ? { ok: true, value: text }
    : { ok: false, reason: `bad: ${text}`, feedback: `fix: ${text}` };
const throttled = (retryAfterMs?: number) =>
  new ProviderCallError("throttled", "Too many requests", { status: 429, retryAfterMs });
const serverError = () => new ProviderCallError("server", "Service Unavailable", { status: 503 });

describe("router", () => {
  it("answers and records provider, model, tokens, cost and latency", async () => {
    const port = fakePort([answer("good", 1000, 500)]);
    const ledger = new Ledger(null);
    const router = createRouter({ providers: [routed(port)], ledger, environment: fakeEnvironment() });
    const result = await router.complete(request, accept);
    expect(result).toMatchObject({ value: "good", provider: "openai", model: "m-1", cached: false });
    expect(port.calls[0]?.messages).toEqual(request.messages);
    expect(port.calls[0]?.maxTokens).toBe(1000);
    expect(ledger.calls).toEqual([
      expect.objectContaining({
        outcome: "ok",
        inputTokens: 1000,
        outputTokens: 500,
        costUsd: 0.002,
        attempt: 1,
      }),
    ]);
    expect(ledger.spentUsd).toBeCloseTo(0.002);
    expect(ledger.byAgent()[0]).toMatchObject({
      agent: "backend",
      calls: 1,
      inputTokens: 1000,
      models: ["openai/m-1"],
    });
  });

  it("retries a throttled call after Retry-After, then succeeds on the same provider", async () => {
    const port = fakePort([throttled(2000), answer("good")]);
    const env = fakeEnvironment(() => 0.1);
    const router = createRouter({ providers: [routed(port)], ledger: new Ledger(null), environment: env });
    expect((await router.complete(request, accept)).value).toBe("good");
    expect(port.calls).toHaveLength(2);
    expect(env.sleeps).toEqual([2000]);
    expect(router.ledger.calls.map((call) => call.outcome)).toEqual(["throttled", "ok"]);
  });

  it("backs off with jitter between transient failures, then fails over from A to B", async () => {
    const a = fakePort([serverError()], "azure", "gpt-a");
    const b = fakePort([answer("good")], "bedrock", "claude-b");
    const env = fakeEnvironment(() => 0.5);
    const router = createRouter({
      providers: [routed(a), routed(b)],
      ledger: new Ledger(null),
      environment: env,
    });
    const result = await router.complete(request, accept);
    expect(result.provider).toBe("bedrock");
    expect(a.calls).toHaveLength(3);
    expect(env.sleeps).toEqual([250, 500]); // 0.5 × 500·2^0, 0.5 × 500·2^1
    expect(router.ledger.calls.map((call) => `${call.provider}:${call.outcome}`)).toEqual([
      "azure:server",
      "azure:server",
      "azure:server",
      "bedrock:ok",
    ]);
  });

  it("fails over at once on auth errors and on a Retry-After longer than allowed", async () => {
    const a = fakePort([new ProviderCallError("auth", "bad key", { status: 401 })], "azure");
    const b = fakePort([throttled(120_000)], "bedrock");
    const c = fakePort([answer("good")], "openai");
    const env = fakeEnvironment();
    const router = createRouter({
      providers: [routed(a), routed(b), routed(c)],
      ledger: new Ledger(null),
      environment: env,
    });
    expect((await router.complete(request, accept)).provider).toBe("openai");
    expect([a.calls.length, b.calls.length, env.sleeps.length]).toEqual([1, 1, 0]);
  });

  it("throws a clean LlmUnavailableError naming every provider when all are down", async () => {
    const a = fakePort([serverError()], "azure", "gpt-a");
    const b = fakePort([throttled(1000)], "bedrock", "claude-b");
    const router = createRouter({
      providers: [routed(a), routed(b)],
      ledger: new Ledger(null),
      environment: fakeEnvironment(),
    });
    const error = await router.complete(request, accept).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    const message = (error as LlmUnavailableError).message;
    expect(message).toContain("azure (gpt-a): server (HTTP 503): Service Unavailable (after 3 attempts)");
    expect(message).toContain("bedrock (claude-b): throttled (HTTP 429)");
    expect((error as LlmUnavailableError).hint).toContain("--provider template");
  });

  it("times out a hanging call, retries, and fails over", async () => {
    const a = fakePort(["hang"], "azure");
    const b = fakePort([answer("good")], "openai");
    const router = createRouter({
      providers: [routed(a), routed(b)],
      ledger: new Ledger(null),
      environment: fakeEnvironment(),
      retry: { ...DEFAULT_RETRY, maxAttempts: 2, timeoutMs: 50 },
    });
    expect((await router.complete(request, accept)).provider).toBe("openai");
    expect(a.calls).toHaveLength(2);
    expect(a.calls.every((call) => call.signal.aborted)).toBe(true);
    expect(router.ledger.calls.filter((call) => call.outcome === "timeout")).toHaveLength(2);
  });

  it("sends a rejected answer back once with the feedback, then accepts the corrected one", async () => {
    const port = fakePort([answer("Sure! here"), answer("good")]);
    const router = createRouter({
      providers: [routed(port)],
      ledger: new Ledger(null),
      environment: fakeEnvironment(),
    });
    expect((await router.complete(request, onlyGood)).value).toBe("good");
    expect(port.calls[1]?.messages).toEqual([
      ...request.messages,
      { role: "assistant", content: "Sure! here" },
      { role: "user", content: "fix: Sure! here" },
    ]);
    expect(router.ledger.calls.map((call) => call.outcome)).toEqual(["rejected", "ok"]);
    // The rejected answer was paid for.
    expect(router.ledger.total().inputTokens).toBe(200);
  });

  it("fails over after a second rejection, and says the cut-off answer was truncated", async () => {
    const a = fakePort([answer("bad one", 10, 10, "length")], "azure");
    const b = fakePort([answer("bad two")], "openai");
    const router = createRouter({
      providers: [routed(a), routed(b)],
      ledger: new Ledger(null),
      environment: fakeEnvironment(),
    });
    const error = (await router
      .complete(request, onlyGood)
      .catch((caught: unknown) => caught)) as LlmUnavailableError;
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(a.calls).toHaveLength(2);
    expect(a.calls[1]?.messages.at(-1)?.content).toContain("cut off at the token limit");
    expect(error.failures[0]?.reason).toContain("answer rejected twice");
    expect(error.failures[1]?.reason).toBe("answer rejected twice: bad: bad two; then bad: bad two");
  });

  it("stops before a call that could exceed the budget, without calling", async () => {
    const port = fakePort([answer("good", 1000, 1000)]);
    // Worst case of `request`: (prompt bytes + overhead) × $0.001/1k + 1000 tokens × $0.002/1k ≈ $0.00205.
    const ledger = new Ledger(0.002);
    const router = createRouter({ providers: [routed(port)], ledger, environment: fakeEnvironment() });
    const error = await router.complete(request, accept).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect((error as BudgetExceededError).message).toMatch(
      /stopped before the backend agent's next LLM call.*nothing was written/,
    );
    expect(port.calls).toHaveLength(0);
  });

  it("lets calls through while the budget holds, then stops the one that could exceed it", async () => {
    const port = fakePort([answer("good", 1000, 1000)]); // $0.003 per call
    const ledger = new Ledger(0.008);
    const router = createRouter({ providers: [routed(port)], ledger, environment: fakeEnvironment() });
    await router.complete(request, accept);
    await router.complete(request, accept);
    expect(ledger.spentUsd).toBeCloseTo(0.006);
    await expect(router.complete(request, accept)).rejects.toBeInstanceOf(BudgetExceededError);
    expect(port.calls).toHaveLength(2);
    expect(ledger.spentUsd).toBeLessThanOrEqual(0.008);
  });

  it("refuses a budget for a model without a price", () => {
    const port = fakePort([answer("good")]);
    const make = () =>
      createRouter({
        providers: [routed(port, { inputPer1k: null, outputPer1k: null, maxOutputTokens: 100 })],
        ledger: new Ledger(1),
        environment: fakeEnvironment(),
      });
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(/has no price/);
  });

  it("serves a cache hit without a request, at 0 tokens and $0, and caches only accepted answers", async () => {
    const port = fakePort([answer("bad"), answer("good")]);
    const router = createRouter({
      providers: [routed(port)],
      ledger: new Ledger(null),
      environment: fakeEnvironment(),
      cache: memoryCache(),
    });
    await router.complete(request, onlyGood);
    const again = await router.complete(request, onlyGood);
    expect(again).toMatchObject({ value: "good", cached: true });
    expect(port.calls).toHaveLength(2); // the rejected answer and the good one; nothing for the hit
    expect(router.ledger.calls.at(-1)).toMatchObject({
      outcome: "cache-hit",
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
    });
    expect(router.ledger.total().cacheHits).toBe(1);
  });

  it("uses a cached answer from a later provider before calling an earlier one", async () => {
    const cache = memoryCache();
    const a = fakePort([answer("good")], "azure");
    const b = fakePort([answer("good")], "openai");
    await cache.set(cacheKey(b, request), { text: "good", inputTokens: 1, outputTokens: 1 });
    const router = createRouter({
      providers: [routed(a), routed(b)],
      ledger: new Ledger(null),
      environment: fakeEnvironment(),
      cache,
    });
    expect(await router.complete(request, accept)).toMatchObject({ provider: "openai", cached: true });
    expect(a.calls).toHaveLength(0);
  });

  it("opens the circuit after repeated failures, skips the provider, and probes after the cool-down", async () => {
    const a = fakePort([serverError()], "azure");
    const b = fakePort([answer("good")], "openai");
    const env = fakeEnvironment();
    const router = createRouter({
      providers: [routed(a), routed(b)],
      ledger: new Ledger(null),
      environment: env,
      breaker: { failureThreshold: 3, cooldownMs: 10_000 },
    });
    await router.complete(request, accept); // 3 failures on A: the circuit opens
    await router.complete(request, accept); // A is skipped
    expect(a.calls).toHaveLength(3);
    expect(router.ledger.calls.filter((call) => call.outcome === "circuit-open")).toHaveLength(1);
    env.time += 10_000;
    await router.complete(request, accept); // half-open: one probe, which fails, so open again
    expect(a.calls).toHaveLength(4);
  });
});

describe("cache key", () => {
  const port = { provider: "openai" as const, model: "m", endpoint: "https://x" };
  it("is a sha256 of provider, endpoint, model, prompt and parameters", () => {
    const key = cacheKey(port, request);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey({ ...port }, { ...request })).toBe(key);
    for (const changed of [
      cacheKey({ ...port, provider: "azure" }, request),
      cacheKey({ ...port, model: "n" }, request),
      cacheKey({ ...port, endpoint: "https://y" }, request),
      cacheKey(port, { ...request, temperature: 0.2 }),
      cacheKey(port, { ...request, maxTokens: 999 }),
      cacheKey(port, { ...request, messages: [{ role: "user", content: "Write b.ts" }] }),
      cacheKey(port, { ...request, format: { kind: "json", name: "ir", description: "", schema: {} } }),
    ]) {
      expect(changed).not.toBe(key);
    }
    // The agent name is bookkeeping, not part of the answer.
    expect(cacheKey(port, { ...request, agent: "ops" })).toBe(key);
  });
});

describe("policies", () => {
  it("full jitter stays under the doubling ceiling and never under Retry-After", () => {
    for (const r of [0, 0.3, 0.999]) {
      for (let attempt = 0; attempt < 8; attempt++) {
        const delay = backoffDelay(DEFAULT_RETRY, attempt, undefined, () => r) as number;
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(
          Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.baseDelayMs * 2 ** attempt),
        );
        expect(backoffDelay(DEFAULT_RETRY, attempt, 7000, () => r)).toBeGreaterThanOrEqual(7000);
      }
    }
    expect(backoffDelay(DEFAULT_RETRY, 0, DEFAULT_RETRY.maxRetryAfterMs + 1, () => 0)).toBeNull();
  });

  it("breaker: closed → open → half-open (one probe) → closed", () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 100 }, () => now);
    breaker.onFailure();
    expect(breaker.state).toBe("closed");
    breaker.onFailure();
    expect(breaker.state).toBe("open");
    expect(breaker.tryAcquire()).toBe(false);
    now = 100;
    expect(breaker.state).toBe("half-open");
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false); // one probe at a time
    breaker.onSuccess();
    expect(breaker.state).toBe("closed");
  });

  it("budget reservations cover concurrent calls", () => {
    const ledger = new Ledger(1);
    const first = ledger.reserve("a", 0.6);
    expect(() => ledger.reserve("b", 0.6)).toThrow(BudgetExceededError);
    ledger.settle(first, 0.1);
    expect(() => ledger.reserve("b", 0.6)).not.toThrow();
  });
});
