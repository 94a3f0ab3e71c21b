/**
 * App harness: install, test, build and run generated applications in qlf's own tests and CI.
 *
 * Installing is the slow part (CI generates and tests many apps), so dependencies are installed
 * once per distinct dependency set and shared: the harness hashes the `dependencies` and
 * `devDependencies` of the app's package.json, installs that set once into a cache directory
 * (`npm install --prefer-offline` with a shared npm cache) and links the app's `node_modules` to
 * it. Apps that differ only in name, scripts or description share one install. The install's
 * package-lock.json is copied into the app, so `npm ci` (e.g. in its Dockerfile) pins the same
 * versions.
 *
 * ```ts
 * import { installDependencies, run, createDatabase, startServer } from "../../scripts/app-harness/harness.js";
 * const install = await installDependencies(appDir); // { reused, ms, key }
 * const { code, output } = await run("npm", ["test"], { cwd: appDir });
 * ```
 *
 * Environment: QLF_APP_CACHE (default ~/.cache/qlf/app-deps) holds the installs; QLF_NPM_CACHE
 * (default: npm's own cache) the downloaded tarballs; QLF_E2E_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres) the server on which test databases are created.
 * Only `node:` modules and `pg` are imported, so Node 24 can also run this file directly.
 */
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, lstat, mkdir, readFile, rename, rm, stat, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { homedir } from "node:os";
import path from "node:path";
import pg from "pg";

export interface InstallResult {
  /** Hash of the dependency set: the cache entry's name. */
  readonly key: string;
  /** True when an earlier install was reused (no npm run). */
  readonly reused: boolean;
  readonly ms: number;
  /** The shared node_modules the app's node_modules links to. */
  readonly nodeModules: string;
}

export interface InstallOptions {
  readonly cacheRoot?: string;
  readonly npmCache?: string;
  /** Give up on npm after this long (default 5 minutes). */
  readonly timeoutMs?: number;
}

const DEFAULT_CACHE_ROOT = process.env.QLF_APP_CACHE ?? path.join(homedir(), ".cache", "qlf", "app-deps");
/** A lock older than this belongs to a process that died mid-install. */
const STALE_LOCK_MS = 10 * 60_000;
const inFlight = new Map<string, Promise<string>>();

/**
 * Makes `appDir/node_modules` hold the dependencies of `appDir/package.json`, installing them
 * only when no earlier install of the same set exists.
 *
 * @example
 * const { reused, ms } = await installDependencies("/tmp/app");
 */
export async function installDependencies(
  appDir: string,
  options: InstallOptions = {},
): Promise<InstallResult> {
  const started = performance.now();
  const manifest = JSON.parse(await readFile(path.join(appDir, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const deps = {
    dependencies: sorted(manifest.dependencies),
    devDependencies: sorted(manifest.devDependencies),
  };
  // The Node major is part of the key: native and optional packages differ between versions.
  const key = createHash("sha256")
    .update(
      JSON.stringify({ node: process.versions.node.split(".")[0], platform: process.platform, ...deps }),
    )
    .digest("hex")
    .slice(0, 24);
  const cacheRoot = options.cacheRoot ?? DEFAULT_CACHE_ROOT;
  const entry = path.join(cacheRoot, key);
  let reused = existsSync(path.join(entry, ".complete"));
  if (!reused) {
    let pending = inFlight.get(entry);
    if (pending === undefined) {
      pending = installEntry(entry, deps, options);
      inFlight.set(entry, pending);
    }
    try {
      reused = (await pending) === "reused";
    } finally {
      inFlight.delete(entry);
    }
  }
  const nodeModules = path.join(entry, "node_modules");
  await linkNodeModules(appDir, nodeModules);
  if (!existsSync(path.join(appDir, "package-lock.json"))) {
    await copyFile(path.join(entry, "package-lock.json"), path.join(appDir, "package-lock.json"));
  }
  return { key, reused, ms: Math.round(performance.now() - started), nodeModules };
}

async function installEntry(
  entry: string,
  deps: { dependencies: Record<string, string>; devDependencies: Record<string, string> },
  options: InstallOptions,
): Promise<"installed" | "reused"> {
  await mkdir(path.dirname(entry), { recursive: true });
  const lock = `${entry}.lock`;
  await acquireLock(lock);
  try {
    // Another process may have finished the same install while this one waited for the lock.
    if (existsSync(path.join(entry, ".complete"))) return "reused";
    const staging = `${entry}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
    await mkdir(staging, { recursive: true });
    try {
      await writeFile(
        path.join(staging, "package.json"),
        `${JSON.stringify({ name: "qlf-app-deps", private: true, ...deps }, null, 2)}\n`,
      );
      const args = ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];
      const npmCache = options.npmCache ?? process.env.QLF_NPM_CACHE;
      if (npmCache !== undefined) args.push("--cache", npmCache);
      const result = await run("npm", args, { cwd: staging, timeoutMs: options.timeoutMs ?? 5 * 60_000 });
      if (result.code !== 0) throw new Error(`npm install failed (exit ${result.code}):\n${result.output}`);
      await writeFile(path.join(staging, ".complete"), `${new Date().toISOString()}\n`);
      await rm(entry, { recursive: true, force: true });
      await rename(staging, entry);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
    return "installed";
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function acquireLock(lock: string): Promise<void> {
  for (;;) {
    try {
      await mkdir(lock);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const since = await stat(lock).then(
        (info) => Date.now() - info.mtimeMs,
        () => 0,
      );
      if (since > STALE_LOCK_MS) await rm(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function linkNodeModules(appDir: string, target: string): Promise<void> {
  const link = path.join(appDir, "node_modules");
  const existing = await lstat(link).catch(() => undefined);
  if (existing !== undefined) await rm(link, { recursive: true, force: true });
  await symlink(target, link, "dir");
}

function sorted(record: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export interface RunOptions {
  readonly cwd: string;
  /** Added to a clean copy of this process's environment (test-runner variables removed). */
  readonly env?: Record<string, string | undefined>;
  /** Kill the process (and its children) after this long; the result then has code null. */
  readonly timeoutMs?: number;
}

export interface RunResult {
  readonly code: number | null;
  /** stdout and stderr interleaved, as a person would see them. */
  readonly output: string;
  readonly ms: number;
}

/**
 * Runs a command to completion; never rejects on a non-zero exit.
 *
 * @example
 * const { code, output } = await run("npm", ["test"], { cwd: appDir, env: { DATABASE_URL: url } });
 */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: childEnv(options.env),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
    const timer = setTimeout(() => killGroup(child.pid), options.timeoutMs ?? 5 * 60_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({
        code,
        output: Buffer.concat(chunks).toString("utf8"),
        ms: Math.round(performance.now() - started),
      });
    });
  });
}

/** This process's environment without the test runner's variables, Node 24 first on PATH. */
export function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    // A generated app runs its own vitest, which must not think it is a worker of ours.
    if (name.startsWith("VITEST") || name === "NODE_ENV" || name === "NODE_OPTIONS" || name === "TEST")
      continue;
    env[name] = value;
  }
  env.PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`;
  env.NO_COLOR = "1";
  env.FORCE_COLOR = "0";
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

const ADMIN_URL = process.env.QLF_E2E_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * Creates an empty database `<prefix>_<random>` on the test server; `drop()` removes it (and
 * ends any connection a crashed app left open).
 */
export async function createDatabase(prefix = "qlf_e2e"): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === "object" && address !== null) resolve(address.port);
        else reject(new Error("no port"));
      });
    });
  });
}

export interface RunningServer {
  readonly url: string;
  /** Sends SIGTERM and resolves with the exit code (null when it had to be killed). */
  stop(): Promise<number | null>;
  /** Everything the server printed so far. */
  output(): string;
}

/**
 * Starts `node <entry>` in `appDir` on a free port and waits until `health` answers 200.
 *
 * @example
 * const server = await startServer(appDir, "dist/server.js", { DATABASE_URL: db.url });
 * await fetch(`${server.url}/healthz`);
 * await server.stop();
 */
export function startServer(
  appDir: string,
  entry: string,
  env: Record<string, string>,
  options: { health?: string; timeoutMs?: number } = {},
): Promise<RunningServer> {
  return startProcess(process.execPath, () => [entry], { ...options, cwd: appDir, env });
}

/**
 * Starts any server process on a free port (given to it as `PORT` and to `args`), collects what it
 * prints, and waits until `health` answers 200. The generated apps of every stack are served
 * through this: Node's `dist/server.js`, uvicorn, a Go binary.
 */
export async function startProcess(
  command: string,
  args: (port: number) => readonly string[],
  options: {
    cwd?: string;
    env: Record<string, string>;
    health?: string;
    timeoutMs?: number;
    /** How long SIGTERM may take before SIGKILL. */
    graceMs?: number;
  },
): Promise<RunningServer> {
  const port = await freePort();
  const health = options.health ?? "/healthz";
  const child = spawn(command, [...args(port)], {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    env: childEnv({ ...options.env, PORT: String(port) }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const chunks: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const output = () => Buffer.concat(chunks).toString("utf8");
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), options.graceMs ?? 15_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    const ok = await fetch(`${url}${health}`).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ok) return { url, stop, output };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server did not answer ${health} in time:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Asks /healthz and /readyz; throws with the server's output unless both answer 200 (`{"status":"ok"}` when `strict`). */
export async function probeHealth(server: RunningServer, strict = false): Promise<void> {
  for (const probe of ["/healthz", "/readyz"]) {
    const res = await fetch(`${server.url}${probe}`);
    const body = await res.text();
    if (res.status !== 200 || (strict && (JSON.parse(body) as { status?: unknown }).status !== "ok"))
      throw new Error(`${probe} answered ${res.status}: ${body}\n${server.output()}`);
  }
}
