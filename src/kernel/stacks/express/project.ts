/** Project files of the Express app: manifest, compiler and test config, Dockerfile, docs. */
import type { ApiPlan } from "../../generate/plan-schema.js";
import type { Features } from "../shared/features.js";
import { lines } from "./code.js";

/**
 * Dependency versions, current as of this qlf release. Generated apps pin compatible ranges; the
 * lockfile (created by the first `npm install`) pins exact versions.
 */
export const VERSIONS = {
  express: "^5.3.0",
  pg: "^8.23.1",
  zod: "^4.6.7",
  pino: "^10.4.0",
  jsonwebtoken: "^9.0.3",
  typescript: "^7.0.2",
  tsx: "^4.23.15",
  vitest: "^5.1.1",
  supertest: "^7.3.2",
  "@types/express": "^5.0.6",
  "@types/jsonwebtoken": "^9.0.10",
  "@types/node": "^24.19.2",
  "@types/pg": "^8.23.1",
  "@types/supertest": "^7.2.1",
} as const;

export function packageJson(plan: ApiPlan, features: Features): string {
  const dependencies: Record<string, string> = {
    express: VERSIONS.express,
    ...(features.jwt ? { jsonwebtoken: VERSIONS.jsonwebtoken } : {}),
    pg: VERSIONS.pg,
    pino: VERSIONS.pino,
    zod: VERSIONS.zod,
  };
  const devDependencies: Record<string, string> = {
    "@types/express": VERSIONS["@types/express"],
    ...(features.jwt ? { "@types/jsonwebtoken": VERSIONS["@types/jsonwebtoken"] } : {}),
    "@types/node": VERSIONS["@types/node"],
    "@types/pg": VERSIONS["@types/pg"],
    "@types/supertest": VERSIONS["@types/supertest"],
    supertest: VERSIONS.supertest,
    tsx: VERSIONS.tsx,
    typescript: VERSIONS.typescript,
    vitest: VERSIONS.vitest,
  };
  const manifest = {
    name: plan.app.slug,
    version: "0.1.0",
    private: true,
    description: plan.app.summary,
    type: "module",
    engines: { node: ">=22" },
    scripts: {
      build: "tsc -p tsconfig.build.json",
      start: "node dist/server.js",
      dev: "tsx watch src/server.ts",
      test: "vitest run",
      typecheck: "tsc --noEmit",
      migrate: "tsx src/migrate.ts up",
      "migrate:down": "tsx src/migrate.ts down",
    },
    dependencies,
    devDependencies,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export function tsconfigJson(): string {
  return `${JSON.stringify(
    {
      compilerOptions: {
        target: "ES2023",
        lib: ["ES2023"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        types: ["node"],
        strict: true,
        noUncheckedIndexedAccess: true,
        noImplicitOverride: true,
        noFallthroughCasesInSwitch: true,
        noUnusedLocals: true,
        noUnusedParameters: true,
        verbatimModuleSyntax: true,
        isolatedModules: true,
        skipLibCheck: true,
        noEmit: true,
      },
      include: ["src", "test", "vitest.config.ts"],
    },
    null,
    2,
  )}\n`;
}

export function tsconfigBuildJson(): string {
  return `${JSON.stringify(
    {
      extends: "./tsconfig.json",
      compilerOptions: { noEmit: false, rootDir: "src", outDir: "dist", sourceMap: true },
      include: ["src"],
    },
    null,
    2,
  )}\n`;
}

export function vitestConfig(): string {
  return `import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Against PostgreSQL every test file empties the same tables, so files run one at a time.
    fileParallelism: process.env.DATABASE_URL === undefined,
  },
});
`;
}

export function gitignore(): string {
  return "node_modules/\ndist/\ncoverage/\n.env\n";
}

export function envExample(plan: ApiPlan): string {
  return `${plan.env.map((variable) => `# ${variable.description}${variable.required ? "" : " (optional)"}\n${variable.name}=${variable.example}`).join("\n\n")}\n`;
}

export function dockerfile(): string {
  return `# syntax=docker/dockerfile:1
# Build stage: install every dependency, compile TypeScript, then drop the dev dependencies.
FROM docker.io/library/node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json* ./
# Commit package-lock.json for reproducible images: with it, npm ci installs exactly what it pins.
RUN if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Runtime stage: the compiled app, production dependencies and migrations; no compiler, no npm cache.
FROM docker.io/library/node:24-slim
ENV NODE_ENV=production \\
    PORT=8080
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
# A numeric, unprivileged user, so that Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \\
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/server.js"]
`;
}

export function stackDoc(plan: ApiPlan, features: Features): string {
  const env = plan.env.map(
    (variable) => `| \`${variable.name}\` | ${variable.required ? "yes" : "no"} | ${variable.description} |`,
  );
  return `# ${plan.app.name}: the Express backend

TypeScript, Express 5, PostgreSQL (\`pg\`), zod validation, pino logs${features.jwt ? ", JWT auth" : features.auth === "api-key" ? ", API-key auth" : ""}.

## Run it

\`\`\`sh
npm install
npm test                                   # in memory, no database needed
DATABASE_URL=postgres://… npm test         # the same tests against PostgreSQL
DATABASE_URL=postgres://… npm run migrate  # apply migrations/ (npm run migrate:down rolls back)
npm run dev                                # watch mode; or: npm run build && npm start
\`\`\`

In the container image, run migrations with \`node dist/migrate.js up\` (e.g. as a Kubernetes init
container or a one-off job) before the new version starts serving.

## Configuration

| Variable | Required | What |
| --- | --- | --- |
${lines(...env)}
| \`TRUST_PROXY\` | no | Number of reverse proxies in front of the app (for client IPs in rate limiting). |

## Layout

| Path | What |
| --- | --- |
| \`src/server.ts\` | Entry point: configuration, PostgreSQL stores, listen, graceful shutdown. |
| \`src/app.ts\` | \`createApp(deps)\`: the Express app, built from injected stores. |
| \`src/resources/<route>/\` | Per resource: \`model.ts\` (types, zod schemas), \`repository.ts\` (interface, row mapping), \`memory-repository.ts\`, \`pg-repository.ts\`, \`routes.ts\`. |
| \`src/http/\` | Errors, validation${features.auth === "none" ? "" : ", authentication"}${features.rateLimit ? ", rate limiting" : ""}${features.idempotency ? ", idempotency keys" : ""}. |
| \`src/storage/\` | Table constraints, the in-memory database, paging and PostgreSQL error mapping. |
| \`src/migrations.ts\`, \`src/migrate.ts\` | The migration runner and its CLI. |
| \`test/\` | vitest + supertest: one file per resource, \`helpers/\` for the app under test and sample data. |

## Conventions

- Handlers validate every input with zod and throw \`ApiError\`; the error middleware renders
  \`{ "error": { "code", "message", "details" } }\` and never a stack trace.
- Repositories hide storage: routes depend on the interface in \`repository.ts\`; the in-memory store
  enforces the same unique and foreign-key constraints as the migrations.
- SQL is parameterised: column names come from constants, values are always \`$n\` parameters.
- Add a field: change the brief (or the IR) and regenerate, or edit \`model.ts\`, \`repository.ts\`
  (\`COLUMNS\`) and add a migration.
`;
}
