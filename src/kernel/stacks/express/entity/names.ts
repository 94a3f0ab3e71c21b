/** The names one entity gets across the generated Express app. */
import type { EntityPlan } from "../../../generate/plan-schema.js";

import { lowerFirst } from "../code.js";

export { cardTokenProperty, type RecordProperty, recordProperties } from "../../shared/record-properties.js";

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
