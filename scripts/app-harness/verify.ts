/**
 * The checks a generated Node application must pass, run for real, step by step: install, its own
 * tests in memory, the same tests on a fresh PostgreSQL database, a clean TypeScript build,
 * migrations up, the server answering /healthz and /readyz, a graceful stop, migrations down, and
 * the frontend's Vite build when there is one. Every step is recorded with its duration and
 * output, so a failing test says which step failed and why.
 *
 * ```ts
 * const report = await verifyNodeApp(appDir, { serverEnv: { JWT_SECRET: "…" } });
 * expect(report.failed, report.explain()).toEqual([]);
 * ```
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { createDatabase, installDependencies, probeHealth, run, startServer } from "./harness.js";
import { stepRecorder, type VerifyReport } from "./steps.js";

export type { StepResult, VerifyReport } from "./steps.js";

export interface VerifyOptions {
  /** Environment for the server (secrets such as JWT_SECRET); DATABASE_URL and PORT are set here. */
  readonly serverEnv: Record<string, string>;
  /** Sub-directory holding a frontend to build with Vite, when it exists (default `frontend`). */
  readonly frontendDir?: string;
  /** Skip the PostgreSQL steps (for a machine without a database). */
  readonly withoutDatabase?: boolean;
}

export async function verifyNodeApp(appDir: string, options: VerifyOptions): Promise<VerifyReport> {
  const recorder = stepRecorder();
  const step = async (name: string, work: () => Promise<string>): Promise<boolean> =>
    (await recorder.step(name, work)) !== null;
  const npm = async (args: string[], env: Record<string, string> = {}, cwd = appDir) => {
    const result = await run("npm", args, { cwd, env });
    if (result.code !== 0)
      throw new Error(`npm ${args.join(" ")} exited with ${result.code}:\n${result.output}`);
    return result.output;
  };
  const node = async (args: string[], env: Record<string, string>) => {
    const result = await run(process.execPath, args, { cwd: appDir, env });
    if (result.code !== 0)
      throw new Error(`node ${args.join(" ")} exited with ${result.code}:\n${result.output}`);
    return result.output;
  };

  const installed = await step("install", async () => {
    const install = await installDependencies(appDir);
    return `${install.reused ? "reused" : "installed"} ${install.key} in ${install.ms} ms`;
  });
  if (installed) {
    await step("test (in memory)", () => npm(["test"]));
    const built = await step("build", () => npm(["run", "build"]));
    if (options.withoutDatabase !== true) {
      const db = await createDatabase();
      try {
        const env = { ...options.serverEnv, DATABASE_URL: db.url };
        await step("test (PostgreSQL)", () => npm(["test"], { DATABASE_URL: db.url }));
        if (built && (await step("migrate up", () => node(["dist/migrate.js", "up"], env)))) {
          await step("serve /healthz and /readyz", async () => {
            const server = await startServer(appDir, "dist/server.js", env);
            let stopped = false;
            try {
              await probeHealth(server);
              const code = await server.stop();
              stopped = true;
              if (code !== 0)
                throw new Error(`the server exited with ${code} on SIGTERM:\n${server.output()}`);
              return server.output();
            } finally {
              if (!stopped) await server.stop();
            }
          });
          await step("migrate down", () => node(["dist/migrate.js", "down", "all"], env));
        }
      } finally {
        await db.drop();
      }
    }
  }
  const frontend = path.join(appDir, options.frontendDir ?? "frontend");
  if (existsSync(path.join(frontend, "package.json"))) {
    if (await step("frontend install", async () => `${(await installDependencies(frontend)).ms} ms`)) {
      await step("frontend build", () => npm(["run", "build"], {}, frontend));
    }
  }

  return recorder.report();
}
