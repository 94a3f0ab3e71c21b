/**
 * OpenAI and Azure OpenAI adapters (the `openai` package, v7). `openaiPort` talks to api.openai.com
 * or any OpenAI-compatible server through `baseURL` (vLLM, Ollama, LiteLLM, Azure's v1 API);
 * `azurePort` uses `AzureOpenAI` with a deployment and API version, authenticated by key or by an
 * Entra ID token. The SDK's own retries are off: the router decides.
 */
import OpenAI, { AzureOpenAI } from "openai";
import {
  type ChatMessage,
  type ProviderAnswer,
  type ProviderCall,
  ProviderCallError,
  type ProviderPort,
} from "../../kernel/index.js";
import { isNetworkError, kindForStatus, retryAfterMs, schemaForProvider } from "./http-errors.js";

/** Which request field carries the answer limit: newer OpenAI models want `max_completion_tokens`. */
export type MaxTokensParameter = "max_tokens" | "max_completion_tokens";

export interface OpenAiPortOptions {
  readonly model: string;
  readonly apiKey: string;
  /** e.g. `http://127.0.0.1:8000/v1` for vLLM; default `https://api.openai.com/v1`. */
  readonly baseURL?: string | undefined;
  readonly maxTokensParameter?: MaxTokensParameter | undefined;
  /** Only for tests (default 0: the router retries). */
  readonly maxRetries?: number;
}

export interface AzurePortOptions {
  /** `https://<resource>.openai.azure.com/` */
  readonly endpoint: string;
  readonly deployment: string;
  readonly apiVersion: string;
  /** Exactly one of `apiKey` and `adToken` (a Microsoft Entra ID access token). */
  readonly apiKey?: string | undefined;
  readonly adToken?: string | undefined;
  readonly maxTokensParameter?: MaxTokensParameter | undefined;
  readonly maxRetries?: number;
}

/**
 * @example
 * const port = openaiPort({ model: "gpt-4o-mini", apiKey: process.env.OPENAI_API_KEY ?? "" });
 * const port2 = openaiPort({ model: "llama3.1", apiKey: "none", baseURL: "http://127.0.0.1:11434/v1" });
 */
export function openaiPort(options: OpenAiPortOptions): ProviderPort {
  const baseURL = options.baseURL ?? "https://api.openai.com/v1";
  const client = new OpenAI({ apiKey: options.apiKey, baseURL, maxRetries: options.maxRetries ?? 0 });
  return {
    provider: "openai",
    model: options.model,
    endpoint: baseURL,
    complete: (call) => chat(client, options.model, call, options.maxTokensParameter ?? "max_tokens"),
  };
}

/**
 * @example
 * const port = azurePort({ endpoint: "https://acme.openai.azure.com/", deployment: "gpt-4o", apiVersion: "2024-10-21", apiKey });
 */
export function azurePort(options: AzurePortOptions): ProviderPort {
  const auth =
    options.adToken !== undefined
      ? { azureADTokenProvider: () => Promise.resolve(options.adToken as string) }
      : { apiKey: options.apiKey };
  const client = new AzureOpenAI({
    endpoint: options.endpoint,
    deployment: options.deployment,
    apiVersion: options.apiVersion,
    maxRetries: options.maxRetries ?? 0,
    ...auth,
  });
  return {
    provider: "azure",
    model: options.deployment,
    endpoint: `${options.endpoint.replace(/\/+$/, "")}/openai/deployments/${options.deployment}?api-version=${options.apiVersion}`,
    complete: (call) => chat(client, options.deployment, call, options.maxTokensParameter ?? "max_tokens"),
  };
}

async function chat(
  client: OpenAI,
  model: string,
  call: ProviderCall,
  maxTokensParameter: MaxTokensParameter,
): Promise<ProviderAnswer> {
  const body: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming = {
    model,
    messages: call.messages.map(toOpenAiMessage),
    temperature: call.temperature,
    [maxTokensParameter]: call.maxTokens,
  };
  if (call.format.kind === "json") {
    body.response_format = {
      type: "json_schema",
      json_schema: {
        name: call.format.name,
        description: call.format.description,
        schema: schemaForProvider(call.format.schema),
        // Strict mode refuses common JSON Schema keywords (pattern limits, optional keys); the
        // answer is validated with the zod schema anyway.
        strict: false,
      },
    };
  }
  let completion: OpenAI.Chat.ChatCompletion;
  try {
    completion = await client.chat.completions.create(body, { signal: call.signal });
  } catch (error) {
    throw toCallError(error);
  }
  const choice = completion.choices[0];
  if (choice === undefined) {
    throw new ProviderCallError("server", "the answer has no choices");
  }
  const text = choice.message.content ?? choice.message.refusal ?? "";
  return {
    text,
    inputTokens: completion.usage?.prompt_tokens ?? 0,
    outputTokens: completion.usage?.completion_tokens ?? 0,
    stopReason: choice.finish_reason,
  };
}

function toOpenAiMessage(message: ChatMessage): OpenAI.Chat.ChatCompletionMessageParam {
  return { role: message.role, content: message.content };
}

function toCallError(error: unknown): ProviderCallError {
  if (error instanceof ProviderCallError) return error;
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new ProviderCallError("timeout", "the request timed out", { cause: error });
  }
  if (error instanceof OpenAI.APIUserAbortError) {
    return new ProviderCallError("timeout", "the request was aborted", { cause: error });
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return new ProviderCallError("network", `cannot connect: ${describe(error)}`, { cause: error });
  }
  if (error instanceof OpenAI.APIError && typeof error.status === "number") {
    const headers = error.headers;
    return new ProviderCallError(kindForStatus(error.status), describe(error), {
      status: error.status,
      retryAfterMs: headers === undefined ? undefined : retryAfterMs((name) => headers.get(name)),
      cause: error,
    });
  }
  if (isNetworkError(error)) return new ProviderCallError("network", describe(error), { cause: error });
  return new ProviderCallError("server", describe(error), { cause: error });
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return `${error.message}${cause}`.replace(/\s+/g, " ").slice(0, 300);
}
