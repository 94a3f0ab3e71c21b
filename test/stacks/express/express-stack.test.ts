/**
 * The Express stack's generator, without running the generated app (the e2e tests do that):
 * determinism, routes that match the plan exactly, overlay rules that change the output and are
 * traced by markers, and the project files a team starts from.
 */
import { describe, expect, it } from "vitest";
import { type GeneratedFile, type GenerationContext, planApi } from "../../../src/kernel/index.js";
import { expressStack, generateExpress } from "../../../src/kernel/stacks/express/index.js";
import { contextFor, fixture, fixtures } from "../../generate/helpers.js";

function content(files: readonly GeneratedFile[], path: string): string {
  const found = files.find((file) => file.path === path);
  if (found === undefined) throw new Error(`no ${path} among ${files.map((file) => file.path).join(", ")}`);
  return found.content;
}

/** `METHOD /path` of every route the generated app registers (router paths joined to their mount). */
function generatedRoutes(files: readonly GeneratedFile[]): string[] {
  const mounts = new Map<string, string>();
  for (const match of content(files, "src/app.ts").matchAll(/app\.use\("([^"]+)", (\w+)\(ctx\)\)/g)) {
    mounts.set(match[2] as string, match[1] as string);
  }
  const routes: string[] = [];
  for (const file of files.filter((candidate) => candidate.path.endsWith("/routes.ts"))) {
    const name = /export function (\w+)\(ctx: AppContext\)/.exec(file.content)?.[1] ?? "";
    const mount = mounts.get(name);
    if (mount === undefined) throw new Error(`${file.path}: ${name} is not mounted in src/app.ts`);
    for (const match of file.content.matchAll(/router\.(get|post|patch|delete)\("([^"]*)"/g)) {
      const path = `${mount}${match[2] === "/" ? "" : match[2]}`.replace(/:(\w+)/g, "{$1}");
      routes.push(`${(match[1] as string).toUpperCase()} ${path}`);
    }
  }
  return routes.sort();
}

describe.each(fixtures.map((f) => [f.name, f] as const))("express stack on %s", (_name, f) => {
  const context = contextFor(f);
  const files = generateExpress(context);

  it("is deterministic", () => {
    expect(generateExpress(contextFor(f))).toEqual(files);
  });

  it("registers exactly the plan's routes (so the code and openapi.yaml agree)", () => {
    const planned = context.plan.operations.map((op) => `${op.method} ${op.path}`).sort();
    expect(generatedRoutes(files)).toEqual(planned);
  });

  it("writes only relative paths outside the other agents' directories", () => {
    for (const file of files) {
      expect(file.path).not.toMatch(
        /^(\/|migrations\/|openapi\.yaml|k8s\/|\.github\/|README\.md|COMPLIANCE\.md|\.qlf\/|frontend\/)/,
      );
    }
  });

  it("has a test file for every resource with operations, and the shared app test", () => {
    const withOps = context.plan.entities.filter((entity) =>
      context.plan.operations.some((op) => op.entity === entity.name),
    );
    for (const entity of withOps)
      expect(files.map((file) => file.path)).toContain(`test/${entity.route}.test.ts`);
    expect(files.map((file) => file.path)).toContain("test/app.test.ts");
  });

  it("builds SQL from constant identifiers and parameters only", () => {
    const allowed = new Set([
      "SELECT",
      "column",
      "values.length",
      "filter",
      "orderBy",
      "values.length + 1",
      "values.length + 2",
      'columns.join(", ")',
      'placeholders.join(", ")',
      'where.join(" AND ")',
      "i + 1",
      "SORT_COLUMNS[sort.field]",
      "direction",
      "COLUMNS[guard.field]",
      'text.replace(/[!%_]/g, "!$&")',
    ]);
    for (const file of files.filter((candidate) => candidate.path.endsWith("pg-repository.ts"))) {
      for (const match of file.content.matchAll(/\$\{([^{}]+(?:\{[^{}]*\}[^{}]*)*)\}/g)) {
        const expression = (match[1] as string).trim();
        if (expression.startsWith("columns.map(")) continue; // SET column = $n, built from the mapped row's keys
        expect(allowed.has(expression), `${file.path}: \${${expression}}`).toBe(true);
      }
    }
  });
});

describe("overlays change the generated app", () => {
  const plain = generateExpress(contextFor(fixture("todo")));
  const hipaa = generateExpress(contextFor(fixture("pharmacy-hipaa")));
  const payments = generateExpress(contextFor(fixture("payments-fintech")));
  const gdpr = generateExpress(contextFor(fixture("shop-gdpr")));
  const paths = (files: readonly GeneratedFile[]) => files.map((file) => file.path);

  it("adds nothing cross-cutting to a plain app", () => {
    for (const path of [
      "src/audit/audit-log.ts",
      "src/security/field-cipher.ts",
      "src/http/auth.ts",
      "src/http/idempotency.ts",
    ]) {
      expect(paths(plain)).not.toContain(path);
    }
  });

  it("HIPAA: an audit trail on reads of PHI and encrypted PHI columns", () => {
    expect(paths(hipaa)).toEqual(
      expect.arrayContaining(["src/audit/audit-log.ts", "src/security/field-cipher.ts"]),
    );
    const routes = content(hipaa, "src/resources/patients/routes.ts");
    expect(routes).toContain('await audit(res, "read", [id]);');
    expect(content(hipaa, "src/resources/patients/repository.ts")).toMatch(
      /const ENCRYPTED: ReadonlySet<string> = new Set\(\[.+\]\)/,
    );
  });

  it("PCI: card numbers become a token and the last four digits", () => {
    const model = content(payments, "src/resources/payments/model.ts");
    expect(model).toContain("cardToken: string");
    expect(model).not.toMatch(/export interface Payment \{[^}]*cardNumber/s);
    expect(content(payments, "src/resources/payments/routes.ts")).toContain(
      "ctx.cards.tokenize(body.cardNumber)",
    );
  });

  it("fintech: Idempotency-Key on money movement and exact decimals", () => {
    expect(content(payments, "src/resources/payments/routes.ts")).toContain("idempotent(ctx.idempotency)");
    expect(content(payments, "src/resources/payments/model.ts")).toMatch(
      /amount: z\.string\(\)\.regex\(.+\)\.transform\(toScale\(4\)\)/,
    );
  });

  it("GDPR: export and erasure endpoints and consent fields", () => {
    const routes = content(gdpr, "src/resources/customers/routes.ts");
    expect(routes).toContain('router.get("/:id/export"');
    expect(routes).toContain('router.delete("/:id/personal-data"');
    expect(content(gdpr, "src/resources/customers/model.ts")).toMatch(/consent\w+: z\.boolean\(\)/);
  });

  it("traces every rule it implements to a control marker and a test marker", () => {
    const implemented = [
      "audit-log",
      "encrypt-fields",
      "tokenize-card-data",
      "data-export",
      "data-erasure",
      "consent-fields",
      "idempotency-keys",
      "decimal-money",
      "soft-delete",
      "rate-limit",
      "require-auth",
      "security-headers",
      "mask-in-logs",
    ];
    for (const f of fixtures) {
      const context: GenerationContext = contextFor(f);
      const text = generateExpress(context)
        .map((file) => file.content)
        .join("\n");
      const inForce = new Set(context.rules.map((rule) => rule.kind));
      for (const kind of implemented.filter((candidate) => inForce.has(candidate as never))) {
        if (
          kind === "consent-fields" &&
          !context.plan.entities.some((entity) => entity.consentFields.length > 0)
        )
          continue;
        if (kind === "tokenize-card-data" && !context.plan.entities.some((entity) => entity.card !== null))
          continue;
        if (kind === "data-export" && !context.plan.operations.some((op) => op.kind === "export")) continue;
        if (kind === "data-erasure" && !context.plan.operations.some((op) => op.kind === "erase")) continue;
        if (kind === "idempotency-keys" && !context.plan.operations.some((op) => op.idempotent)) continue;
        if (
          kind === "encrypt-fields" &&
          !context.plan.entities.some((entity) => entity.encryptedFields.length > 0)
        )
          continue;
        expect(text, `${f.name}: control ${kind}`).toMatch(new RegExp(`qlf:control ${kind}\\b`));
        expect(text, `${f.name}: test ${kind}`).toMatch(new RegExp(`qlf:test (?:[a-z-]+ )*${kind}\\b`));
      }
    }
  });
});

describe("operations no role is granted", () => {
  // The HIPAA fixture with its export endpoint granted to no role (as in briefs that say so).
  const base = contextFor(fixture("pharmacy-hipaa"));
  const exportOp = base.plan.operations.find((op) => op.kind === "export" && op.entity === "Patient");
  if (exportOp === undefined) throw new Error("pharmacy-hipaa: no Patient export");
  const context: GenerationContext = {
    ...base,
    plan: {
      ...base.plan,
      operations: base.plan.operations.map((op) =>
        op === exportOp ? { ...op, auth: { ...op.auth, required: true, anyRole: false, roles: [] } } : op,
      ),
    },
  };
  const files = generateExpress(context);
  const tests = content(files, "test/patients.test.ts");

  it("are still tested, through the app built with the role check lifted", () => {
    const exportTests = tests.slice(tests.indexOf(`describe("GET ${exportOp.path}`));
    expect(exportTests).toMatch(/\/\/ qlf:test data-export\n\s*it\("exports the Patient/);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the generated source text
    expect(exportTests).toContain("request(t.unguardedApp).get(`/patients/${record.id}/export`)");
    expect(tests.match(/request\(t\.unguardedApp\)/g)).toHaveLength(2);
  });

  it("are still refused by the real app: the 403 test lists them", () => {
    const forbidden = tests.slice(tests.indexOf("with a role that may not: 403") - 400);
    expect(forbidden).toContain(
      `["GET", "${exportOp.path.replace("{id}", "00000000-0000-4000-8000-000000000000")}"]`,
    );
  });

  it("only the tests can lift the check: createApp takes the guard as code, never from configuration", () => {
    expect(content(files, "src/app.ts")).toContain(
      "access: access ?? createAccess(jwtAuthenticator(config.jwtSecret))",
    );
    expect(content(files, "test/helpers/app.ts")).toContain(
      "unguardedApp: createApp({ config, stores, access: allowEveryone })",
    );
    expect(content(files, "src/config.ts")).not.toMatch(/allowEveryone|unguarded/);
  });
});

describe("project files", () => {
  const files = generateExpress(contextFor(fixture("pharmacy-hipaa")));

  it("declares the plugin's commands and image", () => {
    expect(expressStack.id).toBe("express");
    expect(expressStack.commands).toEqual({
      install: "npm install",
      test: "npm test",
      build: "npm run build",
      start: "npm start",
    });
    expect(expressStack.image).toEqual({ baseImages: ["docker.io/library/node:24-slim"], port: 8080 });
  });

  it("has a package.json with the scripts the commands run and current dependencies", () => {
    const manifest = JSON.parse(content(files, "package.json"));
    expect(manifest.type).toBe("module");
    expect(Object.keys(manifest.scripts)).toEqual(
      expect.arrayContaining(["build", "start", "test", "migrate", "migrate:down"]),
    );
    expect(manifest.dependencies).toEqual(
      expect.objectContaining({
        express: expect.stringMatching(/^\^5\./),
        pg: expect.any(String),
        zod: expect.stringMatching(/^\^4\./),
      }),
    );
    expect(manifest.dependencies.jsonwebtoken).toBeDefined(); // the pharmacy fixture uses JWTs
  });

  it("has a multi-stage, non-root Dockerfile with a HEALTHCHECK", () => {
    const dockerfile = content(files, "Dockerfile");
    expect(dockerfile.match(/^FROM docker\.io\/library\/node:24-slim/gm)).toHaveLength(2);
    expect(dockerfile).toContain("npm run build && npm prune --omit=dev");
    expect(dockerfile).toMatch(/^USER \d+:\d+$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n\s+CMD node -e "fetch\('http:\/\/127\.0\.0\.1:'/m);
    expect(dockerfile).toContain("EXPOSE 8080");
    expect(dockerfile).toContain('CMD ["node", "dist/server.js"]');
  });

  it("documents every environment variable of the plan", () => {
    const plan = planApi(fixture("pharmacy-hipaa").ir, contextFor(fixture("pharmacy-hipaa")).rules);
    const docs = content(files, "docs/stack.md");
    const example = content(files, ".env.example");
    for (const variable of plan.env) {
      expect(docs).toContain(`\`${variable.name}\``);
      expect(example).toContain(`${variable.name}=`);
    }
  });
});
