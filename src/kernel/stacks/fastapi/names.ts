/** The names one entity gets across the generated FastAPI app. */
import type { EntityPlan, PlannedField } from "../../generate/plan-schema.js";
import { moduleName } from "./py.js";

export interface EntityNames {
  /** `Patient` */
  readonly type: string;
  /** `patients`: module under app/models, app/repositories, app/routers, and the Repositories attribute. */
  readonly module: string;
  readonly repository: string;
  readonly memoryRepository: string;
  readonly pgRepository: string;
  /** `PatientCreate` / `PatientUpdate`: request bodies. */
  readonly create: string;
  readonly update: string;
  /** `seed_patient`, `patient_input` (tests). */
  readonly seed: string;
  readonly input: string;
}

export function namesOf(entity: EntityPlan): EntityNames {
  const module = moduleName(entity.route);
  const singular = moduleName(entity.name.replace(/([a-z0-9])([A-Z])/g, "$1_$2"));
  return {
    type: entity.name,
    module,
    repository: `${entity.name}Repository`,
    memoryRepository: `Memory${entity.name}Repository`,
    pgRepository: `Pg${entity.name}Repository`,
    create: `${entity.name}Create`,
    update: `${entity.name}Update`,
    seed: `seed_${singular}`,
    input: `${singular}_input`,
  };
}

/** A stored property of the record: a planned field with a column, or the card token. */
export interface RecordProperty {
  /** Key in the record dict (the JSON name; `cardToken` for the token). */
  readonly name: string;
  readonly column: string;
  /** The field, or null for the card token (which has no field). */
  readonly field: PlannedField | null;
  readonly nullable: boolean;
  readonly encrypted: boolean;
}

/** `card_token` → `cardToken`. */
function camelFromSnake(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
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

/** The record key of the card token (`cardToken`), when the entity stores cards. */
export function cardTokenProperty(entity: EntityPlan): string | null {
  return entity.card === null ? null : camelFromSnake(entity.card.tokenColumn);
}
