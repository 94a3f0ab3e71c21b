/**
 * Runs the gates on an application directory and assembles the report: installs missing
 * dependencies first (unless told not to), skips a gate whose needs are not met (saying why), runs
 * the rest side by side (or one by one) each under its time limit, and cleans up what a gate
 * started (processes, servers, scratch databases) when it is stopped.
 */
import { randomBytes } from "node:crypto";
import { realpath, stat } from "node:fs/promises";
import path from "node:path";
import {
  commandLine,
  GATE_IDS,
  type Gate,
  type GateId,
  type GateResult,
  getGate,
  overallStatus,
  registerBuiltinGates,
  StepRecorder,
  UserInputError,
  type VerifyPorts,
  VerifyReport,
  type VerifyTarget,
} from "../../kernel/index.js";
import { adminUrl, createScratchDatabase } from "./database.js";
import { listTree, readTreeFile } from "./files.js";
import { goWorkspace } from "./go-workspace.js";
import { type RunContext, runCommand, startServer } from "./process.js";
import { dependenciesInstalled, loadTarget } from "./target.js";

export interface VerifyOptions {
  /** The application directory, as the user named it. */
  readonly dir: string;
  /** Gates to run (default: all, in the canonical order). */
  readonly gates?: readonly GateId[];
  /** Gates whose failure does not fail the run. */
  readonly optional?: readonly GateId[];
  /** Run gates side by side (default) or one after another. */
  readonly parallel?: boolean;
  /** Time limit per gate, overriding each gate's own. */
  readonly timeoutMs?: number;
  /** Install missing dependencies with the stack's install command (default true). */
  readonly install?: boolean;
  /** Server on which scratch databases are created (default QLF_VERIFY_DATABASE_URL or local). */
  readonly databaseUrl?: string;
  /** Files under .github/workflows/ are allowed (default true, as for `qlf generate`). */
  readonly allowWorkflows?: boolean;
  readonly toolVersion: string;
  /** Called as each gate finishes (progress output). */
  readonly onGate?: (result: GateResult) => void;
}

/**
 * @example
 * const report = await verifyApp({ dir: "./pharmacy", toolVersion: VERSION });
 * report.status; // "passed"
 */
export async function verifyApp(options: VerifyOptions): Promise<VerifyReport> {
  const started = performance.now();
  registerBuiltinGates();
  const root = await resolveDir(options.dir);
  const selected = (options.gates ?? GATE_IDS).map((id) => {
    const gate = getGate(id);
    if (gate === undefined)
      throw new UserInputError("verify.unknown-gate", `there is no gate named "${id}"`, {
        hint: `choose from ${GATE_IDS.join(", ")}`,
      });
    return gate;
  });
  const databaseUrl = adminUrl(options.databaseUrl);
  const loaded = await loadTarget({
    dir: options.dir,
    root,
    databaseUrl,
    allowWorkflows: options.allowWorkflows ?? true,
    toolVersion: options.toolVersion,
    probeDatabase: selected.some((gate) => gate.id === "contract" || gate.id === "migration"),
  });
  const notes = [...loaded.notes];
  let installed = dependenciesInstalled(root, loaded.target.profile);
  const install = loaded.target.profile.install;
  const needsDeps = selected.some((gate) =>
    gate
      .needs({ ...loaded.target, dependenciesInstalled: installed })
      .some((need) => need.kind === "dependencies"),
  );
  if (!installed && needsDeps && install !== null && options.install !== false) {
    const executable = loaded.target.tools[install.tool];
    if (executable !== undefined) {
      const result = await runCommand(root, {
        command: executable,
        args: install.args,
        timeoutMs: 10 * 60_000,
      });
      const line = commandLine(executable, install.args);
      if (result.code === 0) {
        installed = dependenciesInstalled(root, loaded.target.profile);
        notes.push(`installed the dependencies (${line}) in ${(result.durationMs / 1000).toFixed(1)} s`);
      } else {
        notes.push(
          `${line} failed (exit ${result.code ?? "killed"}): ${result.output.trim().split("\n").slice(-1)[0] ?? ""}`,
        );
      }
    }
  }
  const target: VerifyTarget = { ...loaded.target, dependenciesInstalled: installed };
  const workspace = target.profile.language === "go" ? await goWorkspace(root) : undefined;
  if (workspace !== undefined) notes.push(workspace.note);
  const optional = new Set(options.optional ?? []);
  const runOne = async (gate: Gate): Promise<GateResult> => {
    const result = await runGate(
      gate,
      target,
      databaseUrl,
      options.timeoutMs ?? gate.timeoutMs,
      !optional.has(gate.id),
      workspace,
    );
    options.onGate?.(result);
    return result;
  };
  const parallel = options.parallel ?? true;
  const results: GateResult[] = [];
  try {
    if (parallel) results.push(...(await Promise.all(selected.map(runOne))));
    else for (const gate of selected) results.push(await runOne(gate));
  } finally {
    await workspace?.cleanup();
  }

  return VerifyReport.parse({
    reportVersion: 1,
    tool: { name: "qlf", version: options.toolVersion },
    app: { dir: options.dir, name: target.name, stack: target.profile.stack },
    status: overallStatus(results),
    parallel,
    durationMs: Math.round(performance.now() - started),
    gates: results,
    notes,
  });
}

async function resolveDir(dir: string): Promise<string> {
  const absolute = path.resolve(dir);
  const info = await stat(absolute).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw new UserInputError("verify.no-directory", `${dir} is not a directory`, {
      hint: "give the directory of a generated application: qlf verify ./my-app",
    });
  }
  return realpath(absolute);
}

/** Why the gate cannot run here, or undefined when everything it needs is present. */
export function unmetNeed(gate: Gate, target: VerifyTarget): string | undefined {
  const reasons: string[] = [];
  for (const need of gate.needs(target)) {
    if (need.kind === "tool" && target.tools[need.tool] === undefined) {
      reasons.push(
        `${target.missingTools[need.tool] ?? `${need.tool} was not found`}; it is needed ${need.why}`,
      );
    }
    if (need.kind === "database" && !target.database.available) {
      reasons.push(`${target.database.reason}; a database is needed because ${need.why}`);
    }
    if (need.kind === "dependencies" && !target.dependenciesInstalled) {
      const install = target.profile.install;
      reasons.push(
        `the dependencies are not installed (run ${install === null ? "the install step" : [install.tool, ...install.args].join(" ")}, or drop --no-install); ${need.why}`,
      );
    }
  }
  // Every missing need at once, so one run tells the user everything to set up.
  return reasons.length === 0 ? undefined : reasons.join("; also, ");
}

async function runGate(
  gate: Gate,
  target: VerifyTarget,
  databaseUrl: string,
  timeoutMs: number,
  required: boolean,
  context: RunContext | undefined,
): Promise<GateResult> {
  const started = performance.now();
  const base = { gate: gate.id, title: gate.title, required };
  const unmet = unmetNeed(gate, target);
  if (unmet !== undefined) {
    return {
      ...base,
      status: "skipped",
      durationMs: 0,
      reason: unmet,
      summary: "not run",
      steps: [],
      findings: [],
    };
  }
  const controller = new AbortController();
  const cleanups = new Set<() => Promise<unknown>>();
  const ports: VerifyPorts = {
    listFiles: () => listTree(target.root),
    readText: (file) => readTreeFile(target.root, file),
    exec: (request) => runCommand(target.root, request, controller.signal, context),
    createDatabase: async () => {
      const db = await createScratchDatabase(databaseUrl);
      const cleanup = () => db.drop();
      cleanups.add(cleanup);
      return {
        url: db.url,
        query: (sql) => db.query(sql),
        drop: async () => {
          cleanups.delete(cleanup);
          await db.drop();
        },
      };
    },
    startApp: async (request) => {
      const result = await startServer(target.root, request, controller.signal, context);
      if (!result.ok) return result;
      const stop = () => result.app.stop();
      cleanups.add(stop);
      return {
        ok: true,
        app: {
          url: result.app.url,
          output: () => result.app.output(),
          stop: async () => {
            cleanups.delete(stop);
            return result.app.stop();
          },
        },
      };
    },
    http: async (request) => {
      try {
        const res = await fetch(request.url, {
          method: request.method,
          headers: request.headers,
          ...(request.body === undefined ? {} : { body: request.body }),
          signal: AbortSignal.any([controller.signal, AbortSignal.timeout(15_000)]),
          redirect: "manual",
        });
        const headers: Record<string, string> = {};
        res.headers.forEach((value, key) => {
          headers[key.toLowerCase()] = value;
        });
        const body = await res.text();
        // QLF_VERIFY_TRACE=1 shows every request the contract gate makes (for debugging a contract).
        if (process.env.QLF_VERIFY_TRACE === "1") {
          process.stderr.write(
            `${request.method} ${request.url} ${request.body ?? ""} -> ${res.status} ${body.slice(0, 300)}\n`,
          );
        }
        return { ok: true, status: res.status, headers, body };
      } catch (error) {
        return { ok: false, message: (error as Error).message };
      }
    },
    now: () => performance.now(),
    unixSeconds: () => Math.floor(Date.now() / 1000),
    randomHex: (bytes) => randomBytes(bytes).toString("hex"),
  };
  const steps = new StepRecorder(ports.now);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    const outcome = await Promise.race([gate.run({ target, ports, steps }), timedOut]);
    const durationMs = Math.round(performance.now() - started);
    if (outcome === "timeout") {
      controller.abort();
      return {
        ...base,
        status: "errored",
        durationMs,
        reason: `did not finish within ${Math.round(timeoutMs / 1000)} s (--timeout raises the limit)`,
        summary: "timed out",
        steps: steps.steps,
        findings: [],
      };
    }
    if (outcome.skipped !== undefined) {
      return {
        ...base,
        status: "skipped",
        durationMs,
        reason: outcome.skipped,
        summary: outcome.summary,
        steps: steps.steps,
        findings: [...outcome.findings],
      };
    }
    const failed = outcome.findings.some((f) => f.severity === "error");
    return {
      ...base,
      status: failed ? "failed" : "passed",
      durationMs,
      reason: null,
      summary: outcome.summary,
      steps: steps.steps,
      findings: [...outcome.findings],
    };
  } catch (error) {
    controller.abort();
    return {
      ...base,
      status: "errored",
      durationMs: Math.round(performance.now() - started),
      reason: `the gate itself failed: ${(error as Error).message}`,
      summary: "errored",
      steps: steps.steps,
      findings: [],
    };
  } finally {
    clearTimeout(timer);
    await Promise.all([...cleanups].map((cleanup) => cleanup().catch(() => undefined)));
  }
}
