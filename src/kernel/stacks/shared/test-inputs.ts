/**
 * What the generated tests send when they create a record, the same for every stack: the fields a
 * sample body carries, and the parent record a foreign key of it must point at.
 */
import type { ApiPlan, EntityPlan, PlannedField } from "../../generate/plan-schema.js";

/** The entity of the plan named `name`. */
export function entityNamed(plan: ApiPlan, name: string): EntityPlan | undefined {
  return plan.entities.find((candidate) => candidate.name === name);
}

/** The fields a sample POST body carries: every writable field except consents and optional references. */
export function inputFields(plan: ApiPlan, entity: EntityPlan): PlannedField[] {
  return entity.fields.filter((field) => {
    if (field.create === "forbidden" || field.role === "consent") return false;
    if (field.role !== "foreign-key" || field.references === null) return true;
    const parent = entityNamed(plan, field.references.entity);
    return field.create === "required" && parent !== undefined && parent.name !== entity.name;
  });
}
