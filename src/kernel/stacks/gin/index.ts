/**
 * The Gin stack plugin: Go + Gin + PostgreSQL (database/sql with lib/pq), a static binary on a
 * distroless image.
 *
 * @example
 * registerStack(ginStack);
 * const files = getStack("gin")?.generate(context);
 */
import type { StackPlugin } from "../../generate/stack.js";
import { generateGin } from "./generate.js";
import { OFFLINE_TEST } from "./project.js";

export const ginStack: StackPlugin = {
  id: "gin",
  title: "Go + Gin + PostgreSQL",
  language: "go",
  generate: generateGin,
  commands: {
    install: "go mod tidy",
    test: "go test ./...",
    build: "go build ./...",
    start: "go run ./cmd/server",
    offlineTest: OFFLINE_TEST,
  },
  image: {
    baseImages: ["docker.io/library/golang:1.19-bookworm", "gcr.io/distroless/static-debian12:nonroot"],
    port: 8080,
  },
  conventions: [
    "Go 1.19 and Gin 1.8.1 APIs only (the offline toolchain): no log/slog, no slices package, no min/max builtins.",
    "cmd/server is the entry point (-routes, -healthcheck); cmd/migrate applies the embedded migrations.",
    "internal/api: router.go registers every route of the plan; one handler file per resource (<route>.go) with its fieldRule tables.",
    "Validation is explicit (checkBody / parseQuery with fieldRule tables), never struct tags; errors go through s.fail, which renders { error: { code, message, details } }.",
    "internal/store: one record type per entity and Repository[T] with in-memory and PostgreSQL implementations; SQL identifiers come from the entity's table description, values are $n parameters.",
    "Tests are standard-library testing + httptest in internal/api/*_test.go; they run in memory, or on PostgreSQL with DATABASE_URL.",
  ],
};

export { generateGin } from "./generate.js";
