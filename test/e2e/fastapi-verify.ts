/**
 * The checks a generated FastAPI application must pass, run for real with Debian's Python
 * (/usr/bin/python3: the `python3` first on PATH here is another interpreter without Debian's
 * packages): generate it with the CLI (`qlf generate … --stack fastapi`, or the brief's own "in
 * Python"), pyflakes, its pytest suite in memory, the same suite on a fresh PostgreSQL database,
 * migrations up and down with the app's own runner, uvicorn serving /healthz and /readyz, and its
 * routes (FastAPI's app.routes) against openapi.yaml. Every step is recorded with its duration and
 * output, so a failing test says which step failed and why.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { parse as parseYaml } from "yaml";
import {
  createDatabase,
  probeHealth,
  type RunningServer,
  run,
  startProcess,
} from "../../scripts/app-harness/harness.js";
import { type VerifyReport as StepReport, stepRecorder } from "../../scripts/app-harness/steps.js";

export type { StepResult } from "../../scripts/app-harness/steps.js";

export const PYTHON = "/usr/bin/python3";
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface FastapiCase {
  readonly name: string;
  readonly brief: string;
  /** Pass `--stack fastapi` (otherwise the brief itself must ask for Python). */
  readonly stackFlag: boolean;
  /** Overlays that must be in force (detected from the brief); [] means none at all. */
  readonly overlays: readonly string[];
  readonly auth: "none" | "api-key" | "jwt" | "oauth";
  /** Files whose presence shows the overlays changed the output. */
  readonly files: readonly string[];
}

export interface GeneratedPythonApp {
  readonly dir: string;
  readonly ir: {
    auth: { kind: string; roles: unknown[] };
    overlays: { name: string }[];
    stack: { framework: string };
  };
  /** `.env.example` without DATABASE_URL and PORT: what the server needs to start. */
  readonly serverEnv: Record<string, string>;
}

/** `qlf generate "<brief>" [--stack fastapi] --frontend none --out <tmp>` through the built CLI. */
export async function generateWithCli(testCase: FastapiCase): Promise<GeneratedPythonApp> {
  const dir = await mkdtemp(path.join(tmpdir(), "qlf-e2e-fastapi-"));
  const args = [
    path.join(ROOT, "bin", "qlf.js"),
    "generate",
    testCase.brief,
    "--frontend",
    "none",
    "--out",
    dir,
    "--force",
  ];
  if (testCase.stackFlag) args.push("--stack", "fastapi");
  const result = await run(process.execPath, args, { cwd: ROOT, timeoutMs: 60_000 });
  if (result.code !== 0) throw new Error(`qlf generate exited with ${result.code}:\n${result.output}`);
  const ir = JSON.parse(
    await readFile(path.join(dir, ".qlf", "ir.json"), "utf8"),
  ) as GeneratedPythonApp["ir"];
  const serverEnv: Record<string, string> = {};
  for (const line of (await readFile(path.join(dir, ".env.example"), "utf8")).split("\n")) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match?.[1] !== undefined && match[1] !== "DATABASE_URL" && match[1] !== "PORT")
      serverEnv[match[1]] = match[2] ?? "";
  }
  return { dir, ir, serverEnv };
}

export interface VerifyReport extends StepReport {
  /** Tests pytest reported as passed, in memory and on PostgreSQL. */
  readonly passed: { readonly memory: number; readonly postgres: number };
}

/** Runs a Python module in the app directory with Debian's interpreter; throws on a non-zero exit. */
async function python(
  dir: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<string> {
  const result = await run(PYTHON, args, {
    cwd: dir,
    env: { PYTHONDONTWRITEBYTECODE: "1", DATABASE_URL: undefined, ...env },
    timeoutMs: 240_000,
  });
  if (result.code !== 0)
    throw new Error(`python3 ${args.join(" ")} exited with ${result.code}:\n${result.output}`);
  return result.output;
}

function passedCount(output: string): number {
  const match = /(\d+) passed/.exec(output);
  return match?.[1] === undefined ? 0 : Number(match[1]);
}

/** `METHOD /path` of every operation in openapi.yaml. */
export async function openapiRoutes(dir: string): Promise<string[]> {
  const doc = parseYaml(await readFile(path.join(dir, "openapi.yaml"), "utf8")) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const methods = new Set(["get", "post", "put", "patch", "delete"]);
  return Object.entries(doc.paths)
    .flatMap(([route, item]) =>
      Object.keys(item)
        .filter((m) => methods.has(m))
        .map((m) => `${m.toUpperCase()} ${route}`),
    )
    .sort();
}

/** Routes the FastAPI app registers (every APIRoute, the probes included, as openapi.yaml lists them). */
const LIST_ROUTES = `
import json
from fastapi.routing import APIRoute
from conftest import CONFIG
from app.main import create_app
from app.stores import create_memory_stores
app = create_app(CONFIG, create_memory_stores(CONFIG))
print(json.dumps(sorted(f"{m} {r.path}" for r in app.routes if isinstance(r, APIRoute) for m in r.methods)))
`;

export async function fastapiRoutes(dir: string): Promise<string[]> {
  const output = await python(dir, ["-c", LIST_ROUTES], { PYTHONPATH: `${dir}:${path.join(dir, "tests")}` });
  return JSON.parse(output.trim().split("\n").pop() ?? "[]") as string[];
}

async function tableCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>(
      "SELECT count(*) AS count FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'",
    );
    return Number(rows[0]?.count ?? 0);
  } finally {
    await client.end();
  }
}

/** Starts `python3 -m uvicorn app.main:app` on a free port; resolves once /healthz answers 200. */
function startUvicorn(dir: string, env: Record<string, string>): Promise<RunningServer> {
  return startProcess(
    PYTHON,
    (port) => ["-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", String(port)],
    { cwd: dir, env: { ...env, PYTHONDONTWRITEBYTECODE: "1" }, timeoutMs: 30_000, graceMs: 10_000 },
  );
}

export async function verifyFastapiApp(app: GeneratedPythonApp): Promise<VerifyReport> {
  const { dir } = app;
  const recorder = stepRecorder();
  const step = recorder.step;
  const passed = { memory: 0, postgres: 0 };
  // Independent of any database: lint, the in-memory suite and the route table, side by side.
  const [, memory] = await Promise.all([
    step("pyflakes", () => python(dir, ["-m", "pyflakes", "app", "tests"])),
    step("pytest (in memory)", () => python(dir, ["-m", "pytest", "-q"])),
    step("routes = openapi.yaml", async () => {
      const [served, documented] = await Promise.all([fastapiRoutes(dir), openapiRoutes(dir)]);
      if (JSON.stringify(served) !== JSON.stringify(documented)) {
        throw new Error(`app.routes:\n  ${served.join("\n  ")}\nopenapi.yaml:\n  ${documented.join("\n  ")}`);
      }
      return `${served.length} routes`;
    }),
  ]);
  passed.memory = memory === null ? 0 : passedCount(memory);

  const db = await createDatabase("qlf_e2e_fastapi");
  try {
    const env = { ...app.serverEnv, DATABASE_URL: db.url };
    const onPg = await step("pytest (PostgreSQL)", () =>
      python(dir, ["-m", "pytest", "-q"], { DATABASE_URL: db.url }),
    );
    passed.postgres = onPg === null ? 0 : passedCount(onPg);
    if ((await step("migrate up", () => python(dir, ["-m", "app.migrate", "up"], env))) !== null) {
      await step("serve /healthz and /readyz (uvicorn)", async () => {
        const server = await startUvicorn(dir, env);
        try {
          await probeHealth(server);
        } finally {
          await server.stop();
        }
        return server.output();
      });
      await step("migrate down all (tables gone)", async () => {
        const before = await tableCount(db.url);
        const output = await python(dir, ["-m", "app.migrate", "down", "all"], env);
        const after = await tableCount(db.url);
        if (before === 0 || after !== 0)
          throw new Error(`tables before: ${before}, after: ${after}\n${output}`);
        return `${before} tables → ${after}\n${output}`;
      });
      await step("migrate up again", () => python(dir, ["-m", "app.migrate", "up"], env));
    }
  } finally {
    await db.drop();
  }
  return { ...recorder.report(), passed };
}

/** Removes the generated app unless QLF_E2E_KEEP is set. */
export async function cleanUp(dir: string): Promise<void> {
  if (process.env.QLF_E2E_KEEP === undefined && existsSync(dir))
    await rm(dir, { recursive: true, force: true });
}
