/**
 * The stored properties of a record, whatever the stack: every field with a column, and for card
 * numbers the token that is stored instead of the number (PCI DSS 3.4).
 */
import type { EntityPlan, PlannedField } from "../../generate/plan-schema.js";

function camelFromSnake(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A stored property of the record: a planned field with a column, or the card token. */
export interface RecordProperty {
  /** Key in the record (the JSON name; `cardToken` for the token). */
  readonly name: string;
  readonly column: string;
  /** The field, or null for the card token (which has no field). */
  readonly field: PlannedField | null;
  readonly nullable: boolean;
  readonly encrypted: boolean;
}

/** Every stored property, in column order (the card token where the card number was). */
export function recordProperties(entity: EntityPlan): RecordProperty[] {
  const out: RecordProperty[] = [];
  for (const field of entity.fields) {
    if (field.role === "card-number") {
      if (entity.card !== null) {
        out.push({
          name: camelFromSnake(entity.card.tokenColumn),
          column: entity.card.tokenColumn,
          field: null,
          nullable: field.schema.nullable,
          encrypted: false,
        });
      }
      continue;
    }
    if (field.column === null) continue;
    out.push({
      name: field.name,
      column: field.column,
      field,
      nullable: field.schema.nullable,
      encrypted: field.encrypted,
    });
  }
  return out;
}

/** The name of the card token property (`cardToken`), when the entity stores cards. */
export function cardTokenProperty(entity: EntityPlan): string | null {
  return entity.card === null ? null : camelFromSnake(entity.card.tokenColumn);
}
