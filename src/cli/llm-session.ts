/**
 * The LLM side of `qlf generate`: loads the configuration (with --provider, --model, --budget-usd,
 * --no-cache), builds the router, and offers `understand` and `generate` that use the model when a
 * provider is configured and the templates otherwise. Disposable (`await using`), so the Redis
 * connection is always closed.
 */
import {
  type AgentUsage,
  type CallRecord,
  type GenerateAppInput,
  type GenerateAppResult,
  generateApp,
  generateAppWithLlm,
  type LlmGenerateResult,
  type Understanding,
  understandBriefWithLlm,
} from "../kernel/index.js";
import { type ConfigFlags, loadConfig } from "../services/llm/config.js";
import type { LlmConfig } from "../services/llm/config-schema.js";
import { createLlmRuntime, type LlmRuntime } from "../services/llm/runtime.js";
import { loadCatalog } from "../services/overlay-files.js";
import { readBrief } from "./read-brief.js";
import { type BriefCommandOptions, understandFromCli } from "./understand.js";

export interface LlmCommandOptions {
  provider?: string;
  model?: string;
  budgetUsd?: string;
  /** `--no-cache` sets this to false. */
  cache?: boolean;
  repo?: string;
}

export interface LlmSession extends AsyncDisposable {
  /** True when a provider other than `template` is configured. */
  readonly enabled: boolean;
  understand(brief: string | undefined, options: BriefCommandOptions): Promise<Understanding>;
  generate(input: GenerateAppInput): Promise<GenerateAppResult>;
  /** Extra fields for `--json`: every call, usage per agent, notes. Empty when disabled. */
  json(): Record<string, unknown>;
  /** Lines for the end of the text output: tokens, cost, cache hits and latency per agent. */
  text(): string;
}

/**
 * @example
 * await using llm = await openLlmSession(options);
 * const { ir, resolved } = await llm.understand(brief, options);
 * const result = await llm.generate({ ir, overlays: resolved, options: … });
 */
export async function openLlmSession(options: LlmCommandOptions): Promise<LlmSession> {
  const flags: ConfigFlags = {
    provider: options.provider,
    model: options.model,
    budgetUsd: options.budgetUsd,
    cache: options.cache,
  };
  const { config } = await loadConfig({ cwd: options.repo ?? process.cwd(), flags });
  const llm = config.llm;
  const cacheErrors = new Set<string>();
  const runtime = await createLlmRuntime(llm, { onCacheError: (layer) => cacheErrors.add(layer) });
  const router = runtime.router;
  let understanding: { additions: readonly string[]; dropped: readonly string[]; note: string } | undefined;
  let generation: LlmGenerateResult | undefined;

  return {
    enabled: router !== undefined,
    async understand(brief, briefOptions) {
      if (router === undefined || !llm.understand) return understandFromCli(brief, briefOptions);
      const text = await readBrief({ brief, file: briefOptions.file });
      const { catalog } = await loadCatalog(briefOptions.repo);
      const result = await understandBriefWithLlm(
        text,
        {
          overlayCatalog: catalog,
          ...(briefOptions.overlay === undefined ? {} : { overlays: briefOptions.overlay }),
          ...(briefOptions.stack === undefined ? {} : { stack: briefOptions.stack }),
          ...(briefOptions.frontend === undefined ? {} : { frontend: briefOptions.frontend }),
          ...(briefOptions.db === undefined ? {} : { db: briefOptions.db }),
        },
        {
          router,
          temperature: llm.temperature,
          // The smallest answer limit of the providers in the list (each model's from llm.models).
          maxTokens: Math.min(...router.providers.map((provider) => provider.model.maxOutputTokens)),
          fallback: runtime.templateFallback,
        },
      );
      understanding = { additions: result.additions, dropped: result.dropped, note: result.note };
      return result;
    },
    async generate(input) {
      if (router === undefined) return generateApp(input);
      generation = await generateAppWithLlm(input, {
        router,
        mode: llm.mode,
        agents: llm.agents,
        temperature: llm.temperature,
        concurrency: llm.concurrency,
        templateFallback: runtime.templateFallback,
        // The resolver's overlays carry their prompt enhancements; bare { name, version } pairs do not.
        overlays: (input.overlays.overlays ?? []).flatMap((overlay) =>
          "prompts" in overlay ? [overlay as LlmOverlays[number]] : [],
        ),
      });
      return generation;
    },
    json() {
      if (router === undefined) return {};
      return {
        llm: {
          providers: router.providers.map(({ port }) => `${port.provider}/${port.model}`),
          cache: runtime.cacheName,
          budgetUsd: llm.budgetUsd,
          understanding: understanding ?? null,
          sources: generation?.sources ?? {},
          agents: runtime.ledger.byAgent(),
          total: runtime.ledger.total(),
          calls: runtime.ledger.calls,
          notes: [
            ...(generation?.llmNotes ?? []),
            ...[...cacheErrors].map((layer) => `the ${layer} cache failed; ran without it`),
          ],
        },
      };
    },
    text() {
      if (router === undefined) return "";
      return usageReport(runtime, llm, understanding, generation, cacheErrors);
    },
    async [Symbol.asyncDispose]() {
      await runtime.close();
    },
  };
}

type LlmOverlays = Parameters<typeof generateAppWithLlm>[1]["overlays"];

function usageReport(
  runtime: LlmRuntime,
  llm: LlmConfig,
  understanding: { additions: readonly string[]; note: string } | undefined,
  generation: LlmGenerateResult | undefined,
  cacheErrors: ReadonlySet<string>,
): string {
  const providers = runtime.router?.providers.map(({ port }) => `${port.provider}/${port.model}`) ?? [];
  const budget = llm.budgetUsd === null ? "no budget" : `budget $${llm.budgetUsd.toFixed(2)}`;
  const rows = [...runtime.ledger.byAgent(), runtime.ledger.total()].map(row);
  const header = ["agent", "model", "calls", "cache hits", "tokens in", "tokens out", "cost", "latency"];
  const widths = header.map((title, index) =>
    Math.max(title.length, ...rows.map((cells) => (cells[index] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => (index < 2 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0)))
      .join("  ")
      .trimEnd();
  const lines = [
    `LLM: ${providers.join(" → ")}${runtime.templateFallback ? " → template" : ""}; cache ${runtime.cacheName}; ${budget}`,
    line(header),
    ...rows.map(line),
  ];
  if (understanding !== undefined) {
    lines.push(
      `Brief understood with ${understanding.note}${understanding.additions.length > 0 ? `; added ${understanding.additions.join(", ")}` : "; nothing added"}`,
    );
  }
  for (const note of generation?.llmNotes ?? []) lines.push(`Note: ${note}`);
  for (const layer of cacheErrors) lines.push(`Note: the ${layer} cache failed; ran without it`);
  if (runtime.ledger.calls.some((call: CallRecord) => call.costUsd === null && call.outcome === "ok")) {
    lines.push("Note: some models have no price in llm.models, so their cost is not counted");
  }
  return `${lines.join("\n")}\n`;
}

function row(usage: AgentUsage): string[] {
  return [
    usage.agent,
    usage.models.join(", ") || "-",
    String(usage.calls),
    String(usage.cacheHits),
    usage.inputTokens.toLocaleString("en-US"),
    usage.outputTokens.toLocaleString("en-US"),
    `${usage.costUnknown ? "≥" : ""}$${usage.costUsd.toFixed(4)}`,
    usage.latencyMs < 1000 ? `${Math.round(usage.latencyMs)} ms` : `${(usage.latencyMs / 1000).toFixed(1)} s`,
  ];
}
