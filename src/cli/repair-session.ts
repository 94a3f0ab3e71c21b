/**
 * `qlf verify --repair`: runs the kernel's repair loop on an application directory with the
 * configured LLM providers. The workspace reads and writes only the files the findings name, each
 * checked with the tree's path rules and kept inside the directory after symlinks are resolved.
 */
import { lstat, readFile, realpath, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  assertSafePath,
  type GeneratedFile,
  getStack,
  llmRepairProvider,
  type RepairWorkspace,
  registerBuiltins,
  repairLoop,
  type VerifyReport,
} from "../kernel/index.js";
import { loadConfig } from "../services/llm/config.js";
import { createLlmRuntime } from "../services/llm/runtime.js";

export interface RepairAppOptions {
  readonly provider: string | undefined;
  readonly allowWorkflows: boolean;
  /** Progress lines (stderr). */
  readonly log: (line: string) => void;
}

/**
 * Repairs `dir` until the gates pass, a round does not help, or `llm.repair.maxRounds` is reached;
 * returns the report of the directory as left.
 */
export async function repairApp(
  dir: string,
  report: VerifyReport,
  verify: () => Promise<VerifyReport>,
  options: RepairAppOptions,
): Promise<VerifyReport> {
  const { config } = await loadConfig({ cwd: process.cwd(), flags: { provider: options.provider } });
  const runtime = await createLlmRuntime(config.llm);
  try {
    const router = runtime.router;
    if (router === undefined) return report; // the verify command refuses template before this
    registerBuiltins();
    const stack = getStack(report.app.stack ?? "");
    const policy = { allowWorkflows: options.allowWorkflows };
    const outcome = await repairLoop({
      provider: llmRepairProvider({
        router,
        stack: {
          title: stack?.title ?? report.app.stack ?? "generated",
          conventions: stack?.conventions ?? [],
        },
        policy,
        temperature: config.llm.temperature,
        maxTokens: config.llm.maxOutputTokens,
      }),
      verify,
      workspace: directoryWorkspace(dir, policy),
      maxRounds: config.llm.repair.maxRounds,
      initial: report,
      onRound: (round) =>
        options.log(
          `qlf verify: repair round ${round.round}: ${round.changed.length} file(s) changed, errors ${round.errorsBefore} → ${round.errorsAfter}${round.kept ? "" : " (undone)"}`,
        ),
    });
    const total = runtime.ledger.total();
    options.log(
      `qlf verify: repair ${outcome.status} after ${outcome.rounds.length} round(s); ${total.calls} LLM call(s), ${total.inputTokens + total.outputTokens} tokens, $${total.costUsd.toFixed(4)}`,
    );
    return outcome.report;
  } finally {
    await runtime.close();
  }
}

/** Files of `dir`, read and written by relative path; refuses paths that leave it. */
export function directoryWorkspace(dir: string, policy: { allowWorkflows: boolean }): RepairWorkspace {
  const inside = async (relative: string): Promise<string | undefined> => {
    assertSafePath(relative, policy);
    const root = await realpath(dir);
    const full = path.join(root, relative);
    try {
      const stat = await lstat(full);
      if (!stat.isFile()) return undefined;
      const resolved = await realpath(full);
      return resolved.startsWith(`${root}${path.sep}`) ? resolved : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    async read(paths) {
      const files: GeneratedFile[] = [];
      for (const relative of paths) {
        const full = await inside(relative);
        if (full === undefined) continue;
        const content = await readFile(full, "utf8");
        if (content.includes("\u0000")) continue; // binary: not something to repair as text
        const mode = ((await lstat(full)).mode & 0o111) !== 0 ? 0o755 : 0o644;
        files.push({ path: relative, content, mode });
      }
      return files;
    },
    async write(files) {
      for (const file of files) {
        const full = await inside(file.path);
        // Only files that exist (the ones read) are written: a repair never creates files.
        if (full === undefined) continue;
        await writeFile(full, file.content, { mode: file.mode });
      }
    },
  };
}
