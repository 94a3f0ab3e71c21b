/**
 * Parsers for compilers and linters that print one problem per line: TypeScript (`tsc --pretty
 * false`), `go vet` / `go build`, pyflakes and ruff (`path:line:col: message`), and Python's
 * `compileall` (`File "x.py", line 3` blocks).
 */
import { type Finding, finding, type GateId, type Severity } from "../report.js";
import { relativePath, stripAnsi } from "./paths.js";

export interface ParseOptions {
  readonly gate: GateId;
  readonly rule: string;
  /** The application's absolute path, to make printed paths relative. */
  readonly root: string;
  readonly severity?: Severity;
}

const TSC = /^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+): (.*)$/;
const TSC_GLOBAL = /^(error|warning) (TS\d+): (.*)$/;

/**
 * `src/app.ts(12,5): error TS2322: Type 'string' is not assignable to type 'number'.`; indented
 * continuation lines belong to the message before them.
 *
 * @example
 * parseTsc("src/a.ts(3,7): error TS2322: Type 'string'…", { gate: "static", rule: "static/typescript", root: "/app" });
 */
export function parseTsc(output: string, options: ParseOptions): Finding[] {
  const findings: Finding[] = [];
  let last: { message: string[]; base: Omit<Finding, "message"> } | undefined;
  const flush = () => {
    if (last !== undefined) findings.push({ ...last.base, message: last.message.join("\n") });
    last = undefined;
  };
  for (const raw of stripAnsi(output).split("\n")) {
    const line = raw.replace(/\r$/, "");
    const located = TSC.exec(line);
    if (located !== null) {
      flush();
      const [, file = "", row = "1", col = "1", level, code = "", message = ""] = located;
      last = {
        message: [`${code}: ${message}`],
        base: base(options, level === "warning" ? "warning" : "error", relativePath(file, options.root), {
          line: Number(row),
          column: Number(col),
        }),
      };
      continue;
    }
    const global = TSC_GLOBAL.exec(line);
    if (global !== null) {
      flush();
      const [, level, code = "", message = ""] = global;
      last = {
        message: [`${code}: ${message}`],
        base: base(options, level === "warning" ? "warning" : "error", null, {}),
      };
      continue;
    }
    if (last !== undefined && /^\s+\S/.test(line)) last.message.push(line.trim());
    else flush();
  }
  flush();
  return findings;
}

const FILE_LINE = /^(?:vet: )?(\.{0,2}\/?[^\s:]+\.[A-Za-z0-9]+):(\d+)(?::(\d+))?:\s*(.*)$/;

/**
 * `path:line[:col]: message` lines (go vet, go build, pyflakes, ruff's concise format, gofmt -e).
 * Lines for files outside the application or with other extensions are ignored.
 *
 * @example
 * parseFileLines("./main.go:12:2: undefined: x", { gate: "static", rule: "static/go-vet", root: "/app" }, [".go"]);
 */
export function parseFileLines(
  output: string,
  options: ParseOptions,
  extensions: readonly string[],
): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const raw of stripAnsi(output).split("\n")) {
    const match = FILE_LINE.exec(raw.trim());
    if (match === null) continue;
    const [, file = "", row = "1", col, message = ""] = match;
    if (!extensions.some((ext) => file.endsWith(ext))) continue;
    const path = relativePath(file, options.root);
    if (path === null) continue;
    const key = `${path}:${row}:${col ?? ""}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push({
      ...base(options, options.severity ?? "error", path, {
        line: Number(row),
        ...(col === undefined ? {} : { column: Number(col) }),
      }),
      message: message.trim() || "problem reported here",
    });
  }
  return findings;
}

const COMPILE_FILE = /^\s*File "(.+?)", line (\d+)/;

/**
 * `python -m compileall -q .` output: for each file that does not compile, a `File "…", line N`
 * line followed by the offending source, a caret and `SyntaxError: …`.
 */
export function parseCompileall(output: string, options: ParseOptions): Finding[] {
  const findings: Finding[] = [];
  const lines = stripAnsi(output).split("\n");
  for (let i = 0; i < lines.length; i++) {
    const match = COMPILE_FILE.exec(lines[i] ?? "");
    if (match === null) continue;
    const [, file = "", row = "1"] = match;
    const path = relativePath(file, options.root);
    if (path === null) continue;
    let message = "does not compile";
    for (let j = i + 1; j < Math.min(lines.length, i + 8); j++) {
      const text = (lines[j] ?? "").trim();
      if (/^[A-Z][A-Za-z]*Error\b/.test(text)) {
        message = text;
        break;
      }
    }
    findings.push({ ...base(options, "error", path, { line: Number(row) }), message });
  }
  return findings;
}

function base(
  options: ParseOptions,
  severity: Severity,
  path: string | null,
  at: { line?: number; column?: number },
): Omit<Finding, "message"> {
  const { message: _ignored, ...rest } = finding({
    gate: options.gate,
    rule: options.rule,
    severity,
    message: "-",
    path,
    line: path === null ? null : (at.line ?? null),
    column: path === null ? null : (at.column ?? null),
  });
  return rest;
}
