/**
 * The repair loop: when verification gates fail, the failing findings and the files they point at
 * go to a repair provider (a model, through `llmRepairProvider`); its files are applied and the
 * gates run again. Up to `maxRounds` rounds, stopping as soon as the gates pass or a round does not
 * reduce the errors (its changes are then undone, so the result is never worse than the input).
 *
 * I/O is injected: `verify` runs the gates, `workspace` reads and writes the files (a directory for
 * `qlf verify --repair`, an in-memory tree in tests).
 */
import type { GeneratedFile } from "../generate/tree.js";
import { type RepairProvider, type RepairTask, repairTasks } from "../verifier/repair.js";
import type { VerifyReport } from "../verifier/report.js";

export interface RepairWorkspace {
  /** The current content of these paths (paths that do not exist are left out). */
  read(paths: readonly string[]): Promise<GeneratedFile[]>;
  /** Replaces (or creates) these files. */
  write(files: readonly GeneratedFile[]): Promise<void>;
}

export interface RepairLoopOptions {
  readonly provider: RepairProvider;
  /** Runs the gates on the workspace as it is now. */
  readonly verify: () => Promise<VerifyReport>;
  readonly workspace: RepairWorkspace;
  /** Rounds of repair and re-verification (0 verifies only). */
  readonly maxRounds: number;
  /** The report of the workspace as it is, when the caller already has it. */
  readonly initial?: VerifyReport;
  readonly onRound?: (round: RepairRound) => void;
}

export interface RepairRound {
  readonly round: number;
  /** Error findings of failed gates before and after the round. */
  readonly errorsBefore: number;
  readonly errorsAfter: number;
  /** Paths the provider changed. */
  readonly changed: readonly string[];
  /** False when the round did not reduce the errors and its changes were undone. */
  readonly kept: boolean;
}

export type RepairStatus = "passed" | "no-progress" | "rounds-exhausted" | "nothing-changed";

export interface RepairOutcome {
  readonly status: RepairStatus;
  /** The report of the workspace as the loop left it (the best state seen). */
  readonly report: VerifyReport;
  readonly rounds: readonly RepairRound[];
}

/** Error findings of failed gates: what a round must reduce. */
export function errorCount(report: VerifyReport): number {
  return repairTasks(report).reduce((sum, task) => sum + task.findings.length, 0);
}

/**
 * @example
 * const outcome = await repairLoop({ provider, verify: () => verifyApp(options), workspace, maxRounds: 3 });
 * outcome.status; // "passed"
 */
export async function repairLoop(options: RepairLoopOptions): Promise<RepairOutcome> {
  let report = options.initial ?? (await options.verify());
  const rounds: RepairRound[] = [];
  for (let round = 1; round <= options.maxRounds; round++) {
    if (report.status === "passed") return { status: "passed", report, rounds };
    const tasks: RepairTask[] = repairTasks(report);
    const paths = tasks.flatMap((task) => (task.path === null ? [] : [task.path]));
    const before = await options.workspace.read(paths);
    const proposed = await options.provider.repair(tasks, before);
    const previous = new Map(before.map((file) => [file.path, file]));
    const changed = proposed.filter((file) => {
      const old = previous.get(file.path);
      return old === undefined || old.content !== file.content || old.mode !== file.mode;
    });
    if (changed.length === 0) return { status: "nothing-changed", report, rounds };
    await options.workspace.write(changed);
    const after = await options.verify();
    const errorsBefore = errorCount(report);
    const errorsAfter = errorCount(after);
    const improved = after.status === "passed" || errorsAfter < errorsBefore;
    const entry: RepairRound = {
      round,
      errorsBefore,
      errorsAfter,
      changed: changed.map((file) => file.path),
      kept: improved,
    };
    rounds.push(entry);
    options.onRound?.(entry);
    if (!improved) {
      // Undo: the loop never leaves the workspace worse than it found it.
      await options.workspace.write(changed.flatMap((file) => previous.get(file.path) ?? []));
      return { status: "no-progress", report, rounds };
    }
    report = after;
  }
  return { status: report.status === "passed" ? "passed" : "rounds-exhausted", report, rounds };
}
