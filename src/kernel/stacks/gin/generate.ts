/**
 * The Gin stack's generator: plan + rules in, the backend's files out. Every route, rule and column
 * comes from the plan, so the code agrees with openapi.yaml and the migrations.
 */
import { QlfError } from "../../errors.js";
import type { ApiPlan } from "../../generate/plan-schema.js";
import type { GenerationContext } from "../../generate/stack.js";
import { file, type GeneratedFile } from "../../generate/tree.js";
import { featuresOf } from "../shared/features.js";
import { handlersGo, recordsGo, routerGo } from "./entity/handlers.js";
import { goNamesOf } from "./entity/names.js";
import { schemaGo, storeEntityGo, storesGo } from "./entity/store.js";
import { rootPackage } from "./go.js";
import { markersFor } from "./markers.js";
import { dockerfile, envExample, gitignore, goMod, stackDoc } from "./project.js";
import { authGo, errorsGo, idempotencyGo, middlewareGo, validationGo } from "./runtime/api-core.js";
import {
  cardsGo,
  cipherGo,
  configGo,
  embedGo,
  loggingGo,
  migrateGo,
  migrateMainGo,
  serverMainGo,
} from "./runtime/process.js";
import { auditGo, codecGo, idempotencyStoreGo, memoryGo, postgresGo, storeGo } from "./runtime/store-core.js";
import { apiTestFiles } from "./tests/api-tests.js";

export function generateGin(context: GenerationContext): GeneratedFile[] {
  const { plan } = context;
  checkPlan(plan);
  const features = featuresOf(plan);
  const markers = markersFor(context.rules);
  const modulePath = plan.app.slug;
  const rootName = rootPackage(plan.app.slug);
  const softDelete = features.softDelete ? markers.control("soft-delete") : "";
  const files: GeneratedFile[] = [
    file("go.mod", goMod(modulePath)),
    file(".gitignore", gitignore()),
    file(".env.example", envExample(plan)),
    file("Dockerfile", dockerfile()),
    file("docs/stack.md", stackDoc(plan, features, modulePath)),
    file("migrations.go", embedGo(rootName)),
    file("cmd/server/main.go", serverMainGo(modulePath, features)),
    file("cmd/migrate/main.go", migrateMainGo(modulePath, rootName)),
    file("internal/config/config.go", configGo(plan, features)),
    file("internal/logging/logging.go", loggingGo(plan, markers)),
    file("internal/migrate/migrate.go", migrateGo()),
    file("internal/store/store.go", storeGo()),
    file("internal/store/codec.go", codecGo()),
    file("internal/store/memory.go", memoryGo(softDelete)),
    file("internal/store/postgres.go", postgresGo(softDelete)),
    file("internal/store/schema.go", schemaGo(plan)),
    file("internal/store/stores.go", storesGo(plan, features)),
    file("internal/api/router.go", routerGo(plan, features, markers, modulePath)),
    file("internal/api/errors.go", errorsGo(modulePath)),
    file("internal/api/validation.go", validationGo()),
    file("internal/api/records.go", recordsGo()),
    file(
      "internal/api/middleware.go",
      middlewareGo({
        securityHeaders: features.securityHeaders,
        rateLimit: features.rateLimit,
        securityMarker: markers.control("security-headers"),
        rateMarker: markers.control("rate-limit"),
      }),
    ),
  ];
  if (features.auth !== "none") {
    files.push(
      file("internal/api/auth.go", authGo(features.jwt ? "jwt" : "api-key", markers.control("require-auth"))),
    );
  }
  if (features.idempotency) {
    files.push(
      file("internal/api/idempotency.go", idempotencyGo(modulePath, markers.control("idempotency-keys"))),
      file("internal/store/idempotency.go", idempotencyStoreGo()),
    );
  }
  if (features.audit) files.push(file("internal/store/audit.go", auditGo(markers.control("audit-log"))));
  if (features.encryption) files.push(file("internal/security/cipher.go", cipherGo()));
  if (features.card) files.push(file("internal/security/cards.go", cardsGo()));
  for (const entity of plan.entities) {
    const names = goNamesOf(entity);
    files.push(file(`internal/store/${names.file}.go`, storeEntityGo(plan, entity, markers)));
    if (plan.operations.some((op) => op.entity === entity.name)) {
      files.push(
        file(`internal/api/${names.file}.go`, handlersGo(plan, entity, features, markers, modulePath)),
      );
    }
  }
  files.push(...apiTestFiles(context, features, markers, modulePath, rootName));
  return files;
}

/** The plan shapes this stack serves; anything else is a planner bug, reported as such. */
function checkPlan(plan: ApiPlan): void {
  for (const op of plan.operations) {
    for (const param of op.parameters) {
      if (param.in === "path" && (param.name !== "id" || param.schema.format !== "uuid")) {
        throw new QlfError(
          "gin.unsupported-plan",
          `operation ${op.id}: path parameter "${param.name}" is not the uuid "id" the Gin stack serves`,
          { hint: "this is a bug in the planner or the Gin stack; please report it" },
        );
      }
    }
  }
  const files = new Map<string, string>();
  for (const entity of plan.entities) {
    const name = goNamesOf(entity).file;
    const other = files.get(name);
    if (other !== undefined) {
      throw new QlfError(
        "gin.unsupported-plan",
        `entities ${other} and ${entity.name} would share the Go file name "${name}.go"`,
        { hint: "this is a bug in the planner or the Gin stack; please report it" },
      );
    }
    files.set(name, entity.name);
  }
}
