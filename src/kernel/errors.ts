/**
 * Typed faults. Expected failures (a failed gate, a rejected LLM answer) are values, not throws;
 * these are for input that cannot be processed at all. Each shell maps them to a message and an
 * exit code (CLI), a reply comment (App) or `core.setFailed` (Action).
 */
export class QlfError extends Error {
  /** Stable machine-readable code, e.g. `brief.empty`. */
  readonly code: string;
  /** What the user should do about it. */
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }
}

/** The user's input (a brief, flags, a file they named) cannot be used. Exit code 1. */
export class UserInputError extends QlfError {}

/** A brief that is empty, too large, binary, or has nothing buildable in it. */
export class BriefError extends UserInputError {}

/** A configuration or overlay file that is malformed or invalid. */
export class ConfigError extends UserInputError {
  /** The file the problem is in, when there is one. */
  readonly file: string | undefined;
  /** 1-based line and column, for syntax errors. */
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** Dotted path to the offending field, for schema errors. */
  readonly fieldPath: string | undefined;

  constructor(
    code: string,
    message: string,
    location: { file?: string; line?: number; column?: number; fieldPath?: string; hint?: string } = {},
  ) {
    super(code, message, location.hint === undefined ? {} : { hint: location.hint });
    this.file = location.file;
    this.line = location.line;
    this.column = location.column;
    this.fieldPath = location.fieldPath;
  }

  /** `file:line:col` (or `file: field.path`) for error listings. */
  get location(): string {
    if (this.file === undefined) return this.fieldPath ?? "";
    if (this.line !== undefined) return `${this.file}:${this.line}:${this.column ?? 1}`;
    return this.fieldPath === undefined ? this.file : `${this.file}: ${this.fieldPath}`;
  }
}

/** Generated output that would escape its target or land where it may not. */
export class UnsafePathError extends QlfError {}
