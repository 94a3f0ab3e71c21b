/**
 * Understanding a brief with a model: the heuristic compiler runs first (the offline default and
 * the fallback); the model then completes its IR through structured output (the IR's JSON Schema:
 * Converse tool use on Bedrock, `response_format: json_schema` on OpenAI and Azure), the answer is
 * validated with the IR's zod schema, and `mergeIr` adds what the model found to what the rules
 * found. Overlays the model recognised are resolved like requested ones, so their rules and marks
 * apply to the whole IR.
 */
import { type CompileOptions, type Understanding, understandBrief } from "../ir/compile.js";
import { IR, irJsonSchema } from "../ir/schema.js";
import { fieldMarker } from "../overlays/field-marks.js";
import { composeUnderstandPrompt } from "../prompts/understand.js";
import { LlmUnavailableError } from "./errors.js";
import { mergeIr } from "./merge-ir.js";
import type { Router } from "./router.js";
import { jsonValidator } from "./validators.js";

export interface LlmUnderstandOptions {
  readonly router: Router;
  readonly temperature: number;
  /** Answer limit: a whole IR (tens of kB of JSON for large briefs). */
  readonly maxTokens: number;
  /** When every provider fails, keep the heuristic IR instead of failing the run. */
  readonly fallback: boolean;
}

export interface LlmUnderstanding extends Understanding {
  /** What the model added (see `IrMerge.additions`); empty when the heuristic IR was kept. */
  readonly additions: readonly string[];
  /** What it proposed that was dropped, and why. */
  readonly dropped: readonly string[];
  /** Who answered (`openai/gpt-4o-mini`), or why the heuristic IR was kept. */
  readonly note: string;
}

/**
 * @throws BriefError as `understandBrief` does; BudgetExceededError before a call over budget;
 * LlmUnavailableError when no provider answers and `fallback` is off.
 * @example
 * const { ir, resolved, additions } = await understandBriefWithLlm(brief, { overlayCatalog }, { router, temperature: 0, maxTokens: 8192, fallback: true });
 */
export async function understandBriefWithLlm(
  brief: string,
  options: CompileOptions,
  llm: LlmUnderstandOptions,
): Promise<LlmUnderstanding> {
  const base = understandBrief(brief, options);
  const catalogNames = options.overlayCatalog.map((overlay) => overlay.name);
  let answer: Awaited<ReturnType<Router["complete"]>> & { value: IR };
  try {
    answer = (await llm.router.complete(
      {
        agent: "understand",
        messages: composeUnderstandPrompt({ brief, heuristic: base.ir, overlayNames: catalogNames }),
        maxTokens: llm.maxTokens,
        temperature: llm.temperature,
        format: {
          kind: "json",
          name: "qlf_ir",
          description:
            "The application the brief describes, as QuantumLayer Factory's intermediate representation",
          schema: irJsonSchema(),
        },
      },
      jsonValidator(IR),
    )) as typeof answer;
  } catch (error) {
    if (!(error instanceof LlmUnavailableError) || !llm.fallback) throw error;
    return { ...base, additions: [], dropped: [], note: "kept the rule-based IR: no provider answered" };
  }

  // Overlays the model recognised (and that exist) are resolved as if requested by name.
  const known = new Set(base.ir.overlays.map((selection) => selection.name));
  const addedOverlays = answer.value.overlays
    .map((selection) => selection.name)
    .filter((name) => !known.has(name) && catalogNames.includes(name));
  const rebased =
    addedOverlays.length === 0
      ? base
      : understandBrief(brief, { ...options, overlays: [...(options.overlays ?? []), ...addedOverlays] });
  const marks = fieldMarker(rebased.resolved.rules.map(({ rule }) => rule));
  const merged = mergeIr(rebased.ir, answer.value, brief, marks);
  return {
    ir: merged.ir,
    resolved: rebased.resolved,
    additions: [...addedOverlays.map((name) => `overlay ${name}`), ...merged.additions],
    dropped: merged.dropped,
    note: `${answer.provider}/${answer.model}${answer.cached ? " (cached)" : ""}`,
  };
}
