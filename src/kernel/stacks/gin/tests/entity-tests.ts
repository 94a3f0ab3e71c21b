/**
 * `internal/api/<route>_test.go`: for every operation of an entity, success, validation failure, not
 * found and auth refusal, plus the checks of the overlay rules the entity is subject to.
 */
import type { ApiPlan, EntityPlan, PlannedField, PlannedOperation } from "../../../generate/plan-schema.js";
import type { Features } from "../../shared/features.js";
import { orderedValues } from "../../shared/ordered-pair.js";
import { distinctiveSample, SAMPLE_CARD, sampleDecimal, updateProbeOf } from "../../shared/sample-values.js";
import { callable, OUTSIDER_ROLE, roleFor } from "../../shared/test-access.js";
import { inputFields } from "../../shared/test-inputs.js";
import { erasedGo, ginPath, handlerName } from "../entity/handlers.js";
import { entityNamed, type GoProperty, goNamesOf, goProperties, propertyOf } from "../entity/names.js";
import { goString, importBlock, lines, tabs } from "../go.js";
import type { Markers } from "../markers.js";
import { inputName, seedName } from "./helpers.js";
import { renderSample, sampleInput, wrongInput } from "./samples.js";

interface Ctx {
  readonly plan: ApiPlan;
  readonly entity: EntityPlan;
  readonly features: Features;
  readonly markers: Markers;
}

/**
 * `a.call("POST", path, body, asRole("admin"), withHeader("Idempotency-Key", store.NewID()))`, or,
 * for an operation no role may call, `a.callUnguarded(a.server.handleX, pattern, …)`.
 */
function call(
  ctx: Ctx,
  op: PlannedOperation,
  path: string,
  body = "nil",
  options: { readonly key?: string | null } = {},
): string {
  if (!callable(ctx.plan, op)) {
    return `a.callUnguarded(a.server.${handlerName(op)}, ${goString(ginPath(op))}, ${goString(op.method)}, ${path}, ${body})`;
  }
  const extra: string[] = [];
  const role = roleFor(ctx.plan, op);
  if (role !== null) extra.push(`asRole(${goString(role)})`);
  if (op.idempotent && options.key !== null) {
    extra.push(`withHeader("Idempotency-Key", ${options.key ?? "store.NewID()"})`);
  }
  return `a.call(${goString(op.method)}, ${path}, ${body}${extra.map((option) => `, ${option}`).join("")})`;
}

/** A Go expression for the operation's path with `{id}` replaced by the expression `id`. */
function idPath(op: PlannedOperation, id: string): string {
  const [before = "", after = ""] = op.path.split("{id}");
  // Without spaces: gofmt's layout of a binary expression among several call arguments.
  return `${goString(before)}+${id}${after === "" ? "" : `+${goString(after)}`}`;
}

function subtest(name: string, body: string, marker = "", withApp = true): string {
  return lines(
    marker,
    `t.Run(${goString(name)}, func(t *testing.T) {`,
    tabs(lines(withApp && "a := newTestApp(t)", body)),
    "})",
  );
}

function fatalIf(condition: string, format: string, ...args: string[]): string {
  return `if ${condition} {\n\tt.Fatalf(${goString(format)}${args.map((arg) => `, ${arg}`).join("")})\n}`;
}

/**
 * A seed call whose change is a closure, always written over several lines: gofmt keeps a
 * one-line closure only when it is short, which depends on names.
 */
function seedWith(
  prefix: string,
  seed: string,
  type: string,
  assignment: string,
  variable = "record",
): string {
  return `${prefix}${seed}(a, func(${variable} *store.${type}) {\n\t${assignment}\n})`;
}

function field(entity: EntityPlan, name: string): PlannedField | undefined {
  return entity.fields.find((candidate) => candidate.name === name);
}

/** A record value (Go) and its text in a query string, for filters and sorts. */
interface Value {
  readonly record: string;
  readonly query: string;
}

/** The shared pair of ordered values (`orderedValues`) as Go record values and query text. */
function orderedPair(property: GoProperty): [Value, Value] | null {
  const values = property.field === null ? null : orderedValues(property.field);
  if (values === null) return null;
  const wrap = (value: string) => (property.pointer ? `ptr(${value})` : value);
  const value = (record: string, query: string): Value => ({ record: wrap(record), query });
  switch (values.kind) {
    case "text":
      return [value(goString(values.low), values.low), value(goString(values.high), values.high)];
    case "boolean":
      return [value("false", "false"), value("true", "true")];
    case "number": {
      const cast = values.integer ? "int64" : "float64";
      return [
        value(`${cast}(${values.low})`, String(values.low)),
        value(`${cast}(${values.high})`, String(values.high)),
      ];
    }
    case "datetime":
      return [goInstant(values.low), goInstant(values.high)].map(([record, query]) =>
        value(record, query),
      ) as [Value, Value];
  }
}

/** "2024-01-15T10:30:00.000Z" as a Go `time.Date` in UTC and as query text without milliseconds. */
function goInstant(iso: string): [string, string] {
  const t = new Date(iso);
  const record = `time.Date(${t.getUTCFullYear()}, ${t.getUTCMonth() + 1}, ${t.getUTCDate()}, ${t.getUTCHours()}, ${t.getUTCMinutes()}, ${t.getUTCSeconds()}, 0, time.UTC)`;
  return [record, iso.replace(/\.\d{3}Z$/, "Z")];
}

/** A new valid JSON value for an update test, with its field; undefined when no field qualifies. */
/** A new valid value for an update test, with the field; undefined when no field qualifies. */
function updateProbe(entity: EntityPlan): { field: PlannedField; value: string } | undefined {
  const probe = updateProbeOf(entity);
  if (probe === undefined) return undefined;
  const value =
    probe.change === null
      ? sampleInput(probe.field).replaceAll(/\bn\b/g, "int64(1)")
      : renderSample(probe.change);
  return { field: probe.field, value };
}

export function entityTestGo(ctx: Ctx, modulePath: string): string {
  const { plan, entity } = ctx;
  const names = goNamesOf(entity);
  const ops = plan.operations.filter((op) => op.entity === entity.name);
  const functions: string[] = [];
  for (const op of ops) {
    const tests = operationTests(ctx, op);
    if (tests.length === 0) continue;
    functions.push(
      `func Test${op.id.charAt(0).toUpperCase()}${op.id.slice(1)}(t *testing.T) {\n${tabs(tests.join("\n\n"))}\n}`,
    );
  }
  const storage = storageTests(ctx);
  if (storage.length > 0) {
    functions.push(`func Test${names.type}Storage(t *testing.T) {\n${tabs(storage.join("\n\n"))}\n}`);
  }
  const access = accessTests(ctx, ops);
  if (access.length > 0) {
    functions.push(`func Test${names.type}Access(t *testing.T) {\n${tabs(access.join("\n\n"))}\n}`);
  }
  const body = functions.join("\n\n");
  const imports = [
    ...(body.includes("context.") ? ["context"] : []),
    ...(body.includes("errors.") ? ["errors"] : []),
    ...(body.includes("json.") ? ["encoding/json"] : []),
    ...(body.includes("fmt.") ? ["fmt"] : []),
    ...(body.includes("http.") ? ["net/http"] : []),
    ...(body.includes("url.") ? ["net/url"] : []),
    ...(body.includes("regexp.") ? ["regexp"] : []),
    ...(body.includes("strings.") ? ["strings"] : []),
    "testing",
    ...(body.includes("time.") ? ["time"] : []),
    ...(body.includes("store.") ? [`${modulePath}/internal/store`] : []),
  ];
  return `package api

${importBlock(modulePath, imports)}

// ${entity.plural}: every endpoint's success, validation failure, not found${plan.auth.kind === "none" ? "" : " and auth refusal"}.
// The tests run in memory, or on PostgreSQL when DATABASE_URL is set.

${body}
`;
}

function operationTests(ctx: Ctx, op: PlannedOperation): string[] {
  switch (op.kind) {
    case "create":
      return createTests(ctx, op);
    case "get":
      return getTests(ctx, op);
    case "list":
      return listTests(ctx, op);
    case "search":
      return searchTests(ctx, op);
    case "update":
      return updateTests(ctx, op);
    case "delete":
      return deleteTests(ctx, op);
    case "action":
      return actionTests(ctx, op);
    case "export":
      return exportTests(ctx, op);
    case "erase":
      return eraseTests(ctx, op);
  }
}

function notFoundTest(ctx: Ctx, op: PlannedOperation, body = "nil"): string {
  return subtest(
    "answers 404 for an unknown id",
    lines(
      `res := ${call(ctx, op, idPath(op, "store.NewID()"), body)}.expect(http.StatusNotFound)`,
      fatalIf('res.errorCode() != "not_found"', "error %q", "res.errorCode()"),
    ),
  );
}

function badIdTest(ctx: Ctx, op: PlannedOperation): string {
  return subtest(
    "answers 400 for an id that is not a UUID",
    `${call(ctx, op, goString(op.path.replace("{id}", "not-a-uuid")))}.expect(http.StatusBadRequest).expectDetail("id", "must be a UUID")`,
  );
}

function createTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity, markers } = ctx;
  const input = inputName(entity);
  const path = goString(`/${entity.route}`);
  const comparable = inputFields(ctx.plan, entity).filter((f) => f.output);
  const tests: string[] = [];
  tests.push(
    subtest(
      `creates a ${entity.name}: 201 with the record and its Location`,
      lines(
        `input := ${input}(a, nil)`,
        `res := ${call(ctx, op, path, "input")}.expect(http.StatusCreated)`,
        "created := res.object()",
        fatalIf(
          `res.header.Get("Location") != ${goString(`/${entity.route}/`)}+fmt.Sprint(created["id"])`,
          "Location %q",
          'res.header.Get("Location")',
        ),
        comparable.length > 0 &&
          `for _, name := range []string{${comparable.map((f) => goString(f.name)).join(", ")}} {\n${tabs(fatalIf("!sameJSON(created[name], input[name])", "%s: got %v, want %v", "name", "created[name]", "input[name]"))}\n}`,
      ),
    ),
  );
  const required = entity.fields.find((f) => f.create === "required");
  const first = entity.fields.find((f) => f.create !== "forbidden");
  if (required !== undefined) {
    tests.push(
      subtest(
        `refuses a body without ${required.name}: 400 naming the field`,
        `${call(ctx, op, path, `${input}(a, map[string]any{${goString(required.name)}: omitted{}})`)}.expect(http.StatusBadRequest).expectDetail(${goString(required.name)}, "is required")`,
      ),
    );
  } else if (first !== undefined) {
    tests.push(
      subtest(
        `refuses an invalid ${first.name}: 400 naming the field`,
        `${call(ctx, op, path, `${input}(a, map[string]any{${goString(first.name)}: ${wrongInput(first.schema)}})`)}.expect(http.StatusBadRequest).expectDetail(${goString(first.name)}, "")`,
      ),
    );
  }
  tests.push(
    subtest(
      "refuses unknown fields: 400",
      `${call(ctx, op, path, `${input}(a, map[string]any{"notAField": 1})`)}.expect(http.StatusBadRequest).expectDetail("notAField", "is not a known field")`,
    ),
  );

  const money = entity.fields.find((f) => f.schema.format === "decimal" && f.create !== "forbidden");
  if (money !== undefined) {
    const scale = sampleDecimal(money.schema).split(".")[1]?.length ?? 0;
    const expected = scale === 0 ? "7" : `7.${"5".padEnd(scale, "0")}`;
    const tooPrecise = `7.${"1".repeat(scale + 1)}`;
    tests.push(
      subtest(
        `keeps ${money.name} as an exact decimal string at the column's scale`,
        lines(
          `created := ${call(ctx, op, path, `${input}(a, map[string]any{${goString(money.name)}: ${goString(scale === 0 ? "7" : "7.5")}})`)}.expect(http.StatusCreated).object()`,
          fatalIf(
            `created[${goString(money.name)}] != ${goString(expected)}`,
            `${money.name} %v`,
            `created[${goString(money.name)}]`,
          ),
          `${call(ctx, op, path, `${input}(a, map[string]any{${goString(money.name)}: ${goString(tooPrecise)}})`)}.expect(http.StatusBadRequest).expectDetail(${goString(money.name)}, "")`,
        ),
        markers.test("decimal-money"),
      ),
    );
  }

  const card = entity.card;
  if (card !== null) {
    tests.push(
      subtest(
        "never stores or returns the card number: a token and the last four digits only",
        lines(
          `created := ${call(ctx, op, path, `${input}(a, map[string]any{${goString(card.inputField)}: ${goString(SAMPLE_CARD)}})`)}.expect(http.StatusCreated).object()`,
          `if _, present := created[${goString(card.inputField)}]; present {\n\tt.Fatal("the response carries the card number")\n}`,
          card.last4Field !== null &&
            fatalIf(
              `created[${goString(card.last4Field)}] != ${goString(SAMPLE_CARD.slice(-4))}`,
              "last four %v",
              `created[${goString(card.last4Field)}]`,
            ),
          `row := a.rawRow(${goString(entity.table)}, fmt.Sprint(created["id"]))`,
          fatalIf(
            `strings.Contains(fmt.Sprint(row), ${goString(SAMPLE_CARD)})`,
            "the card number is stored: %v",
            "row",
          ),
          `if token, _ := row[${goString(card.tokenColumn)}].(string); !regexp.MustCompile(\`^[0-9a-f]{64}$\`).MatchString(token) {\n\tt.Fatalf("token %q", token)\n}`,
        ),
        markers.test("tokenize-card-data", "mask-in-logs"),
      ),
      subtest(
        "refuses a card number that fails the Luhn check: 400",
        `${call(ctx, op, path, `${input}(a, map[string]any{${goString(card.inputField)}: "4242424242424241"})`)}.expect(http.StatusBadRequest).expectDetail(${goString(card.inputField)}, "is not a valid card number")`,
      ),
    );
  }

  const given = entity.fields.find((f) => f.role === "consent-given-at");
  if (entity.consentFields.length > 0 && given !== undefined) {
    const consent = entity.consentFields[0] as string;
    tests.push(
      subtest(
        "records when consent is given, and that it was not",
        lines(
          `given := ${call(ctx, op, path, `${input}(a, map[string]any{${goString(consent)}: true})`)}.expect(http.StatusCreated).object()`,
          fatalIf(
            `given[${goString(consent)}] != true || given[${goString(given.name)}] == nil`,
            "consent given: %v",
            "given",
          ),
          `withheld := ${call(ctx, op, path, `${input}(a, nil)`)}.expect(http.StatusCreated).object()`,
          fatalIf(
            `withheld[${goString(consent)}] == true || withheld[${goString(given.name)}] != nil`,
            "consent withheld: %v",
            "withheld",
          ),
        ),
        markers.test("consent-fields"),
      ),
    );
  }

  if (op.idempotent && callable(ctx.plan, op)) {
    const varying = inputFields(ctx.plan, entity)
      .map((f) => ({ f, property: propertyOf(entity, f.name) }))
      .map(({ f, property }) => ({ f, pair: property === undefined ? null : orderedPair(property) }))
      .find((candidate) => candidate.pair !== null && candidate.f.schema.format !== "date-time");
    const marker = markers.test("idempotency-keys");
    tests.push(
      subtest(
        "requires an Idempotency-Key: 400",
        `${call(ctx, op, path, `${input}(a, nil)`, { key: null })}.expect(http.StatusBadRequest).expectDetail("Idempotency-Key", "")`,
        marker,
      ),
      subtest(
        "replays the first response for a repeated Idempotency-Key, creating nothing new",
        lines(
          `input := ${input}(a, nil)`,
          "key := store.NewID()",
          `first := ${call(ctx, op, path, "input", { key: "key" })}.expect(http.StatusCreated)`,
          `again := ${call(ctx, op, path, "input", { key: "key" })}.expect(http.StatusCreated)`,
          fatalIf(
            "!sameJSON(first.object(), again.object())",
            "replayed %s, first %s",
            "again.body",
            "first.body",
          ),
          fatalIf('again.header.Get("Idempotent-Replayed") != "true"', "not marked as replayed"),
          fatalIf(
            `a.countRows(${goString(entity.table)}) != 1`,
            "%d rows",
            `a.countRows(${goString(entity.table)})`,
          ),
        ),
        marker,
      ),
    );
    if (varying?.pair != null) {
      const [low, high] = varying.pair;
      const jsonValue = (value: Value) => queryJson(varying.f, value.query);
      tests.push(
        subtest(
          "refuses the same Idempotency-Key with a different body: 409",
          lines(
            "key := store.NewID()",
            `${call(ctx, op, path, `${input}(a, map[string]any{${goString(varying.f.name)}: ${jsonValue(low)}})`, { key: "key" })}.expect(http.StatusCreated)`,
            `res := ${call(ctx, op, path, `${input}(a, map[string]any{${goString(varying.f.name)}: ${jsonValue(high)}})`, { key: "key" })}.expect(http.StatusConflict)`,
            fatalIf('res.errorCode() != "conflict"', "error %q", "res.errorCode()"),
          ),
          marker,
        ),
      );
    }
  }
  return tests;
}

/** The JSON value (Go) of a field whose query text is `text`. */
function queryJson(f: PlannedField, text: string): string {
  switch (f.schema.type) {
    case "integer":
    case "number":
    case "boolean":
      return text;
    default:
      return goString(text);
  }
}

function getTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity } = ctx;
  const seed = seedName(entity);
  const tests = [
    subtest(
      `returns the ${entity.name}: 200`,
      lines(
        `record := ${seed}(a, nil)`,
        `got := ${call(ctx, op, idPath(op, "record.ID"))}.expect(http.StatusOK).object()`,
        fatalIf("!sameJSON(got, record)", "got %v, want %+v", "got", "record"),
      ),
    ),
    notFoundTest(ctx, op),
    badIdTest(ctx, op),
  ];
  if (entity.audit.enabled && ctx.features.audit) {
    const distinctive = goProperties(entity).find(
      (property) =>
        property.field !== null &&
        entity.audit.fields.includes(property.field.name) &&
        distinctiveSample(property.field),
    );
    tests.push(
      subtest(
        "writes an audit entry for the read, naming fields but never their values",
        lines(
          `record := ${seed}(a, nil)`,
          `${call(ctx, op, idPath(op, "record.ID"))}.expect(http.StatusOK)`,
          "found := false",
          "for _, event := range a.auditEntries() {",
          `\tif event.Action == "read" && event.Entity == ${goString(entity.name)} && event.EntityID == record.ID {`,
          "\t\tfound = true",
          "\t}",
          "}",
          fatalIf("!found", "no audit entry for the read: %+v", "a.auditEntries()"),
          distinctive !== undefined &&
            fatalIf(
              `strings.Contains(fmt.Sprint(a.auditEntries()), ${distinctive.pointer ? `textOf(record.${distinctive.name})` : `record.${distinctive.name}`})`,
              "the audit log holds a value",
            ),
        ),
        ctx.markers.test("audit-log"),
      ),
    );
  }
  return tests;
}

function listTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity } = ctx;
  const seed = seedName(entity);
  const base = `/${entity.route}`;
  const names = goNamesOf(entity);
  const tests = [
    subtest(
      "lists a page: 200 with items, page, pageSize and total",
      lines(
        "for i := 0; i < 3; i++ {",
        `\t${seed}(a, nil)`,
        "}",
        `res := ${call(ctx, op, goString(`${base}?page=2&pageSize=2`))}.expect(http.StatusOK)`,
        "body := res.object()",
        fatalIf(
          'body["page"] != float64(2) || body["pageSize"] != float64(2) || body["total"] != float64(3) || len(res.ids()) != 1',
          "page: %s",
          "res.body",
        ),
      ),
    ),
    subtest(
      "refuses a pageSize out of range: 400",
      `${call(ctx, op, goString(`${base}?pageSize=0`))}.expect(http.StatusBadRequest).expectDetail("pageSize", "")`,
    ),
  ];
  const candidates = (list: readonly string[]) =>
    list
      .map((name) => propertyOf(entity, name))
      .map((property) => ({ property, pair: property === undefined ? null : orderedPair(property) }))
      .find(
        (candidate): candidate is { property: GoProperty; pair: [Value, Value] } => candidate.pair !== null,
      );
  const filter = candidates(op.filterBy);
  if (filter !== undefined) {
    const [low, high] = filter.pair;
    const name = filter.property.field?.name ?? "";
    tests.push(
      subtest(
        `filters on ${name} (exact match)`,
        lines(
          seedWith("wanted := ", seed, names.type, `record.${filter.property.name} = ${low.record}`),
          seedWith("", seed, names.type, `record.${filter.property.name} = ${high.record}`),
          `ids := ${call(ctx, op, `${goString(`${base}?${name}=`)}+url.QueryEscape(${goString(low.query)})`)}.expect(http.StatusOK).ids()`,
          fatalIf("len(ids) != 1 || ids[0] != wanted.ID", "got %v, want [%s]", "ids", "wanted.ID"),
        ),
      ),
    );
  }
  const sort = candidates(op.sortBy.filter((name) => name !== "createdAt"));
  if (sort !== undefined) {
    const [low, high] = sort.pair;
    const name = sort.property.field?.name ?? "";
    tests.push(
      subtest(
        `sorts by ${name}, ascending and descending`,
        lines(
          seedWith("first := ", seed, names.type, `record.${sort.property.name} = ${low.record}`),
          seedWith("last := ", seed, names.type, `record.${sort.property.name} = ${high.record}`),
          `ascending := ${call(ctx, op, goString(`${base}?sort=${name}`))}.expect(http.StatusOK).ids()`,
          fatalIf(
            "len(ascending) != 2 || ascending[0] != first.ID || ascending[1] != last.ID",
            "ascending: %v",
            "ascending",
          ),
          `descending := ${call(ctx, op, goString(`${base}?sort=-${name}`))}.expect(http.StatusOK).ids()`,
          fatalIf(
            "len(descending) != 2 || descending[0] != last.ID || descending[1] != first.ID",
            "descending: %v",
            "descending",
          ),
        ),
      ),
    );
  }
  return tests;
}

function searchTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity } = ctx;
  const seed = seedName(entity);
  const names = goNamesOf(entity);
  const tests = [
    subtest(
      "requires q: 400",
      `${call(ctx, op, goString(op.path))}.expect(http.StatusBadRequest).expectDetail("q", "is required")`,
    ),
  ];
  const target = op.searchBy
    .map((name) => propertyOf(entity, name))
    .find(
      (property) =>
        property !== undefined &&
        property.field !== null &&
        property.field.schema.pattern === null &&
        (property.field.schema.maxLength ?? 255) >= 20,
    );
  if (target !== undefined) {
    const value = target.pointer ? 'ptr("A needle in a haystack")' : '"A needle in a haystack"';
    tests.push(
      subtest(
        `finds records whose ${target.field?.name} contains the text, ignoring case`,
        lines(
          seedWith("hit := ", seed, names.type, `record.${target.name} = ${value}`),
          `${seed}(a, nil)`,
          `ids := ${call(ctx, op, goString(`${op.path}?q=NEEDLE`))}.expect(http.StatusOK).ids()`,
          fatalIf("len(ids) != 1 || ids[0] != hit.ID", "got %v, want [%s]", "ids", "hit.ID"),
        ),
      ),
      subtest(
        "treats % and _ in the text literally",
        lines(
          seedWith("", seed, names.type, `record.${target.name} = ${value}`),
          `ids := ${call(ctx, op, goString(`${op.path}?q=${encodeURIComponent("n%e")}`))}.expect(http.StatusOK).ids()`,
          fatalIf("len(ids) != 0", "got %v, want none", "ids"),
        ),
      ),
    );
  }
  return tests;
}

function updateTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity } = ctx;
  const seed = seedName(entity);
  const probe = updateProbe(entity);
  if (probe === undefined) return [];
  const body = `map[string]any{${goString(probe.field.name)}: ${probe.value}}`;
  const tests = [
    subtest(
      "updates the given fields: 200 with the record",
      lines(
        `record := ${seed}(a, nil)`,
        `updated := ${call(ctx, op, idPath(op, "record.ID"), body)}.expect(http.StatusOK).object()`,
        fatalIf(
          `updated["id"] != record.ID || !sameJSON(updated[${goString(probe.field.name)}], ${probe.value})`,
          "updated: %v",
          "updated",
        ),
      ),
    ),
    notFoundTest(ctx, op, body),
    subtest(
      "refuses an empty change: 400",
      lines(
        `record := ${seed}(a, nil)`,
        `res := ${call(ctx, op, idPath(op, "record.ID"), "map[string]any{}")}.expect(http.StatusBadRequest)`,
        fatalIf('res.errorCode() != "validation_failed"', "error %q", "res.errorCode()"),
      ),
    ),
  ];
  const invalid = entity.fields.find((f) => f.update && f.role !== "card-number");
  if (invalid !== undefined) {
    tests.push(
      subtest(
        `refuses an invalid ${invalid.name}: 400 naming the field`,
        lines(
          `record := ${seed}(a, nil)`,
          `${call(ctx, op, idPath(op, "record.ID"), `map[string]any{${goString(invalid.name)}: ${wrongInput(invalid.schema)}}`)}.expect(http.StatusBadRequest).expectDetail(${goString(invalid.name)}, "")`,
        ),
      ),
    );
  }
  return tests;
}

function deleteTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity, markers } = ctx;
  const names = goNamesOf(entity);
  const seed = seedName(entity);
  const tests = [
    subtest(
      `deletes the ${entity.name}: 204, and it is gone`,
      lines(
        `record := ${seed}(a, nil)`,
        `${call(ctx, op, idPath(op, "record.ID"))}.expect(http.StatusNoContent)`,
        `if _, err := a.stores.${names.field}.FindByID(context.Background(), record.ID); !errors.Is(err, store.ErrNotFound) {\n\tt.Fatalf("still found: %v", err)\n}`,
      ),
    ),
    notFoundTest(ctx, op),
  ];
  if (entity.softDelete) {
    tests.push(
      subtest(
        "keeps the row, marked deleted (soft delete)",
        lines(
          `record := ${seed}(a, nil)`,
          `${call(ctx, op, idPath(op, "record.ID"))}.expect(http.StatusNoContent)`,
          `row := a.rawRow(${goString(entity.table)}, record.ID)`,
          fatalIf('row == nil || row["deleted_at"] == nil', "row: %v", "row"),
        ),
        markers.test("soft-delete"),
      ),
    );
  }
  return tests;
}

function actionTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity } = ctx;
  const seed = seedName(entity);
  const names = goNamesOf(entity);
  const path = idPath(op, "record.ID");
  const transition = op.transition;
  const target = transition === null ? undefined : propertyOf(entity, transition.field);
  if (transition === null || target === undefined) {
    return [
      subtest(
        `${op.verb}: 200 with the record`,
        lines(
          `record := ${seed}(a, nil)`,
          `got := ${call(ctx, op, path)}.expect(http.StatusOK).object()`,
          fatalIf('got["id"] != record.ID', "got %v", "got"),
        ),
      ),
      notFoundTest(ctx, op),
    ];
  }
  const set = (value: string) =>
    `func(record *store.${names.type}) {\n\trecord.${target.name} = ${target.pointer ? `ptr(${goString(value)})` : goString(value)}\n}`;
  const from = transition.from[0];
  const initial = from === undefined ? "nil" : set(from);
  const tests = [
    subtest(
      `${op.verb}: moves ${transition.field} ${from === undefined ? "" : `from ${from} `}to ${transition.to}: 200`,
      lines(
        `record := ${seed}(a, ${initial})`,
        `got := ${call(ctx, op, path)}.expect(http.StatusOK).object()`,
        fatalIf(`got[${goString(transition.field)}] != ${goString(transition.to)}`, "got %v", "got"),
      ),
    ),
  ];
  const blocked = field(entity, transition.field)?.schema.enum?.find(
    (value) => !transition.from.includes(value),
  );
  if (transition.from.length > 0 && blocked !== undefined) {
    tests.push(
      subtest(
        `${op.verb}: 409 when ${transition.field} is ${blocked}`,
        lines(
          `record := ${seed}(a, ${set(blocked)})`,
          `res := ${call(ctx, op, path)}.expect(http.StatusConflict)`,
          fatalIf('res.errorCode() != "conflict"', "error %q", "res.errorCode()"),
        ),
      ),
    );
  }
  tests.push(notFoundTest(ctx, op));
  if (op.idempotent && callable(ctx.plan, op)) {
    tests.push(
      subtest(
        `${op.verb}: replays the first response for a repeated Idempotency-Key`,
        lines(
          `record := ${seed}(a, ${initial})`,
          "key := store.NewID()",
          `first := ${call(ctx, op, path, "nil", { key: "key" })}.expect(http.StatusOK)`,
          `again := ${call(ctx, op, path, "nil", { key: "key" })}.expect(http.StatusOK)`,
          fatalIf(
            "!sameJSON(first.object(), again.object())",
            "replayed %s, first %s",
            "again.body",
            "first.body",
          ),
          fatalIf('again.header.Get("Idempotent-Replayed") != "true"', "not marked as replayed"),
        ),
        ctx.markers.test("idempotency-keys"),
      ),
    );
  }
  return tests;
}

function exportTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity, plan, markers } = ctx;
  const seed = seedName(entity);
  const child = entity.children
    .map((c) => ({ c, e: entityNamed(plan, c.entity) }))
    .find((candidate) => candidate.e !== undefined);
  if (child?.e !== undefined) {
    const childNames = goNamesOf(child.e);
    const reference = propertyOf(child.e, child.c.foreignKey);
    const assign = reference?.pointer === true ? "ptr(record.ID)" : "record.ID";
    return [
      subtest(
        `exports the ${entity.name} with what it owns: 200`,
        lines(
          `record := ${seed}(a, nil)`,
          seedWith(
            "owned := ",
            seedName(child.e),
            childNames.type,
            `child.${reference?.name ?? "ID"} = ${assign}`,
            "child",
          ),
          `body := ${call(ctx, op, idPath(op, "record.ID"))}.expect(http.StatusOK).object()`,
          'data, _ := body["data"].(map[string]any)',
          'children, _ := body["children"].(map[string]any)',
          `items, _ := children[${goString(child.c.key)}].([]any)`,
          fatalIf(
            `data["id"] != record.ID || len(items) != 1 || items[0].(map[string]any)["id"] != owned.ID`,
            "export: %v",
            "body",
          ),
        ),
        markers.test("data-export"),
      ),
      notFoundTest(ctx, op),
    ];
  }
  return [
    subtest(
      `exports the ${entity.name}'s data: 200`,
      lines(
        `record := ${seed}(a, nil)`,
        `body := ${call(ctx, op, idPath(op, "record.ID"))}.expect(http.StatusOK).object()`,
        'data, _ := body["data"].(map[string]any)',
        fatalIf(
          'data["id"] != record.ID || !sameJSON(body["children"], map[string]any{})',
          "export: %v",
          "body",
        ),
      ),
      markers.test("data-export"),
    ),
    notFoundTest(ctx, op),
  ];
}

function eraseTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity, markers, features } = ctx;
  const names = goNamesOf(entity);
  const seed = seedName(entity);
  const checks = goProperties(entity).flatMap((property) => {
    const value = erasedGo(property);
    return value === null
      ? []
      : [
          fatalIf(
            `!sameJSON(after.${property.name}, ${value.replace(/^id \+ /, "id+")})`,
            `${property.name}: %v`,
            `after.${property.name}`,
          ),
        ];
  });
  const audited = entity.audit.enabled && features.audit;
  return [
    subtest(
      "erases the personal data and keeps the record: 204",
      lines(
        `record := ${seed}(a, nil)`,
        "id := record.ID",
        `${call(ctx, op, idPath(op, "id"))}.expect(http.StatusNoContent)`,
        `after, err := a.stores.${names.field}.FindByID(context.Background(), id)`,
        "if err != nil {\n\tt.Fatal(err)\n}",
        ...checks,
        audited &&
          lines(
            "erased := false",
            "for _, event := range a.auditEntries() {",
            '\terased = erased || (event.Action == "erase" && event.EntityID == id)',
            "}",
            fatalIf("!erased", "no audit entry for the erasure"),
          ),
      ),
      markers.test("data-erasure"),
    ),
    notFoundTest(ctx, op),
  ];
}

function storageTests(ctx: Ctx): string[] {
  const { entity, markers } = ctx;
  const names = goNamesOf(entity);
  const tests: string[] = [];
  const encrypted = goProperties(entity).filter((property) => property.encrypted);
  if (encrypted.length > 0) {
    const checks = encrypted.map((property) =>
      lines(
        `if value, _ := row[${goString(property.column)}].(string); !sealed.MatchString(value) {\n\tt.Fatalf("${property.column} is stored as %q", value)\n}`,
        property.field !== null &&
          distinctiveSample(property.field) &&
          fatalIf(
            `strings.Contains(fmt.Sprint(row), ${property.pointer ? `textOf(record.${property.name})` : `record.${property.name}`})`,
            `${property.column} is stored in clear`,
          ),
      ),
    );
    tests.push(
      subtest(
        `stores ${encrypted.map((property) => property.field?.name ?? property.column).join(", ")} encrypted (AES-256-GCM) and reads them back`,
        lines(
          `record := ${seedName(entity)}(a, nil)`,
          `row := a.rawRow(${goString(entity.table)}, record.ID)`,
          "sealed := regexp.MustCompile(`^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$`)",
          ...checks,
          `again, err := a.stores.${names.field}.FindByID(context.Background(), record.ID)`,
          fatalIf(
            "err != nil || !sameJSON(again, record)",
            "read back %+v (%v), want %+v",
            "again",
            "err",
            "record",
          ),
        ),
        markers.test("encrypt-fields", "mark-sensitive"),
      ),
    );
  }
  return tests;
}

function accessTests(ctx: Ctx, ops: readonly PlannedOperation[]): string[] {
  const guarded = ops.filter((op) => op.auth.required);
  if (guarded.length === 0) return [];
  const sampleId = "00000000-0000-4000-8000-000000000000";
  const table = (list: readonly PlannedOperation[]) =>
    list.map((op) => `{${goString(op.method)}, ${goString(op.path.replace("{id}", sampleId))}},`).join("\n");
  const tests = [
    subtest(
      "refuses requests without credentials: 401",
      lines(
        `for _, route := range [][2]string{\n${tabs(table(guarded))}\n} {`,
        "\tres := a.call(route[0], route[1], nil)",
        tabs(
          fatalIf(
            'res.status != http.StatusUnauthorized || res.errorCode() != "unauthorized"',
            "%s %s: %d %s",
            "route[0]",
            "route[1]",
            "res.status",
            "res.body",
          ),
        ),
        "}",
      ),
      ctx.markers.test("require-auth"),
    ),
  ];
  const restricted = guarded.filter((op) => !op.auth.anyRole);
  if (restricted.length > 0) {
    tests.push(
      subtest(
        "refuses a role that may not: 403",
        lines(
          `for _, route := range [][2]string{\n${tabs(table(restricted))}\n} {`,
          `\tres := a.call(route[0], route[1], nil, asRole(${goString(OUTSIDER_ROLE)}))`,
          tabs(
            fatalIf(
              'res.status != http.StatusForbidden || res.errorCode() != "forbidden"',
              "%s %s: %d %s",
              "route[0]",
              "route[1]",
              "res.status",
              "res.body",
            ),
          ),
          "}",
        ),
      ),
    );
  }
  return tests;
}
