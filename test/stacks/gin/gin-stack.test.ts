/**
 * The Gin stack's generator, without running the generated app (test/e2e/gin.test.ts does that):
 * determinism, routes that match the plan exactly, overlay rules that change the output and are
 * traced by markers, project files, and Go source that gofmt leaves as it is.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  type GeneratedFile,
  type GenerationContext,
  generateApp,
  getStack,
  registerBuiltins,
} from "../../../src/kernel/index.js";
import { ginStack } from "../../../src/kernel/stacks/gin/index.js";
import { GO_MODULES, GO_VERSION } from "../../../src/kernel/stacks/gin/project.js";
import { contextFor, fixture, fixtures, GENERATOR_VERSION } from "../../generate/helpers.js";

const generate = (context: GenerationContext) => ginStack.generate(context);

function content(files: readonly GeneratedFile[], file: string): string {
  const found = files.find((candidate) => candidate.path === file);
  if (found === undefined) throw new Error(`no ${file} among ${files.map((f) => f.path).join(", ")}`);
  return found.content;
}

/** `METHOD /path` of every route router.go registers, in OpenAPI templating. */
function generatedRoutes(files: readonly GeneratedFile[]): string[] {
  const router = content(files, "internal/api/router.go");
  return [...router.matchAll(/\broutes\.(GET|POST|PATCH|DELETE)\("([^"]+)"/g)]
    .map((match) => `${match[1]} ${(match[2] as string).replace(/:(\w+)/g, "{$1}")}`)
    .sort();
}

const gofmt = spawnSync("gofmt", ["-h"], { encoding: "utf8" });
const hasGofmt = gofmt.error === undefined;

describe.each(fixtures.map((f) => [f.name, f] as const))("gin stack on %s", (_name, f) => {
  const context = contextFor(f);
  const files = generate(context);

  it("is deterministic", () => {
    expect(generate(contextFor(f))).toEqual(files);
  });

  it("registers exactly the plan's routes (so the code and openapi.yaml agree)", () => {
    const planned = context.plan.operations.map((op) => `${op.method} ${op.path}`).sort();
    expect(generatedRoutes(files)).toEqual(planned);
  });

  it("has a handler file and a test file for every resource with operations", () => {
    const paths = files.map((file) => file.path);
    for (const entity of context.plan.entities) {
      if (!context.plan.operations.some((op) => op.entity === entity.name)) continue;
      const name = entity.route.replaceAll("-", "_");
      expect(paths).toContain(`internal/api/${name}.go`);
      expect(paths).toContain(`internal/api/${name}_test.go`);
      expect(paths).toContain(`internal/store/${name}.go`);
    }
    expect(paths).toEqual(expect.arrayContaining(["internal/api/main_test.go", "internal/api/app_test.go"]));
  });

  it("keeps SQL out of the entity files: identifiers are table-description constants", () => {
    // Tests may use SQL (raw rows, the retention purge); the application's SQL lives in postgres.go.
    const sources = files.filter(
      (candidate) =>
        /^internal\/(api|store)\/[a-z_]+\.go$/.test(candidate.path) && !candidate.path.endsWith("_test.go"),
    );
    for (const file of sources) {
      if (
        [
          "internal/store/postgres.go",
          "internal/store/audit.go",
          "internal/store/idempotency.go",
          "internal/store/stores.go",
        ].includes(file.path)
      )
        continue;
      expect(file.content, file.path).not.toMatch(/\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b/);
    }
    const tables = context.plan.tables.filter((table) => table.kind === "entity");
    for (const entity of context.plan.entities) {
      const table = tables.find((candidate) => candidate.name === entity.table);
      const store = content(files, `internal/store/${entity.route.replaceAll("-", "_")}.go`);
      const columns = /columns:\s+\[\]string\{([^}]*)\}/.exec(store)?.[1] ?? "";
      // Every column in the description exists in the migration's table.
      for (const column of columns.split(",").map((text) => text.trim().replace(/"/g, ""))) {
        expect(
          table?.columns.map((c) => c.name),
          `${entity.table}.${column}`,
        ).toContain(column);
      }
    }
  });

  it.skipIf(!hasGofmt)("is formatted as gofmt formats it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "qlf-gin-fmt-"));
    try {
      for (const file of files.filter((candidate) => candidate.path.endsWith(".go"))) {
        mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
        writeFileSync(path.join(dir, file.path), file.content);
      }
      const result = spawnSync("gofmt", ["-l", "."], { cwd: dir, encoding: "utf8" });
      expect(result.stderr).toBe("");
      expect(result.stdout).toBe("");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("overlays change the generated app", () => {
  const plain = generate(contextFor(fixture("todo")));
  const hipaa = generate(contextFor(fixture("pharmacy-hipaa")));
  const payments = generate(contextFor(fixture("payments-fintech")));
  const gdpr = generate(contextFor(fixture("shop-gdpr")));
  const paths = (files: readonly GeneratedFile[]) => files.map((file) => file.path);

  it("adds nothing cross-cutting to a plain app", () => {
    for (const file of [
      "internal/store/audit.go",
      "internal/security/cipher.go",
      "internal/api/auth.go",
      "internal/api/idempotency.go",
    ]) {
      expect(paths(plain)).not.toContain(file);
    }
    expect(content(plain, "internal/api/router.go")).not.toMatch(/s\.allow|s\.idempotent/);
  });

  it("HIPAA: an audit trail on reads of PHI and encrypted PHI columns", () => {
    expect(paths(hipaa)).toEqual(
      expect.arrayContaining(["internal/store/audit.go", "internal/security/cipher.go"]),
    );
    expect(content(hipaa, "internal/api/patients.go")).toContain(
      's.audit(c, "read", "Patient", []string{id}, patientAuditedFields)',
    );
    expect(content(hipaa, "internal/store/patients.go")).toMatch(
      /w\.seal\("date_of_birth", (opt\()?record\.DateOfBirth\)?\)/,
    );
  });

  it("PCI: card numbers become a token and the last four digits", () => {
    const record = content(payments, "internal/store/payments.go");
    expect(record).toMatch(/CardToken\s+string\s+`json:"-"`/);
    expect(record).not.toMatch(/CardNumber/);
    expect(content(payments, "internal/api/payments.go")).toContain("s.cards.Tokenize(*number)");
  });

  it("fintech: Idempotency-Key on money movement and exact decimals", () => {
    expect(content(payments, "internal/api/router.go")).toContain(
      'routes.POST("/payments", s.allow("merchant", "manager"), s.idempotent(), s.handleCreatePayment)',
    );
    expect(content(payments, "internal/api/payments.go")).toMatch(
      /\{name: "amount", kind: kindString, format: "decimal", pattern: .+, required: true, scale: 4\}/,
    );
  });

  it("GDPR: export and erasure endpoints and consent fields", () => {
    const router = content(gdpr, "internal/api/router.go");
    expect(router).toContain('routes.GET("/customers/:id/export"');
    expect(router).toContain('routes.DELETE("/customers/:id/personal-data"');
    expect(content(gdpr, "internal/api/customers.go")).toMatch(/setsTrue\(raw, "\w*[cC]onsent\w*"/);
  });

  it("traces every rule in force to a control marker and a test marker (COMPLIANCE.md has no gap)", () => {
    registerBuiltins();
    if (getStack("gin") === undefined) throw new Error("gin is not registered by registerBuiltins()");
    for (const f of fixtures) {
      const result = generateApp({
        ir: f.ir,
        overlays: f.resolved,
        options: {
          stack: "gin",
          allowWorkflows: true,
          generatorVersion: GENERATOR_VERSION,
          frontend: "none",
        },
      });
      expect(result.summary.gaps, f.name).toEqual([]);
      const traced = result.summary.controls.filter((trace) => trace.applicable);
      for (const trace of traced) {
        expect(
          trace.implementations.some((marker) => marker.path.endsWith(".go")) ||
            trace.implementations.every((marker) => marker.path.startsWith("migrations/")),
          `${f.name}: ${trace.control.id}`,
        ).toBe(true);
        expect(
          trace.tests.some((marker) => marker.path.endsWith("_test.go")),
          `${f.name}: ${trace.control.id}`,
        ).toBe(true);
      }
    }
  });
});

describe("project files", () => {
  const context = contextFor(fixture("pharmacy-hipaa"));
  const files = generate(context);

  it("declares the plugin's commands and images", () => {
    expect(ginStack.id).toBe("gin");
    expect(ginStack.language).toBe("go");
    expect(ginStack.commands.test).toBe("go test ./...");
    expect(ginStack.commands.offlineTest).toContain("GO111MODULE=off");
    expect(ginStack.image.baseImages).toEqual([
      "docker.io/library/golang:1.19-bookworm",
      "gcr.io/distroless/static-debian12:nonroot",
    ]);
  });

  it("has a normal go.mod: module from the slug, go 1.19, current gin and lib/pq, nothing offline", () => {
    const goMod = content(files, "go.mod");
    expect(goMod).toMatch(
      new RegExp(`^module ${context.plan.app.slug}\n\ngo ${GO_VERSION.replace(".", "\\.")}\n`),
    );
    for (const [module, version] of Object.entries(GO_MODULES))
      expect(goMod).toContain(`\t${module} ${version}\n`);
    expect(goMod).not.toMatch(/replace|gocode/);
    expect(files.map((file) => file.path)).not.toContain("go.sum");
  });

  it("has a multi-stage static build on distroless with the binary as its own HEALTHCHECK", () => {
    const dockerfile = content(files, "Dockerfile");
    expect(dockerfile).toMatch(/^FROM docker\.io\/library\/golang:1\.19-bookworm AS build$/m);
    expect(dockerfile).toMatch(/^FROM gcr\.io\/distroless\/static-debian12:nonroot$/m);
    expect(dockerfile).toContain("CGO_ENABLED=0");
    expect(dockerfile).not.toContain("-trimpath");
    expect(dockerfile).toMatch(/^USER 65532:65532$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*CMD \["\/server", "-healthcheck"\]$/m);
    expect(dockerfile).toContain('ENTRYPOINT ["/server"]');
  });

  it("embeds the migrations and documents its commands, the offline harness and every variable", () => {
    expect(content(files, "migrations.go")).toContain("//go:embed migrations/*.sql");
    const docs = content(files, "docs/stack.md");
    for (const command of [
      "go test ./...",
      "go run ./cmd/server",
      "go vet ./...",
      "go run ./cmd/migrate up",
    ]) {
      expect(docs).toContain(command);
    }
    expect(docs).toContain("GO111MODULE=off");
    const example = content(files, ".env.example");
    for (const variable of context.plan.env) {
      expect(docs).toContain(`\`${variable.name}\``);
      expect(example).toContain(`${variable.name}=`);
    }
  });

  it("server has graceful shutdown, -routes and -healthcheck", () => {
    const main = content(files, "cmd/server/main.go");
    expect(main).toContain("signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)");
    expect(main).toContain("server.Shutdown(shutdown)");
    expect(main).toMatch(/flag\.Bool\("healthcheck"/);
    expect(main).toMatch(/flag\.Bool\("routes"/);
  });
});

describe("golden trees", () => {
  for (const name of ["todo", "payments-fintech"]) {
    it(`${name}: matches the reviewed snapshot`, async () => {
      const text = generate(contextFor(fixture(name)))
        .map((file) => `==> ${file.path} (${file.mode.toString(8)}) <==\n${file.content}`)
        .join("\n");
      await expect(text).toMatchFileSnapshot(`./__snapshots__/${name}.txt`);
    });
  }
});
