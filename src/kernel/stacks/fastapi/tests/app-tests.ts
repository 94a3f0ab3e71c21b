/** `tests/test_app.py`: probes, routing, errors, and the cross-cutting rules (headers, limits, logs, retention). */
import type { ApiPlan } from "../../../generate/plan-schema.js";
import type { Features } from "../../shared/features.js";
import { SAMPLE_CARD } from "../../shared/sample-values.js";
import { testRoles } from "../../shared/test-access.js";
import type { Markers } from "../markers.js";
import { namesOf } from "../names.js";
import { indent, lines, pyStr } from "../py.js";

function test(name: string, body: string, marker = "", decorator = ""): string {
  return lines(marker, decorator, `def test_${name}(t: AppUnderTest) -> None:`, indent(body));
}

export function appTestFile(plan: ApiPlan, features: Features, markers: Markers): string {
  const create = plan.operations.find((op) => op.kind === "create");
  const uses = new Set<string>();
  const tests: string[] = [
    test(
      "healthz_answers_without_the_database",
      lines(
        'res = t.client.get("/healthz")',
        "assert res.status_code == 200",
        'assert res.json() == {"status": "ok"}',
        'assert res.headers["x-request-id"]',
      ),
    ),
    test(
      "readyz_answers_when_the_store_does",
      lines(
        'res = t.client.get("/readyz")',
        "assert res.status_code == 200",
        'assert res.json() == {"status": "ok"}',
      ),
    ),
    test(
      "readyz_is_503_when_the_store_does_not_answer",
      lines(
        "def down() -> None:",
        '    raise ConnectionError("database down")',
        "",
        "stores = replace(create_memory_stores(CONFIG), ready=down)",
        'res = TestClient(create_app(CONFIG, stores)).get("/readyz")',
        "assert res.status_code == 503",
      ),
    ),
    test(
      "unknown_routes_are_404_in_the_error_shape",
      lines(
        'res = t.client.get("/no-such-route")',
        "assert res.status_code == 404",
        'assert res.json() == {"error": {"code": "not_found", "message": "no route for GET /no-such-route"}}',
      ),
    ),
    test(
      "unexpected_errors_are_500_without_a_stack_trace",
      lines(
        "app = create_app(CONFIG, create_memory_stores(CONFIG))",
        "",
        '@app.get("/boom")',
        "def boom() -> None:",
        '    raise RuntimeError("secret internals")',
        "",
        'res = TestClient(app).get("/boom")',
        "assert res.status_code == 500",
        'assert res.json() == {"error": {"code": "internal", "message": "internal server error"}}',
        'assert "secret internals" not in res.text',
      ),
    ),
  ];
  tests.push(
    test(
      "refuses_bodies_over_the_limit_with_413",
      lines(
        `res = t.client.post(${pyStr(create?.path ?? "/healthz")}, content=b"x" * (100 * 1024 + 1), headers={"Content-Type": "application/json"})`,
        "assert res.status_code == 413",
        'assert res.json()["error"]["message"] == "the request body is too large"',
        "# Without Content-Length (a chunked upload) the limit holds while the body is read.",
        `res = t.client.post(${pyStr(create?.path ?? "/healthz")}, content=iter([b"x" * 60_000, b"x" * 60_000]), headers={"Content-Type": "application/json"})`,
        "assert res.status_code == 413",
      ),
    ),
  );
  const role =
    create === undefined || !create.auth.required
      ? null
      : create.auth.anyRole
        ? (testRoles(plan)[0] ?? "tester")
        : (create.auth.roles[0] ?? undefined);
  if (create !== undefined && role !== undefined) {
    if (role !== null) uses.add("auth_as");
    tests.push(
      test(
        "malformed_json_is_422_without_a_stack_trace",
        lines(
          `headers = {"Content-Type": "application/json"${role === null ? "" : `, **auth_as(${pyStr(role)})`}}`,
          `res = t.client.post(${pyStr(create.path)}, content=b"{not json", headers=headers)`,
          "assert res.status_code == 422",
          'assert res.json()["error"]["code"] == "validation_failed"',
          'assert res.json()["error"]["message"] == "the request body is not valid JSON"',
          'assert "Traceback" not in res.text',
        ),
      ),
    );
  }
  if (features.securityHeaders) {
    tests.push(
      test(
        "sends_security_headers",
        lines(
          'res = t.client.get("/healthz")',
          'assert res.headers["x-content-type-options"] == "nosniff"',
          'assert res.headers["x-frame-options"] == "DENY"',
          'assert "max-age=" in res.headers["strict-transport-security"]',
        ),
        markers.test("security-headers"),
      ),
    );
  }
  if (features.rateLimit) {
    tests.push(
      test(
        "limits_each_client_per_window",
        lines(
          "config = replace(CONFIG, rate_limit_requests=2, rate_limit_window_seconds=60)",
          "client = TestClient(create_app(config, create_memory_stores(config)))",
          'assert client.get("/no-such-route").status_code == 404',
          'assert client.get("/no-such-route").status_code == 404',
          'res = client.get("/no-such-route")',
          "assert res.status_code == 429",
          'assert res.json()["error"]["code"] == "rate_limited"',
          'assert int(res.headers["retry-after"]) > 0',
          "# Probes are never limited.",
          'assert client.get("/healthz").status_code == 200',
        ),
        markers.test("rate-limit"),
      ),
    );
  }
  if (features.jwt) {
    uses.add("jwt");
    const target =
      plan.operations.find((op) => op.auth.required && op.method === "GET" && !op.path.includes("{"))?.path ??
      plan.operations[0]?.path ??
      "/";
    tests.push(
      test(
        "refuses_a_token_signed_with_another_secret",
        lines(
          'forged = jwt.encode({"sub": "mallory", "role": "admin"}, "not-the-secret-not-the-secret-not-the-secret", algorithm="HS256")',
          `res = t.client.get(${pyStr(target)}, headers={"Authorization": f"Bearer {forged}"})`,
          "assert res.status_code == 401",
        ),
      ),
    );
  }
  const masked = plan.maskedFields.find(
    (name) => !plan.entities.some((entity) => entity.card?.inputField === name),
  );
  tests.push(
    test(
      "masks_sensitive_values_and_card_numbers_in_logs",
      lines(
        "stream = io.StringIO()",
        'logger = create_logger("info", stream)',
        masked === undefined
          ? `logger.info("paid with ${SAMPLE_CARD}", extra={"fields": {"headers": {"authorization": "Bearer secret-token"}}})`
          : `logger.info("paid with ${SAMPLE_CARD}", extra={"fields": {${pyStr(masked)}: "secret-value", "nested": {${pyStr(masked)}: "secret-value"}, "headers": {"authorization": "Bearer secret-token"}}})`,
        "output = stream.getvalue()",
        `assert ${pyStr(SAMPLE_CARD)} not in output`,
        masked !== undefined && 'assert "secret-value" not in output',
        'assert "secret-token" not in output',
        'assert "[masked" in output',
        'assert json.loads(output.splitlines()[0])["level"] == "info"',
      ),
      markers.test("mask-in-logs"),
    ),
  );
  if (plan.maskedFields.length > 0) {
    tests.push(
      test(
        "masks_every_field_marked_sensitive",
        lines(
          "stream = io.StringIO()",
          'logger = create_logger("info", stream)',
          `marked = [${plan.maskedFields.map(pyStr).join(", ")}]`,
          'logger.info("record", extra={"fields": {"record": {name: f"value-of-{name}" for name in marked}}})',
          "output = stream.getvalue()",
          "for name in marked:",
          '    assert f"value-of-{name}" not in output',
        ),
        markers.test("mark-sensitive"),
      ),
    );
  }
  tests.push(
    test(
      "refuses_to_start_without_required_configuration",
      lines('with pytest.raises(ConfigError, match="DATABASE_URL"):', "    load_config({})"),
    ),
  );
  if (plan.retentionDays !== null) {
    tests.push(retentionTest(plan, markers, uses));
  }
  const sampleImports = [...uses].filter((name) => name.startsWith("seed_")).sort();
  return `"""The application as a whole: probes, routing, errors and cross-cutting protections."""
${lines("import io", "import json", "from dataclasses import replace")}

${lines(uses.has("jwt") && "import jwt", "import pytest", uses.has("sa") && "import sqlalchemy as sa", "from fastapi.testclient import TestClient")}

from app.config import ConfigError, load_config
from app.logs import create_logger
from app.main import create_app
from app.stores import create_memory_stores
from conftest import CONFIG, ${uses.has("DATABASE_URL") ? "DATABASE_URL, " : ""}AppUnderTest${uses.has("auth_as") ? ", auth_as" : ""}
${sampleImports.length > 0 ? `from samples import ${sampleImports.join(", ")}\n` : ""}

${tests.join("\n\n\n")}
`;
}

function retentionTest(plan: ApiPlan, markers: Markers, uses: Set<string>): string {
  uses.add("sa");
  uses.add("DATABASE_URL");
  const days = plan.retentionDays as number;
  const audit = plan.tables.some((table) => table.kind === "audit-log");
  const soft = plan.entities.find((entity) => entity.softDelete);
  const body: string[] = ["assert t.engine is not None"];
  if (soft !== undefined) {
    const names = namesOf(soft);
    uses.add(names.seed);
    body.push(
      `expired = ${names.seed}(t)`,
      `recent = ${names.seed}(t)`,
      "with t.engine.begin() as connection:",
      `    connection.execute(sa.text("UPDATE ${soft.table} SET deleted_at = now() - make_interval(days => :days) WHERE id = :id"), [{"days": DAYS + 1, "id": expired["id"]}, {"days": DAYS - 1, "id": recent["id"]}])`,
    );
  }
  if (audit) {
    body.push(
      "with t.engine.begin() as connection:",
      "    connection.execute(",
      "        sa.text(\"INSERT INTO audit_log (occurred_at, actor, action, entity) VALUES (now() - make_interval(days => :days), 'test', 'read', :entity)\"),",
      '        [{"days": DAYS + 1, "entity": "Expired"}, {"days": DAYS - 1, "entity": "Recent"}],',
      "    )",
    );
  }
  body.push(
    "with t.engine.begin() as connection:",
    '    connection.execute(sa.text("SELECT qlf_purge_expired()"))',
  );
  if (soft !== undefined) {
    body.push(
      `assert t.raw_row(${pyStr(soft.table)}, expired["id"]) is None`,
      `assert t.raw_row(${pyStr(soft.table)}, recent["id"]) is not None`,
    );
  }
  if (audit) {
    body.push(
      "with t.engine.connect() as connection:",
      "    entities = [row[0] for row in connection.execute(sa.text(\"SELECT entity FROM audit_log WHERE actor = 'test'\"))]",
      'assert entities == ["Recent"]',
    );
  }
  return lines(
    `DAYS = ${days}`,
    "",
    "",
    test(
      "purges_what_is_older_than_the_retention_period_and_keeps_the_rest",
      body.join("\n"),
      markers.test("retention"),
      '@pytest.mark.skipif(DATABASE_URL is None, reason="the purge function lives in PostgreSQL (set DATABASE_URL)")',
    ),
  );
}
