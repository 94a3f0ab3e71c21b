/**
 * The qlf configuration: one zod schema, validated once at the boundary. Model names, prices and
 * limits are configuration, not code: nothing here names a model or a price.
 *
 * Hierarchy (later wins): defaults < user file (`~/.config/qlf/config.yaml`) < project file
 * (`.qlf.yml`; `.github/qlf.yml` for the App) < environment variables < command-line flags.
 *
 * @example .qlf.yml
 * llm:
 *   providers: [bedrock, azure, template]   # tried in order; template = last-resort fallback
 *   budgetUsd: 3
 *   bedrock: { model: anthropic.claude-3-5-sonnet-20240620-v1:0, region: us-east-1 }
 *   azure: { endpoint: https://acme.openai.azure.com/, deployment: gpt-4o, apiVersion: 2024-10-21 }
 *   models:
 *     anthropic.claude-3-5-sonnet-20240620-v1:0: { inputPer1k: 0.003, outputPer1k: 0.015, maxOutputTokens: 8192 }
 *     gpt-4o: { inputPer1k: 0.0025, outputPer1k: 0.01, maxOutputTokens: 16384 }
 */
import { z } from "zod";

export const ProviderChoice = z.enum(["bedrock", "azure", "openai", "template"]);
export type ProviderChoice = z.infer<typeof ProviderChoice>;

export const LLM_AGENTS = ["database", "api", "backend", "frontend", "ops"] as const;

const positive = z.number().positive();
const count = z.number().int().positive();

export const ModelPrice = z.strictObject({
  /** USD per 1 000 input (prompt) tokens. */
  inputPer1k: z.number().nonnegative(),
  /** USD per 1 000 output tokens. */
  outputPer1k: z.number().nonnegative(),
  /** Most tokens the model may answer with (default: llm.maxOutputTokens). */
  maxOutputTokens: count.optional(),
});

export const LlmConfig = z.strictObject({
  /**
   * Providers in the order the router tries them. `template` (the deterministic generators) may
   * only come last: alone it means "no LLM"; after others it is the fallback when all fail.
   */
  providers: z
    .array(ProviderChoice)
    .min(1)
    .refine((list) => !list.slice(0, -1).includes("template"), "template may only be the last provider")
    .refine((list) => new Set(list).size === list.length, "a provider is listed twice"),
  /** Stop the run before a call could take its cost over this (USD); null for no limit. */
  budgetUsd: positive.nullable(),
  /** Default answer limit when the model's entry has none. */
  maxOutputTokens: count,
  temperature: z.number().min(0).max(2),
  /** LLM calls in flight at once. */
  concurrency: count.max(16),
  /** Ask the model to complete the IR (structured output), merged with the heuristic compiler's. */
  understand: z.boolean(),
  /** refine: the model gets the template's draft of each file; scratch: only the plan and the paths. */
  mode: z.enum(["refine", "scratch"]),
  /** Agents whose files the model writes; the others stay with the templates. */
  agents: z.array(z.enum(LLM_AGENTS)),
  cache: z.strictObject({
    enabled: z.boolean(),
    /** Disk cache directory (used when no Redis URL is set). */
    dir: z.string().min(1),
    /** Entries older than this are ignored and replaced. */
    ttlDays: positive,
    /** Set from REDIS_URL: the cache then lives in Redis (shared by workers) instead of on disk. */
    redisUrl: z
      .string()
      .regex(/^rediss?:\/\//, "a redis:// or rediss:// URL")
      .nullable(),
  }),
  retry: z.strictObject({
    maxAttempts: count.max(10),
    baseDelayMs: count,
    maxDelayMs: count,
    maxRetryAfterMs: count,
    timeoutMs: count,
  }),
  breaker: z.strictObject({ failureThreshold: count, cooldownMs: count }),
  /** UTF-8 bytes per token assumed when estimating a call's cost (1 = a guaranteed upper bound). */
  bytesPerToken: positive.max(8),
  repair: z.strictObject({ maxRounds: z.number().int().min(0).max(10) }),
  bedrock: z.strictObject({
    /** Model id or inference profile, e.g. `anthropic.claude-3-5-sonnet-20240620-v1:0`. */
    model: z.string().min(1).nullable(),
    /** Default: the AWS chain (AWS_REGION, ~/.aws/config). */
    region: z.string().min(1).nullable(),
  }),
  azure: z.strictObject({
    endpoint: z.url().nullable(),
    deployment: z.string().min(1).nullable(),
    apiVersion: z.string().min(1),
    apiKey: z.string().min(1).nullable(),
    /** A Microsoft Entra ID access token, used instead of the key. */
    adToken: z.string().min(1).nullable(),
    maxTokensParameter: z.enum(["max_tokens", "max_completion_tokens"]),
  }),
  openai: z.strictObject({
    model: z.string().min(1).nullable(),
    /** Any OpenAI-compatible server: vLLM, Ollama, LiteLLM, Azure's v1 API. */
    baseUrl: z.url(),
    apiKey: z.string().min(1).nullable(),
    maxTokensParameter: z.enum(["max_tokens", "max_completion_tokens"]),
  }),
  /** Prices and limits per model name (Bedrock model id, Azure deployment, OpenAI model). */
  models: z.record(z.string().min(1), ModelPrice),
});
export type LlmConfig = z.infer<typeof LlmConfig>;

/**
 * Other top-level sections of `.github/qlf.yml` belong to other features (the App reads its own);
 * only `llm` is defined here, and checked strictly.
 */
export const QlfConfig = z.looseObject({ llm: LlmConfig });
export type QlfConfig = z.infer<typeof QlfConfig>;

/** Paths (dotted) whose values are secrets: masked by `qlf config show`, refused in project files. */
export const SECRET_PATHS: ReadonlySet<string> = new Set([
  "llm.azure.apiKey",
  "llm.azure.adToken",
  "llm.openai.apiKey",
  "llm.cache.redisUrl",
]);

/** The defaults layer. Structural only: no model, price or endpoint a user has not chosen. */
export function defaultConfig(home: string): QlfConfig {
  return {
    llm: {
      providers: ["template"],
      budgetUsd: null,
      maxOutputTokens: 8192,
      temperature: 0,
      concurrency: 4,
      understand: true,
      mode: "refine",
      agents: [...LLM_AGENTS],
      cache: { enabled: true, dir: `${home}/.cache/qlf/llm`, ttlDays: 30, redisUrl: null },
      retry: {
        maxAttempts: 3,
        baseDelayMs: 500,
        maxDelayMs: 20_000,
        maxRetryAfterMs: 30_000,
        timeoutMs: 120_000,
      },
      breaker: { failureThreshold: 5, cooldownMs: 60_000 },
      bytesPerToken: 1,
      repair: { maxRounds: 3 },
      bedrock: { model: null, region: null },
      azure: {
        endpoint: null,
        deployment: null,
        apiVersion: "2024-10-21",
        apiKey: null,
        adToken: null,
        maxTokensParameter: "max_tokens",
      },
      openai: {
        model: null,
        baseUrl: "https://api.openai.com/v1",
        apiKey: null,
        maxTokensParameter: "max_tokens",
      },
      models: {},
    },
  };
}
