/**
 * Processes for the gates: commands run to completion under a time limit (the whole process group
 * is killed when it runs out, or when the gate is stopped), and servers started on a free port and
 * polled until they answer.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ExecRequest, ExecResult, StartAppRequest, StartAppResult } from "../../kernel/index.js";

const MAX_OUTPUT = 8 * 1024 * 1024;

/**
 * This process's environment without what must not leak into the app under test (test-runner
 * variables, NODE_OPTIONS, a DATABASE_URL), Node's own directory first on PATH, colours off.
 */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (
      name.startsWith("VITEST") ||
      name.startsWith("npm_") ||
      name === "NODE_OPTIONS" ||
      name === "NODE_ENV"
    )
      continue;
    if (name === "DATABASE_URL" || name === "TEST" || name === "PORT") continue;
    env[name] = value;
  }
  env.PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`;
  env.NO_COLOR = "1";
  env.FORCE_COLOR = "0";
  for (const [name, value] of Object.entries(extra)) {
    if (value === "") delete env[name];
    else env[name] = value;
  }
  return env;
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Runs a command in `root` (or `root/cwd`); never rejects for a non-zero exit or a missing
 * executable (code null, the error in `output`).
 */
export async function runCommand(
  root: string,
  request: ExecRequest,
  signal?: AbortSignal,
  context?: RunContext,
): Promise<ExecResult> {
  const started = performance.now();
  let outputDir: string | undefined;
  let args = [...request.args];
  if (request.outputFile === true) {
    outputDir = await mkdtemp(path.join(tmpdir(), "qlf-verify-"));
    const file = path.join(outputDir, "report");
    args = args.map((arg) => arg.replaceAll("{outputFile}", file));
  }
  try {
    const { code, output, timedOut } = await new Promise<{
      code: number | null;
      output: string;
      timedOut: boolean;
    }>((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let timedOut = false;
      const child = spawn(request.command, args, {
        cwd: path.join(context?.cwd ?? root, request.cwd ?? ""),
        // PWD as a shell's cd would set it: Go takes the working directory from it when it names
        // the same directory, which keeps a GOPATH link's path instead of the resolved one.
        env: cleanEnv({
          ...context?.env,
          ...request.env,
          PWD: path.join(context?.cwd ?? root, request.cwd ?? ""),
        }),
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      const collect = (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_OUTPUT) chunks.push(chunk);
      };
      child.stdout.on("data", collect);
      child.stderr.on("data", collect);
      const stop = () => {
        timedOut = true;
        killGroup(child.pid, "SIGKILL");
      };
      const timer = setTimeout(stop, request.timeoutMs ?? 5 * 60_000);
      signal?.addEventListener("abort", stop, { once: true });
      child.on("error", (error) => {
        clearTimeout(timer);
        resolve({ code: null, output: `cannot run ${request.command}: ${error.message}`, timedOut: false });
      });
      child.on("close", (exit) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", stop);
        resolve({ code: timedOut ? null : exit, output: Buffer.concat(chunks).toString("utf8"), timedOut });
      });
    });
    const outputFile =
      outputDir === undefined
        ? null
        : await readFile(path.join(outputDir, "report"), "utf8").catch(() => null);
    const printed = context?.printedRoot;
    const rewrite = (text: string) =>
      printed === undefined ? text : text.replaceAll(`${printed}/`, `${root}/`);
    return {
      code,
      output: rewrite(output),
      timedOut,
      durationMs: Math.round(performance.now() - started),
      outputFile: outputFile === null ? null : rewrite(outputFile),
    };
  } finally {
    if (outputDir !== undefined) await rm(outputDir, { recursive: true, force: true });
  }
}

/** Where commands run when not in the application directory itself (e.g. a GOPATH link to it). */
export interface RunContext {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Paths printed under this directory are rewritten to the application root. */
  readonly printedRoot?: string;
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

/** Starts a server with PORT set to a free port and waits until `healthPath` answers 200. */
export async function startServer(
  root: string,
  request: StartAppRequest,
  signal?: AbortSignal,
  context?: RunContext,
): Promise<StartAppResult & { stop?: () => Promise<number | null> }> {
  const port = await freePort();
  const child = spawn(
    request.command,
    request.args.map((arg) => arg.replaceAll("{port}", String(port))),
    {
      cwd: context?.cwd ?? root,
      env: cleanEnv({
        ...context?.env,
        ...request.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        PWD: context?.cwd ?? root,
      }),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  const chunks: Buffer[] = [];
  let size = 0;
  const collect = (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_OUTPUT) chunks.push(chunk);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  let exitCode: number | null | undefined;
  let spawnError: string | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.on("close", (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  child.on("error", (error) => {
    spawnError = error.message;
  });
  const output = () => Buffer.concat(chunks).toString("utf8");
  const stop = async (): Promise<number | null> => {
    if (exitCode !== undefined) return exitCode;
    killGroup(child.pid, "SIGTERM");
    const timer = setTimeout(() => killGroup(child.pid, "SIGKILL"), 10_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  signal?.addEventListener("abort", () => void stop(), { once: true });
  const url = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + request.timeoutMs;
  for (;;) {
    if (spawnError !== undefined)
      return { ok: false, message: `cannot run ${request.command}: ${spawnError}`, output: output() };
    if (exitCode !== undefined)
      return {
        ok: false,
        message: `the server exited with ${exitCode ?? "a signal"} before answering`,
        output: output(),
      };
    const status = await fetch(`${url}${request.healthPath}`, { signal: AbortSignal.timeout(2000) }).then(
      (res) => res.status,
      () => 0,
    );
    if (status === 200) return { ok: true, app: { url, stop, output } };
    if (performance.now() > deadline || signal?.aborted === true) {
      await stop();
      return {
        ok: false,
        message: `the server did not answer ${request.healthPath} with 200 within ${Math.round(request.timeoutMs / 1000)} s`,
        output: output(),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
