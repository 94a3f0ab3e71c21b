/**
 * Merging the model's IR into the heuristic compiler's. The model may add what the rules missed
 * (entities, fields, relations, operations, roles, questions, non-functional requirements that were
 * off); it may not remove or weaken anything: existing entities, fields, relations, operations and
 * role grants stay as the rules made them, sensitivity marks and overlays keep the union of both,
 * auth can only get stricter, and the stack, app name and brief hash are the compiler's. Every
 * addition has origin "llm", and its evidence is kept only where the words really are in the brief.
 */
import { camelCase } from "../ir/inflect.js";
import {
  type Entity,
  type Field,
  IR,
  type NonFunctional,
  type Operation,
  type Relation,
  type Role,
  type Sensitivity,
} from "../ir/schema.js";
import type { FieldMarker } from "../overlays/field-marks.js";

export interface IrMerge {
  readonly ir: IR;
  /** What the model added, e.g. `entity Invoice`, `field Patient.allergies`, `mark Patient.notes: phi`. */
  readonly additions: readonly string[];
  /** What the model proposed that was dropped, and why. */
  readonly dropped: readonly string[];
}

const SYSTEM_FIELDS = new Set(["id", "createdAt", "updatedAt", "deletedAt"]);
const AUTH_STRENGTH = { none: 0, "api-key": 1, jwt: 2, oauth: 2 } as const;

/**
 * @param marks the `mark-sensitive` rules in force (`fieldMarker(rules)`), applied to added fields.
 * @example
 * const { ir, additions } = mergeIr(heuristic, fromModel, brief, fieldMarker(rules));
 */
export function mergeIr(heuristic: IR, model: IR, brief: string, marks: FieldMarker): IrMerge {
  const additions: string[] = [];
  const dropped: string[] = [];
  const lowerBrief = brief.toLowerCase();
  const evidence = (words: readonly string[]) =>
    words.filter((word) => word.trim() !== "" && lowerBrief.includes(word.toLowerCase()));
  const ir = structuredClone(heuristic) as IR;

  // Entities and fields.
  const entities = new Map(ir.entities.map((entity) => [entity.name, entity]));
  const tables = new Set(ir.entities.map((entity) => entity.table));
  const routes = new Set(ir.entities.map((entity) => entity.route));
  const addField = (entity: Entity, field: Field, note: boolean) => {
    if (SYSTEM_FIELDS.has(field.name)) return;
    if (entity.fields.some((f) => f.name === field.name || f.column === field.column)) return;
    const sensitivity = union(field.sensitivity, marks(field.name));
    entity.fields.push({ ...field, sensitivity, origin: "llm", evidence: evidence(field.evidence) });
    if (note) additions.push(`field ${entity.name}.${field.name}`);
  };
  for (const proposed of model.entities) {
    const existing = entities.get(proposed.name);
    if (existing === undefined) {
      if (tables.has(proposed.table) || routes.has(proposed.route)) {
        dropped.push(`entity ${proposed.name}: its table or route is taken`);
        continue;
      }
      const entity: Entity = {
        ...proposed,
        fields: [],
        origin: "llm",
        evidence: evidence(proposed.evidence),
      };
      for (const field of proposed.fields) addField(entity, field, false);
      ir.entities.push(entity);
      entities.set(entity.name, entity);
      tables.add(entity.table);
      routes.add(entity.route);
      additions.push(`entity ${entity.name}`);
      continue;
    }
    for (const field of proposed.fields) {
      const known = existing.fields.find((f) => f.name === field.name);
      if (known === undefined) {
        addField(existing, field, true);
        continue;
      }
      // Safety-relevant: a mark either side saw is kept.
      const marked = union(known.sensitivity, field.sensitivity);
      for (const mark of marked)
        if (!known.sensitivity.includes(mark)) additions.push(`mark ${existing.name}.${known.name}: ${mark}`);
      known.sensitivity = marked;
    }
  }

  // Relations between entities that exist; one relation per pair.
  const paired = new Set(ir.relations.map((relation) => pairKey(relation.from, relation.to)));
  for (const proposed of model.relations) {
    const from = entities.get(proposed.from);
    const to = entities.get(proposed.to);
    if (from === undefined || to === undefined || from === to) {
      dropped.push(`relation ${proposed.from} → ${proposed.to}: unknown entity`);
      continue;
    }
    if (paired.has(pairKey(from.name, to.name))) continue;
    const relation = relationFrom(proposed, from, to);
    // The foreign key is a convention on the child; a field of that name would clash with it.
    const fk = relation.foreignKey;
    if (fk !== null && to.fields.some((field) => field.name === fk && field.origin !== "llm")) {
      dropped.push(`relation ${from.name} → ${to.name}: ${to.name}.${fk} already exists`);
      continue;
    }
    if (fk !== null) to.fields = to.fields.filter((field) => field.name !== fk);
    ir.relations.push({ ...relation, origin: "llm", evidence: evidence(proposed.evidence) });
    paired.add(pairKey(from.name, to.name));
    additions.push(`relation ${from.name} ${relation.kind} ${to.name}`);
  }

  // Auth: only ever stricter; roles added, existing grants untouched.
  if (AUTH_STRENGTH[model.auth.kind] > AUTH_STRENGTH[ir.auth.kind]) {
    additions.push(`auth ${model.auth.kind} (was ${ir.auth.kind})`);
    ir.auth = { ...ir.auth, kind: model.auth.kind, origin: "llm", evidence: evidence(model.auth.evidence) };
  }
  const roleNames = new Set(ir.auth.roles.map((role) => role.name));
  for (const role of model.auth.roles) {
    if (roleNames.has(role.name)) continue;
    const grants = role.grants.filter((grant) => grant.entity === "*" || entities.has(grant.entity));
    const added: Role = { ...role, grants, origin: "llm", evidence: evidence(role.evidence) };
    ir.auth.roles.push(added);
    roleNames.add(role.name);
    additions.push(`role ${role.name}`);
  }

  // Operations: new ids on existing entities, one per kind (one action per verb) and entity.
  const opKey = (op: Pick<Operation, "entity" | "kind" | "verb">) =>
    `${op.entity}:${op.kind}:${op.kind === "action" ? op.verb : ""}`;
  const ids = new Set(ir.operations.map((op) => op.id));
  const kinds = new Set(ir.operations.map(opKey));
  for (const proposed of model.operations) {
    const entity = entities.get(proposed.entity);
    if (entity === undefined) {
      dropped.push(`operation ${proposed.id}: unknown entity ${proposed.entity}`);
      continue;
    }
    if (ids.has(proposed.id) || kinds.has(opKey(proposed))) continue;
    const fieldNames = new Set(entity.fields.map((field) => field.name));
    const only = (names: readonly string[]) => names.filter((name) => fieldNames.has(name));
    const transition = proposed.transition;
    const target =
      transition === null ? undefined : entity.fields.find((field) => field.name === transition.field);
    const validTransition =
      transition !== null &&
      target?.type === "enum" &&
      (target.enumValues ?? []).includes(transition.to) &&
      transition.from.every((value) => (target.enumValues ?? []).includes(value));
    ir.operations.push({
      ...proposed,
      filterBy: only(proposed.filterBy),
      sortBy: only(proposed.sortBy),
      searchBy: only(proposed.searchBy),
      transition: validTransition ? transition : null,
      roles: proposed.roles.filter((role) => roleNames.has(role)),
      origin: "llm",
      evidence: evidence(proposed.evidence),
    });
    ids.add(proposed.id);
    kinds.add(opKey(proposed));
    additions.push(`operation ${proposed.id}`);
  }

  // Non-functional requirements: the model may turn on what the rules left off, never turn off.
  const nf = ir.nonFunctional as Record<keyof NonFunctional, unknown>;
  for (const key of Object.keys(model.nonFunctional) as (keyof NonFunctional)[]) {
    const proposed = model.nonFunctional[key];
    if (nf[key] === null && proposed !== null) {
      nf[key] = { ...proposed, origin: "llm", evidence: evidence(proposed.evidence) };
      additions.push(`non-functional ${key}`);
    }
  }

  const questionIds = new Set(ir.questions.map((question) => question.id));
  for (const question of model.questions) {
    if (!questionIds.has(question.id)) {
      ir.questions.push(question);
      questionIds.add(question.id);
    }
  }

  const parsed = IR.safeParse(ir);
  if (!parsed.success) {
    // Cannot happen with a schema-valid model IR; keep the rules' IR rather than fail the run.
    return {
      ir: heuristic,
      additions: [],
      dropped: [...dropped, `the merged IR is invalid: ${parsed.error.message}`],
    };
  }
  return { ir: parsed.data, additions, dropped };
}

function union(a: readonly Sensitivity[], b: readonly Sensitivity[]): Sensitivity[] {
  return [...new Set([...a, ...b])];
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** The model's relation with the conventions filled in (foreign key on the child, join table). */
function relationFrom(proposed: Relation, from: Entity, to: Entity): Relation {
  if (proposed.kind === "many-to-many") {
    const [a, b] = [from.table, to.table].sort();
    return { ...proposed, foreignKey: null, joinTable: proposed.joinTable ?? `${a}_${b}` };
  }
  return { ...proposed, foreignKey: proposed.foreignKey ?? `${camelCase(from.name)}Id`, joinTable: null };
}
