/**
 * The brief corpus: realistic briefs written independently of the compiler, each with an expectation
 * file asserting only what a careful human reader would extract. `dev/` may be read by the compiler's
 * author; `holdout/` may not, and measures how well the rules generalise.
 *
 * The matching semantics are documented in test/corpus/README.md and implemented by `checkBrief`.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  AppKind,
  AuthKind,
  compileBrief,
  FieldFormat,
  FieldType,
  Framework,
  Frontend,
  IR,
  Language,
  type Overlay,
  Permission,
  RelationKind,
  Sensitivity,
  UserInputError,
} from "../../src/kernel/index.js";
import { loadCatalog } from "../../src/services/overlay-files.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoDir = path.resolve(here, "../..");
const corpusDir = path.join(repoDir, "test/corpus");

// ---------------------------------------------------------------------------------------------
// Expectation files
// ---------------------------------------------------------------------------------------------

/** One value or a list of accepted values. */
const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]);

/** "A|B" names alternatives, any one of which satisfies the expectation. */
const alternatives = z.string().min(1);

const FieldExpectation = z.strictObject({
  type: oneOrMany(FieldType).optional(),
  format: oneOrMany(FieldFormat.nullable()).optional(),
  required: z.boolean().optional(),
  unique: z.boolean().optional(),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  enumValues: z.array(z.string().min(1)).min(1).optional(),
  currency: z.string().optional(),
  sensitivity: z.array(Sensitivity).optional(),
  sensitivityAbsent: z.array(Sensitivity).optional(),
});
type FieldExpectation = z.infer<typeof FieldExpectation>;

const NfFlag = z.enum([
  "rateLimit",
  "auditLog",
  "softDelete",
  "encryptionAtRest",
  "idempotency",
  "retention",
]);

const Expectation = z.strictObject({
  note: z.string().optional(),
  invalid: oneOrMany(z.enum(["empty", "nothing-buildable", "binary", "too-large"])).optional(),
  appKind: oneOrMany(AppKind).optional(),
  entities: z.array(alternatives).optional(),
  entitiesAbsent: z.array(z.string().min(1)).optional(),
  maxEntities: z.number().int().positive().optional(),
  fields: z.record(alternatives, z.record(alternatives, FieldExpectation)).optional(),
  relations: z
    .array(
      z.strictObject({
        from: alternatives,
        to: alternatives,
        kind: oneOrMany(RelationKind),
        owned: z.boolean().optional(),
      }),
    )
    .optional(),
  operations: z
    .array(
      z.strictObject({
        entity: alternatives.optional(),
        kind: z.enum(["list", "get", "create", "update", "delete", "search", "action", "export"]).optional(),
        verb: alternatives.optional(),
        searchBy: z.array(alternatives).optional(),
      }),
    )
    .optional(),
  auth: z
    .strictObject({
      kind: oneOrMany(AuthKind).optional(),
      roles: z.array(alternatives).optional(),
    })
    .optional(),
  grants: z
    .array(
      z.strictObject({
        role: alternatives,
        entity: alternatives.optional(),
        can: z.array(Permission).optional(),
        cannot: z.array(Permission).optional(),
      }),
    )
    .optional(),
  nonFunctional: z
    .strictObject({
      on: z.array(NfFlag).optional(),
      off: z.array(NfFlag).optional(),
      rateLimit: z
        .strictObject({ requests: z.number().int().positive(), windowSeconds: z.number().int().positive() })
        .optional(),
      retentionDays: z
        .union([
          z.number().int().positive(),
          z.strictObject({ min: z.number().int().positive(), max: z.number().int().positive() }),
        ])
        .optional(),
    })
    .optional(),
  stack: z
    .strictObject({
      language: Language.optional(),
      framework: Framework.optional(),
      frontend: Frontend.optional(),
    })
    .optional(),
  overlays: z.array(z.string().min(1)).optional(),
  overlaysAbsent: z.array(z.string().min(1)).optional(),
});
type Expectation = z.infer<typeof Expectation>;

type SetName = "dev" | "holdout";

interface BriefCase {
  set: SetName;
  /** File name without extension, e.g. `03-patient-api-hipaa`. */
  id: string;
  file: string;
  brief: string;
  expectation: Expectation;
}

/** Problems with the corpus itself (missing or malformed expectation files); the corpus test fails on any. */
const corpusProblems: string[] = [];

function loadSet(set: SetName): BriefCase[] {
  const dir = path.join(corpusDir, set);
  const names = readdirSync(dir).sort();
  const briefs = names.filter((n) => /\.(md|txt)$/.test(n));
  const expectations = new Set(names.filter((n) => n.endsWith(".expect.json")));
  const cases: BriefCase[] = [];
  for (const file of briefs) {
    const id = file.replace(/\.(md|txt)$/, "");
    const expectFile = `${id}.expect.json`;
    if (!expectations.delete(expectFile)) {
      corpusProblems.push(`${set}/${file}: no ${expectFile} beside it`);
      continue;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path.join(dir, expectFile), "utf8"));
    } catch (error) {
      corpusProblems.push(`${set}/${expectFile}: not JSON (${(error as Error).message})`);
      continue;
    }
    const parsed = Expectation.safeParse(raw);
    if (!parsed.success) {
      corpusProblems.push(`${set}/${expectFile}: ${z.prettifyError(parsed.error)}`);
      continue;
    }
    cases.push({
      set,
      id,
      file,
      brief: readFileSync(path.join(dir, file), "utf8"),
      expectation: parsed.data,
    });
  }
  for (const orphan of expectations) corpusProblems.push(`${set}/${orphan}: no brief for this expectation`);
  return cases;
}

const devCases = loadSet("dev");
const holdoutCases = loadSet("holdout");
const allCases = [...devCases, ...holdoutCases];

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

/** A failed expectation: its category (for the score summary) and a message saying what the IR had. */
interface Failure {
  category: string;
  message: string;
}

const alts = (s: string): string[] => s.split("|").map((a) => a.trim());
const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const show = (v: unknown): string => JSON.stringify(v);

/** Enum values compare case-, separator- and camelCase-insensitively: "In progress" = "in_progress" = "inProgress". */
function enumKey(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase()
    .trim()
    .replace(/[\s_]+/g, "-");
}

/** Role names compare case- and separator-insensitively, singular or plural ("Risk analysts" = "risk-analyst"). */
function roleKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .replace(/s$/, "");
}

type Ir = z.infer<typeof IR>;
type IrEntity = Ir["entities"][number];
type IrField = IrEntity["fields"][number];
type IrRole = Ir["auth"]["roles"][number];

function findEntity(ir: Ir, names: string): IrEntity | undefined {
  for (const name of alts(names)) {
    const entity = ir.entities.find((e) => e.name === name);
    if (entity !== undefined) return entity;
  }
  return undefined;
}

/** The entity names an alternatives string resolves to in this IR (all of them, for relation matching). */
function entityNames(ir: Ir, names: string): string[] {
  return alts(names).filter((n) => ir.entities.some((e) => e.name === n));
}

function findRole(ir: Ir, names: string): IrRole | undefined {
  for (const name of alts(names)) {
    const role = ir.auth.roles.find((r) => roleKey(r.name) === roleKey(name));
    if (role !== undefined) return role;
  }
  return undefined;
}

const entityList = (ir: Ir): string => `[${ir.entities.map((e) => e.name).join(", ")}]`;

function checkField(where: string, field: IrField, exp: FieldExpectation, out: Failure[]): void {
  const fail = (message: string) => out.push({ category: "fields", message: `${where}: ${message}` });
  if (exp.type !== undefined && !list(exp.type).includes(field.type))
    fail(`type should be ${list(exp.type).join(" or ")}, IR has ${field.type}`);
  if (exp.format !== undefined && !list(exp.format).includes(field.format))
    fail(`format should be ${list(exp.format).map(show).join(" or ")}, IR has ${show(field.format)}`);
  if (exp.required !== undefined && field.required !== exp.required)
    fail(`required should be ${exp.required}, IR has ${field.required}`);
  if (exp.unique !== undefined && field.unique !== exp.unique)
    fail(`unique should be ${exp.unique}, IR has ${field.unique}`);
  if (exp.default !== undefined && field.default !== exp.default)
    fail(`default should be ${show(exp.default)}, IR has ${show(field.default)}`);
  if (exp.currency !== undefined && field.currency !== exp.currency)
    fail(`currency should be ${exp.currency}, IR has ${show(field.currency)}`);
  if (exp.enumValues !== undefined) {
    const have = new Set((field.enumValues ?? []).map(enumKey));
    const missing = exp.enumValues.filter((v) => !have.has(enumKey(v)));
    if (missing.length > 0)
      fail(`enum values should include ${show(missing)}, IR has ${show(field.enumValues)}`);
  }
  for (const mark of exp.sensitivity ?? [])
    if (!field.sensitivity.includes(mark))
      fail(`sensitivity should include ${mark}, IR has ${show(field.sensitivity)}`);
  for (const mark of exp.sensitivityAbsent ?? [])
    if (field.sensitivity.includes(mark))
      fail(`sensitivity should not include ${mark}, IR has ${show(field.sensitivity)}`);
}

/** Every permission `role` has on `entity`, through grants naming it or `*`. */
function permissionsOn(role: IrRole, entity: string): Set<string> {
  const perms = new Set<string>();
  for (const grant of role.grants)
    if (grant.entity === "*" || grant.entity === entity) for (const p of grant.permissions) perms.add(p);
  return perms;
}

function checkBrief(ir: Ir, exp: Expectation): Failure[] {
  const out: Failure[] = [];
  const fail = (category: string, message: string) => out.push({ category, message });

  // Entities ---------------------------------------------------------------------------------
  for (const names of exp.entities ?? [])
    if (findEntity(ir, names) === undefined)
      fail("entities", `entity ${names} missing; IR entities ${entityList(ir)}`);
  for (const name of exp.entitiesAbsent ?? [])
    if (ir.entities.some((e) => e.name === name))
      fail("entities", `entity ${name} should not exist; IR entities ${entityList(ir)}`);
  if (exp.maxEntities !== undefined && ir.entities.length > exp.maxEntities)
    fail("entities", `at most ${exp.maxEntities} entities expected; IR entities ${entityList(ir)}`);

  // Fields -----------------------------------------------------------------------------------
  for (const [entityNamesAlt, fields] of Object.entries(exp.fields ?? {})) {
    const entity = findEntity(ir, entityNamesAlt);
    if (entity === undefined) {
      fail(
        "fields",
        `fields of ${entityNamesAlt} not checked: entity missing; IR entities ${entityList(ir)}`,
      );
      continue;
    }
    for (const [fieldNames, fieldExp] of Object.entries(fields)) {
      const field = alts(fieldNames)
        .map((n) => entity.fields.find((f) => f.name === n))
        .find((f) => f !== undefined);
      if (field === undefined) {
        fail(
          "fields",
          `${entity.name}.${fieldNames} missing; IR fields of ${entity.name}: [${entity.fields.map((f) => `${f.name}:${f.type}`).join(", ")}]`,
        );
        continue;
      }
      checkField(`${entity.name}.${field.name}`, field, fieldExp, out);
    }
  }

  // Relations --------------------------------------------------------------------------------
  const relationList = `[${ir.relations.map((r) => `${r.from} -${r.kind}-> ${r.to}`).join(", ")}]`;
  for (const rel of exp.relations ?? []) {
    const froms = entityNames(ir, rel.from);
    const tos = entityNames(ir, rel.to);
    const kinds = list(rel.kind);
    const what = `relation ${rel.from} -${kinds.join("|")}-> ${rel.to}${rel.owned === undefined ? "" : ` (owned: ${rel.owned})`}`;
    if (froms.length === 0 || tos.length === 0) {
      fail("relations", `${what} not checked: entity missing; IR entities ${entityList(ir)}`);
      continue;
    }
    const found = ir.relations.filter((r) => {
      if (!kinds.includes(r.kind)) return false;
      const forward = froms.includes(r.from) && tos.includes(r.to);
      // One-to-many is directional (from = the "one" side); the other kinds are symmetric.
      const backward = r.kind !== "one-to-many" && froms.includes(r.to) && tos.includes(r.from);
      return forward || backward;
    });
    if (found.length === 0) fail("relations", `${what} missing; IR relations ${relationList}`);
    else if (rel.owned !== undefined && !found.some((r) => r.owned === rel.owned))
      fail("relations", `${what}: owned should be ${rel.owned}; IR relations ${relationList}`);
  }

  // Operations -------------------------------------------------------------------------------
  for (const op of exp.operations ?? []) {
    const kind = op.kind ?? (op.verb === undefined ? undefined : "action");
    const entities = op.entity === undefined ? undefined : entityNames(ir, op.entity);
    const verbs = op.verb === undefined ? undefined : alts(op.verb);
    const what = `operation ${kind ?? "any"}${verbs === undefined ? "" : ` "${op.verb}"`} on ${op.entity ?? "any entity"}${op.searchBy === undefined ? "" : ` searching by ${op.searchBy.join(", ")}`}`;
    if (entities !== undefined && entities.length === 0) {
      fail("operations", `${what} not checked: entity missing; IR entities ${entityList(ir)}`);
      continue;
    }
    const match = ir.operations.find(
      (o) =>
        (entities === undefined || entities.includes(o.entity)) &&
        (kind === undefined || o.kind === kind) &&
        (verbs === undefined || verbs.includes(o.verb)) &&
        (op.searchBy ?? []).every((names) => alts(names).some((n) => o.searchBy.includes(n))),
    );
    if (match === undefined) {
      const scope =
        entities === undefined ? ir.operations : ir.operations.filter((o) => entities.includes(o.entity));
      const notCrud = scope.filter((o) => !["list", "get", "create", "update", "delete"].includes(o.kind));
      const described = notCrud.map(
        (o) =>
          `${o.entity}.${o.verb}(${o.kind}${o.searchBy.length > 0 ? ` by ${o.searchBy.join("/")}` : ""})`,
      );
      fail("operations", `${what} missing; IR non-CRUD operations there: [${described.join(", ")}]`);
    }
  }

  // Auth and roles ---------------------------------------------------------------------------
  const roleNames = `[${ir.auth.roles.map((r) => r.name).join(", ")}]`;
  if (exp.auth?.kind !== undefined && !list(exp.auth.kind).includes(ir.auth.kind))
    fail("auth", `auth kind should be ${list(exp.auth.kind).join(" or ")}, IR has ${ir.auth.kind}`);
  for (const names of exp.auth?.roles ?? [])
    if (findRole(ir, names) === undefined) fail("roles", `role ${names} missing; IR roles ${roleNames}`);
  for (const grant of exp.grants ?? []) {
    const role = findRole(ir, grant.role);
    if (role === undefined) {
      fail("roles", `grants of ${grant.role} not checked: role missing; IR roles ${roleNames}`);
      continue;
    }
    const targets =
      grant.entity === undefined ? ir.entities.map((e) => e.name) : entityNames(ir, grant.entity);
    if (targets.length === 0) {
      fail(
        "roles",
        `grants of ${grant.role} on ${grant.entity ?? "every entity"} not checked: no such entity`,
      );
      continue;
    }
    // Entities with the same problem are reported together, so "every entity" stays one line.
    const problems = new Map<string, string[]>();
    for (const target of targets) {
      const perms = permissionsOn(role, target);
      const lacking = (grant.can ?? []).filter((p) => !perms.has(p));
      const extra = (grant.cannot ?? []).filter((p) => perms.has(p));
      if (lacking.length === 0 && extra.length === 0) continue;
      const problem = [
        lacking.length > 0 ? `should be able to ${lacking.join(", ")}` : "",
        extra.length > 0 ? `should not be able to ${extra.join(", ")}` : "",
      ]
        .filter(Boolean)
        .join("; ");
      problems.set(problem, [...(problems.get(problem) ?? []), target]);
    }
    for (const [problem, targets] of problems)
      fail("roles", `role ${role.name} on ${targets.join(", ")}: ${problem}; IR grants ${show(role.grants)}`);
  }

  // Non-functional ---------------------------------------------------------------------------
  const nf = ir.nonFunctional;
  const onFlags = NfFlag.options.filter((flag) => nf[flag] !== null);
  for (const flag of exp.nonFunctional?.on ?? [])
    if (nf[flag] === null) fail("nonFunctional", `${flag} should be on; IR has on: [${onFlags.join(", ")}]`);
  for (const flag of exp.nonFunctional?.off ?? [])
    if (nf[flag] !== null) fail("nonFunctional", `${flag} should be off; IR has ${show(nf[flag])}`);
  const rate = exp.nonFunctional?.rateLimit;
  if (
    rate !== undefined &&
    (nf.rateLimit?.requests !== rate.requests || nf.rateLimit.windowSeconds !== rate.windowSeconds)
  )
    fail(
      "nonFunctional",
      `rate limit should be ${rate.requests} per ${rate.windowSeconds}s, IR has ${nf.rateLimit === null ? "none" : `${nf.rateLimit.requests} per ${nf.rateLimit.windowSeconds}s`}`,
    );
  const retention = exp.nonFunctional?.retentionDays;
  if (retention !== undefined) {
    const [min, max] =
      typeof retention === "number" ? [retention, retention] : [retention.min, retention.max];
    const days = nf.retention?.days;
    if (days === undefined || days < min || days > max)
      fail(
        "nonFunctional",
        `retention should be ${min === max ? min : `${min}..${max}`} days, IR has ${days ?? "none"}`,
      );
  }

  // Stack and kind ---------------------------------------------------------------------------
  for (const key of ["language", "framework", "frontend"] as const) {
    const want = exp.stack?.[key];
    if (want !== undefined && ir.stack[key] !== want)
      fail("stack", `stack.${key} should be ${want}, IR has ${ir.stack[key]}`);
  }
  if (exp.appKind !== undefined && !list(exp.appKind).includes(ir.app.kind))
    fail("appKind", `app kind should be ${list(exp.appKind).join(" or ")}, IR has ${ir.app.kind}`);

  // Overlays ---------------------------------------------------------------------------------
  const overlayList = `[${ir.overlays.map((o) => `${o.name}(${o.reason})`).join(", ")}]`;
  for (const name of exp.overlays ?? [])
    if (!ir.overlays.some((o) => o.name === name))
      fail("overlays", `overlay ${name} missing; IR overlays ${overlayList}`);
  for (const name of exp.overlaysAbsent ?? []) {
    const found = ir.overlays.find((o) => o.name === name);
    if (found !== undefined)
      fail(
        "overlays",
        `overlay ${name} should be absent; IR has it (${found.reason}, evidence ${show(found.evidence)})`,
      );
  }
  return out;
}

/** The expected rejection: a UserInputError whose code names one of the accepted categories. */
function checkRejection(brief: string, accepted: string[], catalog: Overlay[]): Failure[] {
  const codeKey = (s: string) => s.toLowerCase().replace(/[^a-z]/g, "");
  let ir: Ir;
  try {
    ir = compileBrief(brief, { overlayCatalog: catalog });
  } catch (error) {
    if (!(error instanceof UserInputError))
      return [
        {
          category: "invalid",
          message: `should be rejected as ${accepted.join(" or ")} with a UserInputError, threw ${String(error)}`,
        },
      ];
    if (!accepted.some((c) => codeKey(error.code).includes(codeKey(c))))
      return [
        {
          category: "invalid",
          message: `rejected with code ${error.code} ("${error.message}"), expected a code naming ${accepted.join(" or ")}`,
        },
      ];
    return [];
  }
  return [
    {
      category: "invalid",
      message: `should be rejected as ${accepted.join(" or ")}, but compiled; IR entities ${entityList(ir)}`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------

let catalog: Overlay[] = [];
const results = new Map<string, Failure[]>();
const key = (c: BriefCase) => `${c.set}/${c.id}`;

function evaluate(c: BriefCase): Failure[] {
  const cached = results.get(key(c));
  if (cached !== undefined) return cached;
  let failures: Failure[];
  if (c.expectation.invalid !== undefined) {
    failures = checkRejection(c.brief, list(c.expectation.invalid), catalog);
  } else {
    try {
      failures = checkBrief(compileBrief(c.brief, { overlayCatalog: catalog }), c.expectation);
    } catch (error) {
      failures = [{ category: "crash", message: `should compile, threw ${String(error)}` }];
    }
  }
  results.set(key(c), failures);
  return failures;
}

function assertBrief(c: BriefCase): void {
  const failures = evaluate(c);
  if (failures.length > 0)
    expect.fail(
      `${c.set}/${c.file}: ${failures.length} expectation(s) not met\n${failures.map((f) => `  - [${f.category}] ${f.message}`).join("\n")}`,
    );
}

beforeAll(async () => {
  ({ catalog } = await loadCatalog(repoDir));
});

// ---------------------------------------------------------------------------------------------
// The ratchet. Briefs listed in baseline.json pass today and must keep passing (a regression fails
// with the full detail). The others are known gaps: their test asserts they still fail, without
// printing what failed (so holdout details stay hidden), and fails the day one starts passing, so
// that the baseline is raised deliberately:
//   QLF_UPDATE_CORPUS_BASELINE=1 npx vitest run test/ir/corpus.test.ts
// ---------------------------------------------------------------------------------------------

const baselineFile = path.join(corpusDir, "baseline.json");
const Baseline = z.strictObject({ note: z.string(), passing: z.array(z.string()) });
const baseline = new Set(Baseline.parse(JSON.parse(readFileSync(baselineFile, "utf8"))).passing);
const updatingBaseline = process.env.QLF_UPDATE_CORPUS_BASELINE === "1";

function assertRatchet(c: BriefCase): void {
  if (updatingBaseline || process.env.QLF_CORPUS_DETAIL === "1") {
    if (!updatingBaseline && c.set === "dev") assertBrief(c);
    return;
  }
  if (baseline.has(key(c))) {
    assertBrief(c);
    return;
  }
  expect(
    evaluate(c).length,
    `${key(c)} now meets every expectation: raise the baseline (QLF_UPDATE_CORPUS_BASELINE=1 npx vitest run test/ir/corpus.test.ts)`,
  ).toBeGreaterThan(0);
}

describe("brief corpus: dev", () => {
  it.each(devCases.map((c) => [c.id, c] as const))("%s", (_id, c) => assertRatchet(c));
});

describe("brief corpus: holdout", () => {
  it.each(holdoutCases.map((c) => [c.id, c] as const))("%s", (_id, c) => assertRatchet(c));
});

describe("brief corpus: determinism and schema", () => {
  const valid = allCases.filter((c) => c.expectation.invalid === undefined);
  it.each(valid.map((c) => [key(c), c] as const))("%s compiles to the same valid IR twice", (_id, c) => {
    // A brief the compiler cannot read yet must at least be refused the same way twice, with a
    // user error (whether it should compile is the per-brief expectation's business).
    const attempt = (): Ir | string => {
      try {
        return compileBrief(c.brief, { overlayCatalog: catalog });
      } catch (error) {
        expect(error, `${key(c)}: threw something other than a user error`).toBeInstanceOf(UserInputError);
        return (error as UserInputError).code;
      }
    };
    const first = attempt();
    const second = attempt();
    if (typeof first === "string") {
      expect(second, `${key(c)}: refused differently the second time`).toBe(first);
      return;
    }
    const parsed = IR.safeParse(first);
    if (!parsed.success) expect.fail(`${key(c)}: IR fails its schema:\n${z.prettifyError(parsed.error)}`);
    expect(JSON.stringify(second), `${key(c)}: second compile differs`).toBe(JSON.stringify(first));
  });
});

describe("brief corpus: summary", () => {
  it("has enough briefs, each with a well-formed expectation, and reports pass rates per set", () => {
    expect(corpusProblems, "corpus files").toEqual([]);
    expect(devCases.length).toBeGreaterThanOrEqual(40);
    expect(holdoutCases.length).toBeGreaterThanOrEqual(12);

    const lines: string[] = ["brief corpus score"];
    for (const [set, cases] of [
      ["dev", devCases],
      ["holdout", holdoutCases],
    ] as const) {
      const byCategory = new Map<string, number>();
      let passed = 0;
      for (const c of cases) {
        const failures = evaluate(c);
        if (failures.length === 0) passed++;
        for (const f of failures) byCategory.set(f.category, (byCategory.get(f.category) ?? 0) + 1);
      }
      const pct = ((100 * passed) / cases.length).toFixed(1);
      const categories = [...byCategory.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([category, n]) => `${category} ${n}`)
        .join(", ");
      lines.push(
        `  ${set.padEnd(8)} ${passed}/${cases.length} briefs pass (${pct}%); failed expectations: ${categories || "none"}`,
      );
    }
    console.log(lines.join("\n"));
    expect(results.size).toBe(allCases.length);
    if (updatingBaseline) {
      const passing = allCases.filter((c) => evaluate(c).length === 0).map(key);
      const note =
        "Briefs that meet every expectation today; they must keep passing. Regenerate with QLF_UPDATE_CORPUS_BASELINE=1 npx vitest run test/ir/corpus.test.ts";
      writeFileSync(baselineFile, `${JSON.stringify({ note, passing }, null, 2)}\n`);
    }
  });
});
