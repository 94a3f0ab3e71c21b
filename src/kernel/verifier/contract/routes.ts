/**
 * Finds the HTTP routes a codebase declares, with file and line, by reading the source (Express
 * routers and `app.use` mounts, FastAPI decorators and `include_router` prefixes, Gin groups), so
 * the contract gate can compare them with the OpenAPI document in both directions.
 */
import type { RouteStyle } from "../profiles.js";

export interface CodeRoute {
  readonly method: string;
  /** OpenAPI-style path: `/patients/{id}`. */
  readonly path: string;
  readonly file: string;
  readonly line: number;
}

export interface SourceFile {
  readonly path: string;
  readonly content: string;
}

const METHODS = "get|post|put|patch|delete|head|options";

/** `/a/:id/` → `/a/{id}`, `{id:path}` → `{id}`, `*rest` → `{rest}`. */
export function normaliseRoutePath(path: string): string {
  let out = path.trim().replace(/\/+/g, "/");
  out = out
    .replace(/:([A-Za-z_]\w*)/g, "{$1}")
    .replace(/\{([A-Za-z_]\w*):[^}]*\}/g, "{$1}")
    .replace(/\*([A-Za-z_]\w*)/g, "{$1}");
  if (!out.startsWith("/")) out = `/${out}`;
  if (out.length > 1 && out.endsWith("/")) out = out.slice(0, -1);
  return out;
}

/** Path with every parameter name erased, for matching `{id}` against `{patientId}`. */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${normaliseRoutePath(path).replace(/\{[^}]*\}/g, "{}")}`;
}

function join(prefix: string, path: string): string {
  return normaliseRoutePath(`${prefix}/${path}`);
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * @example
 * extractRoutes("express", [{ path: "src/app.ts", content: 'app.get("/healthz", h)' }]); // [{ method: "GET", path: "/healthz", … }]
 */
export function extractRoutes(style: RouteStyle, files: readonly SourceFile[]): CodeRoute[] {
  const sources = files.filter((file) => !isTestFile(file.path));
  switch (style) {
    case "express":
      return expressRoutes(sources);
    case "fastapi":
      return fastapiRoutes(sources);
    case "gin":
      return ginRoutes(sources);
  }
}

function isTestFile(path: string): boolean {
  return (
    /(^|\/)(test|tests|__tests__|spec)\//.test(path) ||
    /\.(test|spec)\.[cm]?[jt]sx?$|_test\.go$|(^|\/)test_[^/]*\.py$|_test\.py$|(^|\/)conftest\.py$/.test(path)
  );
}

function expressRoutes(files: readonly SourceFile[]): CodeRoute[] {
  // Mounts: app.use("/prefix", factory(ctx)) or app.use("/prefix", routerVariable).
  const mounts = new Map<string, string[]>();
  const mount = /\b\w+\.use\(\s*(["'`])([^"'`]+)\1\s*,/g;
  for (const file of files) {
    for (const match of file.content.matchAll(mount)) {
      // The router is the last argument: app.use("/x", auth, limiter(), xRoutes(ctx)).
      const target = lastArgument(file.content, match.index + match[0].length);
      if (target === undefined) continue;
      const list = mounts.get(target) ?? [];
      list.push(match[2] ?? "");
      mounts.set(target, list);
    }
  }
  const routes: CodeRoute[] = [];
  const routerCall = new RegExp(`\\b([A-Za-z_$][\\w$]*)\\.(${METHODS})\\(\\s*(["'\`])([^"'\`]*)\\3`, "g");
  for (const file of files) {
    const routerVars = new Set(
      [
        ...file.content.matchAll(/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:express\.)?Router\s*\(/g),
      ].map((m) => m[1] ?? ""),
    );
    const exported = [
      ...file.content.matchAll(/export\s+(?:default\s+)?(?:async\s+)?function\s+([A-Za-z_$][\w$]*)/g),
    ].map((m) => m[1] ?? "");
    const exportedRouters = [
      ...file.content.matchAll(
        /export\s+(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:express\.)?Router\s*\(/g,
      ),
    ].map((m) => m[1] ?? "");
    // A router file is mounted under the prefix of its exported factory (or exported router).
    const prefixes = [...exported, ...exportedRouters].flatMap((name) => mounts.get(name) ?? []);
    for (const match of file.content.matchAll(routerCall)) {
      const receiver = match[1] ?? "";
      const method = (match[2] ?? "").toUpperCase();
      const sub = match[4] ?? "";
      if (!sub.startsWith("/")) continue;
      const line = lineOf(file.content, match.index);
      if (routerVars.has(receiver)) {
        const own = mounts.get(receiver) ?? [];
        const bases = own.length > 0 ? own : prefixes.length > 0 ? prefixes : [""];
        for (const base of bases) routes.push({ method, path: join(base, sub), file: file.path, line });
      } else if (/^(app|server|api)$/.test(receiver)) {
        routes.push({ method, path: normaliseRoutePath(sub), file: file.path, line });
      }
    }
  }
  return dedupe(routes);
}

/** The leading identifier of the last argument of the call whose arguments start at `from`. */
function lastArgument(text: string, from: number): string | undefined {
  let depth = 0;
  let start = from;
  for (let i = from; i < text.length && i < from + 2000; i++) {
    const char = text[i];
    if (char === "(" || char === "[" || char === "{") depth++;
    else if (char === ")" || char === "]" || char === "}") {
      if (depth === 0) return /^\s*([A-Za-z_$][\w$]*)/.exec(text.slice(start, i))?.[1];
      depth--;
    } else if (char === "," && depth === 0) start = i + 1;
  }
  return undefined;
}

function fastapiRoutes(files: readonly SourceFile[]): CodeRoute[] {
  // include_router(module.router, prefix="/x") or include_router(router_name, prefix=...)
  const includes = new Map<string, string[]>();
  for (const file of files) {
    for (const match of file.content.matchAll(
      /\.include_router\(\s*([\w.]+)(?:[^)]*?\bprefix\s*=\s*["']([^"']*)["'])?/g,
    )) {
      const target = (match[1] ?? "").split(".");
      const key =
        target.length > 1 ? `${target[target.length - 2]}.${target[target.length - 1]}` : (target[0] ?? "");
      const list = includes.get(key) ?? [];
      list.push(match[2] ?? "");
      includes.set(key, list);
    }
  }
  const routes: CodeRoute[] = [];
  for (const file of files) {
    const module = file.path.replace(/\.py$/, "").split("/").pop() ?? "";
    const routers = new Map<string, string>();
    for (const match of file.content.matchAll(
      /\b(\w+)\s*=\s*(?:fastapi\.)?(APIRouter|FastAPI)\(([^)]*)\)/g,
    )) {
      routers.set(match[1] ?? "", /\bprefix\s*=\s*["']([^"']*)["']/.exec(match[3] ?? "")?.[1] ?? "");
    }
    for (const match of file.content.matchAll(
      new RegExp(`@(\\w+)\\.(${METHODS}|api_route)\\(\\s*["']([^"']*)["']([^)]*)\\)`, "g"),
    )) {
      const receiver = match[1] ?? "";
      if (!routers.has(receiver)) continue;
      const own = routers.get(receiver) ?? "";
      const included = includes.get(`${module}.${receiver}`) ?? includes.get(receiver) ?? [""];
      const methods =
        match[2] === "api_route"
          ? [...(match[4] ?? "").matchAll(/["'](GET|POST|PUT|PATCH|DELETE)["']/gi)].map((m) =>
              (m[1] ?? "").toUpperCase(),
            )
          : [(match[2] ?? "").toUpperCase()];
      const line = lineOf(file.content, match.index);
      for (const outer of included) {
        for (const method of methods)
          routes.push({ method, path: join(`${outer}/${own}`, match[3] ?? ""), file: file.path, line });
      }
    }
  }
  return dedupe(routes);
}

function ginRoutes(files: readonly SourceFile[]): CodeRoute[] {
  const routes: CodeRoute[] = [];
  for (const file of files) {
    const groups = new Map<string, string>();
    for (const match of file.content.matchAll(/\b(\w+)\s*:?=\s*(\w+)\.Group\(\s*"([^"]*)"/g)) {
      groups.set(match[1] ?? "", join(groups.get(match[2] ?? "") ?? "", match[3] ?? ""));
    }
    for (const match of file.content.matchAll(
      /\b(\w+)\.(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|Any)\(\s*"([^"]*)"/g,
    )) {
      const base = groups.get(match[1] ?? "") ?? "";
      const methods = match[2] === "Any" ? ["GET", "POST", "PUT", "PATCH", "DELETE"] : [match[2] ?? ""];
      for (const method of methods)
        routes.push({
          method,
          path: join(base, match[3] ?? ""),
          file: file.path,
          line: lineOf(file.content, match.index),
        });
    }
  }
  return dedupe(routes);
}

function dedupe(routes: readonly CodeRoute[]): CodeRoute[] {
  const seen = new Set<string>();
  return routes.filter((route) => {
    const key = `${route.method} ${route.path} ${route.file}:${route.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
