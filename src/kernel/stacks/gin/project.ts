/** Project files of the Gin app: go.mod, Dockerfile, ignore and env files, and docs/stack.md. */
import type { ApiPlan } from "../../generate/plan-schema.js";
import type { Features } from "../shared/features.js";

/**
 * The Go toolchain the generated go.mod declares and the build image uses. 1.19 is what the
 * offline toolchain on qlf's CI machine has (Debian bookworm's golang-go); the code is written for
 * it (no log/slog, no slices package, no min/max builtins).
 */
export const GO_VERSION = "1.19";

/**
 * Module versions in the generated go.mod: current releases as of this qlf release, for users
 * with network access. qlf's own CI builds the same code offline against Debian's packaged Gin
 * 1.8.1 and lib/pq 1.10.7 (see docs/stack.md in a generated app), so the code uses nothing newer.
 */
export const GO_MODULES = {
  "github.com/gin-gonic/gin": "v1.12.0",
  "github.com/lib/pq": "v1.12.1",
} as const;

/** Where the Debian packages put the Go modules the offline harness builds against. */
export const DEBIAN_GOCODE = "/usr/share/gocode";

export function goMod(modulePath: string): string {
  const requires = Object.entries(GO_MODULES)
    .map(([path, version]) => `\t${path} ${version}`)
    .join("\n");
  return `module ${modulePath}

go ${GO_VERSION}

require (
${requires}
)
`;
}

export function gitignore(): string {
  return "/bin/\n*.test\n*.out\n.env\n";
}

export function envExample(plan: ApiPlan): string {
  const extra = [
    "# Proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For is believed. (optional)\nTRUSTED_PROXIES=",
    ...(plan.rateLimit === null
      ? []
      : [
          `# Requests each client may make per window. (optional)\nRATE_LIMIT_REQUESTS=${plan.rateLimit.requests}`,
          `# Length of the rate-limit window, in seconds. (optional)\nRATE_LIMIT_WINDOW_SECONDS=${plan.rateLimit.windowSeconds}`,
        ]),
  ];
  return `${[
    ...plan.env.map(
      (variable) =>
        `# ${variable.description}${variable.required ? "" : " (optional)"}\n${variable.name}=${variable.example}`,
    ),
    ...extra,
  ].join("\n\n")}\n`;
}

export function dockerfile(): string {
  return `# syntax=docker/dockerfile:1
# Build stage: a static binary (CGO_ENABLED=0), so the final image needs no C library.
FROM docker.io/library/golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
# Dependencies first, so this layer is cached until go.mod or go.sum change. Commit go.sum (run
# go mod tidy once) for reproducible builds; without it, -mod=mod lets go resolve and record sums.
COPY go.mod go.sum* ./
RUN go mod download
COPY . .
ENV CGO_ENABLED=0 GOFLAGS=-mod=mod
RUN go build -ldflags="-s -w" -o /out/server ./cmd/server \\
 && go build -ldflags="-s -w" -o /out/migrate ./cmd/migrate

# Runtime stage: distroless has no shell and no package manager; the binaries carry the migrations.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/server /server
COPY --from=build /out/migrate /migrate
ENV PORT=8080 GIN_MODE=release
EXPOSE 8080
# A numeric, unprivileged user (distroless's nonroot), so that Kubernetes' runAsNonRoot can verify it.
USER 65532:65532
# No shell or curl in the image: the server binary probes its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/server", "-healthcheck"]
ENTRYPOINT ["/server"]
`;
}

/**
 * The offline test command documented here: GOPATH mode against Debian's packaged modules, with
 * the app linked into a throwaway GOPATH under its module path. Nothing in the app changes.
 */
export const OFFLINE_TEST = `m=$(awk '$1 == "module" {print $2}' go.mod); g=$(mktemp -d); mkdir -p "$g/src/$(dirname "$m")" && ln -s "$PWD" "$g/src/$m" && (cd "$g/src/$m" && GO111MODULE=off GOPATH="$g:${DEBIAN_GOCODE}" go vet ./... && GO111MODULE=off GOPATH="$g:${DEBIAN_GOCODE}" go test ./...)`;

export function stackDoc(plan: ApiPlan, features: Features, modulePath: string): string {
  const env = plan.env.map(
    (variable) => `| \`${variable.name}\` | ${variable.required ? "yes" : "no"} | ${variable.description} |`,
  );
  const auth = features.jwt ? ", HS256 JWT auth" : features.auth === "api-key" ? ", API-key auth" : "";
  return `# ${plan.app.name}: the Gin backend

Go ${GO_VERSION}+, Gin, PostgreSQL through \`database/sql\` and \`lib/pq\`, explicit request validation,
JSON logs${auth}. Module \`${modulePath}\`.

## Run it

\`\`\`sh
go mod tidy                                     # once: fetch the modules and write go.sum
go vet ./...
go test ./...                                   # in memory, no database needed
DATABASE_URL=postgres://… go test ./...         # the same tests against PostgreSQL
DATABASE_URL=postgres://… go run ./cmd/migrate up   # apply migrations/ (down, down all roll back)
go run ./cmd/server                             # serve on PORT (default 8080)
go run ./cmd/server -routes                     # print every route
\`\`\`

The migrations are embedded in the binaries (\`migrations.go\`). In the image they are \`/server\` and
\`/migrate\`: run \`/migrate up\` (e.g. as a Kubernetes init container or a one-off job) before a
new version serves. \`/server -healthcheck\` is the image's \`HEALTHCHECK\` (the distroless image has
no shell).

## Without network access (how qlf's CI tests it)

No module proxy is reachable on qlf's CI machine, so it runs the same \`go vet\` and \`go test\` in
GOPATH mode against the modules Debian packages under \`${DEBIAN_GOCODE}\`
(\`apt-get install golang-go golang-github-gin-gonic-gin-dev golang-github-lib-pq-dev\`: Go 1.19,
Gin 1.8.1, lib/pq 1.10.7). The app is linked into a throwaway GOPATH under its module path; go.mod
is not touched and not used:

\`\`\`sh
${OFFLINE_TEST}
\`\`\`

The container build does the same inside its Go image when no proxy is reachable. That is why the
code needs nothing newer than Go 1.19 and Gin 1.8.1 while go.mod asks for current releases
(${Object.entries(GO_MODULES)
    .map(([path, version]) => `\`${path} ${version}\``)
    .join(", ")}). Current Gin releases need a newer Go
than the \`go ${GO_VERSION}\` line: with network access, \`go mod tidy\` raises that line to what they need, and the
Dockerfile's \`golang:${GO_VERSION}-bookworm\` should then be raised to match.

## Configuration

| Variable | Required | What |
| --- | --- | --- |
${env.join("\n")}
| \`TRUSTED_PROXIES\` | no | Proxies (IPs or CIDRs) whose \`X-Forwarded-For\` is believed, for client IPs in logs${features.rateLimit ? " and rate limiting" : ""}. |${
    features.rateLimit
      ? `
| \`RATE_LIMIT_REQUESTS\`, \`RATE_LIMIT_WINDOW_SECONDS\` | no | Requests per client per window (default ${plan.rateLimit?.requests} per ${plan.rateLimit?.windowSeconds} s). |`
      : ""
  }

\`lib/pq\` uses TLS unless the URL says otherwise: for a local PostgreSQL without TLS, end
\`DATABASE_URL\` with \`?sslmode=disable\`.

## Layout

| Path | What |
| --- | --- |
| \`cmd/server\` | Entry point: configuration, PostgreSQL stores, listen, graceful shutdown, \`-routes\`, \`-healthcheck\`. |
| \`cmd/migrate\` | Applies or rolls back the embedded migrations. |
| \`internal/api\` | \`NewRouter(deps)\`: the routes (\`router.go\`), one handler file per resource with its request rules, errors, validation${features.auth === "none" ? "" : ", authentication"}${features.rateLimit ? ", rate limiting" : ""}${features.idempotency ? ", idempotency keys" : ""}; the tests (\`*_test.go\`, httptest). |
| \`internal/store\` | One record type per entity, \`Repository[T]\` with an in-memory and a PostgreSQL implementation${features.audit ? ", the audit log" : ""}${features.idempotency ? ", idempotency keys" : ""}. |
| \`internal/config\`, \`internal/logging\`${features.encryption || features.card ? ", `internal/security`" : ""} | Environment, JSON logs with masking${features.encryption ? ", AES-256-GCM field encryption" : ""}${features.card ? ", card tokens" : ""}. |
| \`internal/migrate\` | The migration runner (\`schema_migrations\`, advisory lock). |

## Conventions

- Validation is explicit (\`fieldRule\` tables generated from the plan), not struct tags: a 400 lists every
  problem as \`{ "error": { "code": "validation_failed", "message", "details": [{ "path", "message" }] } }\`.
- Handlers depend on \`store.Repository[T]\`; the in-memory store enforces the same unique and
  foreign-key constraints as the migrations, so the tests mean the same thing on both stores.
- SQL is parameterised: identifiers come from each entity's table description, values are always \`$n\`.
- Tests use only the standard library (\`testing\`, \`net/http/httptest\`) and run in memory, or on
  PostgreSQL when \`DATABASE_URL\` is set (migrations applied once, tables emptied before each test).
`;
}
