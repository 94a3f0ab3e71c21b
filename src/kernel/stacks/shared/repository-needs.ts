/**
 * What an entity's repository and routes need from the API plan, the same in every language: which
 * list and search operations it has, which fields its actions guard, by which parents' keys it is
 * listed for their exports, and the children it exports with.
 */
import type { ApiPlan, EntityPlan, PlannedOperation } from "../../generate/plan-schema.js";

/** What an entity's repository must offer beyond the basics, from the operations of the plan. */
export interface RepositoryNeeds {
  readonly list: PlannedOperation | undefined;
  readonly search: PlannedOperation | undefined;
  /** Transition fields of its actions (for the optimistic guard on update). */
  readonly guardFields: readonly string[];
  /** Whether any action moves a record only from given states (so updates must be guarded). */
  readonly guarded: boolean;
  /** Foreign keys to parents that export this entity as an owned child. */
  readonly listBy: readonly { readonly foreignKey: string; readonly column: string }[];
}

export function repositoryNeeds(plan: ApiPlan, entity: EntityPlan): RepositoryNeeds {
  const ops = plan.operations.filter((op) => op.entity === entity.name);
  const exporting = new Set(plan.operations.filter((op) => op.kind === "export").map((op) => op.entity));
  const listBy = plan.entities
    .filter((parent) => exporting.has(parent.name))
    .flatMap((parent) => parent.children.filter((child) => child.entity === entity.name))
    .map((child) => ({ foreignKey: child.foreignKey, column: child.column }));
  return {
    list: ops.find((op) => op.kind === "list"),
    search: ops.find((op) => op.kind === "search"),
    guardFields: [...new Set(ops.flatMap((op) => (op.transition === null ? [] : [op.transition.field])))],
    guarded: ops.some((op) => op.transition !== null && op.transition.from.length > 0),
    listBy: listBy.filter(
      (item, index) => listBy.findIndex((other) => other.foreignKey === item.foreignKey) === index,
    ),
  };
}

/** The children an entity's export includes, with the names each stack gives them. */
export function exportChildren<Names>(
  plan: ApiPlan,
  entity: EntityPlan,
  namesOf: (entity: EntityPlan) => Names,
): { child: EntityPlan["children"][number]; entity: EntityPlan; names: Names }[] {
  return entity.children.flatMap((child) => {
    const childEntity = plan.entities.find((candidate) => candidate.name === child.entity);
    return childEntity === undefined ? [] : [{ child, entity: childEntity, names: namesOf(childEntity) }];
  });
}
