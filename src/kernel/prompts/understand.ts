/**
 * The prompt that asks a model to complete the IR of a brief (structured output). The brief is
 * fenced data; the heuristic compiler's IR is given as the starting point, so the model adds what
 * the rules missed rather than starting over.
 */
import type { IR } from "../ir/schema.js";
import type { ChatMessage } from "../llm/types.js";
import { DATA_RULE, fenceData } from "./fence.js";

export interface UnderstandPromptInput {
  readonly brief: string;
  readonly heuristic: IR;
  /** Names of the overlays that exist (the model may only select these). */
  readonly overlayNames: readonly string[];
}

export function composeUnderstandPrompt(input: UnderstandPromptInput): ChatMessage[] {
  const system = [
    "You are the requirements analyst of QuantumLayer Factory. You read a brief and describe the application it asks for as the IR: entities with typed fields, relations, operations, auth and roles, non-functional requirements and overlays.",
    "Answer with one JSON document that matches the given JSON Schema (the IR), and nothing else.",
    "",
    "Rules:",
    "- Start from the draft IR below, which a rule-based compiler produced. Keep everything in it; add entities, fields, relations and operations the brief describes that it missed. Do not rename or remove what is there.",
    "- Mark personal data (pii), health data (phi) and card data (cardholder) in field sensitivity.",
    `- Overlays may only be chosen from: ${input.overlayNames.join(", ") || "(none)"}.`,
    '- For every entity, field, relation and operation you add, set origin to "llm" and evidence to the exact words of the brief that support it.',
    "- Identifiers: entities PascalCase singular, fields camelCase, tables and columns snake_case, routes kebab-case plural.",
    "",
    "# Security",
    DATA_RULE,
  ].join("\n");
  const user = [
    "# Brief",
    fenceData("brief", input.brief, { json: true }),
    "",
    "# Draft IR (rule-based)",
    fenceData("ir", JSON.stringify(input.heuristic, null, 1)),
    "",
    "Answer with the completed IR as JSON.",
  ].join("\n");
  return [
    { role: "system", content: `${system}\n` },
    { role: "user", content: `${user}\n` },
  ];
}
