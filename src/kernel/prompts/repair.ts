/**
 * The repair prompt: the failing gates' findings and the files they point at go back to the model,
 * which answers with corrected versions of those files in the SOC.
 */
import type { GeneratedFile, TreePolicy } from "../generate/tree.js";
import type { ChatMessage } from "../llm/types.js";
import { formatSoc } from "../soc/format.js";
import { SOC_GRAMMAR } from "../soc/grammar.js";
import { DATA_RULE, fenceData } from "./fence.js";

/**
 * The least a repair needs to know about a finding; the verifier's `Finding` has these fields (and
 * more), so its findings can be passed as they are.
 */
export interface RepairFinding {
  readonly gate: string;
  readonly severity: string;
  readonly message: string;
  /** Relative path of the file, or null when the finding has none. */
  readonly path: string | null;
  readonly line: number | null;
}

export interface RepairPromptInput {
  readonly findings: readonly RepairFinding[];
  /** The files the model may change (and must return). */
  readonly files: readonly GeneratedFile[];
  readonly stack: { readonly title: string; readonly conventions: readonly string[] };
  readonly policy: TreePolicy;
  /** 1-based round, for the model's context. */
  readonly round: number;
}

export function composeRepairPrompt(input: RepairPromptInput): ChatMessage[] {
  const system = [
    `You repair a generated ${input.stack.title} application so that its verification gates pass.`,
    "Answer with file blocks only, in exactly this grammar (ABNF, RFC 5234):",
    "",
    SOC_GRAMMAR,
    "",
    "Rules:",
    '- Return every file listed under "Files", complete, with the fix applied; change nothing else and add no files.',
    "- No text, explanation or Markdown outside the blocks. Keep every qlf:control and qlf:test marker.",
    "- Fix the cause; never silence a check (no disabled tests, no lint-ignore comments, no weakened assertions).",
    "",
    "# Stack conventions",
    ...input.stack.conventions.map((convention) => `- ${convention}`),
    "",
    "# Security",
    DATA_RULE,
  ].join("\n");
  const findings = input.findings
    .map(
      (finding) =>
        `- [${finding.gate}] ${finding.severity} ${finding.path ?? "(no file)"}${finding.line === null ? "" : `:${finding.line}`}: ${finding.message}`,
    )
    .join("\n");
  const user = [
    `# Findings (repair round ${input.round})`,
    fenceData("findings", findings),
    "",
    "# Files",
    ...input.files.map((file) => `- ${file.path}`),
    fenceData("files", formatSoc(input.files)),
    "",
    `Answer now with the ${input.files.length} corrected file block${input.files.length === 1 ? "" : "s"}.`,
  ].join("\n");
  return [
    { role: "system", content: `${system}\n` },
    { role: "user", content: `${user}\n` },
  ];
}
