/**
 * Container harness for qlf's tests and CI: builds a generated app's Dockerfile with podman, runs the
 * image, waits for its health endpoint, and reports what a reviewer of a container image checks
 * (size, HEALTHCHECK kept and passing, non-root user). The container is always removed.
 *
 * Works on the CI machine without a Docker engine or a registry: `bash scripts/containers/setup.sh`
 * installs podman and makes the base images locally (docs/containers.md). This module needs no
 * environment set beforehand: it selects the project's containers.conf itself.
 *
 * Library use (tests):
 * ```ts
 * import { buildAndProbe } from "../../scripts/containers/harness.js";
 * const result = await buildAndProbe({ contextDir: "out/app", tag: "localhost/qlf-test/app:latest" });
 * if (!result.ok) throw new Error(`${result.stage}: ${result.message}\n${result.log}`);
 * ```
 * Command line (Node 24 runs this file directly):
 * `node scripts/containers/harness.ts build-and-probe <context-dir> <tag> [--port 8080] [--health /healthz] [--env K=V]...`
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

/** Directory of this file: scripts/containers. */
export const CONTAINERS_DIR = dirname(fileURLToPath(import.meta.url));

/**
 * Names of the base images setup.sh makes, as generated Dockerfiles write them in FROM lines.
 * They are the official images' names; locally they are stand-ins built from Debian (docs/containers.md).
 * scripts/containers/env.sh exports the same names (a test keeps the two in step).
 */
export const BASE_IMAGES = {
  debianLocal: "localhost/debian:bookworm",
  debian: "docker.io/library/debian:bookworm-slim",
  node: "docker.io/library/node:24-slim",
  python: "docker.io/library/python:3.11-slim",
  go: "docker.io/library/golang:1.19-bookworm",
  distroless: "gcr.io/distroless/static-debian12:nonroot",
} as const;

/** Label put on every probe container, so leftovers of a killed run can be found and removed. */
export const PROBE_LABEL = "org.quantumlayer.qlf.probe";

/** Probe containers of this process not yet removed; removed on exit if a run is cut short. */
const activeContainers = new Set<string>();
let exitHookInstalled = false;

function removeActiveContainers(): void {
  for (const name of activeContainers) {
    spawnSync("podman", ["rm", "--force", "--time", "0", name], { env: podmanEnv(), stdio: "ignore" });
  }
  activeContainers.clear();
}

function track(name: string): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", removeActiveContainers);
  }
  activeContainers.add(name);
}

const DEFAULT_NPM_REGISTRY = "https://registry.npmjs.org/";

/**
 * The environment podman must run with: the caller's, plus the project's containers.conf (runc,
 * permitted ulimits) unless CONTAINERS_CONF is already set.
 */
export function podmanEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...env,
    CONTAINERS_CONF:
      env.CONTAINERS_CONF ?? env.QLF_CONTAINERS_CONF ?? join(CONTAINERS_DIR, "containers.conf"),
  };
}

/** Outcome of running a command: never throws for a non-zero exit. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

interface RunOptions {
  timeoutMs?: number;
  onLine?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** Runs podman with the project's configuration. */
export function podman(args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  return run("podman", args, { env: podmanEnv(), ...options });
}

function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let pending = "";
    let timedOut = false;
    const onChunk = (chunk: Buffer, sink: "stdout" | "stderr") => {
      const text = chunk.toString("utf8");
      if (sink === "stdout") stdout += text;
      else stderr += text;
      if (options.onLine) {
        pending += text;
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) options.onLine(line);
      }
    };
    child.stdout.on("data", (chunk: Buffer) => onChunk(chunk, "stdout"));
    child.stderr.on("data", (chunk: Buffer) => onChunk(chunk, "stderr"));
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
          }, options.timeoutMs);
    const finish = (code: number, extra = "") => {
      if (timer) clearTimeout(timer);
      if (options.onLine && pending) options.onLine(pending);
      resolvePromise({ code, stdout, stderr: stderr + extra, timedOut });
    };
    child.on("error", (error) => finish(127, `${command}: ${error.message}\n`));
    child.on("close", (code) => finish(code ?? 128));
  });
}

/** Whether podman can be used here, and if not, why and what to do. */
export type Availability = { available: true; version: string } | { available: false; reason: string };

/**
 * Checks that podman runs and that the base images exist.
 * @example if (!(await containerAvailability()).available) console.log("run setup.sh first")
 */
/**
 * Why container tests should be skipped here, or undefined to run them. They are skipped only on
 * request or where podman is not installed outside CI; in CI a missing podman fails them instead.
 */
export function containerSkipReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.QLF_SKIP_CONTAINERS === "1") return "QLF_SKIP_CONTAINERS=1";
  const installed = spawnSync("podman", ["--version"], { stdio: "ignore" }).status === 0;
  return !installed && !env.CI ? "podman is not installed (bash scripts/containers/setup.sh)" : undefined;
}

export async function containerAvailability(): Promise<Availability> {
  const version = await podman(["version", "--format", "{{.Client.Version}}"]);
  if (version.code !== 0) {
    return {
      available: false,
      reason: `podman does not run (${firstLine(version.stderr) || `exit ${version.code}`}); run \`bash scripts/containers/setup.sh\` as root`,
    };
  }
  const missing = await missingBaseImages();
  if (missing.length > 0) {
    return {
      available: false,
      reason: `base images missing: ${missing.join(", ")}; run \`bash scripts/containers/setup.sh\``,
    };
  }
  return { available: true, version: version.stdout.trim() };
}

/** The base images of {@link BASE_IMAGES} that do not exist locally. */
export async function missingBaseImages(): Promise<string[]> {
  const names = Object.values(BASE_IMAGES);
  const exists = await Promise.all(names.map((name) => podman(["image", "exists", name])));
  return names.filter((_, index) => exists[index]?.code !== 0);
}

/** What to build and how to probe it. */
export interface BuildAndProbeOptions {
  /** Build context (the generated app's root). */
  contextDir: string;
  /** Image tag, e.g. `localhost/qlf-test/pharmacy:latest`. */
  tag: string;
  /** Dockerfile path, relative to the context unless absolute. Default: `Dockerfile`. */
  dockerfile?: string;
  /** Port the app listens on inside the container. Default 8080. */
  port?: number;
  /** Path that must answer 200. Default `/healthz`. */
  healthPath?: string;
  /** Extra environment for the container (e.g. DATABASE_URL). */
  env?: Readonly<Record<string, string>>;
  /**
   * `bridge` (default): the port is published on a free 127.0.0.1 port. `host`: the container shares
   * the host's network (to reach 127.0.0.1:5432 PostgreSQL, say) and gets a free port through PORT.
   */
  network?: "bridge" | "host";
  /** Default 10 minutes. */
  buildTimeoutMs?: number;
  /** Time allowed from start until the health path answers 200. Default 60 s. */
  healthTimeoutMs?: number;
  /**
   * Use and keep cached layers (podman's default). false: build every step afresh and keep no
   * intermediate images, so a test really runs `npm ci` and leaves only the final image. Default true.
   */
  cache?: boolean;
  /** Remove the image afterwards. Default false. */
  removeImage?: boolean;
  /** Receives build and run output line by line. */
  onLog?: (line: string) => void;
}

/** Facts about a built image. */
export interface ImageFacts {
  id: string;
  sizeBytes: number;
  /** The HEALTHCHECK test (e.g. `["CMD", "node", "-e", "..."]`), or null when the image has none. */
  healthcheck: string[] | null;
  /** The image's USER ("" when unset, which means root). */
  user: string;
}

/** A successful build and probe; `problems` lists what a reviewer would reject. */
export interface ProbeSuccess extends ImageFacts {
  ok: true;
  tag: string;
  buildMs: number;
  /** From `podman run` until the health path answered 200. */
  readyMs: number;
  status: number;
  body: string;
  /** Whether the image's own HEALTHCHECK command passed (`podman healthcheck run`); null without one. */
  healthcheckPassed: boolean | null;
  /** uid of the container's main process. */
  uid: number;
  /** Empty when the image is fit to ship: HEALTHCHECK present and passing, not running as root. */
  problems: string[];
}

/** Where and why a build and probe failed, with the output that explains it. */
export interface ProbeFailure {
  ok: false;
  tag: string;
  stage: "build" | "inspect" | "run" | "health";
  message: string;
  /** The tail of the build output or of the container's log. */
  log: string;
}

export type ProbeResult = ProbeSuccess | ProbeFailure;

/**
 * Builds `contextDir` with podman (`--pull=never --format docker --network host`, the host's CA
 * bundle and npm registry available to RUN steps), runs it, waits for `healthPath` to answer 200 and
 * runs the image's HEALTHCHECK once. The container is removed whatever happens.
 * @example
 * const r = await buildAndProbe({ contextDir: "out/app", tag: "localhost/qlf-test/app:1" });
 * if (r.ok && r.problems.length === 0) console.log(`${r.sizeBytes} bytes, ready in ${r.readyMs} ms`);
 */
export async function buildAndProbe(options: BuildAndProbeOptions): Promise<ProbeResult> {
  const tag = options.tag;
  const built = await buildImage(options);
  if (!built.ok) return built;
  try {
    const facts = await inspectImage(tag);
    if (!facts) {
      return { ok: false, tag, stage: "inspect", message: `podman image inspect ${tag} failed`, log: "" };
    }
    const probed = await runAndProbe(tag, facts, options);
    if (!probed.ok) return probed;
    const problems: string[] = [];
    if (facts.healthcheck === null) {
      problems.push("the image has no HEALTHCHECK (was it built with --format docker?)");
    } else if (probed.healthcheckPassed === false) {
      problems.push(`the image's HEALTHCHECK failed: ${facts.healthcheck.join(" ")}`);
    }
    if (probed.uid === 0) problems.push(`the container runs as root (USER is "${facts.user}")`);
    if (probed.uid === -1) problems.push("the uid of the container's process could not be read");
    return { ...facts, ...probed, ok: true, tag, buildMs: built.buildMs, problems };
  } finally {
    if (options.removeImage) await podman(["rmi", "--force", tag]);
  }
}

/** Builds an image the way CI does; see {@link buildAndProbe}. */
export async function buildImage(
  options: BuildAndProbeOptions,
): Promise<{ ok: true; buildMs: number } | ProbeFailure> {
  const contextDir = resolve(options.contextDir);
  const dockerfile = resolve(contextDir, options.dockerfile ?? "Dockerfile");
  const tag = options.tag;
  if (!existsSync(dockerfile)) {
    return { ok: false, tag, stage: "build", message: `no Dockerfile at ${dockerfile}`, log: "" };
  }
  const scratch = await mkdtemp(join(tmpdir(), "qlf-build-"));
  try {
    const mounts = await buildMounts(scratch);
    const args = [
      "build",
      "--pull=never",
      "--format",
      "docker",
      "--network",
      "host",
      ...(options.cache === false ? ["--no-cache", "--layers=false"] : []),
      ...mounts.flatMap((mount) => ["--volume", mount]),
      "--tag",
      tag,
      "--file",
      dockerfile,
      contextDir,
    ];
    const started = performance.now();
    const result = await podman(args, {
      timeoutMs: options.buildTimeoutMs ?? 600_000,
      ...(options.onLog ? { onLine: options.onLog } : {}),
    });
    const buildMs = Math.round(performance.now() - started);
    if (result.code !== 0) {
      const why = result.timedOut ? `timed out after ${buildMs} ms` : `exit ${result.code}`;
      return {
        ok: false,
        tag,
        stage: "build",
        message: `podman build of ${contextDir} failed (${why})`,
        log: tail(`${result.stdout}\n${result.stderr}`, 60),
      };
    }
    return { ok: true, buildMs };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Bind mounts for RUN steps: the host's CA bundle (a TLS-intercepting proxy's CA is in it on this
 * machine; Node in the node base trusts that path through NODE_EXTRA_CA_CERTS), and the host's npm
 * registry when it is not the default. They live here, never in the generated Dockerfiles.
 */
async function buildMounts(scratch: string): Promise<string[]> {
  const mounts: string[] = [];
  const bundle = [
    process.env.NODE_EXTRA_CA_CERTS,
    process.env.SSL_CERT_FILE,
    "/etc/ssl/certs/ca-certificates.crt",
  ]
    .filter((path): path is string => Boolean(path))
    .find((path) => existsSync(path));
  if (bundle) mounts.push(`${bundle}:/etc/ssl/certs/ca-certificates.crt:ro`);
  const registry = await npmRegistry();
  if (registry !== DEFAULT_NPM_REGISTRY) {
    // /usr/local/etc/npmrc is the global npmrc of npm under /usr/local (the node image's layout).
    const npmrc = join(scratch, "npmrc");
    await writeFile(npmrc, `registry=${registry}\n`);
    mounts.push(`${npmrc}:/usr/local/etc/npmrc:ro`);
  }
  return mounts;
}

let registryCache: string | undefined;
async function npmRegistry(): Promise<string> {
  if (registryCache !== undefined) return registryCache;
  const fromEnv = process.env.npm_config_registry ?? process.env.NPM_CONFIG_REGISTRY;
  let registry = fromEnv;
  if (!registry) {
    const result = await run("npm", ["config", "get", "registry"], { timeoutMs: 20_000 });
    registry = result.code === 0 ? result.stdout.trim() : DEFAULT_NPM_REGISTRY;
  }
  registryCache = registry.endsWith("/") ? registry : `${registry}/`;
  return registryCache;
}

/** Reads size, HEALTHCHECK and USER of an image; null when it does not exist. */
export async function inspectImage(tag: string): Promise<ImageFacts | null> {
  const result = await podman(["image", "inspect", tag]);
  if (result.code !== 0) return null;
  const [image] = JSON.parse(result.stdout) as Array<{
    Id: string;
    Size: number;
    Healthcheck?: { Test?: string[] } | null;
    Config?: { User?: string; Healthcheck?: { Test?: string[] } | null };
  }>;
  if (!image) return null;
  // podman shows a docker-format image's HEALTHCHECK at the top level; Config.Healthcheck is where
  // Docker puts it. A test of ["NONE"] disables an inherited check.
  const test = image.Healthcheck?.Test ?? image.Config?.Healthcheck?.Test ?? null;
  return {
    id: image.Id,
    sizeBytes: image.Size,
    healthcheck: test && test.length > 0 && test[0] !== "NONE" ? test : null,
    user: image.Config?.User ?? "",
  };
}

interface Probed {
  readyMs: number;
  status: number;
  body: string;
  healthcheckPassed: boolean | null;
  uid: number;
}

async function runAndProbe(
  tag: string,
  facts: ImageFacts,
  options: BuildAndProbeOptions,
): Promise<({ ok: true } & Probed) | ProbeFailure> {
  const port = options.port ?? 8080;
  const healthPath = options.healthPath ?? "/healthz";
  const healthTimeoutMs = options.healthTimeoutMs ?? 60_000;
  const network = options.network ?? "bridge";
  const name = `qlf-probe-${randomBytes(6).toString("hex")}`;
  const hostPort = network === "host" ? await freePort() : undefined;
  const env = { ...options.env, ...(hostPort === undefined ? {} : { PORT: String(hostPort) }) };
  const args = [
    "run",
    "--detach",
    "--name",
    name,
    "--label",
    `${PROBE_LABEL}=1`,
    // The healthcheck timer needs systemd, which this machine lacks; the check is run by hand below.
    "--health-interval",
    "disable",
    // If this process dies before its cleanup, the container stops by itself.
    "--timeout",
    String(Math.ceil(healthTimeoutMs / 1000) + 300),
    ...(network === "host" ? ["--network", "host"] : ["--publish", `127.0.0.1::${port}`]),
    ...Object.entries(env).flatMap(([key, value]) => ["--env", `${key}=${value}`]),
    tag,
  ];
  const started = performance.now();
  track(name);
  try {
    const launched = await podman(args, { timeoutMs: 60_000 });
    if (launched.code !== 0) {
      return {
        ok: false,
        tag,
        stage: "run",
        message: `podman run failed (exit ${launched.code})`,
        log: tail(launched.stderr, 30),
      };
    }
    const stopped = async (): Promise<ProbeFailure | undefined> => {
      const state = await podman([
        "container",
        "inspect",
        "--format",
        "{{.State.Status}} {{.State.ExitCode}}",
        name,
      ]);
      const [status, exitCode] = state.stdout.trim().split(" ");
      if (status === "running") return undefined;
      return {
        ok: false,
        tag,
        stage: "health",
        message: `the container stopped (${status}, exit ${exitCode}) before ${healthPath} answered`,
        log: await containerLog(name),
      };
    };
    const target = hostPort === undefined ? await publishedAddress(name, port) : `127.0.0.1:${hostPort}`;
    if (!target) {
      return (
        (await stopped()) ?? {
          ok: false,
          tag,
          stage: "run",
          message: `port ${port} was not published`,
          log: await containerLog(name),
        }
      );
    }
    const url = `http://${target}${healthPath}`;
    let lastError = "no answer yet";
    while (performance.now() - started < healthTimeoutMs) {
      const failure = await stopped();
      if (failure) return failure;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        const body = await response.text();
        if (response.status === 200) {
          const readyMs = Math.round(performance.now() - started);
          const healthcheckPassed = facts.healthcheck ? await runHealthcheck(name) : null;
          return { ok: true, readyMs, status: 200, body, healthcheckPassed, uid: await mainUid(name) };
        }
        lastError = `HTTP ${response.status}: ${body.slice(0, 200)}`;
      } catch (error) {
        lastError =
          error instanceof Error
            ? error.cause instanceof Error
              ? error.cause.message
              : error.message
            : String(error);
      }
      await sleep(250);
    }
    return {
      ok: false,
      tag,
      stage: "health",
      message: `${url} did not answer 200 within ${healthTimeoutMs} ms (last: ${lastError})`,
      log: await containerLog(name),
    };
  } finally {
    await podman(["rm", "--force", "--time", "0", name], { timeoutMs: 60_000 });
    activeContainers.delete(name);
  }
}

/** Runs the image's HEALTHCHECK; a few tries, since the app has only just come up. */
async function runHealthcheck(name: string): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const result = await podman(["healthcheck", "run", name], { timeoutMs: 30_000 });
    if (result.code === 0) return true;
    await sleep(1_000);
  }
  return false;
}

/**
 * uid of the container's main process, read from the host's /proc (rootful podman, same host);
 * -1 when it cannot be read (the process is gone).
 */
async function mainUid(name: string): Promise<number> {
  const pid = (await podman(["container", "inspect", "--format", "{{.State.Pid}}", name])).stdout.trim();
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
  return uid === undefined ? -1 : Number(uid);
}

async function publishedAddress(name: string, port: number): Promise<string | undefined> {
  const result = await podman(["port", name, `${port}/tcp`]);
  const address = result.stdout.trim().split("\n")[0]?.trim();
  return address ? address.replace(/^0\.0\.0\.0:/, "127.0.0.1:") : undefined;
}

async function containerLog(name: string): Promise<string> {
  const result = await podman(["logs", "--tail", "40", name]);
  return tail(`${result.stdout}\n${result.stderr}`, 40);
}

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}

/** Renders a result the way the CLI prints it. */
export function formatResult(result: ProbeResult): string {
  if (!result.ok) return `FAIL ${result.tag} at ${result.stage}: ${result.message}\n${result.log}`;
  const lines = [
    `${result.problems.length === 0 ? "OK" : "PROBLEMS"} ${result.tag}`,
    `  build        ${(result.buildMs / 1000).toFixed(1)} s`,
    `  ready        ${(result.readyMs / 1000).toFixed(1)} s (${result.status} ${result.body.slice(0, 120)})`,
    `  size         ${(result.sizeBytes / 1e6).toFixed(1)} MB`,
    `  healthcheck  ${result.healthcheck ? `${result.healthcheckPassed ? "passed" : "FAILED"}: ${result.healthcheck.join(" ")}` : "none"}`,
    `  user         ${result.user || "(root)"} (uid ${result.uid})`,
  ];
  for (const problem of result.problems) lines.push(`  problem: ${problem}`);
  return lines.join("\n");
}

const USAGE = `usage:
  node scripts/containers/harness.ts build-and-probe <context-dir> <tag> [--port 8080] [--health /healthz]
      [--env K=V]... [--dockerfile PATH] [--network bridge|host] [--timeout SECONDS] [--no-cache] [--rm] [--json] [--quiet]
  node scripts/containers/harness.ts check`;

/** Command line: exit 0 when the image built, answered and has no problems; 1 otherwise; 2 on misuse. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "check") {
    const availability = await containerAvailability();
    console.log(
      availability.available ? `podman ${availability.version}, base images present` : availability.reason,
    );
    return availability.available ? 0 : 1;
  }
  if (command !== "build-and-probe") {
    console.error(USAGE);
    return 2;
  }
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(rest);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [contextDir, tag] = positionals;
  if (!contextDir || !tag || positionals.length > 2) {
    console.error(USAGE);
    return 2;
  }
  const env: Record<string, string> = {};
  for (const pair of values.env ?? []) {
    const at = pair.indexOf("=");
    if (at <= 0) {
      console.error(`--env wants KEY=VALUE, got "${pair}"`);
      return 2;
    }
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const network = values.network ?? "bridge";
  if (network !== "bridge" && network !== "host") {
    console.error(`--network is bridge or host, got "${network}"`);
    return 2;
  }
  const port = Number(values.port ?? "8080");
  const timeout = Number(values.timeout ?? "60");
  if (!Number.isInteger(port) || port <= 0 || !(timeout > 0)) {
    console.error("--port wants a port number and --timeout a number of seconds");
    return 2;
  }
  const result = await buildAndProbe({
    contextDir,
    tag,
    port,
    env,
    network,
    healthPath: values.health ?? "/healthz",
    healthTimeoutMs: timeout * 1000,
    removeImage: values.rm ?? false,
    cache: !values["no-cache"],
    ...(values.dockerfile ? { dockerfile: values.dockerfile } : {}),
    ...(values.quiet || values.json ? {} : { onLog: (line: string) => console.error(line) }),
  });
  console.log(values.json ? JSON.stringify(result, null, 2) : formatResult(result));
  return result.ok && result.problems.length === 0 ? 0 : 1;
}

function parseCli(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      port: { type: "string" },
      health: { type: "string" },
      env: { type: "string", multiple: true },
      dockerfile: { type: "string" },
      network: { type: "string" },
      timeout: { type: "string" },
      rm: { type: "boolean" },
      "no-cache": { type: "boolean" },
      json: { type: "boolean" },
      quiet: { type: "boolean" },
    },
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      removeActiveContainers();
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  }
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exitCode = 2;
    },
  );
}
