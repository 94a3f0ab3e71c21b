/**
 * `generateAppWithLlm`: the same tree as `generateApp`, with the files of the chosen agents written
 * by a model through the router. The templates run first: they give the agent of every path (the
 * lanes documented on `StackPlugin.generate`), the drafts (refine mode), and the fallback. Each
 * agent's files go to the model in batches that fit its output limit; an answer is accepted only
 * if it passes the SOC parser and contains exactly the batch's paths. The docs agent then runs
 * again over the final tree, so COMPLIANCE.md traces the markers where the model put them.
 *
 * What a model can write is fixed by code, never by the brief: the batch's paths (which came from
 * the templates under the caller's policy), nothing else.
 */
import { docsAgent } from "../agents/docs/index.js";
import { type GenerateAppInput, type GenerateAppResult, generateApp } from "../generate/pipeline.js";
import { bareRules } from "../generate/plan.js";
import { type GenerationContext, getStack } from "../generate/stack.js";
import { type GeneratedFile, normaliseTree } from "../generate/tree.js";
import type { Overlay } from "../overlays/schema.js";
import { composeAgentPrompt, type LlmAgent } from "../prompts/agent.js";
import { BudgetExceededError, LlmUnavailableError } from "./errors.js";
import type { AgentUsage } from "./ledger.js";
import type { Router } from "./router.js";
import { socValidator } from "./validators.js";

export interface LlmGenerationOptions {
  readonly router: Router;
  /** refine: the model gets the template's drafts; scratch: only the IR and the paths. */
  readonly mode: "refine" | "scratch";
  /** Agents whose files the model writes (the others keep the template's). */
  readonly agents: readonly LlmAgent[];
  readonly temperature: number;
  /** Calls in flight at once. */
  readonly concurrency: number;
  /** When every provider fails for a batch, keep the template's files instead of failing the run. */
  readonly templateFallback: boolean;
  /** Largest file the model may write, in bytes (default: the SOC default, 256 KiB). */
  readonly maxFileBytes?: number;
  /** The overlays in force with their prompt enhancements (`ResolvedOverlays.overlays`). */
  readonly overlays: readonly Pick<Overlay, "name" | "prompts">[];
  /** Called when an agent's batch starts and ends, for progress output. */
  readonly onProgress?: (event: { agent: LlmAgent; batch: number; batches: number; done: boolean }) => void;
}

/** Who wrote each agent's files. */
export type AgentSource = "llm" | "template" | "mixed";

export interface LlmGenerateResult extends GenerateAppResult {
  readonly sources: Readonly<Record<string, AgentSource>>;
  /** Usage per agent and for the whole run, from the router's ledger. */
  readonly usage: { readonly agents: readonly AgentUsage[]; readonly total: AgentUsage };
  /** What did not go to the model, or fell back to the templates, and why. */
  readonly llmNotes: readonly string[];
}

/** Bytes of draft assumed per output token when sizing batches (code and YAML average 3 to 4). */
const BYTES_PER_OUTPUT_TOKEN = 3;

/**
 * @throws BudgetExceededError before a call that could take the run over its budget.
 * @throws LlmUnavailableError when every provider fails and `templateFallback` is off.
 * @example
 * const result = await generateAppWithLlm(input, { router, mode: "refine", agents: ["backend"], … });
 */
export async function generateAppWithLlm(
  input: GenerateAppInput,
  options: LlmGenerationOptions,
): Promise<LlmGenerateResult> {
  const template = generateApp(input);
  const policy = { allowWorkflows: input.options.allowWorkflows };
  const stack = getStack(template.summary.stack);
  if (stack === undefined) throw new Error(`stack ${template.summary.stack} vanished from the registry`);

  const byAgent = new Map<string, GeneratedFile[]>();
  for (const file of template.files) {
    const agent = agentOf(file.path);
    byAgent.set(agent, [...(byAgent.get(agent) ?? []), file]);
  }
  const outputLimit = Math.min(...options.router.providers.map((provider) => provider.model.maxOutputTokens));
  const batchBytes = Math.floor(outputLimit * BYTES_PER_OUTPUT_TOKEN * 0.8);
  const notes: string[] = [];
  const overlayPrompts = options.overlays.map((overlay) => ({
    overlay: overlay.name,
    prompts: overlay.prompts,
  }));
  const rules = bareRules(input.overlays.rules);

  interface Job {
    readonly agent: LlmAgent;
    readonly files: readonly GeneratedFile[];
    readonly index: number;
    readonly count: number;
  }
  const jobs: Job[] = [];
  for (const agent of options.agents) {
    const files = byAgent.get(agent) ?? [];
    const fitting = files.filter((file) => {
      if (utf8Length(file.content) <= batchBytes) return true;
      notes.push(
        `${file.path}: kept the template's version (larger than the model's output limit of ${outputLimit} tokens)`,
      );
      return false;
    });
    const batches = batch(fitting, batchBytes);
    batches.forEach((files, index) => {
      jobs.push({ agent, files, index: index + 1, count: batches.length });
    });
  }

  const written = new Map<string, GeneratedFile>();
  await pool(jobs, options.concurrency, async (job) => {
    options.onProgress?.({ agent: job.agent, batch: job.index, batches: job.count, done: false });
    const messages = composeAgentPrompt({
      agent: job.agent,
      ir: input.ir,
      stack: { title: stack.title, conventions: stack.conventions },
      overlayPrompts,
      rules,
      files: job.files.map((file) => ({
        path: file.path,
        mode: file.mode,
        ...(options.mode === "refine" ? { draft: file.content } : {}),
      })),
      policy,
    });
    const draftBytes = job.files.reduce((sum, file) => sum + utf8Length(file.content), 0);
    const maxTokens = Math.min(outputLimit, Math.ceil((draftBytes * 1.5) / BYTES_PER_OUTPUT_TOKEN) + 1024);
    try {
      const answer = await options.router.complete(
        { agent: job.agent, messages, maxTokens, temperature: options.temperature, format: { kind: "text" } },
        socValidator({
          policy,
          expectedPaths: job.files.map((file) => file.path),
          ...(options.maxFileBytes === undefined ? {} : { maxFileBytes: options.maxFileBytes }),
        }),
      );
      for (const file of answer.value) written.set(file.path, file);
    } catch (error) {
      if (
        error instanceof BudgetExceededError ||
        !(error instanceof LlmUnavailableError) ||
        !options.templateFallback
      ) {
        throw error;
      }
      notes.push(
        `${job.agent} (batch ${job.index}/${job.count}): kept the template's files, no provider answered (${error.failures.map((failure) => `${failure.provider}: ${failure.reason}`).join("; ")})`,
      );
    }
    options.onProgress?.({ agent: job.agent, batch: job.index, batches: job.count, done: true });
  });

  // Everything but the docs agent's files, with the model's versions in place; then docs again.
  const body = template.files
    .filter((file) => agentOf(file.path) !== "docs")
    .map((file) => written.get(file.path) ?? file);
  const context: GenerationContext = {
    ir: input.ir,
    plan: template.plan,
    rules,
    controls: input.overlays.controls,
    options: { allowWorkflows: policy.allowWorkflows, generatorVersion: input.options.generatorVersion },
  };
  const counts = Object.fromEntries(
    Object.entries(template.summary.agents).filter(([agent]) => agent !== "docs"),
  );
  const overlays = (input.overlays.overlays ?? []).map((overlay) => `${overlay.name}@${overlay.version}`);
  const docs = docsAgent(context, { files: body, stack: stack.id, overlays, counts });
  const files = normaliseTree([...body, ...docs.files], policy);

  // Per pipeline agent (the stack's files are the backend's): who wrote its files.
  const tally = new Map<string, { llm: number; template: number }>();
  for (const file of template.files) {
    const lane = agentOf(file.path);
    const name = lane === "backend" ? stack.id : lane;
    const entry = tally.get(name) ?? { llm: 0, template: 0 };
    if (written.has(file.path)) entry.llm++;
    else entry.template++;
    tally.set(name, entry);
  }
  const sources: Record<string, AgentSource> = {};
  for (const [name, { llm, template: kept }] of tally) {
    sources[name] = llm === 0 ? "template" : kept === 0 ? "llm" : "mixed";
  }
  const usage = { agents: options.router.ledger.byAgent(), total: options.router.ledger.total() };
  return {
    files,
    plan: template.plan,
    summary: {
      ...template.summary,
      fileCount: files.length,
      bytes: files.reduce((sum, file) => sum + utf8Length(file.content), 0),
      controls: docs.traces,
      gaps: docs.traces.filter((trace) => trace.gap).map((trace) => trace.control.id),
    },
    sources,
    usage,
    llmNotes: notes,
  };
}

/**
 * The agent that owns a path, from the lanes `StackPlugin.generate` documents: the stack may not
 * write `migrations/`, `openapi.yaml`, `k8s/`, `.dockerignore`, `.github/`, `README.md`,
 * `COMPLIANCE.md`, `.qlf/` or `frontend/`; everything else is the backend's.
 */
export function agentOf(path: string): LlmAgent | "docs" {
  if (path.startsWith("migrations/")) return "database";
  if (path === "openapi.yaml") return "api";
  if (path === "COMPLIANCE.md" || path.startsWith(".qlf/")) return "docs";
  if (path.startsWith("frontend/")) return "frontend";
  if (
    path.startsWith("k8s/") ||
    path.startsWith(".github/") ||
    path === ".dockerignore" ||
    path === "README.md"
  ) {
    return "ops";
  }
  return "backend";
}

/** Greedy batches in path order, each at most `limit` bytes of draft (a larger file goes alone). */
function batch(files: readonly GeneratedFile[], limit: number): GeneratedFile[][] {
  const out: GeneratedFile[][] = [];
  let current: GeneratedFile[] = [];
  let size = 0;
  for (const file of files) {
    const bytes = utf8Length(file.content);
    if (current.length > 0 && size + bytes > limit) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(file);
    size += bytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Runs `task` over `items` with at most `limit` in flight; the first error stops new starts and is rethrown. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async () => {
    while (failed === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed !== undefined) throw failed.error;
}

const encoder = new TextEncoder();
function utf8Length(text: string): number {
  return encoder.encode(text).length;
}
