/**
 * The generation prompt of one agent, composed from: the agent's role, the SOC grammar and rules,
 * the stack's conventions, the resolved overlays' prompt enhancements for the agent and the
 * generation rules in force, the IR (as fenced data), and the files to write (with the template's
 * drafts in refine mode). Deterministic: the same input gives the same prompt, byte for byte (the
 * cache key depends on it), and snapshot tests hold it still.
 */
import type { GeneratedFile, TreePolicy } from "../generate/tree.js";
import type { IR } from "../ir/schema.js";
import type { ChatMessage } from "../llm/types.js";
import type { Agent, GenerationRule } from "../overlays/schema.js";
import { formatSoc } from "../soc/format.js";
import { SOC_GRAMMAR } from "../soc/grammar.js";
import { DATA_RULE, fenceData } from "./fence.js";

/** The agents whose files a model may write. */
export type LlmAgent = "database" | "api" | "backend" | "frontend" | "ops";

export interface AgentPromptInput {
  readonly agent: LlmAgent;
  readonly ir: IR;
  /** Stack title and conventions (`StackPlugin.title`, `.conventions`). */
  readonly stack: { readonly title: string; readonly conventions: readonly string[] };
  /** Prompt enhancements of the overlays in force, per agent (`Overlay.prompts`), with the overlay name. */
  readonly overlayPrompts: readonly {
    readonly overlay: string;
    readonly prompts: Partial<Record<Agent, readonly string[]>>;
  }[];
  readonly rules: readonly GenerationRule[];
  /** The files to write, in order; `draft` is the template's version (refine mode). */
  readonly files: readonly { readonly path: string; readonly mode: 0o644 | 0o755; readonly draft?: string }[];
  readonly policy: TreePolicy;
}

const ROLES: Readonly<Record<LlmAgent, string>> = {
  database:
    "the database agent: PostgreSQL migrations (up and down) for the application's tables, constraints, indexes, audit and retention objects",
  api: "the API agent: the OpenAPI 3.1 document that describes every route, request and response of the application",
  backend:
    "the backend agent: the server source code, its tests, the package manifest, the Dockerfile and the stack's README section",
  frontend: "the frontend agent: the React single-page application under frontend/",
  ops: "the ops agent: Kubernetes manifests, .dockerignore, the README and the CI workflow",
};

/** Overlay prompt sections each LLM agent reads (the backend writes the tests too). */
const OVERLAY_AGENTS: Readonly<Record<LlmAgent, readonly Agent[]>> = {
  database: ["database"],
  api: ["api"],
  backend: ["backend", "test"],
  frontend: ["frontend"],
  ops: ["ops"],
};

/**
 * @example
 * const messages = composeAgentPrompt({ agent: "backend", ir, stack, overlayPrompts, rules, files, policy });
 * await router.complete({ agent: "backend", messages, … }, socValidator({ policy, expectedPaths }));
 */
export function composeAgentPrompt(input: AgentPromptInput): ChatMessage[] {
  return [
    { role: "system", content: systemPrompt(input) },
    { role: "user", content: userPrompt(input) },
  ];
}

function systemPrompt(input: AgentPromptInput): string {
  const lines = [
    `You are ${ROLES[input.agent]}, part of QuantumLayer Factory, which turns a brief into a verified, deployable application.`,
    `Stack: ${input.stack.title}.`,
    "",
    "# Output contract",
    "Answer with file blocks only, in exactly this grammar (ABNF, RFC 5234):",
    "",
    SOC_GRAMMAR,
    "",
    "Rules:",
    '- Write exactly the files listed under "Files to write", each once, complete, with its listed path. No other files.',
    "- No text, explanation, Markdown or code fences before, between or after the blocks. The first line of your answer is a <<<qlf:file line.",
    "- A body line must not start with <<<qlf:. Every file ends with a newline. No file may be empty.",
    `- Paths are relative POSIX paths; never absolute, never "..", never inside .git/${input.policy.allowWorkflows ? "" : ", never under .github/workflows/"}.`,
    "- Keep every qlf:control and qlf:test marker comment of the drafts on the line it marks; they trace compliance controls to code and tests.",
    "- Never put secrets, credentials or tokens in files; read them from the environment. Add no network calls to third parties.",
    "",
    "# Security",
    DATA_RULE,
    "",
    "# Stack conventions",
    ...input.stack.conventions.map((convention) => `- ${convention}`),
  ];
  const overlayLines = input.overlayPrompts.flatMap(({ overlay, prompts }) =>
    OVERLAY_AGENTS[input.agent].flatMap((agent) =>
      (prompts[agent] ?? []).map((text) => `- (${overlay}) ${text}`),
    ),
  );
  if (overlayLines.length > 0) lines.push("", "# Requirements of the overlays in force", ...overlayLines);
  if (input.rules.length > 0) {
    lines.push(
      "",
      "# Generation rules in force (every one must stay implemented)",
      ...input.rules.map((rule) => `- ${describeRule(rule)}`),
    );
  }
  return `${lines.join("\n")}\n`;
}

function userPrompt(input: AgentPromptInput): string {
  const drafts: GeneratedFile[] = input.files.flatMap((file) =>
    file.draft === undefined ? [] : [{ path: file.path, content: file.draft, mode: file.mode }],
  );
  const parts = [
    "# Application (the IR qlf understood from the brief)",
    fenceData("ir", JSON.stringify(input.ir, null, 1)),
    "",
    "# Files to write",
    ...input.files.map((file) => `- ${file.path}${file.mode === 0o755 ? " (mode 755)" : ""}`),
  ];
  if (drafts.length > 0) {
    parts.push(
      "",
      "# Drafts",
      "qlf's deterministic templates produced these drafts, which pass the verification gates. Return every listed file in full: keep what is correct, improve what the requirements above ask for, and keep the files consistent with each other and with the IR.",
      fenceData("drafts", formatSoc(drafts)),
    );
  } else {
    parts.push("", "Write every listed file in full, consistent with the IR and with each other.");
  }
  parts.push(
    "",
    `Answer now with the ${input.files.length} file block${input.files.length === 1 ? "" : "s"}.`,
  );
  return `${parts.join("\n")}\n`;
}

function describeRule(rule: GenerationRule): string {
  const { kind, ...parameters } = rule;
  const values = Object.entries(parameters).map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
  return values.length === 0 ? kind : `${kind} (${values.join(", ")})`;
}
