import { ConfigError, QlfError, UserInputError } from "../kernel/index.js";

/** Exit codes: 0 ok, 1 the user's input was wrong, 2 qlf itself failed. */
export function exitCodeFor(error: unknown): 1 | 2 {
  return error instanceof UserInputError ? 1 : 2;
}

/** One readable block for stderr: what went wrong, where, and what to do. Never a stack trace for user errors. */
export function renderError(error: unknown): string {
  if (error instanceof QlfError) {
    const where = error instanceof ConfigError && error.location !== "" ? `${error.location}: ` : "";
    const hint = error.hint === undefined ? "" : `\n  hint: ${error.hint}`;
    const kind = error instanceof UserInputError ? "error" : "internal error";
    return `qlf: ${kind}: ${where}${error.message}${hint}\n`;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `qlf: internal error: ${detail}\n  This is a bug in qlf; please report it with the command you ran.\n`;
}
