/**
 * The adapters on the real wire formats (nock, net connect disabled): Bedrock Converse, Azure
 * OpenAI and OpenAI chat completions, behind the router, with SOC validation.
 */
import { NodeHttpHandler } from "@smithy/node-http-handler";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  BudgetExceededError,
  createRouter,
  formatSoc,
  jsonValidator,
  Ledger,
  type LlmRequest,
  LlmUnavailableError,
  memoryCache,
  type ProviderPort,
  socValidator,
} from "../../src/kernel/index.js";
import { bedrockPort } from "../../src/services/llm/bedrock.js";
import { azurePort, openaiPort } from "../../src/services/llm/openai.js";
import { fakeEnvironment, PRICED, routed } from "./fakes.js";

const OPENAI = "https://api.openai.test";
const AZURE = "https://acme.openai.azure.com";
const BEDROCK = "https://bedrock-runtime.us-east-1.amazonaws.com";
const MODEL_ID = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const CONVERSE = `/model/${encodeURIComponent(MODEL_ID)}/converse`;
const AZURE_PATH = "/openai/deployments/gpt-4o-prod/chat/completions";

const files = [{ path: "src/app.ts", content: "export const app = 1;\n", mode: 0o644 as const }];
const GOOD = formatSoc(files);
const validate = socValidator({ policy: { allowWorkflows: false }, expectedPaths: ["src/app.ts"] });
const request: LlmRequest = {
  agent: "backend",
  messages: [
    { role: "system", content: "Answer in SOC." },
    { role: "user", content: "Write src/app.ts" },
  ],
  maxTokens: 512,
  temperature: 0,
  format: { kind: "text" },
};

const openai = () => openaiPort({ model: "gpt-4o-mini", apiKey: "sk-test", baseURL: `${OPENAI}/v1` });
const azure = () =>
  azurePort({ endpoint: `${AZURE}/`, deployment: "gpt-4o-prod", apiVersion: "2024-10-21", apiKey: "az-key" });
const bedrock = () =>
  bedrockPort({
    modelId: MODEL_ID,
    region: "us-east-1",
    client: {
      requestHandler: new NodeHttpHandler(),
      credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
    },
  });

function chatCompletion(content: string, finish = "stop") {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "gpt-4o-mini",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, refusal: null },
        logprobs: null,
        finish_reason: finish,
      },
    ],
    usage: { prompt_tokens: 120, completion_tokens: 40, total_tokens: 160 },
  };
}

function converseOutput(content: unknown[], stopReason = "end_turn") {
  return {
    output: { message: { role: "assistant", content } },
    stopReason,
    usage: { inputTokens: 200, outputTokens: 60, totalTokens: 260 },
    metrics: { latencyMs: 321 },
  };
}

const bedrockError = (status: number, type: string, message: string) =>
  [
    status,
    { message },
    {
      "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      "content-type": "application/json",
    },
  ] as const;

function router(ports: ProviderPort[], options: { budget?: number; cache?: boolean } = {}) {
  const env = fakeEnvironment(() => 0.5, 10_000);
  return {
    env,
    router: createRouter({
      providers: ports.map((port) => routed(port, PRICED)),
      ledger: new Ledger(options.budget ?? null),
      environment: env,
      cache: options.cache === true ? memoryCache() : undefined,
    }),
  };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe("OpenAI (chat completions)", () => {
  it("posts the messages with the key and reads text and usage", async () => {
    let body: Record<string, unknown> = {};
    const scope = nock(OPENAI, { reqheaders: { authorization: "Bearer sk-test" } })
      .post("/v1/chat/completions")
      .reply(async (req: Request) => {
        body = (await req.json()) as Record<string, unknown>;
        return [200, chatCompletion(GOOD)];
      });
    const { router: r } = router([openai()]);
    const result = await r.complete(request, validate);
    expect(result.value).toEqual(files);
    expect(body).toMatchObject({
      model: "gpt-4o-mini",
      max_tokens: 512,
      temperature: 0,
      messages: request.messages,
    });
    expect(r.ledger.calls[0]).toMatchObject({
      outcome: "ok",
      inputTokens: 120,
      outputTokens: 40,
      provider: "openai",
    });
    expect(scope.isDone()).toBe(true);
  });

  it("asks for structured output with response_format json_schema", async () => {
    let body: Record<string, unknown> = {};
    nock(OPENAI)
      .post("/v1/chat/completions")
      .reply(async (req: Request) => {
        body = (await req.json()) as Record<string, unknown>;
        return [200, chatCompletion('{"name":"clinic"}')];
      });
    const schema = { $schema: "https://json-schema.org/draft/2020-12/schema", type: "object" };
    const { router: r } = router([openai()]);
    const result = await r.complete(
      { ...request, format: { kind: "json", name: "ir", description: "the IR", schema } },
      jsonValidator(z.object({ name: z.string() })),
    );
    expect(result.value).toEqual({ name: "clinic" });
    expect(body.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "ir", description: "the IR", schema: { type: "object" }, strict: false },
    });
  });

  it("waits out a 429 with Retry-After, then succeeds", async () => {
    nock(OPENAI)
      .post("/v1/chat/completions")
      .reply(
        429,
        { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } },
        { "retry-after": "3" },
      )
      .post("/v1/chat/completions")
      .reply(200, chatCompletion(GOOD));
    const { router: r, env } = router([openai()]);
    expect((await r.complete(request, validate)).provider).toBe("openai");
    expect(env.sleeps).toEqual([3000]);
    expect(r.ledger.calls.map((call) => call.outcome)).toEqual(["throttled", "ok"]);
  });

  it("sends a malformed answer back with the parser's feedback, then accepts the retry", async () => {
    const bodies: Array<{ messages: Array<{ role: string; content: string }> }> = [];
    nock(OPENAI)
      .post("/v1/chat/completions")
      .times(2)
      .reply(async (req: Request) => {
        bodies.push((await req.json()) as (typeof bodies)[number]);
        return [
          200,
          chatCompletion(bodies.length === 1 ? `Sure! Here is the file:\n\`\`\`ts\n${GOOD}\`\`\`\n` : GOOD),
        ];
      });
    const { router: r } = router([openai()]);
    expect((await r.complete(request, validate)).value).toEqual(files);
    const retry = bodies[1]?.messages ?? [];
    expect(retry.at(-2)).toMatchObject({ role: "assistant", content: expect.stringContaining("Sure! Here") });
    expect(retry.at(-1)?.content).toMatch(
      /rejected at line 1, column 1: text before the first file block \("Sure! Here is the file:"\)/,
    );
  });

  it("makes no request on a cache hit", async () => {
    const scope = nock(OPENAI).post("/v1/chat/completions").once().reply(200, chatCompletion(GOOD));
    const { router: r } = router([openai()], { cache: true });
    await r.complete(request, validate);
    expect(scope.isDone()).toBe(true);
    // No interceptor is left: a second request would fail with "Nock: No match".
    const again = await r.complete(request, validate);
    expect(again.cached).toBe(true);
    expect(r.ledger.total()).toMatchObject({ calls: 1, cacheHits: 1, inputTokens: 120 });
  });

  it("stops before a call that could exceed the budget, without a request", async () => {
    const scope = nock(OPENAI).post("/v1/chat/completions").reply(200, chatCompletion(GOOD));
    const { router: r } = router([openai()], { budget: 0.0005 });
    await expect(r.complete(request, validate)).rejects.toBeInstanceOf(BudgetExceededError);
    expect(scope.isDone()).toBe(false);
  });
});

describe("Azure OpenAI", () => {
  it("posts to the deployment with api-version and the api-key header", async () => {
    let url = "";
    const scope = nock(AZURE, { reqheaders: { "api-key": "az-key" } })
      .post(AZURE_PATH)
      .query({ "api-version": "2024-10-21" })
      .reply(async (req: Request) => {
        url = req.url;
        return [200, chatCompletion(GOOD)];
      });
    const { router: r } = router([azure()]);
    expect((await r.complete(request, validate)).provider).toBe("azure");
    expect(url).toBe(`${AZURE}${AZURE_PATH}?api-version=2024-10-21`);
    expect(scope.isDone()).toBe(true);
  });

  it("authenticates with an Entra ID token as a bearer token", async () => {
    nock(AZURE, { reqheaders: { authorization: "Bearer entra-token" }, badheaders: ["api-key"] })
      .post(AZURE_PATH)
      .query(true)
      .reply(200, chatCompletion(GOOD));
    const port = azurePort({
      endpoint: AZURE,
      deployment: "gpt-4o-prod",
      apiVersion: "2024-10-21",
      adToken: "entra-token",
    });
    const { router: r } = router([port]);
    expect((await r.complete(request, validate)).provider).toBe("azure");
  });

  it("throttled (429 + retry-after-ms), then success", async () => {
    nock(AZURE)
      .post(AZURE_PATH)
      .query(true)
      .reply(
        429,
        {
          error: {
            code: "429",
            message: "Requests have exceeded token rate limit. Please retry after 1 second.",
          },
        },
        {
          "retry-after-ms": "1500",
          "retry-after": "2",
        },
      )
      .post(AZURE_PATH)
      .query(true)
      .reply(200, chatCompletion(GOOD));
    const { router: r, env } = router([azure()]);
    await r.complete(request, validate);
    expect(env.sleeps).toEqual([1500]);
  });

  it("Azure down (503) → Bedrock answers", async () => {
    const down = nock(AZURE)
      .post(AZURE_PATH)
      .query(true)
      .times(3)
      .reply(503, {
        error: { code: "ServiceUnavailable", message: "The service is temporarily unavailable." },
      });
    nock(BEDROCK)
      .post(CONVERSE)
      .reply(200, converseOutput([{ text: GOOD }]));
    const { router: r } = router([azure(), bedrock()]);
    const result = await r.complete(request, validate);
    expect(result).toMatchObject({ provider: "bedrock", model: MODEL_ID });
    expect(down.isDone()).toBe(true);
    expect(r.ledger.calls.map((call) => `${call.provider}:${call.outcome}`)).toEqual([
      "azure:server",
      "azure:server",
      "azure:server",
      "bedrock:ok",
    ]);
  });
});

describe("Bedrock Converse", () => {
  it("posts system, messages and inference config to /model/{id}/converse, signed", async () => {
    let body: Record<string, unknown> = {};
    let auth = "";
    nock(BEDROCK)
      .post(CONVERSE)
      .reply(async (req: Request) => {
        auth = req.headers.get("authorization") ?? "";
        body = (await req.json()) as Record<string, unknown>;
        return [200, converseOutput([{ text: GOOD }])];
      });
    const { router: r } = router([bedrock()]);
    const result = await r.complete(request, validate);
    expect(result.value).toEqual(files);
    expect(auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    expect(body).toEqual({
      system: [{ text: "Answer in SOC." }],
      messages: [{ role: "user", content: [{ text: "Write src/app.ts" }] }],
      inferenceConfig: { maxTokens: 512, temperature: 0 },
    });
    expect(r.ledger.calls[0]).toMatchObject({ inputTokens: 200, outputTokens: 60, provider: "bedrock" });
  });

  it("asks for structured output through a forced tool and reads the tool input", async () => {
    let body: { toolConfig?: unknown } = {};
    nock(BEDROCK)
      .post(CONVERSE)
      .reply(async (req: Request) => {
        body = (await req.json()) as typeof body;
        return [
          200,
          converseOutput(
            [{ toolUse: { toolUseId: "t1", name: "ir", input: { name: "clinic" } } }],
            "tool_use",
          ),
        ];
      });
    const { router: r } = router([bedrock()]);
    const result = await r.complete(
      { ...request, format: { kind: "json", name: "ir", description: "the IR", schema: { type: "object" } } },
      jsonValidator(z.object({ name: z.string() })),
    );
    expect(result.value).toEqual({ name: "clinic" });
    expect(body.toolConfig).toEqual({
      tools: [{ toolSpec: { name: "ir", description: "the IR", inputSchema: { json: { type: "object" } } } }],
      toolChoice: { tool: { name: "ir" } },
    });
  });

  it("ThrottlingException, then success", async () => {
    nock(BEDROCK)
      .post(CONVERSE)
      .reply(
        ...bedrockError(429, "ThrottlingException", "Too many requests, please wait before trying again."),
      )
      .post(CONVERSE)
      .reply(200, converseOutput([{ text: GOOD }]));
    const { router: r, env } = router([bedrock()]);
    await r.complete(request, validate);
    expect(r.ledger.calls.map((call) => call.outcome)).toEqual(["throttled", "ok"]);
    expect(env.sleeps).toEqual([250]);
  });

  it("a refusal is rejected, sent back, and the retry accepted", async () => {
    const bodies: Array<{ messages: Array<{ role: string; content: Array<{ text: string }> }> }> = [];
    nock(BEDROCK)
      .post(CONVERSE)
      .times(2)
      .reply(async (req: Request) => {
        bodies.push((await req.json()) as (typeof bodies)[number]);
        return [
          200,
          converseOutput([{ text: bodies.length === 1 ? "I'm sorry, I can't help with that." : GOOD }]),
        ];
      });
    const { router: r } = router([bedrock()]);
    await r.complete(request, validate);
    expect(bodies[1]?.messages.map((message) => message.role)).toEqual(["user", "assistant", "user"]);
    expect(bodies[1]?.messages[2]?.content[0]?.text).toContain("a refusal or apology");
  });

  it("every provider down → a clean error naming each, and no more requests than the retry policy allows", async () => {
    nock(BEDROCK)
      .post(CONVERSE)
      .times(3)
      .reply(
        ...bedrockError(503, "ServiceUnavailableException", "Bedrock is unable to process your request."),
      );
    nock(OPENAI)
      .post("/v1/chat/completions")
      .times(3)
      .reply(500, { error: { message: "internal error" } });
    nock(AZURE)
      .post(AZURE_PATH)
      .query(true)
      .reply(401, { error: { code: "401", message: "Access denied due to invalid subscription key." } });
    const { router: r } = router([bedrock(), openai(), azure()]);
    const error = (await r
      .complete(request, validate)
      .catch((caught: unknown) => caught)) as LlmUnavailableError;
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error.message).toContain(`bedrock (${MODEL_ID}): server (HTTP 503): ServiceUnavailableException`);
    expect(error.message).toContain("openai (gpt-4o-mini): server (HTTP 500)");
    expect(error.message).toContain("azure (gpt-4o-prod): auth (HTTP 401)");
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("a refused connection is a network failure, for both SDKs", async () => {
    // A real refused connection on the loopback (nothing listens on port 9); nock lets only it through.
    nock.enableNetConnect("127.0.0.1");
    try {
      const port = bedrockPort({
        modelId: MODEL_ID,
        region: "us-east-1",
        client: {
          endpoint: "http://127.0.0.1:9",
          requestHandler: new NodeHttpHandler(),
          credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
        },
      });
      const local = openaiPort({ model: "m", apiKey: "none", baseURL: "http://127.0.0.1:9/v1" });
      const { router: r } = router([port, local]);
      const error = (await r
        .complete(request, validate)
        .catch((caught: unknown) => caught)) as LlmUnavailableError;
      expect(error.failures.map((failure) => failure.reason.split(":")[0])).toEqual(["network", "network"]);
      expect(error.failures[0]?.reason).toContain("ECONNREFUSED");
    } finally {
      nock.disableNetConnect();
    }
  });
});
