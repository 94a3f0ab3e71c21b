/**
 * The gates on the other stacks, for real: the HR app generated for FastAPI and for Gin passes
 * every gate; a syntax or vet error, a failing test and an undocumented route each fail the right
 * gate at the right file and line. Where a toolchain is missing the gates must say so (skipped,
 * with the reason), never pass.
 */
import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { generateFromBrief } from "../../scripts/app-harness/generate.js";
import type { StackId } from "../../src/kernel/index.js";
import { verifyApp } from "../../src/services/verifier/index.js";
import {
  copyApp,
  edit,
  errors,
  expectFailedWith,
  explain,
  gateOf,
  HR_BRIEF,
  lineOf,
  verify,
} from "./helpers.js";

async function generate(stack: StackId): Promise<string> {
  return (await generateFromBrief(HR_BRIEF, { stack })).dir;
}

const has = (command: string, args: string[]) => spawnSync(command, args, { stdio: "ignore" }).status === 0;
const python = ["python3", "/usr/bin/python3"].some((py) =>
  has(py, ["-c", "import pytest, fastapi, uvicorn"]),
);
const go = has("go", ["version"]);

describe.concurrent.each([
  { stack: "fastapi" as const, available: python, tool: "python" },
  { stack: "gin" as const, available: go, tool: "go" },
])("$stack", ({ stack, available, tool }) => {
  let dir: string;
  beforeAll(async () => {
    dir = await generate(stack);
  }, 60_000);

  it.runIf(!available)(`reports the gates that need ${tool} as skipped, with the reason`, async () => {
    const report = await verifyApp({ dir, toolVersion: "0.0.0-test", gates: ["static", "unit", "contract"] });
    for (const gate of report.gates) {
      expect(gate.status).toBe("skipped");
      expect(gate.reason).toMatch(/not found or not usable/);
    }
    expect(report.status).toBe("failed");
  });

  it.runIf(available)(
    "passes every gate",
    async () => {
      const report = await verifyApp({ dir, toolVersion: "0.0.0-test" });
      expect(
        report.gates.map((g) => [g.gate, g.status]),
        explain(report),
      ).toEqual([
        ["static", "passed"],
        ["unit", "passed"],
        ["contract", "passed"],
        ["migration", "passed"],
        ["security", "passed"],
      ]);
      expect(gateOf(report, "unit").summary).toMatch(/^[1-9]\d* passed, 0 failed/);
      expect(gateOf(report, "contract").summary).toMatch(
        /(\d+) of \1 operations answered with a documented success/,
      );
    },
    240_000,
  );

  it.runIf(available)(
    "static: fails at the line of a compile or vet error",
    async () => {
      const copy = await copyApp(dir, `${stack}-static`);
      const file = stack === "fastapi" ? "app/config.py" : "internal/config/config.go";
      const text = await edit(copy, file, (t) =>
        stack === "fastapi"
          ? `${t}\n\ndef broken_on_purpose():\n    return undefined_on_purpose\n`
          : `${t}\nfunc brokenOnPurpose() int {\n\treturn undefinedOnPurpose\n}\n`,
      );
      const gate = gateOf(await verify(copy, ["static"]), "static");
      expectFailedWith(gate, [
        {
          rule: stack === "fastapi" ? "static/pyflakes" : "static/go-vet",
          path: file,
          line: lineOf(
            text,
            stack === "fastapi" ? "return undefined_on_purpose" : "return undefinedOnPurpose",
          ),
          message: expect.stringMatching(/undefined|undeclared/),
        },
      ]);
    },
    180_000,
  );

  it.runIf(available)(
    "unit: fails at the line of a failing test",
    async () => {
      const copy = await copyApp(dir, `${stack}-unit`);
      const file = stack === "fastapi" ? "tests/test_app.py" : "internal/api/departments_test.go";
      const text = await edit(copy, file, (t) =>
        stack === "fastapi"
          ? t.replace(
              /(res = t\.client\.get\("\/healthz"\)\n)/,
              '$1    assert 1 + 1 == 3, "broken on purpose"\n',
            )
          : t.replace(/(\t\ta := newTestApp\(t\)\n)/, '$1\t\tt.Fatalf("broken on purpose")\n'),
      );
      const gate = gateOf(await verify(copy, ["unit"]), "unit");
      expectFailedWith(gate, [
        {
          rule: "unit/test-failed",
          path: file,
          line: lineOf(text, "broken on purpose"),
        },
      ]);
    },
    180_000,
  );

  it.runIf(available)(
    "contract: fails at the code of a route the document does not have",
    async () => {
      const copy = await copyApp(dir, `${stack}-contract`);
      await edit(copy, "openapi.yaml", (t) => {
        const doc = parseDocument(t);
        doc.deleteIn(["paths", "/departments/{id}", "delete"]);
        return doc.toString();
      });
      const file = stack === "fastapi" ? "app/routers/departments.py" : "internal/api/router.go";
      const code = await readFile(path.join(copy, file), "utf8");
      const gate = gateOf(await verify(copy, ["contract"]), "contract");
      expect(gate.status).toBe("failed");
      expect(errors(gate.findings)).toContainEqual(
        expect.objectContaining({
          rule: "contract/undocumented-route",
          path: file,
          line: lineOf(
            code,
            stack === "fastapi" ? /@router\.delete\("\/\{id\}"/ : /\.DELETE\("\/departments\/:id"/,
          ),
        }),
      );
    },
    180_000,
  );
});
