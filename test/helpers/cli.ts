/**
 * Run the real, bundled `qlf` (node bin/qlf.js) the way a user does, and make sure the bundle is
 * current first. Shared by every CLI test:
 *
 *   const { code, stdout, stderr } = await runQlf(["overlays", "describe", "hipaa"]);
 *
 * The bundle is built once per test run by `test/helpers/global-setup.ts` (registered in
 * vitest.config.ts), which calls `ensureBuilt()`.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is test/helpers/cli.ts). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = path.join(REPO_ROOT, "bin", "qlf.js");
const BUNDLE = path.join(REPO_ROOT, "dist", "qlf.js");

/** A Node ≥ 24 binary: the one running the tests when it is recent enough, else the machine's Node 24. */
export const NODE = (() => {
  const major = Number(process.versions.node.split(".")[0]);
  if (major >= 24) return process.execPath;
  const fallback = "/opt/node24/node_modules/.bin/node";
  try {
    statSync(fallback);
    return fallback;
  } catch {
    throw new Error(`the CLI tests need Node 24 (running ${process.version}); put Node 24 first on PATH`);
  }
})();

export interface RunOptions {
  /** Working directory (default: the repository root). */
  cwd?: string;
  /** Written to stdin, which is then closed (stdin is closed and empty otherwise). */
  input?: string;
  /** Extra environment variables, added to the test process's own (NO_COLOR is always set). */
  env?: Record<string, string | undefined>;
  /** Kill the process after this long (default 15 s) and fail. */
  timeoutMs?: number;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawns `node bin/qlf.js ...args` and resolves with its exit code and output (never rejects on a non-zero exit). */
export function runQlf(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`qlf ${args.join(" ")} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: code ?? (signal === null ? -1 : 128),
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      });
    });
    child.stdin.end(options.input ?? "");
  });
}

/**
 * Builds dist/ with `node scripts/build.mjs` unless it is newer than every source it is built from.
 * Several test runs may share one checkout, so the build runs under a lock directory and the
 * freshness is checked again once the lock is held.
 */
export function ensureBuilt(): void {
  if (isFresh()) return;
  const lock = path.join(tmpdir(), `qlf-build-${REPO_ROOT.replace(/[^A-Za-z0-9]+/g, "-")}.lock`);
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // A lock older than two minutes belongs to a run that died; take it over.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // It disappeared meanwhile: try again.
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the build lock ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    if (isFresh()) return;
    const result = spawnSync(NODE, [path.join(REPO_ROOT, "scripts", "build.mjs")], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    });
    if (result.status !== 0) {
      throw new Error(`npm run build failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function isFresh(): boolean {
  let built: number;
  try {
    built = statSync(BUNDLE).mtimeMs;
  } catch {
    return false;
  }
  const inputs = [path.join(REPO_ROOT, "package.json"), path.join(REPO_ROOT, "scripts", "build.mjs")];
  return (
    newest(path.join(REPO_ROOT, "src"), Math.max(...inputs.map((file) => statSync(file).mtimeMs))) <= built
  );
}

function newest(dir: string, start: number): number {
  let latest = start;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    latest = Math.max(latest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}
