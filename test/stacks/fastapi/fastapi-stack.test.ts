/**
 * The FastAPI stack's generator, without running the generated app (the e2e tests do that):
 * determinism, routes that match the plan exactly, overlay rules that change the output and are
 * traced by markers, the project files a team starts from, and Python that pyflakes accepts.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  type GeneratedFile,
  type GenerationContext,
  generateApp,
  planApi,
  registerStack,
  understandBrief,
} from "../../../src/kernel/index.js";
import { fastapiStack, generateFastapi } from "../../../src/kernel/stacks/fastapi/index.js";
import { markersFor } from "../../../src/kernel/stacks/fastapi/markers.js";
import { pyIdent, pyPattern, pyStr, snake } from "../../../src/kernel/stacks/fastapi/py.js";
import { catalog, contextFor, fixture, fixtures, GENERATOR_VERSION } from "../../generate/helpers.js";

function content(files: readonly GeneratedFile[], path: string): string {
  const found = files.find((file) => file.path === path);
  if (found === undefined) throw new Error(`no ${path} among ${files.map((file) => file.path).join(", ")}`);
  return found.content;
}

/** `METHOD /path` of every route the generated app registers (router paths joined to their prefix). */
function generatedRoutes(files: readonly GeneratedFile[]): string[] {
  const included = [...content(files, "app/main.py").matchAll(/app\.include_router\((\w+)_router\)/g)].map(
    (match) => match[1] as string,
  );
  const routes = ["GET /healthz", "GET /readyz"];
  for (const module of included) {
    const source = content(files, `app/routers/${module}.py`);
    const prefix = /router = APIRouter\(prefix="([^"]+)"/.exec(source)?.[1] ?? "";
    for (const match of source.matchAll(/@router\.(get|post|patch|delete)\("([^"]*)"/g)) {
      routes.push(`${(match[1] as string).toUpperCase()} ${prefix}${match[2]}`);
    }
  }
  return routes.sort();
}

describe.each(fixtures.map((f) => [f.name, f] as const))("fastapi stack on %s", (_name, f) => {
  const context = contextFor(f);
  const files = generateFastapi(context);

  it("is deterministic", () => {
    expect(generateFastapi(contextFor(f))).toEqual(files);
  });

  it("registers exactly the plan's routes, probes included (so the code and openapi.yaml agree)", () => {
    const planned = [
      "GET /healthz",
      "GET /readyz",
      ...context.plan.operations.map((op) => `${op.method} ${op.path}`),
    ].sort();
    expect(generatedRoutes(files)).toEqual(planned);
  });

  it("registers static paths before parameterised ones (/search is never read as an id)", () => {
    for (const file of files.filter(
      (candidate) => candidate.path.startsWith("app/routers/") && !candidate.path.endsWith("__init__.py"),
    )) {
      const paths = [...file.content.matchAll(/@router\.\w+\("([^"]*)"/g)].map((match) => match[1] as string);
      const firstParameterised = paths.findIndex((p) => p.includes("{"));
      if (firstParameterised >= 0)
        expect(
          paths.slice(firstParameterised).every((p) => p.includes("{")),
          file.path,
        ).toBe(true);
    }
  });

  it("writes only relative paths outside the other agents' directories, and no Node files", () => {
    for (const file of files) {
      expect(file.path).not.toMatch(
        /^(\/|migrations\/|openapi\.yaml|k8s\/|\.github\/|README\.md|COMPLIANCE\.md|\.qlf\/|frontend\/|package\.json)/,
      );
    }
  });

  it("has a test module for every resource with operations, and the shared app test", () => {
    const paths = files.map((file) => file.path);
    for (const entity of context.plan.entities.filter((e) =>
      context.plan.operations.some((op) => op.entity === e.name),
    )) {
      expect(paths).toContain(`tests/test_${entity.route.replaceAll("-", "_")}.py`);
    }
    expect(paths).toEqual(
      expect.arrayContaining(["tests/test_app.py", "tests/conftest.py", "tests/samples.py"]),
    );
  });

  it("builds SQL with SQLAlchemy Core: no SQL text assembled from values in the application", () => {
    for (const file of files.filter((candidate) => candidate.path.startsWith("app/"))) {
      for (const match of file.content.matchAll(/sa\.text\(([^)]*)\)/g)) {
        expect(match[1], `${file.path}: sa.text(${match[1]})`).toBe('"SELECT 1"');
      }
      // No %-formatting or f-strings inside execute() calls.
      expect(file.content, file.path).not.toMatch(/execute\(\s*f"/);
      expect(file.content, file.path).not.toMatch(/execute\([^)]*"\s*%\s*\(/);
    }
  });

  it("traces every applicable rule in force to code and tests: COMPLIANCE.md has no gap", () => {
    registerStack(fastapiStack);
    const result = generateApp({
      ir: f.ir,
      overlays: f.resolved,
      options: {
        stack: "fastapi",
        allowWorkflows: true,
        generatorVersion: GENERATOR_VERSION,
        frontend: "none",
      },
    });
    expect(result.summary.gaps).toEqual([]);
    const markers = result.files
      .filter((file) => file.path.endsWith(".py"))
      .map((file) => file.content)
      .join("\n");
    for (const trace of result.summary.controls.filter((t) => t.applicable)) {
      for (const implementation of trace.implementations.filter((m) => m.path.endsWith(".py"))) {
        expect(markers).toContain(`# qlf:control ${implementation.rule}`);
      }
    }
  });
});

describe("overlays change the generated app", () => {
  const plain = generateFastapi(contextFor(fixture("todo")));
  const hipaa = generateFastapi(contextFor(fixture("pharmacy-hipaa")));
  const payments = generateFastapi(contextFor(fixture("payments-fintech")));
  const gdpr = generateFastapi(contextFor(fixture("shop-gdpr")));
  const paths = (files: readonly GeneratedFile[]) => files.map((file) => file.path);

  it("adds nothing cross-cutting to a plain app", () => {
    for (const path of [
      "app/audit.py",
      "app/field_cipher.py",
      "app/auth.py",
      "app/idempotency.py",
      "app/card_tokens.py",
    ]) {
      expect(paths(plain)).not.toContain(path);
    }
    expect(content(plain, "requirements.txt")).not.toMatch(/cryptography|PyJWT/);
  });

  it("HIPAA: an audit trail on reads of PHI, encrypted PHI columns, JWT auth", () => {
    expect(paths(hipaa)).toEqual(
      expect.arrayContaining(["app/audit.py", "app/field_cipher.py", "app/auth.py"]),
    );
    expect(content(hipaa, "app/routers/patients.py")).toContain(
      'audit(context, request, "read", [record["id"]])',
    );
    expect(content(hipaa, "app/repositories/patients.py")).toMatch(/ENCRYPTED = frozenset\(\[.+\]\)/);
    expect(content(hipaa, "app/field_cipher.py")).toContain("AESGCM");
    expect(content(hipaa, "requirements.txt")).toMatch(/^cryptography>=38$/m);
    expect(content(hipaa, "requirements.txt")).toMatch(/^PyJWT>=2\.6,<3$/m);
  });

  it("PCI: card numbers become a token and the last four digits", () => {
    const router = content(payments, "app/routers/payments.py");
    expect(router).toContain('context.cards.tokenize(values["cardNumber"])');
    expect(content(payments, "app/models/payments.py")).not.toMatch(/OUTPUT_FIELDS = \[[^\]]*"cardNumber"/);
    expect(content(payments, "app/repositories/payments.py")).toContain('"cardToken": "card_token"');
  });

  it("fintech: Idempotency-Key on money movement and exact decimals", () => {
    expect(content(payments, "app/routers/payments.py")).toContain(
      "run_idempotent(context.idempotency, request, idempotency_key",
    );
    expect(content(payments, "app/models/payments.py")).toMatch(
      /validation\.decimal_text\(value, pattern=".+", scale=4\)/,
    );
  });

  it("GDPR: export and erasure endpoints and consent fields", () => {
    const router = content(gdpr, "app/routers/customers.py");
    expect(router).toContain('@router.get("/{id}/export"');
    expect(router).toContain('@router.delete("/{id}/personal-data"');
    expect(content(gdpr, "app/models/customers.py")).toMatch(/consent\w*: Optional\[StrictBool\]/);
  });
});

describe("operations no role is granted (09-pharmacy: nobody may call /allergies)", () => {
  const brief = readFileSync(path.join(import.meta.dirname, "../../corpus/dev/09-pharmacy.md"), "utf8");
  const { ir, resolved } = understandBrief(brief, { overlayCatalog: catalog });
  registerStack(fastapiStack);
  const result = generateApp({
    ir,
    overlays: resolved,
    options: {
      stack: "fastapi",
      allowWorkflows: true,
      generatorVersion: GENERATOR_VERSION,
      frontend: "none",
    },
  });
  const files = result.files;

  it("guards them with allow_none (401 without credentials, 403 with)", () => {
    expect(content(files, "app/routers/allergies.py")).toContain(
      '@router.delete("/{id}", dependencies=[Depends(allow_none)])',
    );
    expect(content(files, "app/auth.py")).toContain("async def allow_none(request: Request) -> Caller:");
  });

  it("tests their behaviour with allow_none overridden for those tests only, and still tests the 403", () => {
    expect(content(files, "tests/conftest.py")).toContain(
      "app.dependency_overrides[allow_none] = test_caller",
    );
    expect(content(files, "tests/conftest.py")).toContain("app.dependency_overrides.pop(allow_none, None)");
    const tests = content(files, "tests/test_allergies.py");
    expect(tests).toMatch(/@pytest\.mark\.usefixtures\("unguarded"\)\nclass TestDeleteAllergy:/);
    expect(tests).toContain("# qlf:test soft-delete");
    expect(tests).not.toMatch(/@pytest\.mark\.usefixtures\("unguarded"\)\nclass TestAccess:/);
    const refusals = tests.slice(tests.indexOf("def test_without_credentials_is_401"));
    expect(refusals).toContain('("DELETE", "/allergies/00000000-0000-4000-8000-000000000000"),');
    expect(refusals).toContain("def test_with_a_role_that_may_not_is_403");
  });

  it("leaves no control without a test in COMPLIANCE.md", () => {
    expect(result.summary.gaps).toEqual([]);
  });
});

describe("project files", () => {
  const files = generateFastapi(contextFor(fixture("pharmacy-hipaa")));

  it("declares the plugin's commands and image", () => {
    expect(fastapiStack.id).toBe("fastapi");
    expect(fastapiStack.language).toBe("python");
    expect(fastapiStack.commands.test).toBe("python -m pytest");
    expect(fastapiStack.commands.start).toMatch(/^python -m uvicorn app\.main:app /);
    expect(fastapiStack.commands.offlineTest).toBe("/usr/bin/python3 -m pytest");
    expect(fastapiStack.image).toEqual({ baseImages: ["docker.io/library/python:3.11-slim"], port: 8080 });
  });

  it("declares ranges current releases and Debian's packages both meet, and pydantic 1 and 2", () => {
    const pyproject = content(files, "pyproject.toml");
    for (const requirement of [
      "fastapi>=0.92,<1",
      "pydantic>=1.10,<3",
      "SQLAlchemy>=1.4,<3",
      "psycopg2>=2.9,<3",
      "uvicorn>=0.17",
    ]) {
      expect(pyproject).toContain(`"${requirement}"`);
      expect(content(files, "requirements.txt")).toContain(requirement);
    }
    expect(pyproject).toMatch(/test = \[\n {4}"pytest>=7\.2",\n {4}"httpx>=0\.23",/);
    expect(content(files, "requirements-dev.txt")).toMatch(/^-r requirements\.txt$/m);
    expect(content(files, "app/compat.py")).toContain('PYDANTIC_V2 = pydantic.VERSION.startswith("2.")');
  });

  it("has a multi-stage, non-root Dockerfile with a HEALTHCHECK and a venv that sees system packages", () => {
    const dockerfile = content(files, "Dockerfile");
    expect(dockerfile.match(/^FROM docker\.io\/library\/python:3\.11-slim/gm)).toHaveLength(2);
    expect(dockerfile).toContain("python -m venv --system-site-packages /opt/venv");
    expect(dockerfile).toMatch(/^USER 10001:10001$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n\s+CMD \["python", "-c", ".*urllib\.request/m);
    expect(dockerfile).toContain("COPY migrations ./migrations");
    expect(dockerfile).toContain('CMD ["python", "-m", "app"]');
  });

  it("documents the commands, the supported versions and every environment variable", () => {
    const docs = content(files, "docs/stack.md");
    expect(docs).toContain("python -m pytest");
    expect(docs).toContain("python -m uvicorn app.main:app");
    expect(docs).toContain("/usr/bin/python3 -m pytest");
    expect(docs).toContain("**pydantic 1.10 and pydantic 2**");
    const plan = contextFor(fixture("pharmacy-hipaa")).plan;
    for (const variable of plan.env) {
      expect(docs).toContain(`\`${variable.name}\``);
      expect(content(files, ".env.example")).toContain(`${variable.name}=`);
    }
  });

  it("matches the golden tree of the todo fixture (update deliberately with vitest -u)", async () => {
    const tree = generateFastapi(contextFor(fixture("todo")))
      .map((file) => `===== ${file.path} (${file.mode.toString(8)})\n${file.content}`)
      .join("\n");
    await expect(tree).toMatchFileSnapshot("__snapshots__/todo.txt");
  });
});

describe("helpers", () => {
  it("writes markers with the Python comment token, only for rules in force", () => {
    const markers = markersFor([{ kind: "audit-log" } as never]);
    expect(markers.control("audit-log")).toBe("  # qlf:control audit-log");
    expect(markers.control("encrypt-fields")).toBe("");
    expect(markers.test("encrypt-fields", "audit-log")).toBe("# qlf:test audit-log");
  });

  it("makes safe identifiers and Python regular expressions", () => {
    expect(pyIdent("firstName")).toBe("first_name");
    expect(pyIdent("from")).toBe("from_");
    expect(pyIdent("json")).toBe("json_");
    expect(pyIdent("modelYear")).toBe("model_year_");
    expect(snake("HTTPStatus")).toBe("http_status");
    expect(pyPattern("^[A-Z]{2}$")).toBe("^[A-Z]{2}\\Z");
    expect(pyPattern("^a\\$")).toBe("^a\\$");
    expect(pyStr('say "hi"\n')).toBe('"say \\"hi\\"\\n"');
  });
});

// pyflakes on every fixture's tree: the generated Python parses and imports only what it uses.
// Needs Debian's interpreter (scripts/ci-deps.sh installs python3-pyflakes); CI must have it.
const PYTHON = "/usr/bin/python3";
const hasPyflakes = existsSync(PYTHON) && spawnSync(PYTHON, ["-m", "pyflakes", "--version"]).status === 0;

describe.skipIf(!hasPyflakes && !process.env.CI)("generated Python (pyflakes)", () => {
  const root = mkdtempSync(path.join(tmpdir(), "qlf-fastapi-unit-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  // A brief whose entity is called Store: its module must not shadow create_app's \`stores\`.
  // (It was a corpus brief's; the compiler now rightly reads "our chain of shoe stores" as the
  // writer's business, so the brief is written here.)
  const loyalty = (() => {
    const brief =
      "Loyalty program: stores (name, city) have customers (name, email, phone); customers redeem points for rewards (name, points cost).";
    const { ir, resolved } = understandBrief(brief, { overlayCatalog: catalog });
    const rules = resolved.rules.map(({ rule }) => rule);
    const context: GenerationContext = {
      ir,
      plan: planApi(ir, rules),
      rules,
      controls: resolved.controls,
      options: { allowWorkflows: true, generatorVersion: GENERATOR_VERSION },
    };
    return context;
  })();
  const contexts: [string, GenerationContext][] = [
    ...fixtures.map((f): [string, GenerationContext] => [f.name, contextFor(f)]),
    ["loyalty program with stores", loyalty],
  ];

  it("has a brief with a stores resource among them", () => {
    expect(loyalty.plan.entities.map((entity) => entity.route)).toContain("stores");
  });

  it.each(contexts)("%s passes pyflakes", (name, context) => {
    const dir = path.join(root, name);
    for (const file of generateFastapi(context)) {
      const target = path.join(dir, file.path);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, file.content);
    }
    const result = spawnSync(PYTHON, ["-m", "pyflakes", "app", "tests"], { cwd: dir, encoding: "utf8" });
    expect(`${result.stdout}${result.stderr}`).toBe("");
    expect(result.status).toBe(0);
  });
});
