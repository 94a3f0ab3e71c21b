/** `test/app.test.ts`: probes, routing, errors, and the cross-cutting rules (headers, limits, logs). */

import { PURGE_FUNCTION } from "../../../agents/database/index.js";
import type { ApiPlan } from "../../../generate/plan-schema.js";
import type { Features } from "../../shared/features.js";
import { SAMPLE_CARD } from "../../shared/sample-values.js";
import { testRoles } from "../../shared/test-access.js";
import { lines, str } from "../code.js";
import { namesOf } from "../entity/names.js";
import type { Markers } from "../markers.js";
import { seedName } from "./helpers.js";

export function appTestFile(plan: ApiPlan, features: Features, markers: Markers): string {
  const create = plan.operations.find((op) => op.kind === "create");
  const cfg = features.encryption ? "config" : "";
  const sampleImports: string[] = [];
  const tests: string[] = [
    `it("GET /healthz: 200 without touching the database", async () => {
  const res = await request(t.app).get("/healthz").expect(200);
  expect(res.body).toEqual({ status: "ok" });
});`,
    `it("GET /readyz: 200 when the store answers", async () => {
  const res = await request(t.app).get("/readyz").expect(200);
  expect(res.body).toEqual({ status: "ok" });
});`,
    `it("GET /readyz: 503 when the store does not answer", async () => {
  const stores = { ...createMemoryStores(${cfg}), ready: () => Promise.reject(new Error("database down")) };
  await request(createApp({ config, stores })).get("/readyz").expect(503);
});`,
    `it("answers unknown routes with the error shape: 404", async () => {
  const res = await request(t.app).get("/no-such-route").expect(404);
  expect(res.body).toEqual({ error: { code: "not_found", message: "no route for GET /no-such-route" } });
});`,
  ];
  if (create !== undefined) {
    tests.push(`it("refuses malformed JSON: 400 without a stack trace", async () => {
  const res = await request(t.app)
    .post(${str(create.path)})
    .set("Content-Type", "application/json")
    .send("{not json")
    .expect(400);
  expect(res.body.error.code).toBe("validation_failed");
  expect(JSON.stringify(res.body)).not.toMatch(/at .+\\(.+:\\d+:\\d+\\)/);
});`);
  }
  if (features.securityHeaders) {
    tests.push(
      lines(
        markers.test("security-headers"),
        `it("sends security headers", async () => {
  const res = await request(t.app).get("/healthz").expect(200);
  expect(res.headers["x-content-type-options"]).toBe("nosniff");
  expect(res.headers["x-frame-options"]).toBe("DENY");
  expect(res.headers["strict-transport-security"]).toContain("max-age=");
  expect(res.headers["x-powered-by"]).toBeUndefined();
});`,
      ),
    );
  }
  if (features.rateLimit) {
    tests.push(
      lines(
        markers.test("rate-limit"),
        `it("limits each client per window: 429 with Retry-After", async () => {
  const app = createApp({ config: { ...config, rateLimit: { requests: 2, windowSeconds: 60 } }, stores: createMemoryStores(${cfg}) });
  await request(app).get("/no-such-route").expect(404);
  await request(app).get("/no-such-route").expect(404);
  const res = await request(app).get("/no-such-route").expect(429);
  expect(res.body.error.code).toBe("rate_limited");
  expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
  // Probes are never limited.
  await request(app).get("/healthz").expect(200);
});`,
      ),
    );
  }
  if (features.jwt) {
    const guarded = plan.operations.find(
      (op) => op.auth.required && op.method === "GET" && !op.path.includes("{"),
    );
    const role = testRoles(plan)[0] ?? "tester";
    if (guarded !== undefined) {
      tests.push(`it("refuses bearer tokens signed with another secret, or without an expiry: 401", async () => {
  const forged = jwt.sign({ sub: "mallory", role: ${str(role)} }, "not-the-secret-not-the-secret-not-the-secret", { expiresIn: "5m" });
  await request(t.app).get(${str(guarded.path)}).set("Authorization", \`Bearer \${forged}\`).expect(401);
  const eternal = jwt.sign({ sub: "someone", role: ${str(role)} }, TEST_ENV.JWT_SECRET);
  await request(t.app).get(${str(guarded.path)}).set("Authorization", \`Bearer \${eternal}\`).expect(401);
});`);
    }
  }
  const masked = plan.maskedFields.find(
    (name) => !plan.entities.some((entity) => entity.card?.inputField === name),
  );
  tests.push(
    lines(
      markers.test("mask-in-logs", "mark-sensitive"),
      `it("masks sensitive values and card numbers in logs", () => {
  const written: string[] = [];
  const logger = createLogger("info", { write: (line: string) => void written.push(line) });
  logger.info({ ${masked === undefined ? "" : `${masked}: "secret-value", nested: { ${masked}: "secret-value" }, `}headers: {} }, "paid with ${SAMPLE_CARD}");
  const output = written.join("");
  expect(output).not.toContain(${str(SAMPLE_CARD)});${masked === undefined ? "" : '\n  expect(output).not.toContain("secret-value");'}
  expect(output).toContain("[masked");
});`,
    ),
  );
  const retained =
    plan.retentionDays === null ? undefined : plan.entities.find((entity) => entity.softDelete);
  if (retained !== undefined && plan.retentionDays !== null) {
    const names = namesOf(retained);
    const seed = seedName(retained);
    sampleImports.push(seed);
    tests.push(
      lines(
        markers.test("retention"),
        `it.skipIf(process.env.DATABASE_URL === undefined)("purges soft-deleted records after ${plan.retentionDays} days, keeps recent ones (PostgreSQL)", async () => {
  const expired = await ${seed}(t);
  const recent = await ${seed}(t);
  const longAgo = new Date(Date.now() - ${plan.retentionDays + 1} * 86_400_000).toISOString();
  await t.stores.repositories.${names.key}.remove(expired.id, longAgo);
  await t.stores.repositories.${names.key}.remove(recent.id, new Date().toISOString());
  await t.sql("SELECT ${PURGE_FUNCTION}()");
  expect(await t.rawRow(${str(retained.table)}, expired.id)).toBeUndefined();
  expect(await t.rawRow(${str(retained.table)}, recent.id)).toBeDefined();
});`,
      ),
    );
  }
  if (plan.retentionDays !== null && features.audit) {
    tests.push(
      lines(
        markers.test("retention"),
        `it.skipIf(process.env.DATABASE_URL === undefined)("purges audit events older than ${plan.retentionDays} days, keeps recent ones (PostgreSQL)", async () => {
  await t.sql(
    "INSERT INTO audit_log (occurred_at, actor, action, entity) VALUES (now() - make_interval(days => ${plan.retentionDays + 1}), 'expired', 'read', 'Test'), (now(), 'recent', 'read', 'Test')",
  );
  await t.sql("SELECT ${PURGE_FUNCTION}()");
  const rows = await t.sql("SELECT actor FROM audit_log WHERE entity = 'Test'");
  expect(rows.map((row) => row.actor)).toEqual(["recent"]);
});`,
      ),
    );
  }
  tests.push(`it("refuses to start without required configuration, naming each variable", () => {
  expect(() => loadConfig({})).toThrow(/DATABASE_URL/);
});`);
  return `/** The application as a whole: probes, routing, errors and cross-cutting protections. */
${lines(
  features.jwt && 'import jwt from "jsonwebtoken";',
  'import request from "supertest";',
  'import { describe, expect, it } from "vitest";',
  'import { createApp } from "../src/app.js";',
  'import { loadConfig } from "../src/config.js";',
  'import { createLogger } from "../src/logger.js";',
  'import { createMemoryStores } from "../src/stores.js";',
  `import { config, ${features.jwt ? "TEST_ENV, " : ""}useTestApp } from "./helpers/app.js";`,
  sampleImports.length > 0 && `import { ${sampleImports.join(", ")} } from "./helpers/samples.js";`,
)}

const t = useTestApp();

describe(${str(plan.app.name)}, () => {
${tests
  .map((test) =>
    test
      .split("\n")
      .map((line) => (line === "" ? line : `  ${line}`))
      .join("\n"),
  )
  .join("\n\n")}
});
`;
}
