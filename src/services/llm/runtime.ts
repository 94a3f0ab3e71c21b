/**
 * Builds the LLM runtime from the effective configuration: the provider ports in order, the cache
 * (memory, then disk, or Redis when REDIS_URL is set), the ledger with the budget, the real clock,
 * and the router over them. The one place the shells (CLI, App, Action) turn configuration into a
 * router.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { BedrockRuntimeClientConfig } from "@aws-sdk/client-bedrock-runtime";
import {
  type CachePort,
  ConfigError,
  createRouter,
  Ledger,
  type ModelInfo,
  memoryCache,
  type ProviderPort,
  type RoutedProvider,
  type Router,
  type RouterEnvironment,
  tieredCache,
} from "../../kernel/index.js";
import type { LlmConfig } from "./config-schema.js";
import { diskCache } from "./disk-cache.js";
import type { RedisCache } from "./redis-cache.js";

export interface LlmRuntime {
  /** Undefined when the configuration names only `template`. */
  readonly router: Router | undefined;
  /** `template` is listed after the LLM providers: use the templates when every provider fails. */
  readonly templateFallback: boolean;
  readonly ledger: Ledger;
  /** `memory+disk`, `memory+redis`, or `off`. */
  readonly cacheName: string;
  /** Closes connections (Redis). Always call it, or the process may stay alive. */
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Tests: extra Bedrock client configuration (an HTTP/1 handler and static credentials). */
  readonly bedrockClient?: Partial<BedrockRuntimeClientConfig>;
  /** Tests: a clock and sleep of their own. */
  readonly environment?: RouterEnvironment;
  /** Called when a cache layer fails (the run goes on without it). */
  readonly onCacheError?: (layer: string, error: unknown) => void;
}

export const realEnvironment: RouterEnvironment = {
  now: () => performance.now(),
  sleep: async (ms, signal) => {
    await sleep(ms, undefined, signal === undefined ? {} : { signal });
  },
  random: Math.random,
};

/**
 * @throws ConfigError when a selected provider lacks what it needs (model, endpoint, key) or a
 * budget is set for a model without a price.
 * @example
 * const { config } = await loadConfig({ cwd, flags });
 * const runtime = await createLlmRuntime(config.llm);
 * try { … runtime.router … } finally { await runtime.close(); }
 */
export async function createLlmRuntime(llm: LlmConfig, options: RuntimeOptions = {}): Promise<LlmRuntime> {
  const ledger = new Ledger(llm.budgetUsd);
  const names = llm.providers.filter((name) => name !== "template");
  const templateFallback = llm.providers.includes("template");
  if (names.length === 0) {
    return {
      router: undefined,
      templateFallback: true,
      ledger,
      cacheName: "off",
      close: () => Promise.resolve(),
    };
  }
  const providers: RoutedProvider[] = [];
  for (const name of names) {
    const port = await portFor(name, llm, options);
    providers.push({ port, model: modelInfo(llm, port.model) });
  }
  let redis: RedisCache | undefined;
  let cache: CachePort | undefined;
  if (llm.cache.enabled) {
    const ttlMs = llm.cache.ttlDays * 86_400_000;
    if (llm.cache.redisUrl !== null) {
      const { redisCache } = await import("./redis-cache.js");
      redis = redisCache({ url: llm.cache.redisUrl, ttlSeconds: ttlMs / 1000 });
    }
    const slow = redis ?? diskCache({ dir: llm.cache.dir, ttlMs });
    cache = tieredCache([memoryCache(), slow], options.onCacheError);
  }
  const router = createRouter({
    providers,
    ledger,
    environment: options.environment ?? realEnvironment,
    cache,
    retry: llm.retry,
    breaker: llm.breaker,
    tokenEstimate: { bytesPerToken: llm.bytesPerToken, perMessage: 8 },
  });
  return {
    router,
    templateFallback,
    ledger,
    cacheName: cache?.name ?? "off",
    close: async () => {
      await redis?.close();
    },
  };
}

/** Prices and limits of `model` from `llm.models`; unknown models have no price. */
export function modelInfo(llm: LlmConfig, model: string): ModelInfo {
  const entry = llm.models[model];
  return {
    inputPer1k: entry?.inputPer1k ?? null,
    outputPer1k: entry?.outputPer1k ?? null,
    maxOutputTokens: entry?.maxOutputTokens ?? llm.maxOutputTokens,
  };
}

/** The adapter of `name`; the SDKs (about 1 s to load together) are imported only when selected. */
async function portFor(
  name: "bedrock" | "azure" | "openai",
  llm: LlmConfig,
  options: RuntimeOptions,
): Promise<ProviderPort> {
  const missing = (field: string, how: string) =>
    new ConfigError("config.provider-incomplete", `provider ${name} needs llm.${name}.${field}`, {
      hint: how,
    });
  const where = (env: string) => `set it in .qlf.yml or ~/.config/qlf/config.yaml, or with ${env}`;
  // Secrets are refused in project files (they are committed), so the hint does not offer one.
  const secret = (env: string) => `set ${env} in the environment (or the key in ~/.config/qlf/config.yaml)`;
  switch (name) {
    case "bedrock": {
      if (llm.bedrock.model === null) throw missing("model", where("--model or QLF_BEDROCK_MODEL"));
      const { bedrockPort } = await import("./bedrock.js");
      return bedrockPort({
        modelId: llm.bedrock.model,
        region: llm.bedrock.region ?? undefined,
        ...(options.bedrockClient === undefined ? {} : { client: options.bedrockClient }),
      });
    }
    case "azure": {
      if (llm.azure.endpoint === null) throw missing("endpoint", where("AZURE_OPENAI_ENDPOINT"));
      if (llm.azure.deployment === null)
        throw missing("deployment", where("--model or AZURE_OPENAI_DEPLOYMENT"));
      if (llm.azure.apiKey === null && llm.azure.adToken === null) {
        throw missing("apiKey", `${secret("AZURE_OPENAI_API_KEY")}, or AZURE_OPENAI_AD_TOKEN for Entra ID`);
      }
      const { azurePort } = await import("./openai.js");
      return azurePort({
        endpoint: llm.azure.endpoint,
        deployment: llm.azure.deployment,
        apiVersion: llm.azure.apiVersion,
        apiKey: llm.azure.apiKey ?? undefined,
        adToken: llm.azure.adToken ?? undefined,
        maxTokensParameter: llm.azure.maxTokensParameter,
      });
    }
    case "openai": {
      if (llm.openai.model === null) throw missing("model", where("--model or QLF_OPENAI_MODEL"));
      const official = new URL(llm.openai.baseUrl).hostname === "api.openai.com";
      if (llm.openai.apiKey === null && official) throw missing("apiKey", secret("OPENAI_API_KEY"));
      const { openaiPort } = await import("./openai.js");
      return openaiPort({
        model: llm.openai.model,
        // Local OpenAI-compatible servers (vLLM, Ollama) usually take any key.
        apiKey: llm.openai.apiKey ?? "unused",
        baseURL: llm.openai.baseUrl,
        maxTokensParameter: llm.openai.maxTokensParameter,
      });
    }
  }
}
