/** Runner and compiler output parsers, on real output captured from each tool (test/fixtures/verifier/runner-output). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  parseCompileall,
  parseFileLines,
  parseGoTestJson,
  parseJestJson,
  parseJunitXml,
  parseTsc,
  relativePath,
} from "../../src/kernel/index.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/verifier/runner-output/${name}`, import.meta.url), "utf8");

describe("relativePath", () => {
  it.each([
    ["/work/app/src/a.ts", "src/a.ts"],
    ["./main.go", "main.go"],
    ["file:///work/app/test/x.test.ts", "test/x.test.ts"],
    ["/work/deps/node_modules/vitest/x.js", null],
    ["/elsewhere/a.ts", null],
    ["src/../../etc/passwd", null],
    ["/work/app/node_modules/x/index.js", null],
  ])("%s → %s", (raw, expected) => {
    expect(relativePath(raw, "/work/app")).toBe(expected);
  });
});

describe("parseTsc", () => {
  it("reads located errors, continuation lines and global errors", () => {
    const output = [
      "src/config.ts(54,14): error TS2322: Type 'string' is not assignable to type 'number'.",
      "src/app.ts(3,1): error TS2345: Argument of type '{ a: string; }' is not assignable to parameter of type 'B'.",
      "  Property 'b' is missing in type '{ a: string; }' but required in type 'B'.",
      "error TS5083: Cannot read file '/work/app/tsconfig.base.json'.",
      'npm warn Unknown user config "nodedir".',
    ].join("\n");
    const findings = parseTsc(output, { gate: "static", rule: "static/typescript", root: "/work/app" });
    expect(findings.map((f) => [f.path, f.line, f.column, f.severity])).toEqual([
      ["src/config.ts", 54, 14, "error"],
      ["src/app.ts", 3, 1, "error"],
      [null, null, null, "error"],
    ]);
    expect(findings[1]?.message).toBe(
      "TS2345: Argument of type '{ a: string; }' is not assignable to parameter of type 'B'.\nProperty 'b' is missing in type '{ a: string; }' but required in type 'B'.",
    );
  });
});

describe("parseFileLines", () => {
  it("reads go vet output, dropping package headers", () => {
    const findings = parseFileLines(
      fixture("go-vet.txt"),
      { gate: "static", rule: "static/go-vet", root: "/work/app" },
      [".go"],
    );
    expect(findings).toEqual([
      expect.objectContaining({
        path: "internal/price/broken.go",
        line: 4,
        column: 9,
        message: "undeclared name: undefinedName",
      }),
    ]);
  });

  it("reads pyflakes output", () => {
    const findings = parseFileLines(
      fixture("pyflakes.txt"),
      { gate: "static", rule: "static/pyflakes", root: "/work/app" },
      [".py"],
    );
    expect(findings.map((f) => `${f.path}:${f.line}:${f.column} ${f.message}`)).toEqual([
      "app/flaky.py:1:1 'os' imported but unused",
      "app/flaky.py:3:5 undefined name 'undefined_name'",
      "app/bad.py:1:7 invalid syntax",
    ]);
  });

  it("ignores files outside the application and other extensions", () => {
    const output = "/usr/lib/go/src/fmt/print.go:10:2: whatever\nREADME.md:3:1: not code\n./x.go:1:1: kept";
    expect(
      parseFileLines(output, { gate: "static", rule: "static/go-vet", root: "/work/app" }, [".go"]).map(
        (f) => f.path,
      ),
    ).toEqual(["x.go"]);
  });
});

describe("parseCompileall", () => {
  it("reads the file, line and error of each file that does not compile", () => {
    expect(
      parseCompileall(fixture("compileall.txt"), {
        gate: "static",
        rule: "static/python-syntax",
        root: "/work/app",
      }),
    ).toEqual([
      expect.objectContaining({
        path: "app/bad.py",
        line: 1,
        message: "SyntaxError: invalid syntax",
        severity: "error",
      }),
    ]);
  });
});

describe("parseJestJson (vitest --reporter=json --includeTaskLocation)", () => {
  const run = parseJestJson(fixture("vitest.json"), "/work/app");

  it("counts tests", () => {
    expect(run).toMatchObject({ failed: 2 });
    expect(run?.passed).toBeGreaterThan(10);
    expect(run?.total).toBe((run?.passed ?? 0) + (run?.failed ?? 0) + (run?.skipped ?? 0));
  });

  it("locates a failed assertion at its stack frame in the test file", () => {
    expect(run?.findings).toContainEqual(
      expect.objectContaining({
        rule: "unit/test-failed",
        path: "test/patients.test.ts",
        line: 20,
        column: 45,
        message: expect.stringMatching(
          /lists a page.*: AssertionError: broken on purpose: expected 200 to be 418/,
        ),
      }),
    );
  });

  it("reports a test file that could not load", () => {
    expect(run?.findings).toContainEqual(
      expect.objectContaining({
        rule: "unit/test-file-failed",
        path: "test/broken-import.test.ts",
        message: expect.stringContaining("Cannot find module '../src/nope.js'"),
      }),
    );
  });

  it("is undefined for text that is not such a report", () => {
    expect(parseJestJson("not json", "/work/app")).toBeUndefined();
    expect(parseJestJson('{"a":1}', "/work/app")).toBeUndefined();
  });
});

describe("parseJunitXml (pytest --junitxml -o junit_family=xunit1)", () => {
  it("reads failures at the traceback's line in the test file", () => {
    const run = parseJunitXml(fixture("pytest-junit.xml"), "/work/app");
    expect(run).toMatchObject({ total: 3, passed: 1, failed: 2, skipped: 0 });
    expect(run?.findings.map((f) => [f.path, f.line, f.message])).toEqual([
      ["tests/test_price.py", 5, "tests.test_price.test_total: assert 3 == 4"],
      ["tests/test_price.py", 14, "tests.test_price.TestMore.test_raises: RuntimeError: boom"],
    ]);
  });

  it("is undefined for malformed XML", () => {
    expect(parseJunitXml("<testsuites><testsuite>", "/work/app")).toBeUndefined();
    expect(parseJunitXml("<html></html>", "/work/app")).toBeUndefined();
  });
});

describe("parseGoTestJson", () => {
  it("counts top-level tests and locates failures, subtests at their own line", () => {
    const run = parseGoTestJson(fixture("go-test.jsonl"), "/work/app", "example.com/shop");
    expect(run).toMatchObject({ total: 3, passed: 1, failed: 2 });
    expect(run.findings.map((f) => [f.path, f.line, f.message])).toEqual([
      ["internal/price/price_test.go", 7, "TestTotal: Total = 3, want 4"],
      ["internal/price/price_test.go", 14, "TestTable/empty: empty total is not 1"],
    ]);
  });

  it("reports a package that does not build at the compiler's location", () => {
    const run = parseGoTestJson(fixture("go-test-build-failure.jsonl"), "/work/app", "example.com/shop");
    expect(run.findings).toEqual([
      expect.objectContaining({
        rule: "unit/build-failed",
        path: "internal/price/broken.go",
        line: 4,
        column: 9,
      }),
    ]);
  });
});
