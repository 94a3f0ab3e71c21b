/**
 * `test/<route>.test.ts`: for every operation of an entity, success, validation failure, not
 * found and auth refusal, plus the checks of the overlay rules the entity is subject to.
 */
import type { ApiPlan, EntityPlan, PlannedField, PlannedOperation } from "../../../generate/plan-schema.js";
import type { Features } from "../../shared/features.js";
import { type Literals, orderedPair } from "../../shared/ordered-pair.js";
import { distinctiveSample, SAMPLE_CARD, sampleDecimal, updateProbeOf } from "../../shared/sample-values.js";
import { OUTSIDER_ROLE, roleFor } from "../../shared/test-access.js";
import { inputFields } from "../../shared/test-inputs.js";
import { indent, key, lines, literal, str } from "../code.js";
import { namesOf } from "../entity/names.js";
import type { Markers } from "../markers.js";
import { inputName, seedName } from "./helpers.js";
import { erasedValue, renderSample, sampleValue, wrongValue } from "./values.js";

interface Ctx {
  readonly plan: ApiPlan;
  readonly entity: EntityPlan;
  readonly features: Features;
  readonly markers: Markers;
  /** Names of helpers the file uses, for its imports. */
  readonly uses: Set<string>;
}

/**
 * `request(t.app).post("/x").set(authAs("admin"))[.set("Idempotency-Key", randomUUID())]`; for an
 * operation no role may call, `request(t.unguardedApp).post("/x")`: its behaviour is still tested,
 * with the role check lifted, while the access tests show the real app refuses it (403).
 */
function call(
  ctx: Ctx,
  op: PlannedOperation,
  path: string,
  options: { idempotencyKey?: string | null } = {},
): string {
  const role = roleFor(ctx.plan, op);
  const app = op.auth.required && role === null ? "t.unguardedApp" : "t.app";
  let expr = `request(${app}).${op.method.toLowerCase()}(${path})`;
  if (role !== null) {
    ctx.uses.add("authAs");
    expr += `.set(authAs(${str(role)}))`;
  }
  if (op.idempotent && options.idempotencyKey !== null) {
    const keyExpr = options.idempotencyKey ?? "randomUUID()";
    if (keyExpr === "randomUUID()") ctx.uses.add("randomUUID");
    expr += `.set("Idempotency-Key", ${keyExpr})`;
  }
  return expr;
}

function idPath(op: PlannedOperation, id: string): string {
  return `\`${op.path.replace("{id}", `\${${id}}`)}\``;
}

function field(entity: EntityPlan, name: string): PlannedField | undefined {
  return entity.fields.find((candidate) => candidate.name === name);
}

/** Strings and booleans as this stack's tests write them. */
const LITERALS: Literals = { str, true: "true", false: "false" };

/** A new valid value for an update test, with the field; undefined when no field qualifies. */
function updateProbe(entity: EntityPlan): { field: PlannedField; value: string } | undefined {
  const probe = updateProbeOf(entity);
  if (probe === undefined) return undefined;
  return {
    field: probe.field,
    value: probe.change === null ? sampleValue(probe.field, "1") : renderSample(probe.change, "1"),
  };
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
  const blocks: string[] = [];
  for (const op of ops) {
    const tests = operationTests(ctx, op);
    if (tests.length === 0) continue;
    blocks.push(
      `describe(${str(`${op.method} ${op.path} (${op.id})`)}, () => {\n${indent(tests.join("\n\n"))}\n});`,
    );
  }
  const storage = storageTests(ctx);
  if (storage.length > 0) blocks.push(`describe("storage", () => {\n${indent(storage.join("\n\n"))}\n});`);
  const access = accessTests(ctx, ops);
  if (access.length > 0) blocks.push(`describe("access", () => {\n${indent(access.join("\n\n"))}\n});`);

  const body = blocks.join("\n\n");
  const sampleImports = [...ctx.uses]
    .filter((name) => name.startsWith("seed") || name.endsWith("Input"))
    .sort();
  const appImports = ["authAs", "call", "useTestApp"].filter(
    (name) => name === "useTestApp" || ctx.uses.has(name),
  );
  return `/**
 * ${entity.plural}: every endpoint's success, validation failure, not found${plan.auth.kind === "none" ? "" : " and auth refusal"}.
 * Runs in memory, or on PostgreSQL when DATABASE_URL is set.
 */
${lines(
  ctx.uses.has("randomUUID") && 'import { randomUUID } from "node:crypto";',
  /request\(t\.(app|unguardedApp)\)/.test(body) && 'import request from "supertest";',
  `import { describe, expect, it } from "vitest";`,
  ctx.uses.has(names.toApi) && `import { ${names.toApi} } from "../src/resources/${names.folder}/model.js";`,
  `import { ${appImports.join(", ")} } from "./helpers/app.js";`,
  sampleImports.length > 0 && `import { ${sampleImports.join(", ")} } from "./helpers/samples.js";`,
)}

const t = useTestApp();

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

function notFoundTest(ctx: Ctx, op: PlannedOperation, send = ""): string {
  ctx.uses.add("randomUUID");
  return `it("answers 404 for an unknown id", async () => {
  const res = await ${call(ctx, op, idPath(op, "randomUUID()"))}${send}.expect(404);
  expect(res.body.error.code).toBe("not_found");
});`;
}

function badIdTest(ctx: Ctx, op: PlannedOperation, send = ""): string {
  const path = str(op.path.replace("{id}", "not-a-uuid"));
  return `it("answers 400 for an id that is not a UUID", async () => {
  const res = await ${call(ctx, op, path)}${send}.expect(400);
  expect(res.body.error.details).toContainEqual({ path: "id", message: "must be a UUID" });
});`;
}

function createTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity, markers } = ctx;
  const input = inputName(entity);
  ctx.uses.add(input);
  const path = str(`/${entity.route}`);
  const comparable = inputFields(ctx.plan, entity).filter((f) => f.output);
  const tests: string[] = [];
  tests.push(`it("creates a ${entity.name}: 201 with the record and its Location", async () => {
  const input = await ${input}(t);
  const res = await ${call(ctx, op, path)}.send(input).expect(201);
  expect(res.headers.location).toBe(\`/${entity.route}/\${res.body.id}\`);
  expect(res.body).toMatchObject({
${indent(comparable.map((f) => `${key(f.name)}: input.${f.name},`).join("\n"), 2)}
  });
});`);
  const required = entity.fields.find((f) => f.create === "required");
  const first = entity.fields.find((f) => f.create !== "forbidden");
  if (required !== undefined) {
    tests.push(`it("refuses a body without ${required.name}: 400 naming the field", async () => {
  const input = await ${input}(t, { ${key(required.name)}: undefined });
  const res = await ${call(ctx, op, path)}.send(input).expect(400);
  expect(res.body.error.code).toBe("validation_failed");
  expect(res.body.error.details).toContainEqual({ path: ${str(required.name)}, message: "is required" });
});`);
  } else if (first !== undefined) {
    tests.push(`it("refuses an invalid ${first.name}: 400 naming the field", async () => {
  const input = await ${input}(t, { ${key(first.name)}: ${wrongValue(first.schema)} });
  const res = await ${call(ctx, op, path)}.send(input).expect(400);
  expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: ${str(first.name)} }));
});`);
  }
  tests.push(`it("refuses unknown fields: 400", async () => {
  const input = await ${input}(t, { notAField: 1 });
  const res = await ${call(ctx, op, path)}.send(input).expect(400);
  expect(res.body.error.details).toContainEqual({ path: "notAField", message: "is not a known field" });
});`);

  const money = entity.fields.find((f) => f.schema.format === "decimal" && f.create !== "forbidden");
  if (money !== undefined) {
    const marker = markers.test("decimal-money");
    const scale = sampleDecimal(money.schema).split(".")[1]?.length ?? 0;
    const expected = scale === 0 ? "7" : `7.${"5".padEnd(scale, "0")}`;
    const tooPrecise = `7.${"1".repeat(scale + 1)}`;
    tests.push(
      lines(
        marker,
        `it("keeps ${money.name} as an exact decimal string at the column's scale", async () => {
  const res = await ${call(ctx, op, path)}.send(await ${input}(t, { ${key(money.name)}: ${str(scale === 0 ? "7" : "7.5")} })).expect(201);
  expect(res.body.${money.name}).toBe(${str(expected)});
  const refused = await ${call(ctx, op, path)}.send(await ${input}(t, { ${key(money.name)}: ${str(tooPrecise)} })).expect(400);
  expect(refused.body.error.details).toContainEqual(expect.objectContaining({ path: ${str(money.name)} }));
});`,
      ),
    );
  }

  if (entity.card !== null) {
    const card = entity.card;
    tests.push(
      lines(
        markers.test("tokenize-card-data", "mask-in-logs"),
        `it("never stores or returns the card number: a token and the last four digits only", async () => {
  const res = await ${call(ctx, op, path)}.send(await ${input}(t, { ${key(card.inputField)}: ${str(SAMPLE_CARD)} })).expect(201);
  expect(res.body).not.toHaveProperty(${str(card.inputField)});${card.last4Field === null ? "" : `\n  expect(res.body.${card.last4Field}).toBe(${str(SAMPLE_CARD.slice(-4))});`}
  const row = await t.rawRow(${str(entity.table)}, res.body.id);
  expect(JSON.stringify(row)).not.toContain(${str(SAMPLE_CARD)});
  expect(row?.${card.tokenColumn}).toMatch(/^[0-9a-f]{64}$/);
});`,
        "",
        `it("refuses a card number that fails the Luhn check: 400", async () => {
  const res = await ${call(ctx, op, path)}.send(await ${input}(t, { ${key(card.inputField)}: "4242424242424241" })).expect(400);
  expect(res.body.error.details).toContainEqual({ path: ${str(card.inputField)}, message: "is not a valid card number" });
});`,
      ),
    );
  }

  if (entity.consentFields.length > 0) {
    const consent = entity.consentFields[0] as string;
    tests.push(
      lines(
        markers.test("consent-fields"),
        `it("records when consent is given, and that it was not", async () => {
  const given = await ${call(ctx, op, path)}.send(await ${input}(t, { ${key(consent)}: true })).expect(201);
  expect(given.body.${consent}).toBe(true);
  expect(given.body.consentGivenAt).toEqual(expect.any(String));
  const withheld = await ${call(ctx, op, path)}.send(await ${input}(t)).expect(201);
  expect(withheld.body.${consent}).toBe(false);
  expect(withheld.body.consentGivenAt).toBeNull();
});`,
      ),
    );
  }

  if (op.idempotent) {
    ctx.uses.add("randomUUID");
    // A field whose value can differ, to send the same key with a different body.
    const varying = inputFields(ctx.plan, entity)
      .map((f) => ({ field: f, pair: orderedPair(f, LITERALS) }))
      .find(
        (candidate): candidate is { field: PlannedField; pair: [string, string] } => candidate.pair !== null,
      );
    tests.push(
      lines(
        markers.test("idempotency-keys"),
        `describe("Idempotency-Key", () => {
  it("is required: 400", async () => {
    const res = await ${call(ctx, op, path, { idempotencyKey: null })}.send(await ${input}(t)).expect(400);
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: "Idempotency-Key" }));
  });

  it("replays the first response for a repeated key, creating nothing new", async () => {
    const input = await ${input}(t);
    const key = randomUUID();
    const first = await ${call(ctx, op, path, { idempotencyKey: "key" })}.send(input).expect(201);
    const again = await ${call(ctx, op, path, { idempotencyKey: "key" })}.send(input).expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(await t.countRows(${str(entity.table)})).toBe(1);
  });${
    varying === undefined
      ? ""
      : `

  it("refuses the same key with a different body: 409", async () => {
    const key = randomUUID();
    await ${call(ctx, op, path, { idempotencyKey: "key" })}.send(await ${input}(t, { ${key(varying.field.name)}: ${varying.pair[0]} })).expect(201);
    const res = await ${call(ctx, op, path, { idempotencyKey: "key" })}.send(await ${input}(t, { ${key(varying.field.name)}: ${varying.pair[1]} })).expect(409);
    expect(res.body.error.code).toBe("conflict");
  });`
  }
});`,
      ),
    );
  }
  return tests;
}

function getTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity } = ctx;
  const names = namesOf(entity);
  const seed = seedName(entity);
  ctx.uses.add(seed);
  ctx.uses.add(names.toApi);
  const tests = [
    `it("returns the ${entity.name}: 200", async () => {
  const record = await ${seed}(t);
  const res = await ${call(ctx, op, idPath(op, "record.id"))}.expect(200);
  expect(res.body).toEqual(${names.toApi}(record));
});`,
    notFoundTest(ctx, op),
    badIdTest(ctx, op),
  ];
  if (entity.audit.enabled && ctx.features.audit) {
    const distinctive = entity.fields.find(
      (f) => entity.audit.fields.includes(f.name) && distinctiveSample(f),
    );
    tests.push(
      lines(
        ctx.markers.test("audit-log"),
        `it("writes an audit entry for the read, naming fields but never their values", async () => {
  const record = await ${seed}(t);
  await ${call(ctx, op, idPath(op, "record.id"))}.expect(200);
  const entries = await t.auditEntries();
  expect(entries).toContainEqual(expect.objectContaining({ action: "read", entity: ${str(entity.name)}, entityId: record.id }));${
    distinctive === undefined
      ? ""
      : `\n  expect(JSON.stringify(entries)).not.toContain(String(record.${distinctive.name}));`
  }
});`,
      ),
    );
  }
  return tests;
}

function listTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity } = ctx;
  const seed = seedName(entity);
  ctx.uses.add(seed);
  const base = `/${entity.route}`;
  const tests = [
    `it("lists a page: 200 with items, page, pageSize and total", async () => {
  await ${seed}(t);
  await ${seed}(t);
  await ${seed}(t);
  const res = await ${call(ctx, op, str(`${base}?page=2&pageSize=2`))}.expect(200);
  expect(res.body).toMatchObject({ page: 2, pageSize: 2, total: 3 });
  expect(res.body.items).toHaveLength(1);
});`,
    `it("refuses a pageSize out of range: 400", async () => {
  const res = await ${call(ctx, op, str(`${base}?pageSize=0`))}.expect(400);
  expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: "pageSize" }));
});`,
  ];
  const filter = op.filterBy
    .map((name) => field(entity, name))
    .find((f): f is PlannedField => f !== undefined && orderedPair(f, LITERALS) !== null);
  if (filter !== undefined) {
    const [low, high] = orderedPair(filter, LITERALS) as [string, string];
    tests.push(`it("filters on ${filter.name} (exact match)", async () => {
  const wanted = await ${seed}(t, { ${key(filter.name)}: ${low} });
  await ${seed}(t, { ${key(filter.name)}: ${high} });
  const res = await ${call(ctx, op, `\`${base}?${filter.name}=\${encodeURIComponent(String(${low}))}\``)}.expect(200);
  expect(res.body.total).toBe(1);
  expect(res.body.items[0].id).toBe(wanted.id);
});`);
  }
  const sort = op.sortBy
    .filter((name) => name !== "createdAt")
    .map((name) => field(entity, name))
    .find((f): f is PlannedField => f !== undefined && orderedPair(f, LITERALS) !== null);
  if (sort !== undefined) {
    const [low, high] = orderedPair(sort, LITERALS) as [string, string];
    tests.push(`it("sorts by ${sort.name}, ascending and descending", async () => {
  const first = await ${seed}(t, { ${key(sort.name)}: ${low} });
  const last = await ${seed}(t, { ${key(sort.name)}: ${high} });
  const ascending = await ${call(ctx, op, str(`${base}?sort=${sort.name}`))}.expect(200);
  expect(ascending.body.items.map((item: { id: string }) => item.id)).toEqual([first.id, last.id]);
  const descending = await ${call(ctx, op, str(`${base}?sort=-${sort.name}`))}.expect(200);
  expect(descending.body.items.map((item: { id: string }) => item.id)).toEqual([last.id, first.id]);
});`);
  }
  return tests;
}

function searchTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity } = ctx;
  const seed = seedName(entity);
  ctx.uses.add(seed);
  const tests = [
    `it("requires q: 400", async () => {
  const res = await ${call(ctx, op, str(op.path))}.expect(400);
  expect(res.body.error.details).toContainEqual({ path: "q", message: "is required" });
});`,
  ];
  const target = op.searchBy
    .map((name) => field(entity, name))
    .find((f) => f !== undefined && f.schema.pattern === null && (f.schema.maxLength ?? 255) >= 20);
  if (target !== undefined) {
    tests.push(`it("finds records whose ${target.name} contains the text, ignoring case", async () => {
  const hit = await ${seed}(t, { ${key(target.name)}: "A needle in a haystack" });
  await ${seed}(t);
  const res = await ${call(ctx, op, str(`${op.path}?q=NEEDLE`))}.expect(200);
  expect(res.body.total).toBe(1);
  expect(res.body.items[0].id).toBe(hit.id);
});`);
    tests.push(`it("treats % and _ in the text literally", async () => {
  await ${seed}(t, { ${key(target.name)}: "A needle in a haystack" });
  const res = await ${call(ctx, op, str(`${op.path}?q=${encodeURIComponent("n%e")}`))}.expect(200);
  expect(res.body.total).toBe(0);
});`);
  }
  return tests;
}

function updateTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity } = ctx;
  const seed = seedName(entity);
  ctx.uses.add(seed);
  const probe = updateProbe(entity);
  if (probe === undefined) return [];
  const body = `{ ${key(probe.field.name)}: ${probe.value} }`;
  const tests = [
    `it("updates the given fields: 200 with the record", async () => {
  const record = await ${seed}(t);
  const res = await ${call(ctx, op, idPath(op, "record.id"))}.send(${body}).expect(200);
  expect(res.body.id).toBe(record.id);
  expect(res.body.${probe.field.name}).toEqual(${probe.value});
});`,
    notFoundTest(ctx, op, `.send(${body})`),
    `it("refuses an empty change: 400", async () => {
  const record = await ${seed}(t);
  const res = await ${call(ctx, op, idPath(op, "record.id"))}.send({}).expect(400);
  expect(res.body.error.code).toBe("validation_failed");
});`,
  ];
  const invalid = entity.fields.find((f) => f.update && f.role !== "card-number");
  if (invalid !== undefined) {
    tests.push(`it("refuses an invalid ${invalid.name}: 400 naming the field", async () => {
  const record = await ${seed}(t);
  const res = await ${call(ctx, op, idPath(op, "record.id"))}.send({ ${key(invalid.name)}: ${wrongValue(invalid.schema)} }).expect(400);
  expect(res.body.error.details).toContainEqual(expect.objectContaining({ path: ${str(invalid.name)} }));
});`);
  }
  return tests;
}

function deleteTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity, markers } = ctx;
  const names = namesOf(entity);
  const seed = seedName(entity);
  ctx.uses.add(seed);
  const tests = [
    `it("deletes the ${entity.name}: 204, and it is gone", async () => {
  const record = await ${seed}(t);
  await ${call(ctx, op, idPath(op, "record.id"))}.expect(204);
  expect(await t.stores.repositories.${names.key}.findById(record.id)).toBeUndefined();
});`,
    notFoundTest(ctx, op),
  ];
  if (entity.softDelete) {
    tests.push(
      lines(
        markers.test("soft-delete"),
        `it("keeps the row, marked deleted (soft delete)", async () => {
  const record = await ${seed}(t);
  await ${call(ctx, op, idPath(op, "record.id"))}.expect(204);
  const row = await t.rawRow(${str(entity.table)}, record.id);
  expect(row?.deleted_at).toBeTruthy();
});`,
      ),
    );
  }
  return tests;
}

function actionTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity } = ctx;
  const seed = seedName(entity);
  ctx.uses.add(seed);
  const path = idPath(op, "record.id");
  const transition = op.transition;
  if (transition === null) {
    return [
      `it("${op.verb}: 200 with the record", async () => {
  const record = await ${seed}(t);
  const res = await ${call(ctx, op, path)}.expect(200);
  expect(res.body.id).toBe(record.id);
});`,
      notFoundTest(ctx, op),
    ];
  }
  const target = field(entity, transition.field);
  const from = transition.from[0];
  const seedState = from === undefined ? "" : `{ ${key(transition.field)}: ${literal(from)} }`;
  const tests = [
    `it("${op.verb}: moves ${transition.field} ${from === undefined ? "" : `from ${from} `}to ${transition.to}: 200", async () => {
  const record = await ${seed}(t${seedState === "" ? "" : `, ${seedState}`});
  const res = await ${call(ctx, op, path)}.expect(200);
  expect(res.body.${transition.field}).toBe(${literal(transition.to)});
});`,
  ];
  const blocked = target?.schema.enum?.find((value) => !transition.from.includes(value));
  if (transition.from.length > 0 && blocked !== undefined) {
    tests.push(`it("${op.verb}: 409 when ${transition.field} is ${blocked}", async () => {
  const record = await ${seed}(t, { ${key(transition.field)}: ${literal(blocked)} });
  const res = await ${call(ctx, op, path)}.expect(409);
  expect(res.body.error.code).toBe("conflict");
});`);
  }
  tests.push(notFoundTest(ctx, op));
  if (op.idempotent) {
    ctx.uses.add("randomUUID");
    tests.push(
      lines(
        ctx.markers.test("idempotency-keys"),
        `it("${op.verb}: replays the first response for a repeated Idempotency-Key", async () => {
  const record = await ${seed}(t${seedState === "" ? "" : `, ${seedState}`});
  const key = randomUUID();
  const first = await ${call(ctx, op, path, { idempotencyKey: "key" })}.expect(200);
  const again = await ${call(ctx, op, path, { idempotencyKey: "key" })}.expect(200);
  expect(again.body).toEqual(first.body);
  expect(again.headers["idempotent-replayed"]).toBe("true");
});`,
      ),
    );
  }
  return tests;
}

function exportTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity, plan, markers } = ctx;
  const seed = seedName(entity);
  ctx.uses.add(seed);
  const child = entity.children
    .map((c) => ({ c, e: plan.entities.find((candidate) => candidate.name === c.entity) }))
    .find((x) => x.e !== undefined);
  if (child?.e !== undefined) {
    const childSeed = seedName(child.e);
    ctx.uses.add(childSeed);
    const childKey = child.c.key;
    return [
      lines(
        markers.test("data-export"),
        `it("exports the ${entity.name} with what it owns: 200", async () => {
  const record = await ${seed}(t);
  const owned = await ${childSeed}(t, { ${key(child.c.foreignKey)}: record.id });
  const res = await ${call(ctx, op, idPath(op, "record.id"))}.expect(200);
  expect(res.body.data.id).toBe(record.id);
  expect(res.body.children.${childKey}.map((item: { id: string }) => item.id)).toEqual([owned.id]);
});`,
      ),
      notFoundTest(ctx, op),
    ];
  }
  return [
    lines(
      markers.test("data-export"),
      `it("exports the ${entity.name}'s data: 200", async () => {
  const record = await ${seed}(t);
  const res = await ${call(ctx, op, idPath(op, "record.id"))}.expect(200);
  expect(res.body).toEqual({ data: expect.objectContaining({ id: record.id }), children: {} });
});`,
    ),
    notFoundTest(ctx, op),
  ];
}

function eraseTests(ctx: Ctx, op: PlannedOperation): string[] {
  const { entity, markers, features } = ctx;
  const names = namesOf(entity);
  const seed = seedName(entity);
  ctx.uses.add(seed);
  const expected = entity.fields.flatMap((f) => {
    const value = erasedValue(f, "record.id");
    return value === null ? [] : [`${key(f.name)}: ${value},`];
  });
  const audited = entity.audit.enabled && features.audit;
  return [
    lines(
      markers.test("data-erasure"),
      `it("erases the personal data and keeps the record: 204", async () => {
  const record = await ${seed}(t);
  await ${call(ctx, op, idPath(op, "record.id"))}.expect(204);
  const after = await t.stores.repositories.${names.key}.findById(record.id);
  expect(after).toMatchObject({
${indent(expected.join("\n"), 2)}
  });${
    audited
      ? `\n  expect(await t.auditEntries()).toContainEqual(expect.objectContaining({ action: "erase", entityId: record.id }));`
      : ""
  }
});`,
    ),
    notFoundTest(ctx, op),
  ];
}

function storageTests(ctx: Ctx): string[] {
  return [...encryptionTests(ctx), ...softDeleteStorageTests(ctx)];
}

/**
 * When the entity has no DELETE endpoint, no endpoint test shows the soft delete; the repository
 * can, and COMPLIANCE.md still needs a test to point at.
 */
function softDeleteStorageTests(ctx: Ctx): string[] {
  const { entity, markers, plan } = ctx;
  if (!entity.softDelete) return [];
  const viaEndpoint = plan.operations.some((op) => op.entity === entity.name && op.kind === "delete");
  if (viaEndpoint) return [];
  const names = namesOf(entity);
  const seed = seedName(entity);
  ctx.uses.add(seed);
  return [
    lines(
      markers.test("soft-delete"),
      `it("removing keeps the row, marked deleted, and hides it (soft delete)", async () => {
  const record = await ${seed}(t);
  expect(await t.stores.repositories.${names.key}.remove(record.id, new Date().toISOString())).toBe(true);
  expect(await t.stores.repositories.${names.key}.findById(record.id)).toBeUndefined();
  const row = await t.rawRow(${str(entity.table)}, record.id);
  expect(row?.deleted_at).toBeTruthy();
});`,
    ),
  ];
}

function encryptionTests(ctx: Ctx): string[] {
  const { entity, markers } = ctx;
  const names = namesOf(entity);
  const encrypted = entity.fields.filter((f) => f.encrypted && f.column !== null);
  if (encrypted.length === 0) return [];
  const seed = seedName(entity);
  ctx.uses.add(seed);
  const checks = encrypted.map((f) => {
    const distinct = distinctiveSample(f);
    return lines(
      `expect(String(row?.${f.column})).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);`,
      distinct && `expect(String(row?.${f.column})).not.toContain(String(record.${f.name}));`,
    );
  });
  return [
    lines(
      markers.test("encrypt-fields"),
      `it("stores ${encrypted.map((f) => f.name).join(", ")} encrypted (AES-256-GCM) and reads them back", async () => {
  const record = await ${seed}(t);
  const row = await t.rawRow(${str(entity.table)}, record.id);
${indent(checks.join("\n"))}
  expect(await t.stores.repositories.${names.key}.findById(record.id)).toEqual(record);
});`,
    ),
  ];
}

function accessTests(ctx: Ctx, ops: readonly PlannedOperation[]): string[] {
  const guarded = ops.filter((op) => op.auth.required);
  if (guarded.length === 0) return [];
  ctx.uses.add("call");
  const sampleId = "00000000-0000-4000-8000-000000000000";
  const row = (op: PlannedOperation) => `[${str(op.method)}, ${str(op.path.replace("{id}", sampleId))}],`;
  const tests = [
    lines(
      ctx.markers.test("require-auth"),
      `it.each([
${indent(guarded.map(row).join("\n"))}
])("%s %s without credentials: 401", async (method, path) => {
  const res = await call(t.app, method, path).expect(401);
  expect(res.body.error.code).toBe("unauthorized");
});`,
    ),
  ];
  const restricted = guarded.filter((op) => !op.auth.anyRole);
  if (restricted.length > 0) {
    ctx.uses.add("authAs");
    tests.push(`it.each([
${indent(restricted.map(row).join("\n"))}
])("%s %s with a role that may not: 403", async (method, path) => {
  const res = await call(t.app, method, path).set(authAs(${str(OUTSIDER_ROLE)})).expect(403);
  expect(res.body.error.code).toBe("forbidden");
});`);
  }
  return tests;
}
