/**
 * Parsers for test runners' machine-readable reports: vitest and jest (`--reporter=json`, the same
 * shape), pytest's JUnit XML (`--junitxml`, xunit1 family for file and line) and `go test -json`.
 * Each failing test becomes a finding at the line that failed when the runner says so (the
 * assertion's stack frame in the test file), else at the test's own line.
 */
import { type Finding, finding } from "../report.js";
import { firstLine, relativePath, stripAnsi } from "./paths.js";

export interface TestRun {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** One error per failing test (and per file that could not run). */
  readonly findings: readonly Finding[];
}

const RULE = "unit/test-failed";
const MAX_MESSAGE = 600;

interface JestAssertion {
  readonly fullName?: string;
  readonly title?: string;
  readonly status?: string;
  readonly failureMessages?: readonly string[];
  readonly location?: { readonly line?: number; readonly column?: number } | null;
}

interface JestFile {
  readonly name?: string;
  readonly status?: string;
  readonly message?: string;
  readonly assertionResults?: readonly JestAssertion[];
}

/**
 * vitest (`--reporter=json --includeTaskLocation`) and jest (`--json --testLocationInResults`)
 * reports. Returns undefined when `json` is not such a report.
 *
 * @example
 * parseJestJson(readFileSync("report.json", "utf8"), "/tmp/app")?.failed; // 1
 */
export function parseJestJson(json: string, root: string): TestRun | undefined {
  let data: { testResults?: readonly JestFile[] };
  try {
    data = JSON.parse(json) as typeof data;
  } catch {
    return undefined;
  }
  if (typeof data !== "object" || data === null || !Array.isArray(data.testResults)) return undefined;
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const findings: Finding[] = [];
  for (const file of data.testResults) {
    const path = file.name === undefined ? null : relativePath(file.name, root);
    const assertions: readonly JestAssertion[] = file.assertionResults ?? [];
    for (const test of assertions) {
      if (test.status === "passed") passed++;
      else if (test.status === "failed") {
        failed++;
        const text = (test.failureMessages ?? []).join("\n");
        const frame = path === null ? undefined : frameIn(text, path, root);
        const name = test.fullName ?? test.title ?? "a test";
        findings.push(
          finding({
            gate: "unit",
            rule: RULE,
            severity: "error",
            message: cut(`${name}: ${firstLine(text) || "failed"}`),
            path,
            line: path === null ? null : (frame?.line ?? test.location?.line ?? null),
            column: path === null ? null : (frame?.column ?? test.location?.column ?? null),
          }),
        );
      } else skipped++;
    }
    // A file that failed without a failing test did not load (syntax error, import failure, hook error).
    const fileFailed = file.status === "failed" && !assertions.some((test) => test.status === "failed");
    if (fileFailed) {
      failed++;
      const message = file.message ?? "";
      const frame = path === null ? undefined : frameIn(message, path, root);
      const elsewhere = frame === undefined ? anyFrame(message, root) : undefined;
      findings.push(
        finding({
          gate: "unit",
          rule: "unit/test-file-failed",
          severity: "error",
          message: cut(`${path ?? "a test file"} could not run: ${firstLine(message) || "failed"}`),
          path: elsewhere?.path ?? path,
          line: frame?.line ?? elsewhere?.line ?? null,
          column: frame?.column ?? elsewhere?.column ?? null,
        }),
      );
    }
  }
  return { total: passed + failed + skipped, passed, failed, skipped, findings };
}

/** The first stack frame (`path:line:col`) in `text` that is in the file `path`. */
function frameIn(
  text: string,
  path: string,
  root: string,
): { line: number; column: number | null } | undefined {
  for (const frame of frames(text, root)) if (frame.path === path) return frame;
  return undefined;
}

/** The first stack frame in the application's own code. */
function anyFrame(
  text: string,
  root: string,
): { path: string; line: number; column: number | null } | undefined {
  return frames(text, root)[0];
}

const FRAME =
  /((?:file:\/\/)?(?:\/|\.{1,2}\/)?[\w@.+/-]+\.[cm]?[jt]sx?|[\w@.+/-]+\.(?:py|go)):(\d+)(?::(\d+))?/g;

function frames(text: string, root: string): { path: string; line: number; column: number | null }[] {
  const out: { path: string; line: number; column: number | null }[] = [];
  for (const match of stripAnsi(text).matchAll(FRAME)) {
    const path = relativePath(match[1] ?? "", root);
    if (path === null) continue;
    out.push({ path, line: Number(match[2]), column: match[3] === undefined ? null : Number(match[3]) });
  }
  return out;
}

interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  /** Raw inner text for leaf-ish elements (failure bodies). */
  readonly text: string;
  readonly children: XmlElement[];
}

/**
 * pytest's JUnit XML (`--junitxml=report.xml -o junit_family=xunit1`): `testcase` elements with
 * `file` and `line` (0-based) and a `failure` or `error` child. The traceback's `file.py:N:` line
 * in the test file wins over the test's own line.
 */
export function parseJunitXml(xml: string, root: string): TestRun | undefined {
  const doc = parseXml(xml);
  if (doc === undefined) return undefined;
  const cases: XmlElement[] = [];
  const walk = (element: XmlElement) => {
    if (element.name === "testcase") cases.push(element);
    for (const child of element.children) walk(child);
  };
  walk(doc);
  if (doc.name !== "testsuites" && doc.name !== "testsuite") return undefined;
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const findings: Finding[] = [];
  for (const testcase of cases) {
    const problem = testcase.children.find((c) => c.name === "failure" || c.name === "error");
    if (testcase.children.some((c) => c.name === "skipped")) {
      skipped++;
      continue;
    }
    if (problem === undefined) {
      passed++;
      continue;
    }
    failed++;
    const { file, line, classname, name } = testcase.attributes;
    const path = file === undefined ? classPath(classname) : relativePath(file, root);
    const traceback = `${problem.attributes.message ?? ""}\n${problem.text}`;
    const tracebackLine = path === null ? undefined : pythonFrame(problem.text, path);
    const ownLine = line === undefined || Number.isNaN(Number(line)) ? null : Number(line) + 1;
    findings.push(
      finding({
        gate: "unit",
        rule: problem.name === "error" ? "unit/test-error" : RULE,
        severity: "error",
        message: cut(
          `${classname === undefined ? "" : `${classname}.`}${name ?? "a test"}: ${firstLine(problem.attributes.message ?? "") || firstLine(traceback) || "failed"}`,
        ),
        path,
        line: path === null ? null : (tracebackLine ?? ownLine),
      }),
    );
  }
  return { total: passed + failed + skipped, passed, failed, skipped, findings };
}

/** `tests.test_patients` → `tests/test_patients.py` (when the report has no `file`). */
function classPath(classname: string | undefined): string | null {
  if (classname === undefined || classname === "") return null;
  const parts = classname.split(".");
  // Drop a trailing TestCase class name (capitalised).
  while (parts.length > 1 && /^[A-Z]/.test(parts[parts.length - 1] ?? "")) parts.pop();
  return `${parts.join("/")}.py`;
}

/** The last `path:N:` line of a Python traceback in the given file (where the assertion failed). */
function pythonFrame(text: string, path: string): number | undefined {
  let found: number | undefined;
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  for (const match of text.matchAll(new RegExp(`(?:^|[\\s/"])${escaped}(?::|", line )(\\d+)`, "gm"))) {
    found = Number(match[1]);
  }
  return found;
}

interface GoEvent {
  readonly Action?: string;
  readonly Package?: string;
  readonly Test?: string;
  readonly Output?: string;
}

/**
 * `go test -json ./...` output (build errors arrive as plain lines between the events). `module`
 * is the module path from go.mod, to turn package import paths into directories.
 */
export function parseGoTestJson(output: string, root: string, module: string | null): TestRun {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const findings: Finding[] = [];
  const outputs = new Map<string, string[]>();
  const plain: string[] = [];
  const failedPackages: string[] = [];
  const failedTests = new Set<string>();
  for (const raw of output.split("\n")) {
    const line = raw.trim();
    if (!line.startsWith("{")) {
      if (line !== "") plain.push(line);
      continue;
    }
    let event: GoEvent;
    try {
      event = JSON.parse(line) as GoEvent;
    } catch {
      plain.push(line);
      continue;
    }
    const key = `${event.Package ?? ""}\u0000${event.Test ?? ""}`;
    if (event.Action === "output") {
      const list = outputs.get(key) ?? [];
      list.push(event.Output ?? "");
      outputs.set(key, list);
      continue;
    }
    if (event.Test === undefined) {
      if (event.Action === "fail") failedPackages.push(event.Package ?? "");
      continue;
    }
    // Subtests report too; count only top-level tests, but locate failures at the deepest line.
    const topLevel = !event.Test.includes("/");
    if (event.Action === "pass" && topLevel) passed++;
    else if (event.Action === "skip" && topLevel) skipped++;
    else if (event.Action === "fail") {
      if (topLevel) failed++;
      // Remember the parents of a failed subtest: their own failure adds nothing when they print no line.
      const parts = event.Test.split("/");
      for (let depth = 1; depth < parts.length; depth++) {
        failedTests.add(`${event.Package ?? ""}\u0000${parts.slice(0, depth).join("/")}/`);
      }
      const lines = outputs.get(key) ?? [];
      const dir = packageDir(event.Package ?? "", module);
      const located = lines
        .map((text) => /^\s+([\w./-]+\.go):(\d+): ?(.*)$/.exec(text.replace(/\n$/, "")))
        .find((match) => match !== null);
      const hasSubtestFailure = failedTests.has(`${event.Package ?? ""}\u0000${event.Test}/`);
      if (topLevel && hasSubtestFailure && located === undefined) continue;
      const file = located?.[1];
      const path = file === undefined ? null : relativePath(dir === "" ? file : `${dir}/${file}`, root);
      findings.push(
        finding({
          gate: "unit",
          rule: RULE,
          severity: "error",
          message: cut(`${event.Test}: ${located?.[3]?.trim() || firstLine(lines.join("")) || "failed"}`),
          path,
          line: path === null ? null : Number(located?.[2]),
        }),
      );
    }
  }
  // Packages that failed without a failing test did not build: their errors are in the plain lines.
  const buildErrors = plain
    .map((text) => /^(\.{0,2}\/?[\w./-]+\.go):(\d+):(\d+): (.*)$/.exec(text))
    .filter((match) => match !== null);
  for (const match of buildErrors) {
    const path = relativePath(match[1] ?? "", root);
    if (path === null) continue;
    failed++;
    findings.push(
      finding({
        gate: "unit",
        rule: "unit/build-failed",
        severity: "error",
        message: cut(`the tests do not build: ${match[4] ?? ""}`),
        path,
        line: Number(match[2]),
        column: Number(match[3]),
      }),
    );
  }
  if (findings.length === 0 && failedPackages.length > 0) {
    for (const pkg of failedPackages) {
      failed++;
      findings.push(
        finding({
          gate: "unit",
          rule: "unit/build-failed",
          severity: "error",
          message: cut(`package ${pkg} failed: ${firstLine(plain.join("\n")) || "see the output"}`),
        }),
      );
    }
  }
  return { total: passed + failed + skipped, passed, failed, skipped, findings };
}

function packageDir(pkg: string, module: string | null): string {
  if (module === null) return "";
  if (pkg === module) return "";
  return pkg.startsWith(`${module}/`) ? pkg.slice(module.length + 1) : "";
}

function cut(text: string): string {
  return text.length <= MAX_MESSAGE ? text : `${text.slice(0, MAX_MESSAGE - 1)}…`;
}

// ---------------------------------------------------------------------------------------------
// A small XML reader: enough for JUnit reports (elements, attributes, text, CDATA, entities).

function parseXml(xml: string): XmlElement | undefined {
  const root: XmlElement = { name: "#document", attributes: {}, text: "", children: [] };
  const stack: { element: XmlElement; text: string[] }[] = [{ element: root, text: [] }];
  const token =
    /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<\/([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  for (const match of xml.matchAll(token)) {
    const top = stack[stack.length - 1];
    if (top === undefined) return undefined;
    if (match[1] !== undefined) top.text.push(match[1]);
    else if (match[2] !== undefined) {
      const closed = stack.pop();
      if (closed === undefined || closed.element.name !== match[2]) return undefined;
      (closed.element as { text: string }).text = closed.text.join("");
    } else if (match[3] !== undefined) {
      const attributes: Record<string, string> = {};
      for (const attr of (match[4] ?? "").matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        attributes[attr[1] ?? ""] = decodeEntities(attr[2] ?? attr[3] ?? "");
      }
      const element: XmlElement = { name: match[3], attributes, text: "", children: [] };
      top.element.children.push(element);
      if (match[5] !== "/") stack.push({ element, text: [] });
    } else if (match[6] !== undefined) top.text.push(decodeEntities(match[6]));
  }
  if (stack.length !== 1) return undefined;
  return root.children.find((child) => child.name !== "#text");
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith("#x")) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(Number(entity.slice(1)));
    return { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" }[entity] ?? "";
  });
}
