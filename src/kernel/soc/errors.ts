/**
 * Why an answer was rejected. A rejection is a value (`parseSoc` returns it); `SocError` wraps it
 * for callers that want to throw. The router feeds `socFeedback(rejection)` back to the model.
 */
import { QlfError } from "../errors.js";

export type SocRejectionCode =
  | "soc.empty-answer"
  | "soc.answer-too-large"
  | "soc.prose"
  | "soc.refusal"
  | "soc.markdown"
  | "soc.bad-open-line"
  | "soc.stray-close"
  | "soc.nested-open"
  | "soc.unclosed"
  | "soc.unsafe-path"
  | "soc.duplicate-path"
  | "soc.empty-file"
  | "soc.file-too-large"
  | "soc.too-many-files"
  | "soc.unexpected-path"
  | "soc.missing-path"
  | "soc.unrepresentable";

export interface SocRejection {
  readonly code: SocRejectionCode;
  /** What is wrong, in one sentence, e.g. `text before the first file block ("Sure! Here…")`. */
  readonly reason: string;
  /** 1-based line and column in the answer (after CR LF → LF), and the 0-based UTF-16 offset. */
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  /** The file the problem is about, when there is one. */
  readonly path?: string;
}

/** The SOC parser's (and serialiser's) only error type. */
export class SocError extends QlfError {
  readonly rejection: SocRejection;

  constructor(rejection: SocRejection) {
    super(
      rejection.code,
      `answer rejected at line ${rejection.line}, column ${rejection.column}: ${rejection.reason}`,
      {
        hint: "the model did not follow the output contract (docs/soc.md)",
      },
    );
    this.rejection = rejection;
  }
}

/**
 * The message sent back to the model after a rejected answer: where, why, and the rule again.
 *
 * @example
 * socFeedback({ code: "soc.markdown", reason: "a Markdown code fence", line: 1, column: 1, offset: 0 });
 * // "Your previous answer was rejected at line 1, column 1: a Markdown code fence. …"
 */
export function socFeedback(rejection: SocRejection): string {
  return (
    `Your previous answer was rejected at line ${rejection.line}, column ${rejection.column}: ${rejection.reason}. ` +
    "Answer again with only file blocks in the required format: no text, no Markdown fences and no " +
    "explanations before, between or after them, and exactly the files that were asked for."
  );
}
