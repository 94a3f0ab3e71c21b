/**
 * `internal/api/main_test.go`: the app under test (in memory, or on PostgreSQL with DATABASE_URL),
 * requests and responses, and valid sample data for every entity.
 */

import type { ApiPlan, EntityPlan } from "../../../generate/plan-schema.js";
import type { Features } from "../../shared/features.js";
import { OUTSIDER_ROLE, testRoles } from "../../shared/test-access.js";
import { inputFields } from "../../shared/test-inputs.js";
import { entityNamed, goNamesOf, goProperties } from "../entity/names.js";
import { align, goString, goStrings, importBlock, tabs } from "../go.js";
import { sampleInput, sampleRecord, usesN } from "./samples.js";

export const JWT_TEST_SECRET = "test-secret-that-is-at-least-32-characters-long";

export function inputName(entity: EntityPlan): string {
  return `${goNamesOf(entity).lower}Input`;
}

export function seedName(entity: EntityPlan): string {
  return `seed${goNamesOf(entity).type}`;
}

export function mainTestGo(plan: ApiPlan, features: Features, modulePath: string, rootName: string): string {
  const roles = [...testRoles(plan), OUTSIDER_ROLE];
  const creatable = new Set(plan.operations.filter((op) => op.kind === "create").map((op) => op.entity));
  const samples = plan.entities
    .flatMap((entity) => [
      ...(creatable.has(entity.name) ? [inputFunction(plan, entity)] : []),
      seedFunction(plan, entity),
    ])
    .join("\n\n");
  const configLines = align([
    ["LogLevel:", '"error",'],
    ...(features.auth === "api-key"
      ? [
          [
            "APIKeys:",
            `map[string]string{${roles.map((role) => `${goString(`test-key-${role}`)}: ${goString(role)}`).join(", ")}},`,
          ],
        ]
      : []),
    ...(features.jwt ? [["JWTSecret:", `${goString(JWT_TEST_SECRET)},`]] : []),
    ...(features.encryption ? [["DataEncryptionKey:", "bytes.Repeat([]byte{7}, 32),"]] : []),
    ...(features.card ? [["CardTokenKey:", '"test-card-token-key",']] : []),
    ...(features.rateLimit
      ? [
          "// High enough that only the rate-limit test (which sets its own) ever reaches it.",
          ["RateLimit:", "config.RateLimit{Requests: 100000, Window: time.Minute},"],
        ]
      : []),
  ]);
  const authHelper =
    features.auth === "api-key"
      ? `
// asRole authenticates a request as a caller with this role.
func asRole(role string) option {
	return func(r *http.Request) { r.Header.Set("X-API-Key", "test-key-"+role) }
}
`
      : features.jwt
        ? `
// asRole authenticates a request as a caller with this role (a short-lived HS256 token).
func asRole(role string) option {
	token := signToken(map[string]any{"sub": "test-" + role, "role": role, "exp": time.Now().Add(5 * time.Minute).Unix()}, testConfig.JWTSecret)
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

// signToken makes an HS256 JWT, as an identity provider would.
func signToken(claims map[string]any, secret string) string {
	encode := func(value any) string {
		data, _ := json.Marshal(value)
		return base64.RawURLEncoding.EncodeToString(data)
	}
	unsigned := encode(map[string]string{"alg": "HS256", "typ": "JWT"}) + "." + encode(claims)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(unsigned))
	return unsigned + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}
`
        : "";
  const audit = features.audit
    ? `

// auditEntries are the audit events recorded so far, oldest first.
func (a *testApp) auditEntries() []store.AuditEvent {
	a.t.Helper()
	if a.memory != nil {
		var events []store.AuditEvent
		for _, entry := range a.memory.AuditLog.Entries() {
			events = append(events, entry.AuditEvent)
		}
		return events
	}
	rows, err := testDB.Query("SELECT actor, action, entity, entity_id, fields FROM audit_log ORDER BY occurred_at")
	if err != nil {
		a.t.Fatal(err)
	}
	defer rows.Close()
	var events []store.AuditEvent
	for rows.Next() {
		var event store.AuditEvent
		var entityID sql.NullString
		if err := rows.Scan(&event.Actor, &event.Action, &event.Entity, &entityID, pq.Array(&event.Fields)); err != nil {
			a.t.Fatal(err)
		}
		event.EntityID = entityID.String
		events = append(events, event)
	}
	return events
}`
    : "";
  const body = `${samples}${audit}`;
  const imports = [
    "bytes",
    "context",
    ...(features.jwt ? ["crypto/hmac", "crypto/sha256", "encoding/base64"] : []),
    "database/sql",
    "encoding/json",
    "fmt",
    "net/http",
    "net/http/httptest",
    "os",
    "reflect",
    "strings",
    "sync/atomic",
    "testing",
    "time",
    "github.com/gin-gonic/gin",
    features.audit ? "github.com/lib/pq" : "",
    modulePath,
    `${modulePath}/internal/config`,
    `${modulePath}/internal/logging`,
    `${modulePath}/internal/migrate`,
    ...(features.encryption ? [`${modulePath}/internal/security`] : []),
    `${modulePath}/internal/store`,
  ].filter((path) => path !== "");
  const importText = importBlock(modulePath, imports).replace(
    `\t"${modulePath}"\n`,
    `\t${rootName} "${modulePath}"\n`,
  );
  return `package api

${importText}

// The app under test is fresh for every test. Without DATABASE_URL it runs on in-memory stores;
// with it, on PostgreSQL: migrations are applied once, and every table is emptied before each
// test. The tests are the same either way.

// testDB is the database the tests use when DATABASE_URL is set; nil in memory.
var testDB *sql.DB

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	if url := os.Getenv("DATABASE_URL"); url != "" {
		db, err := sql.Open("postgres", url)
		if err == nil {
			err = applyMigrations(db)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "test database:", err)
			os.Exit(1)
		}
		testDB = db
	}
	code := m.Run()
	if testDB != nil {
		testDB.Close()
	}
	os.Exit(code)
}

func applyMigrations(db *sql.DB) error {
	migrations, err := migrate.Load(${rootName}.Migrations, "migrations")
	if err != nil {
		return err
	}
	_, err = migrate.Up(context.Background(), db, migrations)
	return err
}

var testConfig = config.Config{
${tabs(configLines.join("\n"))}
}

type testApp struct {
	t      *testing.T
	server *server
	router *gin.Engine
	stores store.Stores
	// memory is nil on PostgreSQL.
	memory *store.MemoryStores
}

func newTestApp(t *testing.T) *testApp { return newTestAppWith(t, testConfig) }

func newTestAppWith(t *testing.T, cfg config.Config) *testApp {
	t.Helper()
	var sealer store.Sealer${
    features.encryption
      ? `
	cipher, err := security.NewFieldCipher(testConfig.DataEncryptionKey)
	if err != nil {
		t.Fatal(err)
	}
	sealer = cipher`
      : ""
  }
	app := &testApp{t: t}
	if testDB == nil {
		app.memory = store.NewMemoryStores(sealer)
		app.stores = app.memory.Stores
	} else {
		emptyTables(t)
		app.stores = store.NewPgStores(testDB, sealer)
	}
	app.server = newServer(Deps{Config: cfg, Stores: app.stores, Logger: logging.Discard()})
	app.router = app.server.routes(cfg)
	return app
}

// emptyTables deletes every row, children first, in one transaction: much faster than TRUNCATE on
// small tables. The audit log is append-only; its trigger lets a session with qlf.purge on (what
// the retention purge sets) delete. If a cycle of references refuses the order, TRUNCATE does it.
func emptyTables(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	conn, err := testDB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, emptyStatement); err != nil {
		_, _ = conn.ExecContext(ctx, "ROLLBACK")
		if _, err := conn.ExecContext(ctx, "TRUNCATE "+strings.Join(testTables, ", ")+" CASCADE"); err != nil {
			t.Fatalf("emptying the tables: %v", err)
		}
	}
}

// testTables are the application's tables, in creation order.
var testTables = ${goStrings(plan.tables.map((table) => table.name))}

const emptyStatement = \`BEGIN;
SELECT set_config('qlf.purge', 'on', true);
${[...plan.tables]
  .reverse()
  .map((table) => `DELETE FROM ${table.name};`)
  .join("\n")}
COMMIT;\`

// option changes a request before it is sent.
type option func(r *http.Request)

// withHeader sets a request header.
func withHeader(name, value string) option {
	return func(r *http.Request) { r.Header.Set(name, value) }
}
${authHelper}
// call sends a request to the app; body is JSON-encoded unless it is a string (sent as is).
func (a *testApp) call(method, path string, body any, options ...option) *testResponse {
	a.t.Helper()
	return a.send(a.router, method, path, body, options...)
}

// callUnguarded sends a request straight to one handler, without its route's guards: operations
// that no role may call are still tested this way (their guards are tested by the access tests).
func (a *testApp) callUnguarded(handler gin.HandlerFunc, pattern, method, path string, body any, options ...option) *testResponse {
	a.t.Helper()
	router := gin.New()
	router.Handle(method, pattern, handler)
	return a.send(router, method, path, body, options...)
}

func (a *testApp) send(router http.Handler, method, path string, body any, options ...option) *testResponse {
	a.t.Helper()
	var payload []byte
	switch value := body.(type) {
	case nil:
	case string:
		payload = []byte(value)
	default:
		encoded, err := json.Marshal(value)
		if err != nil {
			a.t.Fatal(err)
		}
		payload = encoded
	}
	request := httptest.NewRequest(method, path, bytes.NewReader(payload))
	if body != nil {
		request.Header.Set("Content-Type", "application/json")
	}
	for _, apply := range options {
		apply(request)
	}
	recorder := httptest.NewRecorder()
	router.ServeHTTP(recorder, request)
	return &testResponse{t: a.t, status: recorder.Code, header: recorder.Header(), body: recorder.Body.Bytes()}
}

type testResponse struct {
	t      *testing.T
	status int
	header http.Header
	body   []byte
}

// expect fails the test unless the status is the one wanted.
func (r *testResponse) expect(status int) *testResponse {
	r.t.Helper()
	if r.status != status {
		r.t.Fatalf("status %d, want %d; body: %s", r.status, status, r.body)
	}
	return r
}

// object is the body as a JSON object.
func (r *testResponse) object() map[string]any {
	r.t.Helper()
	var value map[string]any
	if err := json.Unmarshal(r.body, &value); err != nil {
		r.t.Fatalf("the body is not a JSON object: %v: %s", err, r.body)
	}
	return value
}

func (r *testResponse) errorCode() string {
	r.t.Helper()
	problem, _ := r.object()["error"].(map[string]any)
	code, _ := problem["code"].(string)
	return code
}

// expectDetail fails the test unless a validation detail names path (with message, unless empty).
func (r *testResponse) expectDetail(path, message string) {
	r.t.Helper()
	problem, _ := r.object()["error"].(map[string]any)
	details, _ := problem["details"].([]any)
	for _, item := range details {
		detail, _ := item.(map[string]any)
		if detail["path"] == path && (message == "" || detail["message"] == message) {
			return
		}
	}
	r.t.Fatalf("no detail {path: %q, message: %q} in %s", path, message, r.body)
}

// ids are the ids of the items of a list body.
func (r *testResponse) ids() []string {
	r.t.Helper()
	items, _ := r.object()["items"].([]any)
	ids := []string{}
	for _, item := range items {
		record, _ := item.(map[string]any)
		id, _ := record["id"].(string)
		ids = append(ids, id)
	}
	return ids
}

// sameJSON reports whether two values encode to the same JSON (numbers compared as numbers).
func sameJSON(a, b any) bool {
	decode := func(value any) any {
		data, err := json.Marshal(value)
		if err != nil {
			return err
		}
		var out any
		if err := json.Unmarshal(data, &out); err != nil {
			return err
		}
		return out
	}
	return reflect.DeepEqual(decode(a), decode(b))
}

// rawRow is a row exactly as stored (column names; ciphertext and tokens as they are), or nil.
func (a *testApp) rawRow(table, id string) store.Row {
	a.t.Helper()
	if a.memory != nil {
		row, _ := a.memory.DB.Find(table, id)
		return row
	}
	rows, err := testDB.Query("SELECT * FROM "+table+" WHERE id = $1", id)
	if err != nil {
		a.t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		return nil
	}
	columns, _ := rows.Columns()
	values := make([]any, len(columns))
	targets := make([]any, len(columns))
	for i := range values {
		targets[i] = &values[i]
	}
	if err := rows.Scan(targets...); err != nil {
		a.t.Fatal(err)
	}
	row := store.Row{}
	for i, column := range columns {
		if data, ok := values[i].([]byte); ok {
			row[column] = string(data)
		} else {
			row[column] = values[i]
		}
	}
	return row
}

// countRows is the number of rows of a table, live or not.
func (a *testApp) countRows(table string) int {
	a.t.Helper()
	if a.memory != nil {
		return len(a.memory.DB.Rows(table))
	}
	var count int
	if err := testDB.QueryRow("SELECT count(*) FROM " + table).Scan(&count); err != nil {
		a.t.Fatal(err)
	}
	return count
}

var sequence int64

// next returns a number no earlier call returned, for values that must be unique.
func next() int64 { return atomic.AddInt64(&sequence, 1) }

// sampleTime is the instant sample records carry.
var sampleTime = time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC)

// omitted, as an override, removes a field from a sample body.
type omitted struct{}

func withOverrides(body map[string]any, overrides map[string]any) map[string]any {
	for name, value := range overrides {
		if _, remove := value.(omitted); remove {
			delete(body, name)
		} else {
			body[name] = value
		}
	}
	return body
}

// cut shortens a sample to a column's length.
func cut(text string, max int) string {
	if len(text) > max {
		return text[len(text)-max:]
	}
	return text
}

${body}
`;
}

function inputFunction(plan: ApiPlan, entity: EntityPlan): string {
  const values = inputFields(plan, entity).map((field) => {
    if (field.role === "foreign-key" && field.references !== null) {
      const parent = entityNamed(plan, field.references.entity) as EntityPlan;
      return [`${goString(field.name)}:`, `${seedName(parent)}(a, nil).ID,`];
    }
    return [`${goString(field.name)}:`, `${sampleInput(field)},`];
  });
  const n = values.some(([, value]) => usesN(value ?? ""));
  return `// ${inputName(entity)} is a valid body for POST /${entity.route}; overrides replace fields (omitted{} removes one).
func ${inputName(entity)}(a *testApp, overrides map[string]any) map[string]any {
	a.t.Helper()${n ? "\n\tn := next()" : ""}
	return withOverrides(map[string]any{
${tabs(align(values).join("\n"), 2)}
	}, overrides)
}`;
}

function seedFunction(plan: ApiPlan, entity: EntityPlan): string {
  const names = goNamesOf(entity);
  const values: string[][] = [];
  const afterwards: string[] = [];
  for (const property of goProperties(entity)) {
    const field = property.field;
    if (field === null) {
      if (!property.pointer) values.push([`${property.name}:`, 'fmt.Sprintf("test-token-%d", n),']);
      continue;
    }
    switch (field.role) {
      case "id":
        values.push([`${property.name}:`, "store.NewID(),"]);
        continue;
      case "created-at":
      case "updated-at":
        values.push([`${property.name}:`, `${property.pointer ? "&now" : "now"},`]);
        continue;
      case "deleted-at":
      case "consent-given-at":
        continue;
      case "card-last4":
        if (!property.pointer) values.push([`${property.name}:`, '"4242",']);
        continue;
      case "foreign-key": {
        const parent = field.references === null ? undefined : entityNamed(plan, field.references.entity);
        if (property.pointer || parent === undefined || parent.name === entity.name) continue;
        // Seeded only when the caller did not choose a parent, so references never recurse forever.
        afterwards.push(
          `if record.${property.name} == "" {\n\trecord.${property.name} = ${seedName(parent)}(a, nil).ID\n}`,
        );
        continue;
      }
      default:
        values.push([`${property.name}:`, `${sampleRecord(field)},`]);
    }
  }
  const n = values.some(([, value]) => usesN(value ?? ""));
  return `// ${seedName(entity)} stores a ${entity.name} directly (not through the API) and returns it.
func ${seedName(entity)}(a *testApp, change func(record *store.${names.type})) store.${names.type} {
	a.t.Helper()${n ? "\n\tn := next()" : ""}
	now := time.Now().UTC().Round(time.Microsecond)
	record := store.${names.type}{
${tabs(align(values).join("\n"), 2)}
	}
	if change != nil {
		change(&record)
	}
${afterwards.length > 0 ? `${tabs(afterwards.join("\n"))}\n` : ""}	stored, err := a.stores.${names.field}.Insert(context.Background(), record)
	if err != nil {
		a.t.Fatalf("seeding a ${entity.name}: %v", err)
	}
	return stored
}`;
}
