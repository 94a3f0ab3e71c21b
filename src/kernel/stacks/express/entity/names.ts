/** The names one entity gets across the generated Express app. */
import type { EntityPlan, PlannedField } from "../../../generate/plan-schema.js";
import { camelFromSnake, lowerFirst } from "../code.js";

export interface EntityNames {
  /** `Patient`: the API type. */
  readonly type: string;
  /** `PatientRecord`: the stored record (decrypted, card as a token). */
  readonly record: string;
  readonly repository: string;
  readonly memoryRepository: string;
  readonly pgRepository: string;
  /** `patientRoutes` */
  readonly routes: string;
  /** `toPatient`: record → API shape. */
  readonly toApi: string;
  /** `patients`: its key in `Repositories`. */
  readonly key: string;
  /** `src/resources/patients` */
  readonly dir: string;
  /** `patients` (module folder name, from the route). */
  readonly folder: string;
}

export function namesOf(entity: EntityPlan): EntityNames {
  return {
    type: entity.name,
    record: `${entity.name}Record`,
    repository: `${entity.name}Repository`,
    memoryRepository: `Memory${entity.name}Repository`,
    pgRepository: `Pg${entity.name}Repository`,
    routes: `${lowerFirst(entity.name)}Routes`,
    toApi: `to${entity.name}`,
    key: lowerFirst(entity.plural),
    dir: `src/resources/${entity.route}`,
    folder: entity.route,
  };
}

/** A stored property of the record: a planned field with a column, or the card token. */
export interface RecordProperty {
  /** Property name in the record (camelCase). */
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
