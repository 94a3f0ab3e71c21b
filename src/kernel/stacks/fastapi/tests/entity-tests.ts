/**
 * `tests/test_<module>.py`: for every operation of an entity, success, validation failure, not
 * found and auth refusal, plus the checks of the overlay rules the entity is subject to.
 */
import type { ApiPlan, EntityPlan, PlannedField, PlannedOperation } from "../../../generate/plan-schema.js";
import type { Features } from "../../shared/features.js";
import { type Literals, orderedPair } from "../../shared/ordered-pair.js";
import { distinctiveSample, SAMPLE_CARD, sampleDecimal, updateProbeOf } from "../../shared/sample-values.js";
import { grantedToNoRole, OUTSIDER_ROLE, roleFor } from "../../shared/test-access.js";
import { inputFields } from "../../shared/test-inputs.js";
import type { Markers } from "../markers.js";
import { namesOf } from "../names.js";
import { indent, lines, pyLiteral, pyStr, snake } from "../py.js";
import { erasedValue, renderSample, sampleValue, wrongValue } from "./values.js";

interface Ctx {
  readonly plan: ApiPlan;
  readonly entity: EntityPlan;
  readonly features: Features;
  readonly markers: Markers;
  /** Names the file uses, for its imports. */
  readonly uses: Set<string>;
}

/** `t.client.post("/x", json=body, headers={**auth_as("admin"), "Idempotency-Key": …})` */
function call(
  ctx: Ctx,
  op: PlannedOperation,
  path: string,
  options: { json?: string; idempotencyKey?: string | null } = {},
): string {
  const args = [path];
  if (options.json !== undefined) args.push(`json=${options.json}`);
  const headers: string[] = [];
  const role = roleFor(ctx.plan, op);
  if (role !== null) {
    ctx.uses.add("auth_as");
    headers.push(`**auth_as(${pyStr(role)})`);
  }
  if (op.idempotent && options.idempotencyKey !== null) {
    const key = options.idempotencyKey ?? "str(uuid.uuid4())";
    if (key.includes("uuid.uuid4()")) ctx.uses.add("uuid");
    headers.push(`"Idempotency-Key": ${key}`);
  }
  if (headers.length > 0) args.push(`headers={${headers.join(", ")}}`);
  return `t.client.${op.method.toLowerCase()}(${args.join(", ")})`;
}

function idPath(op: PlannedOperation, id: string): string {
  return `f"${op.path.replace("{id}", `{${id}}`)}"`;
}

function field(entity: EntityPlan, name: string): PlannedField | undefined {
  return entity.fields.find((candidate) => candidate.name === name);
}

/** `assert res.status_code == 201, res.text` */
function status(code: number, response = "res"): string {
  return `assert ${response}.status_code == ${code}, ${response}.text`;
}

/** Strings and booleans as this stack's tests write them. */
const LITERALS: Literals = { str: pyStr, true: "True", false: "False" };

/** The query-string text of a Python value for filter tests. */
function queryText(value: string): string {
  if (value === "True") return '"true"';
  if (value === "False") return '"false"';
  return value.startsWith('"') ? value : `"${value}"`;
}

/** A new valid value for an update test, with the field; undefined when no field qualifies. */
function updateProbe(entity: EntityPlan): { field: PlannedField; value: string } | undefined {
  const probe = updateProbeOf(entity);
  if (probe === undefined) return undefined;
  return {
    field: probe.field,
    value: probe.change === null ? sampleValue(probe.field, "1") : renderSample(probe.change, "1"),
  };
}

/** A test function: the marker line (if any), `def test_…(self, t)` and its body. */
function test(name: string, body: string, marker = ""): string {
  return lines(marker, `def test_${name}(self, t: AppUnderTest) -> None:`, indent(body));
}

export function entityTestFile(
  plan: ApiPlan,
  entity: EntityPlan,
  features: Features,
  markers: Markers,
): string {
  const ctx: Ctx = { plan, entity, features, markers, uses: new Set() };
  const names = namesOf(entity);
  const ops = plan.operations.filter((op) => op.entity === entity.name);
  const classes: string[] = [];
  for (const op of ops) {
    const tests = operationTests(ctx, op);
    if (tests.length === 0) continue;
    const className = `Test${op.id.charAt(0).toUpperCase()}${op.id.slice(1)}`;
    // No role may call it: its behaviour is tested with its authorisation overridden (the
    // conftest's `unguarded` fixture); TestAccess checks over HTTP that every caller is refused.
    const unguarded = grantedToNoRole(op);
    if (unguarded) ctx.uses.add("pytest");
    const docstring = unguarded
      ? `${op.method} ${op.path}, which no role is granted: called with its authorisation overridden.`
      : `${op.method} ${op.path}`;
    classes.push(
      `${unguarded ? '@pytest.mark.usefixtures("unguarded")\n' : ""}class ${className}:\n    """${docstring}"""\n\n${indent(tests.join("\n\n"))}`,
    );
  }
  const storage = storageTests(ctx);
  if (storage.length > 0)
    classes.push(
      `class TestStorage:\n    """What lands in the database."""\n\n${indent(storage.join("\n\n"))}`,
    );
  const access = accessTests(ctx, ops);
  if (access.length > 0)
    classes.push(`class TestAccess:\n    """Who may call what."""\n\n${indent(access.join("\n\n"))}`);
  const body = classes.join("\n\n\n");
  const sampleImports = [...ctx.uses]
    .filter((name) => name.startsWith("seed_") || name.endsWith("_input") || name === "MISSING")
    .sort();
  const conftest = ["AppUnderTest", ...(ctx.uses.has("auth_as") ? ["auth_as"] : [])];
  return `"""
${entity.plural}: every endpoint's success, validation failure, not found${plan.auth.kind === "none" ? "" : " and auth refusal"}.
Runs in memory, or on PostgreSQL when DATABASE_URL is set.
"""
${lines(ctx.uses.has("re") && "import re", ctx.uses.has("uuid") && "import uuid", ctx.uses.has("pytest") && "\nimport pytest")}
${ctx.uses.has("to_api") ? `\nfrom app.models.${names.module} import to_api\n` : ""}
from conftest import ${conftest.sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())).join(", ")}
${sampleImports.length > 0 ? `from samples import ${sampleImports.join(", ")}\n` : ""}

${body}
`.replace(/\n{4,}/g, "\n\n\n");
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

function notFoundTest(ctx: Ctx, op: PlannedOperation, json?: string): string {
  ctx.uses.add("uuid");
  return test(
    "unknown_id_is_404",
    lines(
      `res = ${call(ctx, op, idPath(op, "uuid.uuid4()"), json === undefined ? {} : { json })}`,
      status(404),
      'assert res.json()["error"]["code"] == "not_found"',
    ),
  );
}

function badIdTest(ctx: Ctx, op: PlannedOperation): string {
  return test(
    "id_that_is_not_a_uuid_is_422",
    lines(
      `res = ${call(ctx, op, pyStr(op.path.replace("{id}", "not-a-uuid")))}`,
      status(422),
      'assert {"path": "id", "message": "must be a UUID"} in res.json()["error"]["details"]',
    ),
  );
}

function createTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity, markers } = ctx;
  const names = namesOf(entity);
  const input = names.input;
  ctx.uses.add(input);
  const path = pyStr(`/${entity.route}`);
  const comparable = inputFields(ctx.plan, entity).filter((f) => f.output);
  const tests: string[] = [];
  tests.push(
    test(
      "creates_201_with_location",
      lines(
        `body = ${input}(t)`,
        `res = ${call(ctx, op, path, { json: "body" })}`,
        status(201),
        `assert res.headers["location"] == f"/${entity.route}/{res.json()['id']}"`,
        ...comparable.map((f) => `assert res.json()[${pyStr(f.name)}] == body[${pyStr(f.name)}]`),
      ),
    ),
  );
  const required = entity.fields.find((f) => f.create === "required");
  const first = entity.fields.find((f) => f.create !== "forbidden");
  if (required !== undefined) {
    ctx.uses.add("MISSING");
    tests.push(
      test(
        `refuses_a_body_without_${snake(required.name)}`,
        lines(
          `res = ${call(ctx, op, path, { json: `${input}(t, {${pyStr(required.name)}: MISSING})` })}`,
          status(422),
          'assert res.json()["error"]["code"] == "validation_failed"',
          `assert {"path": ${pyStr(required.name)}, "message": "is required"} in res.json()["error"]["details"]`,
        ),
      ),
    );
  } else if (first !== undefined) {
    tests.push(
      test(
        `refuses_an_invalid_${snake(first.name)}`,
        lines(
          `res = ${call(ctx, op, path, { json: `${input}(t, {${pyStr(first.name)}: ${wrongValue(first.schema)}})` })}`,
          status(422),
          `assert ${pyStr(first.name)} in [d["path"] for d in res.json()["error"]["details"]]`,
        ),
      ),
    );
  }
  tests.push(
    test(
      "refuses_unknown_fields",
      lines(
        `res = ${call(ctx, op, path, { json: `${input}(t, {"notAField": 1})` })}`,
        status(422),
        'assert {"path": "notAField", "message": "is not a known field"} in res.json()["error"]["details"]',
      ),
    ),
  );
  const wrongType = entity.fields.find(
    (f) =>
      f.create !== "forbidden" && f.schema.type === "string" && f.schema.enum === null && f.role === "data",
  );
  if (wrongType !== undefined) {
    tests.push(
      test(
        `refuses_a_number_for_the_string_${snake(wrongType.name)}`,
        lines(
          '# Strict types: pydantic would otherwise turn 12345 into "12345".',
          `res = ${call(ctx, op, path, { json: `${input}(t, {${pyStr(wrongType.name)}: 12345})` })}`,
          status(422),
          `assert {"path": ${pyStr(wrongType.name)}, "message": "must be a string"} in res.json()["error"]["details"]`,
        ),
      ),
    );
  }

  const money = entity.fields.find((f) => f.schema.format === "decimal" && f.create !== "forbidden");
  if (money !== undefined) {
    const scale = sampleDecimal(money.schema).split(".")[1]?.length ?? 0;
    const expected = scale === 0 ? "7" : `7.${"5".padEnd(scale, "0")}`;
    const tooPrecise = `7.${"1".repeat(scale + 1)}`;
    tests.push(
      test(
        `keeps_${snake(money.name)}_as_an_exact_decimal_string`,
        lines(
          `res = ${call(ctx, op, path, { json: `${input}(t, {${pyStr(money.name)}: ${pyStr(scale === 0 ? "7" : "7.5")}})` })}`,
          status(201),
          `assert res.json()[${pyStr(money.name)}] == ${pyStr(expected)}`,
          `refused = ${call(ctx, op, path, { json: `${input}(t, {${pyStr(money.name)}: ${pyStr(tooPrecise)}})` })}`,
          status(422, "refused"),
          `assert ${pyStr(money.name)} in [d["path"] for d in refused.json()["error"]["details"]]`,
          `floats = ${call(ctx, op, path, { json: `${input}(t, {${pyStr(money.name)}: 7.5})` })}`,
          status(422, "floats"),
        ),
        markers.test("decimal-money"),
      ),
    );
  }

  if (entity.card !== null) {
    const card = entity.card;
    tests.push(
      test(
        "never_stores_or_returns_the_card_number",
        lines(
          `res = ${call(ctx, op, path, { json: `${input}(t, {${pyStr(card.inputField)}: ${pyStr(SAMPLE_CARD)}})` })}`,
          status(201),
          `assert ${pyStr(card.inputField)} not in res.json()`,
          card.last4Field !== null &&
            `assert res.json()[${pyStr(card.last4Field)}] == ${pyStr(SAMPLE_CARD.slice(-4))}`,
          `row = t.raw_row(${pyStr(entity.table)}, res.json()["id"])`,
          "assert row is not None",
          `assert ${pyStr(SAMPLE_CARD)} not in str(row)`,
          `assert len(str(row[${pyStr(card.tokenColumn)}])) == 64`,
        ),
        markers.test("tokenize-card-data", "mask-in-logs"),
      ),
      test(
        "refuses_a_card_number_that_fails_the_luhn_check",
        lines(
          `res = ${call(ctx, op, path, { json: `${input}(t, {${pyStr(card.inputField)}: "4242424242424241"})` })}`,
          status(422),
          `assert {"path": ${pyStr(card.inputField)}, "message": "is not a valid card number"} in res.json()["error"]["details"]`,
        ),
      ),
    );
  }

  if (entity.consentFields.length > 0) {
    const consent = entity.consentFields[0] as string;
    tests.push(
      test(
        "records_when_consent_is_given_and_that_it_was_not",
        lines(
          `given = ${call(ctx, op, path, { json: `${input}(t, {${pyStr(consent)}: True})` })}`,
          status(201, "given"),
          `assert given.json()[${pyStr(consent)}] is True`,
          'assert isinstance(given.json()["consentGivenAt"], str)',
          `withheld = ${call(ctx, op, path, { json: `${input}(t)` })}`,
          status(201, "withheld"),
          `assert withheld.json()[${pyStr(consent)}] is False`,
          'assert withheld.json()["consentGivenAt"] is None',
        ),
        markers.test("consent-fields"),
      ),
    );
  }

  if (op.idempotent) {
    ctx.uses.add("uuid");
    const varying = inputFields(ctx.plan, entity)
      .map((f) => ({ field: f, pair: orderedPair(f, LITERALS) }))
      .find(
        (candidate): candidate is { field: PlannedField; pair: [string, string] } => candidate.pair !== null,
      );
    const marker = markers.test("idempotency-keys");
    tests.push(
      test(
        "requires_an_idempotency_key",
        lines(
          `res = ${call(ctx, op, path, { json: `${input}(t)`, idempotencyKey: null })}`,
          status(400),
          'assert "Idempotency-Key" in [d["path"] for d in res.json()["error"]["details"]]',
        ),
        marker,
      ),
      test(
        "replays_the_first_response_for_a_repeated_key",
        lines(
          `body = ${input}(t)`,
          "key = str(uuid.uuid4())",
          `first = ${call(ctx, op, path, { json: "body", idempotencyKey: "key" })}`,
          status(201, "first"),
          `again = ${call(ctx, op, path, { json: "body", idempotencyKey: "key" })}`,
          status(201, "again"),
          "assert again.json() == first.json()",
          'assert again.headers["idempotent-replayed"] == "true"',
          `assert t.count_rows(${pyStr(entity.table)}) == 1`,
        ),
        marker,
      ),
    );
    if (varying !== undefined) {
      tests.push(
        test(
          "refuses_the_same_key_with_a_different_body",
          lines(
            "key = str(uuid.uuid4())",
            `first = ${call(ctx, op, path, { json: `${input}(t, {${pyStr(varying.field.name)}: ${varying.pair[0]}})`, idempotencyKey: "key" })}`,
            status(201, "first"),
            `res = ${call(ctx, op, path, { json: `${input}(t, {${pyStr(varying.field.name)}: ${varying.pair[1]}})`, idempotencyKey: "key" })}`,
            status(409),
            'assert res.json()["error"]["code"] == "conflict"',
          ),
          marker,
        ),
      );
    }
  }
  return tests;
}

function getTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity } = ctx;
  const names = namesOf(entity);
  ctx.uses.add(names.seed);
  ctx.uses.add("to_api");
  const tests = [
    test(
      "returns_the_record",
      lines(
        `record = ${names.seed}(t)`,
        `res = ${call(ctx, op, idPath(op, "record['id']"))}`,
        status(200),
        "assert res.json() == to_api(record)",
      ),
    ),
    notFoundTest(ctx, op),
    badIdTest(ctx, op),
  ];
  if (entity.audit.enabled && ctx.features.audit) {
    const distinctive = entity.fields.find(
      (f) => entity.audit.fields.includes(f.name) && distinctiveSample(f),
    );
    tests.push(
      test(
        "writes_an_audit_entry_naming_fields_but_never_values",
        lines(
          `record = ${names.seed}(t)`,
          `res = ${call(ctx, op, idPath(op, "record['id']"))}`,
          status(200),
          "entries = t.audit_entries()",
          `assert any(e["action"] == "read" and e["entity"] == ${pyStr(entity.name)} and e["entityId"] == record["id"] for e in entries)`,
          distinctive !== undefined && `assert str(record[${pyStr(distinctive.name)}]) not in str(entries)`,
        ),
        ctx.markers.test("audit-log"),
      ),
    );
  }
  return tests;
}

function listTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity } = ctx;
  const seed = namesOf(entity).seed;
  ctx.uses.add(seed);
  const base = `/${entity.route}`;
  const tests = [
    test(
      "lists_a_page",
      lines(
        `${seed}(t)`,
        `${seed}(t)`,
        `${seed}(t)`,
        `res = ${call(ctx, op, pyStr(`${base}?page=2&pageSize=2`))}`,
        status(200),
        'assert {k: res.json()[k] for k in ("page", "pageSize", "total")} == {"page": 2, "pageSize": 2, "total": 3}',
        'assert len(res.json()["items"]) == 1',
      ),
    ),
    test(
      "refuses_a_page_size_out_of_range",
      lines(
        `res = ${call(ctx, op, pyStr(`${base}?pageSize=0`))}`,
        status(422),
        'assert {"path": "pageSize", "message": "must be at least 1"} in res.json()["error"]["details"]',
      ),
    ),
    test(
      "refuses_an_unknown_sort",
      lines(
        `res = ${call(ctx, op, pyStr(`${base}?sort=notAField`))}`,
        status(422),
        'assert "sort" in [d["path"] for d in res.json()["error"]["details"]]',
      ),
    ),
  ];
  const filter = op.filterBy
    .map((name) => field(entity, name))
    .find((f): f is PlannedField => f !== undefined && orderedPair(f, LITERALS) !== null);
  if (filter !== undefined) {
    const [low, high] = orderedPair(filter, LITERALS) as [string, string];
    tests.push(
      test(
        `filters_on_${snake(filter.name)}`,
        lines(
          `wanted = ${seed}(t, {${pyStr(filter.name)}: ${low}})`,
          `${seed}(t, {${pyStr(filter.name)}: ${high}})`,
          `res = ${call(ctx, op, pyStr(base)).replace(pyStr(base), `${pyStr(base)}, params={${pyStr(filter.name)}: ${queryText(low)}}`)}`,
          status(200),
          'assert res.json()["total"] == 1',
          'assert res.json()["items"][0]["id"] == wanted["id"]',
        ),
      ),
    );
  }
  const sort = op.sortBy
    .filter((name) => name !== "createdAt")
    .map((name) => field(entity, name))
    .find((f): f is PlannedField => f !== undefined && orderedPair(f, LITERALS) !== null);
  if (sort !== undefined) {
    const [low, high] = orderedPair(sort, LITERALS) as [string, string];
    tests.push(
      test(
        `sorts_by_${snake(sort.name)}`,
        lines(
          `first = ${seed}(t, {${pyStr(sort.name)}: ${low}})`,
          `last = ${seed}(t, {${pyStr(sort.name)}: ${high}})`,
          `ascending = ${call(ctx, op, pyStr(`${base}?sort=${sort.name}`))}`,
          status(200, "ascending"),
          'assert [item["id"] for item in ascending.json()["items"]] == [first["id"], last["id"]]',
          `descending = ${call(ctx, op, pyStr(`${base}?sort=-${sort.name}`))}`,
          'assert [item["id"] for item in descending.json()["items"]] == [last["id"], first["id"]]',
        ),
      ),
    );
  }
  if (entity.softDelete && ctx.plan.operations.some((o) => o.entity === entity.name && o.kind === "delete")) {
    tests.push(
      test(
        "hides_soft_deleted_records",
        lines(
          `kept = ${seed}(t)`,
          `gone = ${seed}(t)`,
          `t.stores.repositories.${namesOf(entity).module}.remove(gone["id"], gone["createdAt"])`,
          `res = ${call(ctx, op, pyStr(base))}`,
          'assert [item["id"] for item in res.json()["items"]] == [kept["id"]]',
        ),
        ctx.markers.test("soft-delete"),
      ),
    );
  }
  return tests;
}

function searchTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity } = ctx;
  const seed = namesOf(entity).seed;
  ctx.uses.add(seed);
  const tests = [
    test(
      "requires_q",
      lines(
        `res = ${call(ctx, op, pyStr(op.path))}`,
        status(422),
        'assert {"path": "q", "message": "is required"} in res.json()["error"]["details"]',
      ),
    ),
  ];
  const target = op.searchBy
    .map((name) => field(entity, name))
    .find((f) => f !== undefined && f.schema.pattern === null && (f.schema.maxLength ?? 255) >= 20);
  if (target !== undefined) {
    tests.push(
      test(
        `finds_records_whose_${snake(target.name)}_contains_the_text`,
        lines(
          `hit = ${seed}(t, {${pyStr(target.name)}: "A needle in a haystack"})`,
          `${seed}(t)`,
          `res = ${call(ctx, op, pyStr(`${op.path}?q=NEEDLE`))}`,
          status(200),
          'assert res.json()["total"] == 1',
          'assert res.json()["items"][0]["id"] == hit["id"]',
        ),
      ),
      test(
        "treats_wildcards_literally",
        lines(
          `${seed}(t, {${pyStr(target.name)}: "A needle in a haystack"})`,
          `res = ${call(ctx, op, pyStr(`${op.path}?q=n%25e`))}`,
          status(200),
          'assert res.json()["total"] == 0',
        ),
      ),
    );
  }
  return tests;
}

function updateTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity } = ctx;
  const seed = namesOf(entity).seed;
  ctx.uses.add(seed);
  const probe = updateProbe(entity);
  if (probe === undefined) return [];
  const body = `{${pyStr(probe.field.name)}: ${probe.value}}`;
  if (/\bn\b/.test(probe.value)) return [];
  const tests = [
    test(
      "updates_the_given_fields",
      lines(
        `record = ${seed}(t)`,
        `res = ${call(ctx, op, idPath(op, "record['id']"), { json: body })}`,
        status(200),
        'assert res.json()["id"] == record["id"]',
        `assert res.json()[${pyStr(probe.field.name)}] == ${probe.value}`,
      ),
    ),
    notFoundTest(ctx, op, body),
    test(
      "refuses_an_empty_change",
      lines(
        `record = ${seed}(t)`,
        `res = ${call(ctx, op, idPath(op, "record['id']"), { json: "{}" })}`,
        status(422),
        'assert res.json()["error"]["code"] == "validation_failed"',
      ),
    ),
  ];
  const invalid = entity.fields.find((f) => f.update && f.role !== "card-number");
  if (invalid !== undefined) {
    tests.push(
      test(
        `refuses_an_invalid_${snake(invalid.name)}`,
        lines(
          `record = ${seed}(t)`,
          `res = ${call(ctx, op, idPath(op, "record['id']"), { json: `{${pyStr(invalid.name)}: ${wrongValue(invalid.schema)}}` })}`,
          status(422),
          `assert ${pyStr(invalid.name)} in [d["path"] for d in res.json()["error"]["details"]]`,
        ),
      ),
    );
  }
  const notNull = entity.fields.find((f) => f.update && !f.schema.nullable);
  if (notNull !== undefined) {
    tests.push(
      test(
        `refuses_null_for_${snake(notNull.name)}`,
        lines(
          `record = ${seed}(t)`,
          `res = ${call(ctx, op, idPath(op, "record['id']"), { json: `{${pyStr(notNull.name)}: None}` })}`,
          status(422),
          `assert {"path": ${pyStr(notNull.name)}, "message": "must not be null"} in res.json()["error"]["details"]`,
        ),
      ),
    );
  }
  return tests;
}

function deleteTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity, markers } = ctx;
  const names = namesOf(entity);
  ctx.uses.add(names.seed);
  const tests = [
    test(
      "deletes_the_record",
      lines(
        `record = ${names.seed}(t)`,
        `res = ${call(ctx, op, idPath(op, "record['id']"))}`,
        status(204),
        `assert t.stores.repositories.${names.module}.find_by_id(record["id"]) is None`,
      ),
    ),
    notFoundTest(ctx, op),
  ];
  if (entity.softDelete) {
    tests.push(
      test(
        "keeps_the_row_marked_deleted",
        lines(
          `record = ${names.seed}(t)`,
          `res = ${call(ctx, op, idPath(op, "record['id']"))}`,
          status(204),
          `row = t.raw_row(${pyStr(entity.table)}, record["id"])`,
          'assert row is not None and row["deleted_at"] is not None',
        ),
        markers.test("soft-delete"),
      ),
    );
  }
  return tests;
}

function actionTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity } = ctx;
  const seed = namesOf(entity).seed;
  ctx.uses.add(seed);
  const path = idPath(op, "record['id']");
  const transition = op.transition;
  const verb = snake(op.verb);
  if (transition === null) {
    return [
      test(
        `${verb}_returns_the_record`,
        lines(
          `record = ${seed}(t)`,
          `res = ${call(ctx, op, path)}`,
          status(200),
          'assert res.json()["id"] == record["id"]',
        ),
      ),
      notFoundTest(ctx, op),
    ];
  }
  const target = field(entity, transition.field);
  const from = transition.from[0];
  const seedState = from === undefined ? "" : `, {${pyStr(transition.field)}: ${pyLiteral(from)}}`;
  const tests = [
    test(
      `${verb}_moves_${snake(transition.field)}_to_${snake(transition.to)}`,
      lines(
        `record = ${seed}(t${seedState})`,
        `res = ${call(ctx, op, path)}`,
        status(200),
        `assert res.json()[${pyStr(transition.field)}] == ${pyStr(transition.to)}`,
      ),
    ),
  ];
  const blocked = target?.schema.enum?.find((value) => !transition.from.includes(value));
  if (transition.from.length > 0 && blocked !== undefined) {
    tests.push(
      test(
        `${verb}_is_409_when_${snake(transition.field)}_is_${snake(blocked)}`,
        lines(
          `record = ${seed}(t, {${pyStr(transition.field)}: ${pyStr(blocked)}})`,
          `res = ${call(ctx, op, path)}`,
          status(409),
          'assert res.json()["error"]["code"] == "conflict"',
        ),
      ),
    );
  }
  tests.push(notFoundTest(ctx, op));
  if (op.idempotent) {
    ctx.uses.add("uuid");
    tests.push(
      test(
        `${verb}_replays_the_first_response_for_a_repeated_key`,
        lines(
          `record = ${seed}(t${seedState})`,
          "key = str(uuid.uuid4())",
          `first = ${call(ctx, op, path, { idempotencyKey: "key" })}`,
          status(200, "first"),
          `again = ${call(ctx, op, path, { idempotencyKey: "key" })}`,
          status(200, "again"),
          "assert again.json() == first.json()",
          'assert again.headers["idempotent-replayed"] == "true"',
        ),
        ctx.markers.test("idempotency-keys"),
      ),
    );
  }
  return tests;
}

function exportTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity, plan, markers } = ctx;
  const seed = namesOf(entity).seed;
  ctx.uses.add(seed);
  const child = entity.children
    .map((c) => ({ c, e: plan.entities.find((candidate) => candidate.name === c.entity) }))
    .find((x) => x.e !== undefined);
  if (child?.e !== undefined) {
    const childSeed = namesOf(child.e).seed;
    ctx.uses.add(childSeed);
    return [
      test(
        "exports_the_record_with_what_it_owns",
        lines(
          `record = ${seed}(t)`,
          `owned = ${childSeed}(t, {${pyStr(child.c.foreignKey)}: record["id"]})`,
          `res = ${call(ctx, op, idPath(op, "record['id']"))}`,
          status(200),
          'assert res.json()["data"]["id"] == record["id"]',
          `assert [item["id"] for item in res.json()["children"][${pyStr(child.c.key)}]] == [owned["id"]]`,
        ),
        markers.test("data-export"),
      ),
      notFoundTest(ctx, op),
    ];
  }
  return [
    test(
      "exports_the_records_data",
      lines(
        `record = ${seed}(t)`,
        `res = ${call(ctx, op, idPath(op, "record['id']"))}`,
        status(200),
        'assert res.json()["data"]["id"] == record["id"]',
        'assert res.json()["children"] == {}',
      ),
      markers.test("data-export"),
    ),
    notFoundTest(ctx, op),
  ];
}

function eraseTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity, markers, features } = ctx;
  const names = namesOf(entity);
  ctx.uses.add(names.seed);
  const expected = entity.fields.flatMap((f) => {
    const value = erasedValue(f, "record['id']");
    return value === null ? [] : [`assert after[${pyStr(f.name)}] == ${value}`];
  });
  const audited = entity.audit.enabled && features.audit;
  return [
    test(
      "erases_the_personal_data_and_keeps_the_record",
      lines(
        `record = ${names.seed}(t)`,
        `res = ${call(ctx, op, idPath(op, "record['id']"))}`,
        status(204),
        `after = t.stores.repositories.${names.module}.find_by_id(record["id"])`,
        "assert after is not None",
        ...expected,
        audited &&
          'assert any(e["action"] == "erase" and e["entityId"] == record["id"] for e in t.audit_entries())',
      ),
      markers.test("data-erasure"),
    ),
    notFoundTest(ctx, op),
  ];
}

function storageTests(ctx: Ctx): string[] {
  const { entity, markers } = ctx;
  const names = namesOf(entity);
  const encrypted = entity.fields.filter((f) => f.encrypted && f.column !== null);
  if (encrypted.length === 0) return [];
  ctx.uses.add(names.seed);
  const checks = encrypted.map((f) =>
    lines(
      `assert re.match(r"^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+\\Z", str(row[${pyStr(f.column as string)}]))`,
      distinctiveSample(f) &&
        `assert str(record[${pyStr(f.name)}]) not in str(row[${pyStr(f.column as string)}])`,
    ),
  );
  ctx.uses.add("re");
  return [
    test(
      "stores_marked_fields_encrypted_and_reads_them_back",
      lines(
        `record = ${names.seed}(t)`,
        `row = t.raw_row(${pyStr(entity.table)}, record["id"])`,
        "assert row is not None",
        ...checks,
        `assert t.stores.repositories.${names.module}.find_by_id(record["id"]) == record`,
      ),
      markers.test("encrypt-fields", "mark-sensitive"),
    ),
  ];
}

function accessTests(ctx: Ctx, ops: readonly PlannedOperation[]): string[] {
  const guarded = ops.filter((op) => op.auth.required);
  if (guarded.length === 0) return [];
  ctx.uses.add("pytest");
  const sampleId = "00000000-0000-4000-8000-000000000000";
  const row = (op: PlannedOperation) => `(${pyStr(op.method)}, ${pyStr(op.path.replace("{id}", sampleId))}),`;
  const tests = [
    lines(
      ctx.markers.test("require-auth"),
      `@pytest.mark.parametrize(\n    "method,path",\n    [\n${indent(guarded.map(row).join("\n"), 2)}\n    ],\n)`,
      "def test_without_credentials_is_401(self, t: AppUnderTest, method: str, path: str) -> None:",
      indent(
        lines(
          "res = t.client.request(method, path)",
          status(401),
          'assert res.json()["error"]["code"] == "unauthorized"',
        ),
      ),
    ),
  ];
  const restricted = guarded.filter((op) => !op.auth.anyRole);
  if (restricted.length > 0) {
    ctx.uses.add("auth_as");
    tests.push(
      lines(
        `@pytest.mark.parametrize(\n    "method,path",\n    [\n${indent(restricted.map(row).join("\n"), 2)}\n    ],\n)`,
        "def test_with_a_role_that_may_not_is_403(self, t: AppUnderTest, method: str, path: str) -> None:",
        indent(
          lines(
            `res = t.client.request(method, path, headers=auth_as(${pyStr(OUTSIDER_ROLE)}))`,
            status(403),
            'assert res.json()["error"]["code"] == "forbidden"',
          ),
        ),
      ),
    );
  }
  return tests;
}
