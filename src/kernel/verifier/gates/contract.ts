/**
 * Contract gate: the OpenAPI document against the code and against the running app. First the
 * routes the code declares and the operations the document lists must match in both directions;
 * then the app is built, started on a scratch database with fresh secrets, and every operation is
 * called and its answers checked (see contract/exercise.ts).
 */
import { serverCredentials } from "../contract/credentials.js";
import { exercise } from "../contract/exercise.js";
import { type ContractDocument, createValidator, parseOpenApi } from "../contract/openapi.js";
import { extractRoutes, routeKey, type SourceFile } from "../contract/routes.js";
import { commandLine, type Gate, type GateContext, type Need, tail } from "../gate.js";
import { firstLine } from "../parsers/paths.js";
import { type Finding, finding } from "../report.js";
import { applyFile, loadMigrations } from "./migration.js";

const DOC_PATHS = ["openapi.yaml", "openapi.yml", "openapi.json"];
const SKIPPED_DIRS =
  /(^|\/)(node_modules|\.git|dist|build|coverage|\.venv|venv|__pycache__|vendor|frontend)\//;

export const contractGate: Gate = {
  id: "contract",
  title: "API contract",
  description:
    "Checks that the code's routes and openapi.yaml agree, then starts the app on a scratch database and calls every operation, checking status codes and response bodies against the document.",
  timeoutMs: 5 * 60_000,
  needs(target) {
    const needs: Need[] = [
      { kind: "tool", tool: target.profile.start.tool, why: "to start the app" },
      { kind: "database", why: "the app runs on a scratch PostgreSQL database" },
    ];
    if (target.profile.installedMarker !== null)
      needs.push({ kind: "dependencies", why: "the app's dependencies must be installed to start it" });
    return needs;
  },
  async run(context) {
    const { ports, steps } = context;
    const findings: Finding[] = [];
    let docPath = "openapi.yaml";
    let text: string | undefined;
    for (const candidate of DOC_PATHS) {
      text = await ports.readText(candidate);
      if (text !== undefined) {
        docPath = candidate;
        break;
      }
    }
    if (text === undefined) {
      return {
        summary: "no OpenAPI document",
        findings: [
          finding({
            gate: "contract",
            rule: "contract/no-document",
            severity: "error",
            message: "there is no openapi.yaml: the API has no contract to check",
          }),
        ],
      };
    }
    const parsed = parseOpenApi(text);
    if (!parsed.ok) {
      return {
        summary: "the OpenAPI document does not parse",
        findings: [
          finding({
            gate: "contract",
            rule: "contract/invalid-document",
            severity: "error",
            message: `${docPath}: ${parsed.message}`,
            path: docPath,
            line: parsed.line,
          }),
        ],
      };
    }
    const doc = parsed.doc;
    if (doc.operations.length === 0) {
      findings.push(
        finding({
          gate: "contract",
          rule: "contract/invalid-document",
          severity: "error",
          message: `${docPath} documents no operations`,
          path: docPath,
          line: 1,
        }),
      );
    }
    const routeFindings = await steps.run("code routes against the document", null, async () => {
      const found = await compareRoutes(context, doc, docPath);
      return {
        ok: !found.some((f) => f.severity === "error"),
        detail: found.map((f) => f.message).join("\n"),
        value: found,
      };
    });
    findings.push(...routeFindings);
    const live = await runLive(context, doc, docPath);
    findings.push(...live.findings);
    return { summary: `${doc.operations.length} operation(s) in ${docPath}; ${live.summary}`, findings };
  },
};

async function compareRoutes(
  context: GateContext,
  doc: ContractDocument,
  docPath: string,
): Promise<Finding[]> {
  const { target, ports } = context;
  const entries = await ports.listFiles();
  const sources: SourceFile[] = [];
  for (const entry of entries) {
    if (entry.kind !== "file" || SKIPPED_DIRS.test(entry.path)) continue;
    if (!target.profile.sourceExtensions.some((ext) => entry.path.endsWith(ext))) continue;
    const content = await ports.readText(entry.path);
    if (content !== undefined) sources.push({ path: entry.path, content });
  }
  const routes = extractRoutes(target.profile.routes, sources).map((route) => ({
    ...route,
    path: `${route.path}`,
  }));
  const findings: Finding[] = [];
  if (routes.length === 0) {
    findings.push(
      finding({
        gate: "contract",
        rule: "contract/routes-unknown",
        severity: "warning",
        message: `no ${target.profile.routes} routes were found in the code; only the running app was checked`,
      }),
    );
    return findings;
  }
  const documented = new Map(
    doc.operations.map((op) => [routeKey(op.method, `${doc.basePath}${op.path}`), op]),
  );
  const implemented = new Set(routes.map((route) => routeKey(route.method, route.path)));
  for (const route of routes) {
    if (route.method === "HEAD" || route.method === "OPTIONS") continue;
    if (!documented.has(routeKey(route.method, route.path))) {
      findings.push(
        finding({
          gate: "contract",
          rule: "contract/undocumented-route",
          severity: "error",
          message: `route ${route.method} ${route.path} is implemented here but ${docPath} does not document it`,
          path: route.file,
          line: route.line,
        }),
      );
    }
  }
  for (const [key, op] of documented) {
    if (!implemented.has(key)) {
      findings.push(
        finding({
          gate: "contract",
          rule: "contract/unimplemented-operation",
          severity: "error",
          message: `${op.id ?? "operation"} (${op.method} ${op.path}) is documented but no route in the code implements it`,
          path: docPath,
          line: op.line,
        }),
      );
    }
  }
  return findings;
}

async function runLive(
  context: GateContext,
  doc: ContractDocument,
  docPath: string,
): Promise<{ summary: string; findings: Finding[] }> {
  const { target, ports, steps } = context;
  const { profile } = target;
  const findings: Finding[] = [];
  const setupFailed = (message: string): { summary: string; findings: Finding[] } => {
    findings.push(
      finding({ gate: "contract", rule: "contract/app-did-not-start", severity: "error", message }),
    );
    return { summary: "the app could not be started", findings };
  };
  if (profile.build !== null) {
    const build = profile.build;
    const executable = target.tools[build.tool] ?? build.tool;
    const line = commandLine(executable, build.args);
    const built = await steps.run("build", line, async () => {
      const result = await ports.exec({ command: executable, args: build.args, timeoutMs: 3 * 60_000 });
      return { ok: result.code === 0, detail: result.code === 0 ? "" : tail(result.output), value: result };
    });
    if (built.code !== 0)
      return setupFailed(
        `${line} failed (exit ${built.code ?? "killed"}): ${firstLine(built.output) || "no output"}`,
      );
  }
  const db = await steps.run("scratch database", null, async () => ({
    ok: true,
    value: await ports.createDatabase(),
  }));
  try {
    const migrated = await steps.run("apply migrations", null, async () => {
      for (const pair of await loadMigrations(context)) {
        const error = await applyFile(db, pair.up.path, pair.up.sql);
        if (error !== undefined) return { ok: false, detail: error.message, value: error.message };
      }
      return { ok: true, value: null };
    });
    if (migrated !== null)
      return setupFailed(`the migrations do not apply, so the app cannot run: ${migrated}`);
    const credentials = serverCredentials(target.plan, doc, await ports.readText(".env.example"), ports);
    const start = profile.start;
    const executable = target.tools[start.tool] ?? start.tool;
    const healthPath = doc.operations.some((op) => op.path === "/healthz")
      ? `${doc.basePath}/healthz`
      : `${doc.basePath}/`;
    const started = await steps.run("start the app", commandLine(executable, start.args), async () => {
      const result = await ports.startApp({
        command: executable,
        args: start.args,
        env: { ...credentials.env, DATABASE_URL: db.url },
        healthPath,
        timeoutMs: 60_000,
      });
      return {
        ok: result.ok,
        detail: result.ok ? "" : `${result.message}\n${tail(result.output)}`,
        value: result,
      };
    });
    if (!started.ok)
      return setupFailed(
        `the app did not start: ${started.message}${started.output.trim() === "" ? "" : ` — ${firstLine(started.output.trim().split("\n").slice(-1)[0] ?? "")}`}`,
      );
    const app = started.app;
    try {
      const result = await steps.run("call every operation", null, async () => {
        const outcome = await exercise(
          {
            doc,
            plan: target.plan,
            credentials,
            validator: createValidator(doc),
            baseUrl: app.url,
            call: (request) => ports.http(request),
            serverOutput: () => app.output(),
          },
          docPath,
        );
        return {
          ok: !outcome.findings.some((f) => f.severity === "error"),
          detail: `${outcome.requests} requests, ${outcome.findings.length} finding(s)`,
          value: outcome,
        };
      });
      findings.push(...result.findings);
      return {
        summary: `${result.requests} requests, ${result.succeeded} of ${result.operations} operations answered with a documented success`,
        findings,
      };
    } finally {
      await app.stop();
    }
  } finally {
    await db.drop();
  }
}
