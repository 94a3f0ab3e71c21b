/**
 * The generated app's tests: `internal/api/main_test.go` (helpers and samples), `app_test.go`
 * (probes, routing, errors and the cross-cutting protections) and one `<route>_test.go` per
 * resource.
 */
import type { ApiPlan } from "../../../generate/plan-schema.js";
import type { GenerationContext } from "../../../generate/stack.js";
import { file, type GeneratedFile } from "../../../generate/tree.js";
import type { Features } from "../../shared/features.js";
import { SAMPLE_CARD } from "../../shared/sample-values.js";
import { testRoles } from "../../shared/test-access.js";
import { goNamesOf, goProperties } from "../entity/names.js";
import { goString, importBlock, lines, tabs } from "../go.js";
import type { Markers } from "../markers.js";
import { entityTestGo } from "./entity-tests.js";
import { inputName, JWT_TEST_SECRET, mainTestGo, seedName } from "./helpers.js";

export function apiTestFiles(
  context: GenerationContext,
  features: Features,
  markers: Markers,
  modulePath: string,
  rootName: string,
): GeneratedFile[] {
  const { plan } = context;
  const files = [
    file("internal/api/main_test.go", mainTestGo(plan, features, modulePath, rootName)),
    file("internal/api/app_test.go", appTestGo(plan, features, markers, modulePath)),
  ];
  for (const entity of plan.entities) {
    if (!plan.operations.some((op) => op.entity === entity.name)) continue;
    files.push(
      file(
        `internal/api/${goNamesOf(entity).file}_test.go`,
        entityTestGo({ plan, entity, features, markers }, modulePath),
      ),
    );
  }
  return files;
}

function subtest(name: string, body: string, marker = ""): string {
  return lines(marker, `t.Run(${goString(name)}, func(t *testing.T) {`, tabs(body), "})");
}

function appTestGo(plan: ApiPlan, features: Features, markers: Markers, modulePath: string): string {
  const tests: string[] = [
    subtest(
      "GET /healthz: 200 without touching the database",
      `a := newTestApp(t)
if body := a.call("GET", "/healthz", nil).expect(http.StatusOK).object(); body["status"] != "ok" {
	t.Fatalf("body %v", body)
}`,
    ),
    subtest(
      "GET /readyz: 200 when the store answers",
      `a := newTestApp(t)
if body := a.call("GET", "/readyz", nil).expect(http.StatusOK).object(); body["status"] != "ok" {
	t.Fatalf("body %v", body)
}`,
    ),
    subtest(
      "GET /readyz: 503 when the store does not answer",
      `a := newTestApp(t)
stores := a.stores
stores.Ready = func(context.Context) error { return errors.New("database down") }
a.router = NewRouter(Deps{Config: testConfig, Stores: stores, Logger: logging.Discard()})
a.call("GET", "/readyz", nil).expect(http.StatusServiceUnavailable)`,
    ),
    subtest(
      "answers unknown routes with the error shape: 404",
      `a := newTestApp(t)
res := a.call("GET", "/no-such-route", nil).expect(http.StatusNotFound)
want := map[string]any{"error": map[string]any{"code": "not_found", "message": "no route for GET /no-such-route"}}
if !sameJSON(res.object(), want) {
	t.Fatalf("body %s", res.body)
}`,
    ),
  ];
  const create = plan.operations.find((op) => op.kind === "create");
  if (create !== undefined) {
    const entity = plan.entities.find((candidate) => candidate.name === create.entity);
    const role = !create.auth.required
      ? null
      : create.auth.anyRole
        ? (testRoles(plan)[0] ?? null)
        : (create.auth.roles[0] ?? null);
    if (!create.auth.required || role !== null) {
      const options = [
        ...(role === null ? [] : [`asRole(${goString(role)})`]),
        ...(create.idempotent ? ['withHeader("Idempotency-Key", store.NewID())'] : []),
      ];
      tests.push(
        subtest(
          "refuses malformed JSON: 400 without a stack trace",
          `a := newTestApp(t)
res := a.call("POST", ${goString(create.path)}, "{not json"${options.map((option) => `, ${option}`).join("")}).expect(http.StatusBadRequest)
if res.errorCode() != "validation_failed" || strings.Contains(string(res.body), ".go:") || strings.Contains(string(res.body), "goroutine") {
	t.Fatalf("body %s", res.body)
}`,
        ),
      );
      if (entity !== undefined) {
        tests.push(
          subtest(
            "refuses a body that is not an object: 400",
            `a := newTestApp(t)
res := a.call("POST", ${goString(create.path)}, []any{${inputName(entity)}(a, nil)}${options.map((option) => `, ${option}`).join("")}).expect(http.StatusBadRequest)
res.expectDetail("", "must be an object")`,
          ),
        );
      }
    }
  }
  if (features.securityHeaders) {
    tests.push(
      subtest(
        "sends security headers",
        `a := newTestApp(t)
res := a.call("GET", "/healthz", nil).expect(http.StatusOK)
for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
	if got := res.header.Get(name); got != want {
		t.Fatalf("%s: %q, want %q", name, got, want)
	}
}
if !strings.Contains(res.header.Get("Strict-Transport-Security"), "max-age=") {
	t.Fatal("no Strict-Transport-Security")
}`,
        markers.test("security-headers"),
      ),
    );
  }
  if (features.rateLimit) {
    tests.push(
      subtest(
        "limits each client per window: 429 with Retry-After",
        `cfg := testConfig
cfg.RateLimit = config.RateLimit{Requests: 2, Window: time.Minute}
a := newTestAppWith(t, cfg)
a.call("GET", "/no-such-route", nil).expect(http.StatusNotFound)
a.call("GET", "/no-such-route", nil).expect(http.StatusNotFound)
res := a.call("GET", "/no-such-route", nil).expect(http.StatusTooManyRequests)
if res.errorCode() != "rate_limited" {
	t.Fatalf("error %q", res.errorCode())
}
if retry, err := strconv.Atoi(res.header.Get("Retry-After")); err != nil || retry < 1 {
	t.Fatalf("Retry-After %q", res.header.Get("Retry-After"))
}
// Probes are never limited.
a.call("GET", "/healthz", nil).expect(http.StatusOK)`,
        markers.test("rate-limit"),
      ),
    );
  }
  if (features.idempotency) {
    tests.push(
      subtest(
        "Idempotency-Key: required; a repeat replays the stored response; another body conflicts",
        `a := newTestApp(t)
s := &server{stores: a.stores, logger: logging.Discard(), now: time.Now}
calls := 0
router := gin.New()
router.POST("/things", s.idempotent(), func(c *gin.Context) {
	calls++
	c.Header("Location", "/things/1")
	c.JSON(http.StatusCreated, gin.H{"call": calls})
})
send := func(key, body string) *httptest.ResponseRecorder {
	request := httptest.NewRequest("POST", "/things", strings.NewReader(body))
	if key != "" {
		request.Header.Set("Idempotency-Key", key)
	}
	recorder := httptest.NewRecorder()
	router.ServeHTTP(recorder, request)
	return recorder
}
if res := send("", \`{"a": 1}\`); res.Code != http.StatusBadRequest {
	t.Fatalf("without a key: %d", res.Code)
}
first := send("key-1", \`{"a": 1, "b": 2}\`)
again := send("key-1", \`{"b": 2, "a": 1}\`)
var firstBody, againBody any
_ = json.Unmarshal(first.Body.Bytes(), &firstBody)
_ = json.Unmarshal(again.Body.Bytes(), &againBody)
if first.Code != http.StatusCreated || again.Code != http.StatusCreated || !sameJSON(firstBody, againBody) || calls != 1 {
	t.Fatalf("first %d %s, again %d %s, %d calls", first.Code, first.Body, again.Code, again.Body, calls)
}
if again.Header().Get("Idempotent-Replayed") != "true" || again.Header().Get("Location") != "/things/1" {
	t.Fatalf("replay headers %v", again.Header())
}
if res := send("key-1", \`{"a": 2}\`); res.Code != http.StatusConflict {
	t.Fatalf("another body: %d", res.Code)
}`,
        markers.test("idempotency-keys"),
      ),
    );
  }
  const guarded = plan.operations.filter(
    (op) => op.auth.required && op.method === "GET" && !op.path.includes("{"),
  );
  const guardedGet = guarded.find((op) => op.auth.anyRole || op.auth.roles.length > 0) ?? guarded[0];
  if (features.jwt && guardedGet !== undefined) {
    const role = guardedGet.auth.anyRole
      ? (testRoles(plan)[0] ?? "tester")
      : (guardedGet.auth.roles[0] ?? null);
    const claimsRole = role ?? testRoles(plan)[0] ?? "tester";
    tests.push(
      subtest(
        "refuses forged, expired and unsigned bearer tokens: 401",
        lines(
          `a := newTestApp(t)
valid := time.Now().Add(time.Minute).Unix()
for name, token := range map[string]string{
	"another secret": signToken(map[string]any{"sub": "mallory", "role": ${goString(claimsRole)}, "exp": valid}, "not-the-secret-not-the-secret-not-the-secret"),
	"expired":        signToken(map[string]any{"sub": "alice", "role": ${goString(claimsRole)}, "exp": time.Now().Add(-time.Minute).Unix()}, testConfig.JWTSecret),
	"alg none":       "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + strings.Split(signToken(map[string]any{"sub": "mallory", "role": ${goString(claimsRole)}, "exp": valid}, testConfig.JWTSecret), ".")[1] + ".",
} {
	res := a.call("GET", ${goString(guardedGet.path)}, nil, withHeader("Authorization", "Bearer "+token))
	if res.status != http.StatusUnauthorized {
		t.Fatalf("%s: %d %s", name, res.status, res.body)
	}
}`,
          role !== null &&
            `a.call("GET", ${goString(guardedGet.path)}, nil, withHeader("Authorization", "Bearer "+signToken(map[string]any{"sub": "alice", "role": ${goString(role)}, "exp": valid}, ${goString(JWT_TEST_SECRET)}))).expect(http.StatusOK)`,
        ),
        markers.test("require-auth"),
      ),
    );
  }
  const masked = plan.maskedFields.find(
    (name) => !plan.entities.some((entity) => entity.card?.inputField === name),
  );
  tests.push(
    subtest(
      "masks sensitive values and card numbers in logs",
      `var out bytes.Buffer
logger := logging.New(&out, "info")
logger.Info("paid with ${SAMPLE_CARD}", map[string]any{${masked === undefined ? "" : `${goString(masked)}: "secret-value", "nested": map[string]any{${goString(masked)}: "secret-value"}, `}"card": "4242 4242 4242 4242"})
text := out.String()
if strings.Contains(text, "${SAMPLE_CARD}") || strings.Contains(text, "4242 4242 4242 4242")${masked === undefined ? "" : ' || strings.Contains(text, "secret-value")'} || !strings.Contains(text, "[masked") {
	t.Fatalf("log line %s", text)
}`,
      markers.test("mask-in-logs"),
    ),
  );
  if (plan.maskedFields.length > 0) {
    const sensitive = [
      ...new Set(
        plan.entities.flatMap((entity) =>
          goProperties(entity)
            .filter((property) => property.field !== null && plan.maskedFields.includes(property.field.name))
            .map((property) => property.field?.name ?? ""),
        ),
      ),
    ].sort();
    tests.push(
      subtest(
        "the fields marked sensitive are the ones masked in logs",
        `for _, name := range ${`[]string{${sensitive.map(goString).join(", ")}}`} {
	var out bytes.Buffer
	logging.New(&out, "info").Info("record", map[string]any{"record": map[string]any{name: "sensitive-value-of-" + name}})
	if strings.Contains(out.String(), "sensitive-value-of-") {
		t.Fatalf("%s is not masked: %s", name, out.String())
	}
}
var out bytes.Buffer
logging.New(&out, "info").Info("record", map[string]any{"notSensitive": "plain-value"})
if !strings.Contains(out.String(), "plain-value") {
	t.Fatalf("an ordinary field is masked: %s", out.String())
}`,
        markers.test("mark-sensitive"),
      ),
    );
  }
  tests.push(
    subtest(
      "refuses to start without required configuration, naming each variable",
      `_, err := config.Load(func(string) (string, bool) { return "", false })
if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") {
	t.Fatalf("error %v", err)
}`,
    ),
  );
  const retention = retentionTest(plan, markers);
  if (retention !== "") tests.push(retention);
  const body = tests.join("\n\n");
  const imports = [
    ...(body.includes("bytes.") ? ["bytes"] : []),
    ...(body.includes("context.") ? ["context"] : []),
    ...(body.includes("errors.") ? ["errors"] : []),
    ...(body.includes("json.") ? ["encoding/json"] : []),
    ...(body.includes("fmt.") ? ["fmt"] : []),
    "net/http",
    ...(body.includes("httptest.") ? ["net/http/httptest"] : []),
    ...(body.includes("strconv.") ? ["strconv"] : []),
    "strings",
    "testing",
    ...(body.includes("time.") ? ["time"] : []),
    ...(body.includes("gin.") ? ["github.com/gin-gonic/gin"] : []),
    `${modulePath}/internal/config`,
    `${modulePath}/internal/logging`,
    ...(body.includes("store.") ? [`${modulePath}/internal/store`] : []),
  ];
  return `package api

${importBlock(modulePath, imports)}

// The application as a whole: probes, routing, errors and the cross-cutting protections.
func TestServer(t *testing.T) {
${tabs(body)}
}
`;
}

/** With DATABASE_URL: the purge function deletes what is older than the retention period, only that. */
function retentionTest(plan: ApiPlan, markers: Markers): string {
  if (!markers.has("retention") || plan.retentionDays === null) return "";
  const days = plan.retentionDays;
  const skip = `if testDB == nil {
	t.Skip("needs DATABASE_URL: the purge function lives in PostgreSQL")
}`;
  if (plan.tables.some((table) => table.kind === "audit-log")) {
    return subtest(
      `purges audit entries older than ${days} days, and keeps newer ones`,
      `${skip}
newTestApp(t) // empties the tables
_, err := testDB.Exec(\`INSERT INTO audit_log (occurred_at, actor, action, entity, fields) VALUES
	(now() - make_interval(days => ${days + 1}), 'retention-test-old', 'read', 'Test', '{}'),
	(now() - make_interval(days => ${Math.max(days - 1, 0)}), 'retention-test-new', 'read', 'Test', '{}')\`)
if err != nil {
	t.Fatal(err)
}
if _, err := testDB.Exec("SELECT qlf_purge_expired()"); err != nil {
	t.Fatal(err)
}
var actors []string
rows, err := testDB.Query("SELECT actor FROM audit_log WHERE actor LIKE 'retention-test-%'")
if err != nil {
	t.Fatal(err)
}
defer rows.Close()
for rows.Next() {
	var actor string
	if err := rows.Scan(&actor); err != nil {
		t.Fatal(err)
	}
	actors = append(actors, actor)
}
if len(actors) != 1 || actors[0] != "retention-test-new" {
	t.Fatalf("left %v, want [retention-test-new]", actors)
}`,
      markers.test("retention"),
    );
  }
  const entity = plan.entities.find((candidate) => candidate.softDelete);
  if (entity === undefined) {
    // Nothing here is purged (no audit log, no soft delete): the purge still runs, harmlessly.
    const first = plan.entities[0];
    if (first === undefined) return "";
    return subtest(
      "runs the retention purge without touching live records",
      `${skip}
a := newTestApp(t)
kept := ${seedName(first)}(a, nil)
if _, err := testDB.Exec("SELECT qlf_purge_expired()"); err != nil {
	t.Fatal(err)
}
if a.rawRow(${goString(first.table)}, kept.ID) == nil {
	t.Fatal("the purge deleted a live record")
}`,
      markers.test("retention"),
    );
  }
  const names = goNamesOf(entity);
  return subtest(
    `purges ${entity.plural} deleted more than ${days} days ago, and keeps newer ones`,
    `${skip}
a := newTestApp(t)
old := ${seedName(entity)}(a, nil)
recent := ${seedName(entity)}(a, nil)
for id, age := range map[string]int{old.ID: ${days + 1}, recent.ID: ${Math.max(days - 1, 0)}} {
	if _, err := testDB.Exec("UPDATE ${entity.table} SET deleted_at = now() - make_interval(days => $2) WHERE id = $1", id, age); err != nil {
		t.Fatal(err)
	}
}
if _, err := testDB.Exec("SELECT qlf_purge_expired()"); err != nil {
	t.Fatal(err)
}
if a.rawRow(${goString(entity.table)}, old.ID) != nil || a.rawRow(${goString(entity.table)}, recent.ID) == nil {
	t.Fatal("the purge did not keep exactly the recent ${names.type}")
}`,
    markers.test("retention"),
  );
}
