/**
 * The LLM port: what the kernel needs from a model provider, and nothing more. Adapters for
 * Bedrock, Azure OpenAI and OpenAI-compatible servers live in `src/services/llm/`; the kernel only
 * sees `ProviderPort`, so every router decision is testable with a fake.
 */

export type ChatRole = "system" | "user" | "assistant";

export interface ChatMessage {
  readonly role: ChatRole;
  readonly content: string;
}

/**
 * How the answer must be shaped. `json` asks for structured output (Converse tool use on Bedrock,
 * `response_format: json_schema` on OpenAI and Azure); the answer text is then the JSON document.
 */
export type ResponseFormat =
  | { readonly kind: "text" }
  | {
      readonly kind: "json";
      /** Tool or schema name, `[a-zA-Z0-9_-]{1,64}`. */
      readonly name: string;
      readonly description: string;
      readonly schema: Readonly<Record<string, unknown>>;
    };

/** One request as the pipeline states it; the router adds the model and provider. */
export interface LlmRequest {
  /** Which agent asks (`backend`, `understand`, `repair`…), for accounting. */
  readonly agent: string;
  readonly messages: readonly ChatMessage[];
  /** Upper bound on answer tokens; also what the budget reserves for the answer. */
  readonly maxTokens: number;
  readonly temperature: number;
  readonly format: ResponseFormat;
}

/** What an adapter receives: the request plus a signal that aborts it (timeouts). */
export interface ProviderCall {
  readonly messages: readonly ChatMessage[];
  readonly maxTokens: number;
  readonly temperature: number;
  readonly format: ResponseFormat;
  readonly signal: AbortSignal;
}

export interface ProviderAnswer {
  readonly text: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** The provider's own word: `end_turn`, `stop`, `max_tokens`, `length`, `tool_use`… */
  readonly stopReason: string;
}

/** Provider names as configured; `template` is not a port (it is the deterministic generators). */
export type ProviderName = "bedrock" | "azure" | "openai";

export interface ProviderPort {
  readonly provider: ProviderName;
  /** Model id (Bedrock), deployment (Azure) or model name (OpenAI-compatible). */
  readonly model: string;
  /**
   * Where the calls go (region, endpoint + deployment, base URL). Part of the cache key, so two
   * servers that serve a model of the same name never share answers.
   */
  readonly endpoint: string;
  /**
   * Sends one request. Throws `ProviderCallError` for every failure it can classify (throttled,
   * timeout, server, network, auth, bad-request); anything else counts as a server failure.
   */
  complete(call: ProviderCall): Promise<ProviderAnswer>;
}

/** Prices and limits of one model, from configuration (never from code). */
export interface ModelInfo {
  /** USD per 1 000 input tokens; null when unknown (then no budget can be enforced). */
  readonly inputPer1k: number | null;
  /** USD per 1 000 output tokens. */
  readonly outputPer1k: number | null;
  /** Most tokens the model may answer with. */
  readonly maxOutputTokens: number;
}

/** Clock, sleep and randomness, injected so that the router is pure and its tests instant. */
export interface RouterEnvironment {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Resolves after `ms`; rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Uniform in [0, 1). */
  random(): number;
}
