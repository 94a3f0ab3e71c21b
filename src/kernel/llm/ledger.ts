/**
 * Token and cost accounting, and the budget. Every call (cache hits and failures included) is
 * recorded with provider, model, tokens, cost and latency. Before each call the router reserves
 * the call's worst-case cost; a call whose reservation would take the run over the budget is not
 * made (`BudgetExceededError`), so a run never spends more than its budget.
 */
import { BudgetExceededError } from "./errors.js";
import type { ChatMessage, ModelInfo, ResponseFormat } from "./types.js";

export type CallOutcome =
  | "ok"
  | "cache-hit"
  | "rejected"
  | "throttled"
  | "timeout"
  | "server"
  | "network"
  | "auth"
  | "bad-request"
  | "circuit-open";

export interface CallRecord {
  readonly agent: string;
  readonly provider: string;
  readonly model: string;
  readonly outcome: CallOutcome;
  /** 1-based attempt on this provider for this request (0 for cache hits and skipped calls). */
  readonly attempt: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** USD; null when the model has no configured price. */
  readonly costUsd: number | null;
  readonly latencyMs: number;
  /** The rejection or error message, for failures. */
  readonly detail?: string;
}

export interface AgentUsage {
  readonly agent: string;
  /** Calls that reached a provider (failed ones included). */
  readonly calls: number;
  readonly cacheHits: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  /** True when some call's cost is unknown (no price configured), so `costUsd` is a lower bound. */
  readonly costUnknown: boolean;
  readonly latencyMs: number;
  /** `provider/model` pairs that answered. */
  readonly models: readonly string[];
}

export interface TokenEstimate {
  /**
   * UTF-8 bytes per prompt token assumed when estimating. 1 (the default) is an upper bound for
   * byte-level BPE tokenizers (every token covers at least one byte), so the budget is never
   * exceeded; raise it (3 to 4 for English and code) to trade that guarantee for fewer refusals.
   */
  readonly bytesPerToken: number;
  /** Tokens each message costs on top of its text (role markers). */
  readonly perMessage: number;
}

export const DEFAULT_TOKEN_ESTIMATE: TokenEstimate = { bytesPerToken: 1, perMessage: 8 };

const utf8 = new TextEncoder();

/** Worst-case prompt tokens of a request (the schema of a structured-output request counts too). */
export function estimatePromptTokens(
  messages: readonly ChatMessage[],
  format: ResponseFormat,
  estimate: TokenEstimate = DEFAULT_TOKEN_ESTIMATE,
): number {
  let bytes = 0;
  for (const message of messages) bytes += utf8.encode(message.content).length;
  if (format.kind === "json") bytes += utf8.encode(JSON.stringify(format.schema)).length;
  return Math.ceil(bytes / estimate.bytesPerToken) + estimate.perMessage * (messages.length + 1);
}

/** USD for the given tokens, or null when the model has no price. */
export function costOf(model: ModelInfo, inputTokens: number, outputTokens: number): number | null {
  if (model.inputPer1k === null || model.outputPer1k === null) return null;
  return (inputTokens / 1000) * model.inputPer1k + (outputTokens / 1000) * model.outputPer1k;
}

export interface Reservation {
  readonly usd: number;
}

export class Ledger {
  private readonly records: CallRecord[] = [];
  private spent = 0;
  private reserved = 0;

  /** @param limitUsd the run's budget; null for none. */
  constructor(readonly limitUsd: number | null) {}

  get spentUsd(): number {
    return this.spent;
  }

  get calls(): readonly CallRecord[] {
    return this.records;
  }

  /**
   * Reserves a call's worst-case cost, or throws `BudgetExceededError` when spent + reserved +
   * this estimate would exceed the limit. Reservations make concurrent calls safe.
   */
  reserve(agent: string, estimateUsd: number | null): Reservation {
    if (this.limitUsd === null || estimateUsd === null) return { usd: 0 };
    if (this.spent + this.reserved + estimateUsd > this.limitUsd) {
      throw new BudgetExceededError(agent, {
        limitUsd: this.limitUsd,
        spentUsd: this.spent + this.reserved,
        estimateUsd,
      });
    }
    this.reserved += estimateUsd;
    return { usd: estimateUsd };
  }

  /** Replaces a reservation with what the call actually cost (0 when it failed). */
  settle(reservation: Reservation, actualUsd: number | null): void {
    this.reserved = Math.max(0, this.reserved - reservation.usd);
    this.spent += actualUsd ?? 0;
  }

  record(call: CallRecord): void {
    this.records.push(call);
  }

  /** Usage per agent, in the order agents first called. */
  byAgent(): AgentUsage[] {
    const order: string[] = [];
    const groups = new Map<string, CallRecord[]>();
    for (const record of this.records) {
      let group = groups.get(record.agent);
      if (group === undefined) {
        group = [];
        groups.set(record.agent, group);
        order.push(record.agent);
      }
      group.push(record);
    }
    return order.map((agent) => summarise(agent, groups.get(agent) ?? []));
  }

  /** Usage of the whole run. */
  total(): AgentUsage {
    return summarise("total", this.records);
  }
}

function summarise(agent: string, records: readonly CallRecord[]): AgentUsage {
  const models = new Set<string>();
  let calls = 0;
  let cacheHits = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let costUsd = 0;
  let costUnknown = false;
  let latencyMs = 0;
  for (const record of records) {
    if (record.outcome === "cache-hit") cacheHits++;
    else if (record.outcome !== "circuit-open") calls++;
    if (record.outcome === "ok" || record.outcome === "cache-hit")
      models.add(`${record.provider}/${record.model}`);
    inputTokens += record.inputTokens;
    outputTokens += record.outputTokens;
    if (record.costUsd === null)
      costUnknown = costUnknown || record.outcome === "ok" || record.outcome === "rejected";
    else costUsd += record.costUsd;
    latencyMs += record.latencyMs;
  }
  return {
    agent,
    calls,
    cacheHits,
    inputTokens,
    outputTokens,
    costUsd,
    costUnknown,
    latencyMs,
    models: [...models],
  };
}
