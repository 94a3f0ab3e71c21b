/**
 * `qlf generate --provider openai` end to end, through the bundled CLI, against a local fake
 * OpenAI-compatible server: the tree the model writes passes the SOC parser and is the template's
 * tree (so it passes the same checks); then cache, budget, failover and misbehaviour cases.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSocOrThrow } from "../../src/kernel/index.js";
import { echoDrafts } from "../fixtures/llm/echo-model.js";
import { type FakeOpenAi, startFakeOpenAi } from "../fixtures/llm/fake-openai-server.js";
import { runQlf } from "../helpers/cli.js";

const BRIEF =
  "Pharmacy API: pharmacists fill prescriptions for patients. Patients have a name and a date of birth. HIPAA applies.";
let server: FakeOpenAi;
let root: string;
let repo: string;
let n = 0;

beforeAll(async () => {
  server = await startFakeOpenAi();
  root = mkdtempSync(path.join(tmpdir(), "qlf-llm-cli-"));
  repo = path.join(root, "repo");
  mkdirSync(repo);
  // Prices live in configuration: the project file names the fake model's.
  writeFileSync(
    path.join(repo, ".qlf.yml"),
    "llm:\n  models:\n    fake-model: { inputPer1k: 0.001, outputPer1k: 0.002, maxOutputTokens: 32000 }\n",
  );
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

/** Runs qlf in the repo with its own HOME (so its own disk cache) and the fake server configured. */
function qlf(args: string[], options: { home?: string; env?: Record<string, string> } = {}) {
  return runQlf(args, {
    cwd: repo,
    timeoutMs: 60_000,
    env: {
      HOME: options.home ?? path.join(root, `home-${++n}`),
      XDG_CONFIG_HOME: undefined,
      REDIS_URL: undefined,
      QLF_PROVIDER: undefined,
      OPENAI_BASE_URL: server.baseUrl,
      OPENAI_API_KEY: "sk-fake",
      ...options.env,
    },
  });
}

function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (sub: string) => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub === "" ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else
        out.set(
          rel,
          `${(statSync(path.join(dir, rel)).mode & 0o777).toString(8)} ${readFileSync(path.join(dir, rel), "utf8")}`,
        );
    }
  };
  walk("");
  return out;
}

/** The fake server's provider and model, as `qlf generate` flags. */
const OPENAI_FAKE = ["--provider", "openai", "--model", "fake-model"];
const TODO_BRIEF = "Todo API: users create todos with a title.";

describe("qlf generate --provider openai (fake OpenAI-compatible server)", () => {
  const home = () => path.join(root, "home-shared");

  it("writes the model's tree, which passes the SOC parser and is the template's tree, and reports usage per agent", async () => {
    const out = path.join(root, "llm-app");
    const result = await qlf(["generate", BRIEF, ...OPENAI_FAKE, "--budget-usd", "5", "--out", out], {
      home: home(),
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const reference = path.join(root, "template-app");
    const template = await qlf(["generate", BRIEF, "--provider", "template", "--out", reference]);
    expect(template.code).toBe(0);
    expect(tree(out)).toEqual(tree(reference));

    // What the server answered is valid SOC for the files it was asked for.
    const generation = server.requests.filter((request) => request.body.response_format === undefined);
    expect(generation.length).toBeGreaterThan(3);
    for (const request of generation) {
      const prompt = request.body.messages.find((message) => message.role === "user")?.content ?? "";
      expect(
        parseSocOrThrow(echoDrafts(prompt), { policy: { allowWorkflows: true } }).length,
      ).toBeGreaterThan(0);
    }
    const understanding = server.requests.filter((request) => request.body.response_format !== undefined);
    expect(understanding).toHaveLength(1);
    expect(understanding[0]?.body.response_format).toMatchObject({
      type: "json_schema",
      json_schema: { name: "qlf_ir" },
    });
    expect(
      server.requests.every(
        (request) => request.authorization === "Bearer sk-fake" && request.body.model === "fake-model",
      ),
    ).toBe(true);

    expect(result.stdout).toMatch(/LLM: openai\/fake-model; cache memory\+disk; budget \$5\.00/);
    expect(result.stdout).toMatch(
      /agent\s+model\s+calls\s+cache hits\s+tokens in\s+tokens out\s+cost\s+latency/,
    );
    for (const agent of ["understand", "database", "api", "backend", "ops", "total"]) {
      expect(result.stdout).toMatch(
        new RegExp(
          `^${agent}\\s+(openai/fake-model)?\\s+\\d+\\s+0\\s+[\\d,]+\\s+[\\d,]+\\s+\\$\\d+\\.\\d{4}\\s+\\d`,
          "m",
        ),
      );
    }
    expect(result.stdout).toContain("Brief understood with openai/fake-model; nothing added");
  });

  it("a second run is served from the disk cache: no request, 0 tokens, $0", async () => {
    const before = server.requests.length;
    const out = path.join(root, "llm-app-cached");
    const result = await qlf(["generate", BRIEF, ...OPENAI_FAKE, "--json", "--out", out], {
      home: home(),
    });
    expect(result.code).toBe(0);
    expect(server.requests.length).toBe(before);
    const json = JSON.parse(result.stdout) as {
      llm: {
        total: { calls: number; cacheHits: number; inputTokens: number; costUsd: number };
        calls: Array<{ outcome: string }>;
      };
    };
    expect(json.llm.total).toMatchObject({ calls: 0, inputTokens: 0, costUsd: 0 });
    expect(json.llm.total.cacheHits).toBeGreaterThan(3);
    expect(json.llm.calls.every((call) => call.outcome === "cache-hit")).toBe(true);
    expect(tree(out)).toEqual(tree(path.join(root, "llm-app")));
  });

  it("stops before a call that would exceed the budget: exit 1, a clear message, nothing written, no request", async () => {
    const before = server.requests.length;
    const out = path.join(root, "over-budget");
    const result = await qlf([
      "generate",
      BRIEF,
      ...OPENAI_FAKE,
      "--budget-usd",
      "0.01",
      "--no-cache",
      "--out",
      out,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^qlf: error: stopped before the understand agent's next LLM call: it could cost up to \$0\.\d+, \$0\.00 of the \$0\.01 budget is spent; nothing was written/,
    );
    expect(result.stderr).toContain("--budget-usd");
    expect(existsSync(out)).toBe(false);
    expect(server.requests.length).toBe(before);
  });

  it("survives a 429, a 500 and an answer with prose around it (retry with feedback)", async () => {
    const before = server.requests.length;
    // The understanding call is throttled, then fails, then succeeds; the first generation answer has prose.
    server.script.push("429", "500", "none", "prose");
    const result = await qlf([
      "generate",
      TODO_BRIEF,
      ...OPENAI_FAKE,
      "--json",
      "--out",
      path.join(root, "flaky"),
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as {
      llm: { calls: Array<{ agent: string; outcome: string; detail?: string }> };
    };
    expect(json.llm.calls.slice(0, 3).map((call) => `${call.agent}:${call.outcome}`)).toEqual([
      "understand:throttled",
      "understand:server",
      "understand:ok",
    ]);
    const rejected = json.llm.calls.filter((call) => call.outcome === "rejected");
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.detail).toMatch(
      /^soc\.prose at 1:1: text before the first file block \("Sure! Here are the files you asked for:"\)/,
    );
    const feedback = server.requests
      .slice(before)
      .filter((request) =>
        request.body.messages.at(-1)?.content.startsWith("Your previous answer was rejected"),
      );
    expect(feedback).toHaveLength(1);
    expect(feedback[0]?.body.messages.at(-2)?.role).toBe("assistant");
    expect(json.llm.calls.filter((call) => call.outcome === "ok").length).toBeGreaterThan(3);
  });

  it("all providers down: a clean error and nothing written; with template last in the list, the templates are used", async () => {
    const env = { OPENAI_BASE_URL: "http://127.0.0.1:9/v1" };
    const down = await qlf(["generate", TODO_BRIEF, ...OPENAI_FAKE, "--out", path.join(root, "down")], {
      env,
    });
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(
      /no LLM provider could answer for the understand agent:\n\s+openai \(fake-model\): network: cannot connect/,
    );
    expect(down.stderr).toContain("--provider template");
    expect(existsSync(path.join(root, "down"))).toBe(false);

    const fallback = await qlf(["generate", TODO_BRIEF, "--out", path.join(root, "fallback")], {
      env: { ...env, QLF_PROVIDER: "openai,template", QLF_OPENAI_MODEL: "fake-model" },
    });
    expect(fallback.stderr).toBe("");
    expect(fallback.code).toBe(0);
    expect(fallback.stdout).toMatch(/LLM: openai\/fake-model → template/);
    expect(fallback.stdout).toMatch(
      /Note: backend \(batch 1\/\d+\): kept the template's files, no provider answered/,
    );
  });

  it("qlf compile asks the model too when a provider is configured (QLF_PROVIDER)", async () => {
    const before = server.requests.length;
    const result = await qlf(["compile", TODO_BRIEF, "--json"], {
      env: { QLF_PROVIDER: "openai", QLF_OPENAI_MODEL: "fake-model" },
    });
    expect(result.code).toBe(0);
    expect(server.requests.length).toBe(before + 1);
    expect(server.requests.at(-1)?.body.response_format?.type).toBe("json_schema");
    expect((JSON.parse(result.stdout) as { irVersion: number }).irVersion).toBe(1);
    expect(result.stderr).toMatch(/Brief understood with openai\/fake-model; nothing added/);
  });
});
