/**
 * Typed LLM faults. `ProviderCallError` is what adapters throw for one failed call; the router
 * catches it and decides (retry, fail over). The other two end a run: no provider could answer, or
 * the next call would break the budget.
 */
import { QlfError, UserInputError } from "../errors.js";

/**
 * - throttled: 429 / ThrottlingException (retry after `retryAfterMs`, then fail over);
 * - timeout: no answer in time; server: 5xx; network: connection refused, reset, DNS;
 * - auth: 401/403, bad or missing credentials; bad-request: 400/404, unknown model, too long a prompt.
 */
export type ProviderFailureKind = "throttled" | "timeout" | "server" | "network" | "auth" | "bad-request";

const RETRYABLE: ReadonlySet<ProviderFailureKind> = new Set(["throttled", "timeout", "server", "network"]);

export class ProviderCallError extends QlfError {
  readonly kind: ProviderFailureKind;
  /** HTTP status when there was one. */
  readonly status: number | undefined;
  /** From `Retry-After` (or `retry-after-ms`), when the provider said how long to wait. */
  readonly retryAfterMs: number | undefined;

  constructor(
    kind: ProviderFailureKind,
    message: string,
    details: { status?: number | undefined; retryAfterMs?: number | undefined; cause?: unknown } = {},
  ) {
    super(`llm.${kind}`, message, details.cause === undefined ? {} : { cause: details.cause });
    this.kind = kind;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** Worth trying again on the same provider (after a pause). */
  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

/** Why one provider gave up, for the final message. */
export interface ProviderFailure {
  readonly provider: string;
  readonly model: string;
  /** e.g. `throttled (HTTP 429) ×3`, `circuit open`, `answer rejected twice: …`. */
  readonly reason: string;
}

/** Every configured provider failed (or was skipped) for one request. */
export class LlmUnavailableError extends QlfError {
  readonly failures: readonly ProviderFailure[];

  constructor(agent: string, failures: readonly ProviderFailure[]) {
    const lines = failures.map((failure) => `${failure.provider} (${failure.model}): ${failure.reason}`);
    super(
      "llm.unavailable",
      `no LLM provider could answer for the ${agent} agent:\n    ${lines.join("\n    ")}`,
      {
        hint: "check the provider configuration (qlf config show), retry later, or use --provider template",
      },
    );
    this.failures = failures;
  }
}

/**
 * The next call could take the run over its budget, so it was not made. Nothing was written. A
 * user error: the budget is theirs to raise (`--budget-usd`, `llm.budgetUsd`).
 */
export class BudgetExceededError extends UserInputError {
  readonly limitUsd: number;
  readonly spentUsd: number;
  /** The upper-bound cost of the call that was refused. */
  readonly estimateUsd: number;

  constructor(agent: string, figures: { limitUsd: number; spentUsd: number; estimateUsd: number }) {
    super(
      "llm.budget-exceeded",
      `stopped before the ${agent} agent's next LLM call: it could cost up to $${usd(figures.estimateUsd)}, ` +
        `$${usd(figures.spentUsd)} of the $${usd(figures.limitUsd)} budget is spent; nothing was written`,
      { hint: "raise the budget with --budget-usd (or llm.budgetUsd), or rerun to use the cached answers" },
    );
    this.limitUsd = figures.limitUsd;
    this.spentUsd = figures.spentUsd;
    this.estimateUsd = figures.estimateUsd;
  }
}

function usd(value: number): string {
  return value < 0.01 && value > 0 ? value.toFixed(4) : value.toFixed(2);
}
