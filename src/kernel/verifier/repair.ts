/**
 * The hook for the repair loop (`qlf verify --repair`): failing findings, grouped by file, are
 * what a provider is asked to fix; the loop then applies its file changes and verifies again. The
 * LLM providers (issue 5) plug in through `RepairProvider`; without one, `--repair` refuses
 * clearly instead of pretending to repair.
 */
import { UserInputError } from "../errors.js";
import type { GeneratedFile } from "../generate/tree.js";
import { type Finding, type GateId, sortFindings, type VerifyReport } from "./report.js";

export interface RepairTask {
  /** The file to change, or null for findings without a file (the provider must find it). */
  readonly path: string | null;
  readonly findings: readonly Finding[];
}

/** A provider that proposes changed files for the findings it is given. */
export interface RepairProvider {
  readonly id: string;
  repair(tasks: readonly RepairTask[], files: readonly GeneratedFile[]): Promise<GeneratedFile[]>;
}

export interface RepairOptions {
  /** The configured provider's id (`--provider`), undefined when none is. */
  readonly provider: string | undefined;
  /** Rounds of repair and re-verification before giving up. */
  readonly maxRounds?: number;
}

/** Error findings of failed gates, grouped by file, files in path order. */
export function repairTasks(report: VerifyReport, gates?: readonly GateId[]): RepairTask[] {
  const byPath = new Map<string | null, Finding[]>();
  for (const gate of report.gates) {
    if (gate.status !== "failed" || (gates !== undefined && !gates.includes(gate.gate))) continue;
    for (const f of sortFindings(gate.findings)) {
      if (f.severity !== "error") continue;
      const list = byPath.get(f.path) ?? [];
      list.push(f);
      byPath.set(f.path, list);
    }
  }
  return [...byPath.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([path, findings]) => ({ path, findings }));
}

/**
 * Throws unless a provider is configured; returns its id.
 *
 * @throws UserInputError `verify.repair-provider` when none is.
 */
export function requireRepairProvider(options: RepairOptions): string {
  if (options.provider === undefined || options.provider.trim() === "" || options.provider === "template") {
    throw new UserInputError(
      "verify.repair-provider",
      "repair needs a provider (--provider …); none is configured",
      {
        hint: "pass --provider bedrock|azure|openai with its credentials, or run without --repair",
      },
    );
  }
  return options.provider;
}
