/**
 * Every gate against a generated Express app, for real: the app as generated passes; a copy broken
 * on purpose in the way a gate must catch fails exactly that gate, with a finding at the right file
 * and line. The app is generated and installed once; each broken copy runs only its gate.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import type { GeneratedApp } from "../../scripts/app-harness/generate.js";
import { VerifyReport } from "../../src/kernel/index.js";
import { runQlf } from "../helpers/cli.js";
import {
  copyApp,
  edit,
  errors,
  expectFailedWith,
  explain,
  gateOf,
  HR_BRIEF,
  lineOf,
  PHARMACY_BRIEF,
  preparedApp,
  verify,
} from "./helpers.js";

let app: GeneratedApp;
let full: VerifyReport;

beforeAll(async () => {
  app = await preparedApp(HR_BRIEF);
  // The whole run goes through the bundled CLI, as a user runs it: `qlf verify DIR --format json`.
  const { code, stdout, stderr } = await runQlf(["verify", app.dir, "--format", "json"], {
    timeoutMs: 280_000,
  });
  full = VerifyReport.parse(JSON.parse(stdout === "" ? "{}" : stdout));
  if (code !== (full.status === "passed" ? 0 : 1))
    throw new Error(`exit code ${code} for a ${full.status} report: ${stderr}`);
}, 300_000);

describe("the generated app", () => {
  it("passes every gate", () => {
    expect(full.status, explain(full)).toBe("passed");
    expect(full.gates.map((g) => [g.gate, g.status])).toEqual([
      ["static", "passed"],
      ["unit", "passed"],
      ["contract", "passed"],
      ["migration", "passed"],
      ["security", "passed"],
    ]);
    expect(full.gates.flatMap((g) => errors(g.findings))).toEqual([]);
  });

  it("really exercised the app: tests counted, every callable operation answered with success, migrations cycled", () => {
    expect(gateOf(full, "unit").summary).toMatch(/^[1-9]\d* passed, 0 failed/);
    const contract = gateOf(full, "contract");
    // Every operation some role may call succeeds, unless its record cannot be created by anyone.
    const callable = (op: (typeof app.plan.operations)[number]) =>
      !op.auth.required || op.auth.anyRole || op.auth.roles.length > 0;
    const creatable = new Set(
      app.plan.operations.filter((op) => op.kind === "create" && callable(op)).map((op) => op.entity),
    );
    const expected =
      app.plan.operations.filter(
        (op) => callable(op) && (["list", "search", "create"].includes(op.kind) || creatable.has(op.entity)),
      ).length + 2; // + /healthz and /readyz
    expect(expected).toBeGreaterThanOrEqual(12);
    expect(contract.summary, explain(full)).toContain(
      `${expected} of ${app.plan.operations.length + 2} operations answered with a documented success`,
    );
    expect(gateOf(full, "migration").steps.map((s) => s.name)).toEqual([
      "create a scratch database",
      "apply migrations/0001_init.up.sql",
      "compare the schema with .qlf/ir.json",
      "roll back migrations/0001_init.down.sql",
      "apply migrations/0001_init.up.sql again",
    ]);
  });
});

// The copies are independent: they run side by side (each waits mostly on its processes).
describe.concurrent("broken copies fail the right gate at the right place", () => {
  it("static: a type error", async () => {
    const dir = await copyApp(app.dir, "type-error");
    const text = await edit(
      dir,
      "src/config.ts",
      (t) => `${t}export const brokenOnPurpose: number = "not a number";\n`,
    );
    const report = await verify(dir, ["static"]);
    const gate = gateOf(report, "static");
    expectFailedWith(gate, [
      {
        rule: "static/typescript",
        path: "src/config.ts",
        line: lineOf(text, "brokenOnPurpose"),
        column: 14,
      },
    ]);
    expect(errors(gate.findings)[0]?.message).toMatch(
      /^TS2322: Type 'string' is not assignable to type 'number'/,
    );
  }, 120_000);

  it("static: a Dockerfile that runs as root", async () => {
    const dir = await copyApp(app.dir, "dockerfile");
    const text = await edit(dir, "Dockerfile", (t) => t.replace(/^USER .*$/m, "USER root"));
    const gate = gateOf(await verify(dir, ["static"]), "static");
    expect(errors(gate.findings)).toEqual([
      expect.objectContaining({
        rule: "static/dockerfile",
        path: "Dockerfile",
        line: lineOf(text, /^USER root/),
      }),
    ]);
  }, 120_000);

  it("unit: a failing test", async () => {
    const dir = await copyApp(app.dir, "failing-test");
    const file = "test/app.test.ts";
    const text = await edit(dir, file, (t) =>
      t.replace(/^(\s*)(expect\()/m, '$1expect(1 + 1, "broken on purpose").toBe(3);\n$1$2'),
    );
    const gate = gateOf(await verify(dir, ["unit"]), "unit");
    expectFailedWith(gate, [
      {
        rule: "unit/test-failed",
        path: file,
        line: lineOf(text, "broken on purpose"),
      },
    ]);
    expect(errors(gate.findings)[0]?.message).toMatch(/broken on purpose/);
    expect(gate.summary).toMatch(/ passed, 1 failed/);
  }, 180_000);

  it("contract: a route missing from the spec", async () => {
    const dir = await copyApp(app.dir, "undocumented-route");
    const entity = app.plan.entities.find((e) =>
      app.plan.operations.some((op) => op.entity === e.name && op.kind === "delete"),
    );
    if (entity === undefined) throw new Error("the plan has no delete operation");
    await edit(dir, "openapi.yaml", (t) => {
      const doc = parseDocument(t);
      doc.deleteIn(["paths", `/${entity.route}/{id}`, "delete"]);
      return doc.toString();
    });
    const routes = await readFile(path.join(dir, "src", "resources", entity.route, "routes.ts"), "utf8");
    const gate = gateOf(await verify(dir, ["contract"]), "contract");
    expect(gate.status).toBe("failed");
    expect(errors(gate.findings)).toContainEqual(
      expect.objectContaining({
        rule: "contract/undocumented-route",
        path: `src/resources/${entity.route}/routes.ts`,
        line: lineOf(routes, 'router.delete("/:id"'),
      }),
    );
    expect(
      errors(gate.findings).every((f) => f.rule === "contract/undocumented-route"),
      explain({ ...full, gates: [gate] }),
    ).toBe(true);
  }, 180_000);

  it("contract: a response that breaks its schema", async () => {
    const dir = await copyApp(app.dir, "response-schema");
    // The document promises a field that the app never sends in a record (of an entity some role
    // may both create and read, so that a record comes back).
    const callable = (kind: string, name: string) =>
      app.plan.operations.some(
        (op) =>
          op.entity === name &&
          op.kind === kind &&
          (op.auth.anyRole || op.auth.roles.length > 0 || !op.auth.required),
      );
    const entity = app.plan.entities.find((e) => callable("create", e.name) && callable("get", e.name));
    if (entity === undefined) throw new Error("no entity that a role may create and read");
    let doc = "";
    await edit(dir, "openapi.yaml", (t) => {
      const parsed = parseDocument(t);
      const required = parsed.getIn(["components", "schemas", entity.name, "required"]) as {
        add(value: unknown): void;
      };
      required.add("promisedButMissing");
      doc = parsed.toString();
      return doc;
    });
    const gate = gateOf(await verify(dir, ["contract"]), "contract");
    expect(gate.status).toBe("failed");
    const schemaErrors = errors(gate.findings);
    expect(schemaErrors.length).toBeGreaterThan(0);
    expect(
      schemaErrors.every((f) => f.rule === "contract/response-schema" && f.path === "openapi.yaml"),
    ).toBe(true);
    // The get operation's 200 answer is flagged at the line of its documented 200 response.
    const get = schemaErrors.find((f) =>
      new RegExp(`^GET /${entity.route}/[0-9a-f-]{36} answered 200 `).test(f.message),
    );
    expect(get?.message).toMatch(/must have required property 'promisedButMissing'/);
    const operationLine = lineOf(doc, `operationId: get${entity.name}`);
    const lines = doc.split("\n");
    const responseLine =
      lines.findIndex((line, index) => index >= operationLine && /^\s+"200":/.test(line)) + 1;
    expect(get?.line).toBe(responseLine);
  }, 180_000);

  it("migration: an up migration whose table the down migration does not drop", async () => {
    const dir = await copyApp(app.dir, "no-rollback");
    const up = await edit(dir, "migrations/0001_init.up.sql", (t) =>
      t.replace(
        /^COMMIT;/m,
        "CREATE TABLE leave_balances (\n  id uuid PRIMARY KEY,\n  days integer NOT NULL\n);\n\nCOMMIT;",
      ),
    );
    const gate = gateOf(await verify(dir, ["migration"]), "migration");
    expectFailedWith(gate, [
      {
        rule: "migration/not-rolled-back",
        path: "migrations/0001_init.up.sql",
        line: lineOf(up, "CREATE TABLE leave_balances ("),
        message:
          "table leave_balances is still there after migrations/0001_init.down.sql: the down migration does not drop it",
        related: [
          {
            path: "migrations/0001_init.down.sql",
            line: null,
            message: "the down migration that should drop it",
          },
        ],
      },
    ]);
    // The IR does not plan it either: reported, but not an error of its own.
    expect(gate.findings).toContainEqual(
      expect.objectContaining({ rule: "migration/schema-extra", severity: "warning" }),
    );
  }, 120_000);

  it("migration: a down migration that leaves a child table behind fails at the parent's DROP", async () => {
    const dir = await copyApp(app.dir, "child-left");
    const down = await edit(dir, "migrations/0001_init.down.sql", (t) =>
      t.replace(/^DROP TABLE \w+;\n/m, ""),
    );
    const gate = gateOf(await verify(dir, ["migration"]), "migration");
    const [failure] = errors(gate.findings);
    expect(failure).toMatchObject({ rule: "migration/failed", path: "migrations/0001_init.down.sql" });
    expect(failure?.message).toMatch(/cannot drop table (\w+) because other objects depend on it/);
    const parent = /cannot drop table (\w+)/.exec(failure?.message ?? "")?.[1] ?? "";
    expect(failure?.line).toBe(lineOf(down, `DROP TABLE ${parent};`));
  }, 120_000);

  it("migration: a down migration that fails", async () => {
    const dir = await copyApp(app.dir, "down-fails");
    const text = await edit(dir, "migrations/0001_init.down.sql", (t) =>
      t.replace(/^DROP TABLE (\w+);/m, "DROP TABLE $1_typo;"),
    );
    const gate = gateOf(await verify(dir, ["migration"]), "migration");
    expect(errors(gate.findings)).toEqual([
      expect.objectContaining({
        rule: "migration/failed",
        path: "migrations/0001_init.down.sql",
        line: lineOf(text, "_typo;"),
      }),
    ]);
  }, 120_000);

  it("migration: a column that does not match the IR", async () => {
    const dir = await copyApp(app.dir, "schema-mismatch");
    const text = await edit(dir, "migrations/0001_init.up.sql", (t) =>
      t.replace(
        /^(\s+)(\w+) varchar\((\d+)\)/m,
        (_, indent: string, name: string) => `${indent}${name} varchar(7)`,
      ),
    );
    const changed = /^\s+(\w+) varchar\(7\)/m.exec(text)?.[1];
    const gate = gateOf(await verify(dir, ["migration"]), "migration");
    expect(errors(gate.findings)).toEqual([
      expect.objectContaining({
        rule: "migration/schema-mismatch",
        path: "migrations/0001_init.up.sql",
        line: lineOf(text, "varchar(7)"),
        message: expect.stringMatching(
          new RegExp(`\\.${changed} is character varying\\(7\\) but the IR plans varchar\\(\\d+\\)`),
        ),
      }),
    ]);
  }, 120_000);

  it("security: a hard-coded secret", async () => {
    const dir = await copyApp(app.dir, "secret");
    const text = await edit(
      dir,
      "src/config.ts",
      (t) => `${t}\nconst paymentApiKey = "sk_live_51Hx9KqLmN3pQ7rS2tUvW8yZa";\nexport { paymentApiKey };\n`,
    );
    const gate = gateOf(await verify(dir, ["security"]), "security");
    expect(gate.status).toBe("failed");
    const found = errors(gate.findings).filter((f) => f.rule !== "security/compliance-gap");
    expect(found).toEqual([
      expect.objectContaining({
        rule: "security/secret",
        path: "src/config.ts",
        line: lineOf(text, "sk_live_"),
      }),
    ]);
  }, 60_000);

  it("security: string-built SQL from request data", async () => {
    const dir = await copyApp(app.dir, "sql");
    const entity = app.plan.entities[0];
    if (entity === undefined) throw new Error("no entity");
    const file = `src/resources/${entity.route}/pg-repository.ts`;
    const text = await edit(
      dir,
      file,
      (t) =>
        `${t}\nexport const unsafe = (req: { query: { name: string } }) => \`SELECT * FROM ${entity.table} WHERE name = '\${req.query.name}'\`;\n`,
    );
    const gate = gateOf(await verify(dir, ["security"]), "security");
    const found = errors(gate.findings).filter((f) => f.rule !== "security/compliance-gap");
    expect(found).toEqual([
      expect.objectContaining({
        rule: "security/sql-injection",
        path: file,
        line: lineOf(text, "export const unsafe"),
      }),
    ]);
  }, 60_000);

  it("security: a control whose test marker is gone", async () => {
    const pharmacy = await preparedApp(PHARMACY_BRIEF);
    const dir = await copyApp(pharmacy.dir, "compliance");
    await edit(dir, "test/app.test.ts", (t) => t.replace(/\s*\/\/ qlf:test security-headers/, ""));
    const matrix = await readFile(path.join(dir, "COMPLIANCE.md"), "utf8");
    const control = pharmacy.summary.controls.find(
      (c) => c.control.implementedBy.includes("security-headers") && !c.gap,
    );
    if (control === undefined) throw new Error("no traced security-headers control");
    const gate = gateOf(await verify(dir, ["security"]), "security");
    // Exactly the generator's own gaps (COMPLIANCE.md traces the same markers) plus the new one.
    const gaps = errors(gate.findings).map((f) => /control (\S+)/.exec(f.message)?.[1]);
    expect(gaps.sort()).toEqual([...pharmacy.summary.gaps, control.control.id].sort());
    expect(errors(gate.findings)).toContainEqual(
      expect.objectContaining({
        rule: "security/compliance-gap",
        path: "COMPLIANCE.md",
        line: lineOf(matrix, `| ${control.control.id} `),
        message: expect.stringContaining("no test marked qlf:test security-headers"),
      }),
    );
  }, 60_000);
});
