/**
 * Amazon Bedrock adapter: the Converse API, any model by id (Claude, Llama, Mistral, Nova…).
 * Structured output uses tool use: one tool whose input schema is the requested JSON Schema, and
 * `toolChoice` forcing it; the tool input is the answer. Region and credentials come from the
 * standard AWS chain unless given. The SDK's own retries are off (`maxAttempts: 1`): the router
 * decides.
 */
import {
  BedrockRuntimeClient,
  type BedrockRuntimeClientConfig,
  type ContentBlock,
  ConverseCommand,
  type ConverseCommandInput,
  type ConverseCommandOutput,
  type Message,
} from "@aws-sdk/client-bedrock-runtime";
import type { DocumentType } from "@smithy/types";
import {
  type ProviderAnswer,
  type ProviderCall,
  ProviderCallError,
  type ProviderPort,
} from "../../kernel/index.js";
import { isNetworkError, kindForStatus, retryAfterMs, schemaForProvider } from "./http-errors.js";

export interface BedrockPortOptions {
  /** e.g. `anthropic.claude-3-5-sonnet-20240620-v1:0` or an inference profile id. */
  readonly modelId: string;
  /** Default: the AWS chain (AWS_REGION, ~/.aws/config). */
  readonly region?: string | undefined;
  /**
   * Extra client configuration: tests pass `requestHandler: new NodeHttpHandler()` (HTTP/1, which
   * nock intercepts) and static `credentials`.
   */
  readonly client?: Partial<BedrockRuntimeClientConfig>;
}

const FAILURE_BY_NAME: Readonly<Record<string, ProviderCallError["kind"]>> = {
  ThrottlingException: "throttled",
  ServiceQuotaExceededException: "throttled",
  TooManyRequestsException: "throttled",
  ModelTimeoutException: "timeout",
  TimeoutError: "timeout",
  AbortError: "timeout",
  InternalServerException: "server",
  ServiceUnavailableException: "server",
  ModelNotReadyException: "server",
  ModelErrorException: "server",
  AccessDeniedException: "auth",
  UnrecognizedClientException: "auth",
  ExpiredTokenException: "auth",
  InvalidSignatureException: "auth",
  CredentialsProviderError: "auth",
  ValidationException: "bad-request",
  ResourceNotFoundException: "bad-request",
};

/**
 * @example
 * const port = bedrockPort({ modelId: "anthropic.claude-3-5-haiku-20241022-v1:0", region: "us-east-1" });
 */
export function bedrockPort(options: BedrockPortOptions): ProviderPort {
  const client = new BedrockRuntimeClient({
    maxAttempts: 1,
    ...(options.region === undefined ? {} : { region: options.region }),
    ...options.client,
  });
  return {
    provider: "bedrock",
    model: options.modelId,
    endpoint: `bedrock-runtime.${options.region ?? "default-region"}`,
    complete: (call) => converse(client, options.modelId, call),
  };
}

async function converse(
  client: BedrockRuntimeClient,
  modelId: string,
  call: ProviderCall,
): Promise<ProviderAnswer> {
  const system = call.messages
    .filter((message) => message.role === "system")
    .map((message) => ({ text: message.content }));
  const messages: Message[] = call.messages
    .filter((message) => message.role !== "system")
    .map((message) => ({ role: message.role as "user" | "assistant", content: [{ text: message.content }] }));
  const input: ConverseCommandInput = {
    modelId,
    messages,
    inferenceConfig: { maxTokens: call.maxTokens, temperature: call.temperature },
    ...(system.length > 0 ? { system } : {}),
  };
  if (call.format.kind === "json") {
    input.toolConfig = {
      tools: [
        {
          toolSpec: {
            name: call.format.name,
            description: call.format.description,
            inputSchema: { json: schemaForProvider(call.format.schema) as DocumentType },
          },
        },
      ],
      toolChoice: { tool: { name: call.format.name } },
    };
  }
  let output: ConverseCommandOutput;
  try {
    output = await client.send(new ConverseCommand(input), { abortSignal: call.signal });
  } catch (error) {
    throw toCallError(error);
  }
  const content: ContentBlock[] = output.output?.message?.content ?? [];
  const tool = content.find((block) => block.toolUse !== undefined)?.toolUse;
  const text =
    call.format.kind === "json" && tool !== undefined
      ? JSON.stringify(tool.input)
      : content.map((block) => block.text ?? "").join("");
  return {
    text,
    inputTokens: output.usage?.inputTokens ?? 0,
    outputTokens: output.usage?.outputTokens ?? 0,
    stopReason: output.stopReason ?? "unknown",
  };
}

function toCallError(error: unknown): ProviderCallError {
  if (error instanceof ProviderCallError) return error;
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : String(error);
  const meta = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  const status = meta?.httpStatusCode;
  const headers = (error as { $response?: { headers?: Record<string, string> } } | null)?.$response?.headers;
  const wait = headers === undefined ? undefined : retryAfterMs((header) => headers[header]);
  const byName = FAILURE_BY_NAME[name];
  const kind =
    byName ?? (isNetworkError(error) ? "network" : status === undefined ? "server" : kindForStatus(status));
  return new ProviderCallError(kind, `${name === "" ? "" : `${name}: `}${message}`.slice(0, 300), {
    status,
    retryAfterMs: wait,
    cause: error,
  });
}
