/**
 * The router: ordered providers behind one `complete` call, with a response cache, a budget,
 * retries with jittered back-off that respect Retry-After, failover on throttling, timeouts and
 * 5xx, a circuit breaker per provider, and one retry with feedback for a rejected answer.
 *
 * For one request:
 * 1. the cache is asked for every provider's key, in order; a hit whose text still validates is
 *    the answer (0 tokens, $0);
 * 2. otherwise providers are tried in order. A provider whose circuit is open is skipped. Before
 *    each call the worst-case cost is reserved (the budget stops the run before a call that could
 *    exceed it). A transient failure (throttled, timeout, 5xx, network) is retried on the same
 *    provider after `backoffDelay` up to `maxAttempts` calls; then, or at once for auth and
 *    bad-request failures, the router fails over to the next provider;
 * 3. an answer is checked by the caller's `validate` (the SOC parser, the IR schema…). A rejected
 *    answer is sent back once, with the rejection, to the same provider; a second rejection fails
 *    over. Only accepted answers are cached.
 */
import { ConfigError } from "../errors.js";
import { type CachePort, cacheKey } from "./cache.js";
import { LlmUnavailableError, ProviderCallError, type ProviderFailure } from "./errors.js";
import {
  type CallOutcome,
  costOf,
  DEFAULT_TOKEN_ESTIMATE,
  estimatePromptTokens,
  type Ledger,
  type TokenEstimate,
} from "./ledger.js";
import {
  type BreakerPolicy,
  backoffDelay,
  CircuitBreaker,
  DEFAULT_BREAKER,
  DEFAULT_RETRY,
  type RetryPolicy,
} from "./policy.js";
import type {
  ChatMessage,
  LlmRequest,
  ModelInfo,
  ProviderAnswer,
  ProviderPort,
  RouterEnvironment,
} from "./types.js";

export interface RoutedProvider {
  readonly port: ProviderPort;
  readonly model: ModelInfo;
}

/** The caller's verdict on an answer. `feedback` goes back to the model on a first rejection. */
export type Validation<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string; readonly feedback: string };

export interface RoutedAnswer<T> {
  readonly value: T;
  readonly text: string;
  readonly provider: string;
  readonly model: string;
  readonly cached: boolean;
}

export interface RouterOptions {
  /** Tried in this order. */
  readonly providers: readonly RoutedProvider[];
  readonly ledger: Ledger;
  readonly environment: RouterEnvironment;
  /** Omit (or `--no-cache`) to always call. */
  readonly cache?: CachePort | undefined;
  readonly retry?: RetryPolicy;
  readonly breaker?: BreakerPolicy;
  readonly tokenEstimate?: TokenEstimate;
}

export interface Router {
  readonly providers: readonly RoutedProvider[];
  readonly ledger: Ledger;
  /**
   * Answers one request, or throws `LlmUnavailableError` (every provider failed) or
   * `BudgetExceededError` (the next call could break the budget).
   */
  complete<T>(request: LlmRequest, validate: (text: string) => Validation<T>): Promise<RoutedAnswer<T>>;
}

/**
 * @throws ConfigError when a budget is set but a provider's model has no price.
 * @example
 * const router = createRouter({ providers: [{ port, model }], ledger: new Ledger(5), environment });
 * const { value } = await router.complete(request, (text) => ({ ok: true, value: text }));
 */
export function createRouter(options: RouterOptions): Router {
  const { providers, ledger, environment } = options;
  if (providers.length === 0) {
    throw new ConfigError("llm.no-provider", "no LLM provider is configured", {
      hint: "set llm.providers (or --provider), or use --provider template",
    });
  }
  if (ledger.limitUsd !== null) {
    for (const { port, model } of providers) {
      if (model.inputPer1k === null || model.outputPer1k === null) {
        throw new ConfigError(
          "llm.no-price",
          `a budget is set but model ${port.model} (${port.provider}) has no price`,
          {
            fieldPath: `llm.models.${port.model}`,
            hint: `set llm.models["${port.model}"].inputPer1k and outputPer1k (USD per 1000 tokens) in .qlf.yml or ~/.config/qlf/config.yaml`,
          },
        );
      }
    }
  }
  const retry = options.retry ?? DEFAULT_RETRY;
  const estimate = options.tokenEstimate ?? DEFAULT_TOKEN_ESTIMATE;
  const breakers = new Map<RoutedProvider, CircuitBreaker>(
    providers.map((provider) => [
      provider,
      new CircuitBreaker(options.breaker ?? DEFAULT_BREAKER, environment.now),
    ]),
  );

  async function fromCache<T>(
    request: LlmRequest,
    validate: (text: string) => Validation<T>,
  ): Promise<RoutedAnswer<T> | undefined> {
    const cache = options.cache;
    if (cache === undefined) return undefined;
    for (const { port } of providers) {
      const started = environment.now();
      const hit = await cache.get(cacheKey(port, request));
      if (hit === undefined) continue;
      const verdict = validate(hit.text);
      if (!verdict.ok) continue;
      ledger.record({
        agent: request.agent,
        provider: port.provider,
        model: port.model,
        outcome: "cache-hit",
        attempt: 0,
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
        latencyMs: environment.now() - started,
      });
      return {
        value: verdict.value,
        text: hit.text,
        provider: port.provider,
        model: port.model,
        cached: true,
      };
    }
    return undefined;
  }

  async function call(
    port: ProviderPort,
    messages: readonly ChatMessage[],
    request: LlmRequest,
  ): Promise<ProviderAnswer> {
    const abort = new AbortController();
    const timer = new AbortController();
    let timedOut = false;
    const timeout = environment.sleep(retry.timeoutMs, timer.signal).then(
      () => {
        timedOut = true;
        abort.abort();
      },
      () => undefined, // the call finished first and cancelled the timer
    );
    try {
      return await Promise.race([
        port.complete({
          messages,
          maxTokens: request.maxTokens,
          temperature: request.temperature,
          format: request.format,
          signal: abort.signal,
        }),
        timeout.then(() => Promise.reject(new Error("timeout"))),
      ]);
    } catch (error) {
      // The aborted call may reject before the timer's own rejection: either way it was a timeout.
      if (timedOut) throw new ProviderCallError("timeout", `no answer within ${retry.timeoutMs} ms`);
      throw error;
    } finally {
      timer.abort();
    }
  }

  async function tryProvider<T>(
    provider: RoutedProvider,
    request: LlmRequest,
    validate: (text: string) => Validation<T>,
  ): Promise<{ answer: RoutedAnswer<T> } | { failure: string }> {
    const { port, model } = provider;
    const breaker = breakers.get(provider) as CircuitBreaker;
    let messages = request.messages;
    let rejected: string | undefined;
    let transient = 0;
    let attempt = 0;
    let lastFailure = "";
    for (;;) {
      if (!breaker.tryAcquire()) {
        ledger.record(skipped(request.agent, port, "circuit-open", attempt));
        return {
          failure:
            lastFailure === "" ? "circuit open (too many recent failures)" : `${lastFailure}; circuit open`,
        };
      }
      attempt++;
      const worst = costOf(
        model,
        estimatePromptTokens(messages, request.format, estimate),
        request.maxTokens,
      );
      let reservation: ReturnType<Ledger["reserve"]>;
      try {
        reservation = ledger.reserve(request.agent, worst);
      } catch (error) {
        breaker.release(); // not the provider's fault: free a half-open probe slot
        throw error;
      }
      const started = environment.now();
      let answer: ProviderAnswer;
      try {
        answer = await call(port, messages, request);
      } catch (error) {
        ledger.settle(reservation, 0);
        const failure = classify(error);
        breaker.onFailure();
        ledger.record({
          agent: request.agent,
          provider: port.provider,
          model: port.model,
          outcome: failure.kind,
          attempt,
          inputTokens: 0,
          outputTokens: 0,
          costUsd: 0,
          latencyMs: environment.now() - started,
          detail: failure.message,
        });
        lastFailure = `${failure.kind}${failure.status === undefined ? "" : ` (HTTP ${failure.status})`}: ${failure.message}`;
        transient++;
        if (!failure.retryable || transient >= retry.maxAttempts) {
          return { failure: transient > 1 ? `${lastFailure} (after ${transient} attempts)` : lastFailure };
        }
        const delay = backoffDelay(retry, transient - 1, failure.retryAfterMs, environment.random);
        if (delay === null)
          return { failure: `${lastFailure} (asked to wait ${failure.retryAfterMs} ms; failing over)` };
        await environment.sleep(delay);
        continue;
      }
      breaker.onSuccess();
      const cost = costOf(model, answer.inputTokens, answer.outputTokens);
      ledger.settle(reservation, cost);
      const verdict = validate(answer.text);
      const truncated = /^(?:max_tokens|length)$/.test(answer.stopReason);
      ledger.record({
        agent: request.agent,
        provider: port.provider,
        model: port.model,
        outcome: verdict.ok ? "ok" : "rejected",
        attempt,
        inputTokens: answer.inputTokens,
        outputTokens: answer.outputTokens,
        costUsd: cost,
        latencyMs: environment.now() - started,
        ...(verdict.ok ? {} : { detail: verdict.reason }),
      });
      if (verdict.ok) {
        if (options.cache !== undefined) {
          await options.cache.set(cacheKey(port, request), {
            text: answer.text,
            inputTokens: answer.inputTokens,
            outputTokens: answer.outputTokens,
          });
        }
        return {
          answer: {
            value: verdict.value,
            text: answer.text,
            provider: port.provider,
            model: port.model,
            cached: false,
          },
        };
      }
      const reason = truncated
        ? `${verdict.reason} (the answer was cut off at the token limit)`
        : verdict.reason;
      if (rejected !== undefined) return { failure: `answer rejected twice: ${rejected}; then ${reason}` };
      rejected = reason;
      const feedback = truncated
        ? `${verdict.feedback} Your answer was cut off at the token limit: keep the files shorter.`
        : verdict.feedback;
      messages = [
        ...request.messages,
        { role: "assistant", content: answer.text },
        { role: "user", content: feedback },
      ];
    }
  }

  return {
    providers,
    ledger,
    async complete(request, validate) {
      const cached = await fromCache(request, validate);
      if (cached !== undefined) return cached;
      const failures: ProviderFailure[] = [];
      for (const provider of providers) {
        const result = await tryProvider(provider, request, validate);
        if ("answer" in result) return result.answer;
        failures.push({
          provider: provider.port.provider,
          model: provider.port.model,
          reason: result.failure,
        });
      }
      throw new LlmUnavailableError(request.agent, failures);
    },
  };
}

function classify(error: unknown): ProviderCallError {
  if (error instanceof ProviderCallError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderCallError("server", message, { cause: error });
}

function skipped(agent: string, port: ProviderPort, outcome: CallOutcome, attempt: number) {
  return {
    agent,
    provider: port.provider,
    model: port.model,
    outcome,
    attempt,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    latencyMs: 0,
  };
}
