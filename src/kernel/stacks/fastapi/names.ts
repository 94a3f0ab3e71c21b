/** The names one entity gets across the generated FastAPI app. */
import type { EntityPlan } from "../../generate/plan-schema.js";

import { moduleName } from "./py.js";

export { cardTokenProperty, type RecordProperty, recordProperties } from "../shared/record-properties.js";

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
