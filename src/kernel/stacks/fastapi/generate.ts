/**
 * The FastAPI stack's generator: plan + rules in, the backend's files out. Every route, schema and
 * column comes from the plan, so the code agrees with the OpenAPI document and the migrations.
 */
import { QlfError } from "../../errors.js";
import type { ApiPlan } from "../../generate/plan-schema.js";
import type { GenerationContext } from "../../generate/stack.js";
import { file, type GeneratedFile } from "../../generate/tree.js";
import { featuresOf } from "../shared/features.js";
import { repositoryNeeds } from "../shared/repository-needs.js";
import { modelFile } from "./entity/model.js";
import { repositoryFile } from "./entity/repository.js";
import { routerFile } from "./entity/router.js";
import { markersFor } from "./markers.js";
import { namesOf } from "./names.js";
import {
  dockerfile,
  envExample,
  gitignore,
  pyprojectToml,
  requirementsDevTxt,
  requirementsTxt,
  stackDoc,
} from "./project.js";
import { tidy } from "./py.js";
import {
  contextFile,
  initFile,
  mainFile,
  mainModuleFile,
  mountedEntities,
  storesFile,
} from "./runtime/app.js";
import { compatFile, configFile, errorsFile, validationFile } from "./runtime/core.js";
import { authFile, logsFile, middlewareFile } from "./runtime/http.js";
import { auditFile, cardTokensFile, fieldCipherFile, idempotencyFile } from "./runtime/security.js";
import {
  dbFile,
  migrateFile,
  storageErrorsFile,
  storageInitFile,
  storageMemoryFile,
  storageQueryFile,
  storageSchemaFile,
} from "./runtime/storage.js";
import { appTestFile } from "./tests/app-tests.js";
import { entityTestFile } from "./tests/entity-tests.js";
import { conftestFile, samplesFile } from "./tests/helpers.js";

/**
 * @example
 * const files = generateFastapi(context); // [{ path: "app/main.py", … }, …]
 */
export function generateFastapi(context: GenerationContext): GeneratedFile[] {
  const { plan } = context;
  checkPlan(plan);
  const features = featuresOf(plan);
  const markers = markersFor(context.rules);
  const py = (path: string, content: string) => file(path, tidy(content));
  const files: GeneratedFile[] = [
    file("pyproject.toml", pyprojectToml(plan, features)),
    file("requirements.txt", requirementsTxt(features)),
    file("requirements-dev.txt", requirementsDevTxt()),
    file(".gitignore", gitignore()),
    file(".env.example", envExample(plan)),
    file("Dockerfile", dockerfile()),
    file("docs/stack.md", stackDoc(plan, features)),
    py("app/__init__.py", initFile(plan)),
    py("app/__main__.py", mainModuleFile()),
    py("app/main.py", mainFile(plan, features, markers)),
    py("app/context.py", contextFile(plan, features)),
    py("app/stores.py", storesFile(plan, features)),
    py("app/config.py", configFile(plan, features)),
    py("app/compat.py", compatFile()),
    py("app/validation.py", validationFile()),
    py("app/errors.py", errorsFile()),
    py("app/logs.py", logsFile(plan, markers)),
    py("app/middleware.py", middlewareFile(features, markers)),
    py("app/db.py", dbFile()),
    py("app/migrate.py", migrateFile()),
    py("app/storage/__init__.py", storageInitFile()),
    py("app/storage/schema.py", storageSchemaFile(plan)),
    py("app/storage/errors.py", storageErrorsFile()),
    py("app/storage/memory.py", storageMemoryFile()),
    py("app/storage/query.py", storageQueryFile()),
    py("app/models/__init__.py", '"""Request bodies and response shapes, one module per resource."""\n'),
    py(
      "app/repositories/__init__.py",
      '"""Storage, one module per resource: a protocol, a memory and a PostgreSQL store."""\n',
    ),
    py("app/routers/__init__.py", '"""HTTP routes, one APIRouter per resource."""\n'),
    py("tests/conftest.py", conftestFile(plan, features)),
    py("tests/samples.py", samplesFile(plan)),
    py("tests/test_app.py", appTestFile(plan, features, markers)),
  ];
  if (features.auth !== "none") files.push(py("app/auth.py", authFile(features)));
  if (features.idempotency) files.push(py("app/idempotency.py", idempotencyFile(markers)));
  if (features.audit) files.push(py("app/audit.py", auditFile()));
  if (features.encryption) files.push(py("app/field_cipher.py", fieldCipherFile()));
  if (features.card) files.push(py("app/card_tokens.py", cardTokensFile()));
  const mounted = new Set(mountedEntities(plan).map((entity) => entity.name));
  for (const entity of plan.entities) {
    const names = namesOf(entity);
    const ops = plan.operations.filter((op) => op.entity === entity.name);
    files.push(
      py(`app/models/${names.module}.py`, modelFile(entity, names, ops, markers)),
      py(
        `app/repositories/${names.module}.py`,
        repositoryFile(entity, names, repositoryNeeds(plan, entity), markers),
      ),
    );
    if (mounted.has(entity.name)) {
      files.push(
        py(`app/routers/${names.module}.py`, routerFile(plan, entity, names, features, markers)),
        py(`tests/test_${names.module}.py`, entityTestFile(plan, entity, features, markers)),
      );
    }
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The plan shapes this stack serves; anything else is a planner bug, reported as such. */
function checkPlan(plan: ApiPlan): void {
  const modules = new Map<string, string>();
  for (const entity of plan.entities) {
    const module = namesOf(entity).module;
    const other = modules.get(module);
    if (other !== undefined) {
      throw new QlfError(
        "fastapi.unsupported-plan",
        `entities ${other} and ${entity.name} would share the Python module ${module}`,
        { hint: "this is a bug in the planner or the FastAPI stack; please report it" },
      );
    }
    modules.set(module, entity.name);
  }
  for (const op of plan.operations) {
    for (const param of op.parameters) {
      if (param.in === "path" && (param.name !== "id" || param.schema.format !== "uuid")) {
        throw new QlfError(
          "fastapi.unsupported-plan",
          `operation ${op.id}: path parameter "${param.name}" is not the uuid "id" the FastAPI stack serves`,
          { hint: "this is a bug in the planner or the FastAPI stack; please report it" },
        );
      }
    }
  }
}
