/**
 * Retry and circuit-breaker policy: pure functions and a small state machine over an injected
 * clock, so that every decision can be tested without waiting.
 */

export interface RetryPolicy {
  /** Calls per provider for one request, the first included (transient failures only). */
  readonly maxAttempts: number;
  /** First back-off ceiling; doubles per attempt ("full jitter": a uniform draw below it). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A provider that asks to wait longer than this is failed over at once instead. */
  readonly maxRetryAfterMs: number;
  /** Per-call timeout. */
  readonly timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 30_000,
  timeoutMs: 120_000,
};

/**
 * How long to wait before attempt `attempt + 1` (0-based `attempt` just failed), or null to fail
 * over now. Full jitter (uniform in [0, min(max, base·2^attempt))) spreads retries from many
 * workers; a provider's Retry-After is a floor, never shortened by the jitter.
 *
 * @example
 * backoffDelay(DEFAULT_RETRY, 0, undefined, () => 0.5); // 250
 * backoffDelay(DEFAULT_RETRY, 0, 2000, () => 0.5);      // 2000: Retry-After wins
 * backoffDelay(DEFAULT_RETRY, 0, 60_000, () => 0.5);    // null: too long, fail over
 */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number | null {
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) return null;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const jittered = Math.floor(random() * ceiling);
  return Math.max(retryAfterMs ?? 0, jittered);
}

export interface BreakerPolicy {
  /** Consecutive failed calls that open the circuit. */
  readonly failureThreshold: number;
  /** How long an open circuit refuses calls before letting one probe through. */
  readonly cooldownMs: number;
}

export const DEFAULT_BREAKER: BreakerPolicy = { failureThreshold: 5, cooldownMs: 60_000 };

export type BreakerState = "closed" | "open" | "half-open";

/**
 * Stops calling a provider that keeps failing. Closed: calls go through, failures are counted.
 * Open (after `failureThreshold` consecutive failures): calls are refused until `cooldownMs` has
 * passed; then half-open: one probe goes through; its success closes the circuit, its failure opens
 * it again for another cooldown.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private probing = false;

  constructor(
    private readonly policy: BreakerPolicy,
    private readonly now: () => number,
  ) {}

  get state(): BreakerState {
    if (this.openedAt === undefined) return "closed";
    return this.now() - this.openedAt >= this.policy.cooldownMs ? "half-open" : "open";
  }

  /** Whether a call may go out now; in half-open, true for one probe at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open" || this.probing) return false;
    this.probing = true;
    return true;
  }

  onSuccess(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.probing = false;
  }

  /** Gives back a probe slot that was acquired but not used (the call was never made). */
  release(): void {
    this.probing = false;
  }

  onFailure(): void {
    this.failures++;
    if (this.probing || this.failures >= this.policy.failureThreshold) this.openedAt = this.now();
    this.probing = false;
  }
}
