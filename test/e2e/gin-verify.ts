/**
 * The checks a generated Gin application must pass, run for real and offline, step by step:
 * gofmt, go vet, its own tests in memory, the server and migrate binaries, migrations up on a fresh
 * PostgreSQL database, its tests against that database, the router's routes against openapi.yaml,
 * the server answering /healthz and /readyz and stopping on SIGTERM, migrations down (every table
 * gone), and, for some briefs, the image built and probed with the container harness.
 *
 * Go runs in GOPATH mode against Debian's packaged modules (docs/stack.md of a generated app: the
 * offline harness), with one build cache shared by every app, so gin and lib/pq compile once.
 */
import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { parse } from "yaml";
import { generateFromBrief } from "../../scripts/app-harness/generate.js";
import { createDatabase, probeHealth, run, startProcess } from "../../scripts/app-harness/harness.js";
import { stepRecorder, type VerifyReport } from "../../scripts/app-harness/steps.js";

export type { StepResult, VerifyReport } from "../../scripts/app-harness/steps.js";

import { buildAndProbe, podman } from "../../scripts/containers/harness.js";
import type { ApiPlan, GenerateAppSummary, IR } from "../../src/kernel/index.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** One Go build cache for every generated app (and every run): dependencies compile once. */
export const GOCACHE =
  process.env.QLF_GO_CACHE ?? path.join(ROOT, "node_modules", ".cache", "qlf-gin-gocache");
const GOCODE = "/usr/share/gocode";

export interface GinApp {
  readonly dir: string;
  /** The throwaway GOPATH whose src/<module> links to dir. */
  readonly gopath: string;
  readonly module: string;
  readonly ir: IR;
  readonly plan: ApiPlan;
  readonly summary: GenerateAppSummary;
  /** The plan's documented example for every environment variable but DATABASE_URL and PORT. */
  readonly serverEnv: Record<string, string>;
  remove(): Promise<void>;
}

/**
 * Generates the brief the way `qlf generate --stack gin` does, into a temporary directory linked
 * into its own GOPATH. `stack` undefined leaves the choice to the brief ("… in Go").
 */
export async function generateGinApp(brief: string, stack: "gin" | undefined = "gin"): Promise<GinApp> {
  const base = await mkdtemp(path.join(tmpdir(), "qlf-e2e-gin-"));
  const dir = path.join(base, "app");
  const app = await generateFromBrief(brief, {
    frontend: "none",
    dir,
    ...(stack === undefined ? {} : { stack }),
  });
  const module = app.plan.app.slug;
  const gopath = path.join(base, "gopath");
  await mkdir(path.join(gopath, "src"), { recursive: true });
  await symlink(dir, path.join(gopath, "src", module), "dir");
  return {
    dir,
    gopath,
    module,
    ir: app.ir,
    plan: app.plan,
    summary: app.summary,
    serverEnv: app.serverEnv,
    remove: () => rm(base, { recursive: true, force: true }),
  };
}

/** The environment of an offline go command: GOPATH mode against Debian's modules, shared cache. */
export function goEnv(gopath: string): Record<string, string> {
  return {
    GO111MODULE: "off",
    GOPATH: `${gopath}:${GOCODE}`,
    GOCACHE,
    GOFLAGS: "",
    GOPROXY: "off",
    CGO_ENABLED: "0",
  };
}

/** Compiles gin and lib/pq into the shared cache once, before apps build side by side. */
export async function warmGoCache(): Promise<string> {
  const result = await run("go", ["build", "github.com/gin-gonic/gin", "github.com/lib/pq"], {
    cwd: tmpdir(),
    env: goEnv(GOCODE),
    timeoutMs: 10 * 60_000,
  });
  if (result.code !== 0) throw new Error(`warming the Go build cache failed:\n${result.output}`);
  return `${result.ms} ms`;
}

export interface VerifyOptions {
  /** Build the image with the container harness and probe /healthz. */
  readonly image: boolean;
}

export async function verifyGinApp(app: GinApp, options: VerifyOptions): Promise<VerifyReport> {
  const recorder = stepRecorder();
  const step = async (name: string, work: () => Promise<string>): Promise<boolean> =>
    (await recorder.step(name, work)) !== null;
  // Commands run from the module's place in GOPATH, as `go` in GOPATH mode wants.
  const cwd = path.join(app.gopath, "src", app.module);
  const exec = async (command: string, args: string[], env: Record<string, string> = {}) => {
    const result = await run(command, args, {
      cwd,
      env: { ...goEnv(app.gopath), ...env },
      timeoutMs: 5 * 60_000,
    });
    if (result.code !== 0)
      throw new Error(`${command} ${args.join(" ")} exited with ${result.code}:\n${result.output}`);
    return result.output;
  };
  const bin = (name: string) => path.join(app.dir, "bin", name);

  await step("gofmt", async () => {
    const output = await exec("gofmt", ["-l", "."]);
    if (output.trim() !== "") throw new Error(`not gofmt-formatted:\n${output}`);
    return "formatted";
  });
  await step("go vet", () => exec("go", ["vet", "./..."]));
  await step("test (in memory)", () => exec("go", ["test", "-count=1", "./..."]));
  const built = await step("build", () =>
    exec("go", ["build", "-o", `${path.join(app.dir, "bin")}/`, "./cmd/..."]),
  );
  if (built) {
    await step("routes agree with openapi.yaml", async () => {
      const printed = await exec(bin("server"), ["-routes"]);
      const served = printed
        .trim()
        .split("\n")
        .map((line) => line.replace(/:(\w+)/g, "{$1}"))
        .sort();
      const documented = documentedRoutes(await readText(path.join(app.dir, "openapi.yaml")));
      if (JSON.stringify(served) !== JSON.stringify(documented)) {
        throw new Error(`served:\n${served.join("\n")}\n\ndocumented:\n${documented.join("\n")}`);
      }
      return `${served.length} routes`;
    });
    const db = await createDatabase("qlf_e2e_gin");
    // lib/pq requires TLS unless the URL says otherwise (docs/stack.md); the test server has none.
    const url = `${db.url}${db.url.includes("?") ? "&" : "?"}sslmode=disable`;
    try {
      const env = { ...app.serverEnv, DATABASE_URL: url };
      const migrated = await step("migrate up", () => exec(bin("migrate"), ["up"], env));
      await step("test (PostgreSQL)", () =>
        exec("go", ["test", "-count=1", "./internal/api"], { DATABASE_URL: url }),
      );
      if (migrated) {
        await step("serve /healthz and /readyz, stop on SIGTERM", () => serve(bin("server"), env));
        await step("migrate down (every table gone)", async () => {
          const output = await exec(bin("migrate"), ["down", "all"], env);
          const left = await tablesLeft(
            db.url,
            app.plan.tables.map((table) => table.name),
          );
          if (left.length > 0) throw new Error(`tables left after migrate down: ${left.join(", ")}`);
          return output;
        });
      }
      if (options.image) {
        await rm(path.join(app.dir, "bin"), { recursive: true, force: true });
        await step("image builds and answers /healthz", () =>
          image(app, { ...app.serverEnv, DATABASE_URL: url }),
        );
      }
    } finally {
      await db.drop();
    }
  }

  return recorder.report();
}

/** `METHOD /path` of every operation of openapi.yaml. */
export function documentedRoutes(openapi: string): string[] {
  const document = parse(openapi) as { paths?: Record<string, Record<string, unknown>> };
  const methods = new Set(["get", "post", "put", "patch", "delete"]);
  return Object.entries(document.paths ?? {})
    .flatMap(([route, item]) =>
      Object.keys(item)
        .filter((key) => methods.has(key))
        .map((method) => `${method.toUpperCase()} ${route}`),
    )
    .sort();
}

async function readText(file: string): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  return readFile(file, "utf8");
}

/** Starts the server binary on a free port, probes it, stops it with SIGTERM: exit 0 expected. */
async function serve(binary: string, env: Record<string, string>): Promise<string> {
  const server = await startProcess(binary, () => [], { env });
  try {
    await probeHealth(server, true);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const code = await server.stop();
  if (code !== 0) throw new Error(`the server exited with ${code} on SIGTERM:\n${server.output()}`);
  return server.output();
}

async function tablesLeft(url: string, names: readonly string[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1)",
      [names],
    );
    return rows.map((row) => row.table_name).sort();
  } finally {
    await client.end();
  }
}

async function image(app: GinApp, env: Record<string, string>): Promise<string> {
  const tag = `localhost/qlf-test/gin-${app.module}:${process.pid}`;
  try {
    const result = await buildAndProbe({ contextDir: app.dir, tag, network: "host", env, removeImage: true });
    if (!result.ok) throw new Error(`${result.stage}: ${result.message}\n${result.log}`);
    const problems = [...result.problems];
    if (result.status !== 200 || JSON.parse(result.body).status !== "ok")
      problems.push(`/healthz ${result.status} ${result.body}`);
    if (result.healthcheckPassed !== true) problems.push("the image's HEALTHCHECK did not pass");
    if (result.uid === 0) problems.push("the container runs as root");
    if (problems.length > 0) throw new Error(problems.join("\n"));
    return `built in ${result.buildMs} ms, ready in ${result.readyMs} ms, ${Math.round(result.sizeBytes / 1e6)} MB, uid ${result.uid}`;
  } finally {
    await podman(["rmi", "--force", tag]);
  }
}
