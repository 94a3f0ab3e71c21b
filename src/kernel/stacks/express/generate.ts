/**
 * The Express stack's generator: plan + rules in, the backend's files out. Every route, schema and
 * column comes from the plan, so the code agrees with the OpenAPI document and the migrations.
 */

import { QlfError } from "../../errors.js";
import type { ApiPlan } from "../../generate/plan-schema.js";
import type { GenerationContext } from "../../generate/stack.js";
import { file, type GeneratedFile } from "../../generate/tree.js";
import { featuresOf } from "../shared/features.js";
import { repositoryNeeds } from "../shared/repository-needs.js";
import { modelFile } from "./entity/model.js";
import { namesOf } from "./entity/names.js";
import { memoryRepositoryFile, pgRepositoryFile, repositoryFile } from "./entity/repository.js";
import { routesFile } from "./entity/routes.js";
import { markersFor } from "./markers.js";
import {
  dockerfile,
  envExample,
  gitignore,
  packageJson,
  stackDoc,
  tsconfigBuildJson,
  tsconfigJson,
  vitestConfig,
} from "./project.js";
import { appFile, contextFile, storesFile } from "./runtime/app.js";
import { auditLogFile, cardTokensFile, fieldCipherFile } from "./runtime/audit-security.js";
import { configFile } from "./runtime/config.js";
import { httpAuthFile } from "./runtime/http-auth.js";
import { httpErrorsFile } from "./runtime/http-errors.js";
import { rateLimitFile, securityHeadersFile } from "./runtime/http-misc.js";
import { httpValidationFile } from "./runtime/http-validation.js";
import { idempotencyFile } from "./runtime/idempotency.js";
import { loggerFile } from "./runtime/logger.js";
import { dbFile, migrateCliFile, migrationsFile, serverFile } from "./runtime/process.js";
import {
  memoryDatabaseFile,
  pgErrorsFile,
  storageErrorsFile,
  storageQueryFile,
  storageSchemaFile,
} from "./runtime/storage.js";
import { appTestFile } from "./tests/app-tests.js";
import { entityTestFile } from "./tests/entity-tests.js";
import { samplesFile, testAppFile } from "./tests/helpers.js";

export function generateExpress(context: GenerationContext): GeneratedFile[] {
  const { plan } = context;
  checkPlan(plan);
  const features = featuresOf(plan);
  const markers = markersFor(context.rules);
  const files: GeneratedFile[] = [
    file("package.json", packageJson(plan, features)),
    file("tsconfig.json", tsconfigJson()),
    file("tsconfig.build.json", tsconfigBuildJson()),
    file("vitest.config.ts", vitestConfig()),
    file(".gitignore", gitignore()),
    file(".env.example", envExample(plan)),
    file("Dockerfile", dockerfile()),
    file("docs/stack.md", stackDoc(plan, features)),
    file("src/server.ts", serverFile(features)),
    file("src/app.ts", appFile(plan, features, markers)),
    file("src/context.ts", contextFile(plan, features)),
    file("src/stores.ts", storesFile(plan, features)),
    file("src/config.ts", configFile(plan, features)),
    file("src/logger.ts", loggerFile(plan, markers)),
    file("src/db.ts", dbFile()),
    file("src/migrations.ts", migrationsFile()),
    file("src/migrate.ts", migrateCliFile()),
    file("src/http/errors.ts", httpErrorsFile()),
    file("src/http/validation.ts", httpValidationFile()),
    file("src/storage/errors.ts", storageErrorsFile()),
    file("src/storage/schema.ts", storageSchemaFile(plan)),
    file("src/storage/memory-database.ts", memoryDatabaseFile()),
    file("src/storage/pg-errors.ts", pgErrorsFile()),
    file("src/storage/query.ts", storageQueryFile()),
    file("test/helpers/app.ts", testAppFile(plan, features)),
    file("test/helpers/samples.ts", samplesFile(plan)),
    file("test/app.test.ts", appTestFile(plan, features, markers)),
  ];
  if (features.auth !== "none") files.push(file("src/http/auth.ts", httpAuthFile(features)));
  if (features.rateLimit) files.push(file("src/http/rate-limit.ts", rateLimitFile()));
  if (features.securityHeaders) files.push(file("src/http/security-headers.ts", securityHeadersFile()));
  if (features.idempotency) files.push(file("src/http/idempotency.ts", idempotencyFile(markers)));
  if (features.audit) files.push(file("src/audit/audit-log.ts", auditLogFile()));
  if (features.encryption) files.push(file("src/security/field-cipher.ts", fieldCipherFile()));
  if (features.card) files.push(file("src/security/card-tokens.ts", cardTokensFile()));

  for (const entity of plan.entities) {
    const names = namesOf(entity);
    const ops = plan.operations.filter((op) => op.entity === entity.name);
    const needs = repositoryNeeds(plan, entity);
    files.push(
      file(`${names.dir}/model.ts`, modelFile(entity, names, ops, markers)),
      file(`${names.dir}/repository.ts`, repositoryFile(entity, names, needs, markers)),
      file(`${names.dir}/memory-repository.ts`, memoryRepositoryFile(entity, names, needs, markers)),
      file(`${names.dir}/pg-repository.ts`, pgRepositoryFile(entity, names, needs, markers)),
    );
    if (ops.length > 0) {
      files.push(
        file(`${names.dir}/routes.ts`, routesFile(plan, entity, names, features, markers)),
        file(`test/${entity.route}.test.ts`, entityTestFile(plan, entity, features, markers)),
      );
    }
  }
  return files;
}

/** The plan shapes this stack serves; anything else is a planner bug, reported as such. */
function checkPlan(plan: ApiPlan): void {
  for (const op of plan.operations) {
    for (const param of op.parameters) {
      if (param.in === "path" && (param.name !== "id" || param.schema.format !== "uuid")) {
        throw new QlfError(
          "express.unsupported-plan",
          `operation ${op.id}: path parameter "${param.name}" is not the uuid "id" the Express stack serves`,
          { hint: "this is a bug in the planner or the Express stack; please report it" },
        );
      }
    }
  }
}
