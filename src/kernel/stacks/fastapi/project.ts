/** Project files of the FastAPI app: pyproject.toml, requirements, Dockerfile, docs/stack.md. */
import type { ApiPlan } from "../../generate/plan-schema.js";
import type { Features } from "../shared/features.js";
import { lines } from "./py.js";

/**
 * Dependency ranges: open to current releases (what `pip install` gives real users) and satisfied
 * by Debian bookworm's packages, which the offline harness and the local base image use (FastAPI
 * 0.92, pydantic 1.10, SQLAlchemy 1.4, uvicorn 0.17, psycopg2 2.9, cryptography 38, PyJWT 2.6,
 * pytest 7.2, httpx 0.23). The code runs on pydantic 1.10 and 2 (app/compat.py).
 */
export const VERSIONS = {
  fastapi: "fastapi>=0.92,<1",
  uvicorn: "uvicorn>=0.17",
  pydantic: "pydantic>=1.10,<3",
  sqlalchemy: "SQLAlchemy>=1.4,<3",
  psycopg2: "psycopg2>=2.9,<3",
  cryptography: "cryptography>=38",
  pyjwt: "PyJWT>=2.6,<3",
  pytest: "pytest>=7.2",
  httpx: "httpx>=0.23",
  pyflakes: "pyflakes>=2.5",
} as const;

export function dependencies(features: Features): string[] {
  return [
    VERSIONS.fastapi,
    VERSIONS.uvicorn,
    VERSIONS.pydantic,
    VERSIONS.sqlalchemy,
    VERSIONS.psycopg2,
    ...(features.encryption ? [VERSIONS.cryptography] : []),
    ...(features.jwt ? [VERSIONS.pyjwt] : []),
  ];
}

export const TEST_DEPENDENCIES = [VERSIONS.pytest, VERSIONS.httpx, VERSIONS.pyflakes];

export function pyprojectToml(plan: ApiPlan, features: Features): string {
  const quote = (items: readonly string[]) => items.map((item) => `    ${JSON.stringify(item)},`).join("\n");
  return `[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = ${JSON.stringify(plan.app.slug)}
version = "0.1.0"
description = ${JSON.stringify(plan.app.summary.replace(/\s+/g, " ").trim())}
requires-python = ">=3.10"
dependencies = [
${quote(dependencies(features))}
]

[project.optional-dependencies]
test = [
${quote(TEST_DEPENDENCIES)}
]

[tool.setuptools.packages.find]
include = ["app*"]

[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = [".", "tests"]
addopts = "-p no:cacheprovider"
`;
}

export function requirementsTxt(features: Features): string {
  return `# Runtime dependencies (the same ranges as pyproject.toml). Tests: requirements-dev.txt.
${dependencies(features).join("\n")}
`;
}

export function requirementsDevTxt(): string {
  return `-r requirements.txt
${TEST_DEPENDENCIES.join("\n")}
`;
}

export function gitignore(): string {
  return "__pycache__/\n*.py[cod]\n.pytest_cache/\n.venv/\nbuild/\n*.egg-info/\n.env\n";
}

export function envExample(plan: ApiPlan): string {
  return `${plan.env.map((variable) => `# ${variable.description}${variable.required ? "" : " (optional)"}\n${variable.name}=${variable.example}`).join("\n\n")}\n`;
}

export function dockerfile(): string {
  return `# syntax=docker/dockerfile:1
# Build stage: a virtualenv with the dependencies, and the app compiled to bytecode.
FROM docker.io/library/python:3.11-slim AS build
WORKDIR /app
# --system-site-packages: where the base image already provides a requirement (an image with the
# distribution's packages), pip keeps it; otherwise pip installs it from the index.
RUN python -m venv --system-site-packages /opt/venv
# psycopg2 compiles against libpq where no package provides it: only then are a compiler and
# libpq's headers installed (in this stage only).
RUN python -c "import psycopg2" 2>/dev/null || \\
    (apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev libpq-dev && rm -rf /var/lib/apt/lists/*)
COPY requirements.txt ./
RUN /opt/venv/bin/pip install --no-cache-dir -r requirements.txt
COPY app ./app
RUN /opt/venv/bin/python -m compileall -q app

# Runtime stage: the virtualenv, the app and its migrations; no compiler, no pip cache.
FROM docker.io/library/python:3.11-slim
# libpq's shared library for a psycopg2 built in the first stage; a numeric, unprivileged user so
# that Kubernetes' runAsNonRoot can verify it.
RUN (python -c "import psycopg2" 2>/dev/null || \\
    (apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*)) && \\
    useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin app
ENV PATH=/opt/venv/bin:$PATH \\
    PORT=8080 \\
    PYTHONUNBUFFERED=1 \\
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app/app ./app
COPY migrations ./migrations
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \\
  CMD ["python", "-c", "import os, sys, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '8080') + '/healthz', timeout=3); sys.exit(0 if r.status == 200 else 1)"]
# python -m app: uvicorn on PORT. Migrations: python -m app.migrate up (an init container or a job).
CMD ["python", "-m", "app"]
`;
}

export function stackDoc(plan: ApiPlan, features: Features): string {
  const env = plan.env.map(
    (variable) => `| \`${variable.name}\` | ${variable.required ? "yes" : "no"} | ${variable.description} |`,
  );
  return `# ${plan.app.name}: the FastAPI backend

Python 3.10+, FastAPI, pydantic, SQLAlchemy Core on psycopg2 (PostgreSQL), uvicorn${features.jwt ? ", PyJWT" : ""}${features.encryption ? ", cryptography (AES-256-GCM)" : ""}.

## Supported versions

The code runs on **pydantic 1.10 and pydantic 2** and on **SQLAlchemy 1.4 and 2.0**: the few calls
whose spelling differs between pydantic's major versions live in \`app/compat.py\`, and value checks
are plain functions (\`app/validation.py\`) so error messages read the same on both. The ranges in
\`pyproject.toml\` / \`requirements.txt\` take current releases from PyPI
(${dependencies(features)
    .map((d) => `\`${d}\``)
    .join(", ")}) and are also met by Debian 12's
packages (FastAPI 0.92, pydantic 1.10, SQLAlchemy 1.4, uvicorn 0.17, psycopg2 2.9${features.encryption ? ", cryptography 38" : ""}${features.jwt ? ", PyJWT 2.6" : ""}).

qlf's CI runs these tests on Debian 12's versions; the same suites pass on FastAPI 0.115, Starlette
0.46, pydantic 2.13, SQLAlchemy 2.0 and httpx 0.28. On that combination pydantic warns
(\`UnsupportedFieldAttributeWarning\`) about the aliases of request fields: the warning comes from
how FastAPI 0.115 copies fields; the aliases still apply (the tests send and check camelCase names).

## Run it

\`\`\`sh
python -m venv .venv && . .venv/bin/activate
pip install -r requirements-dev.txt          # or: pip install -e '.[test]'
python -m pytest                             # in memory, no database needed
DATABASE_URL=postgres://… python -m pytest   # the same tests against PostgreSQL (migrations applied)
DATABASE_URL=postgres://… python -m app.migrate up     # apply migrations/ (down, down all: roll back)
DATABASE_URL=postgres://… python -m uvicorn app.main:app --port 8080   # or: python -m app (reads PORT)
python -m pyflakes app tests                 # lint
\`\`\`

\`psycopg2\` builds against libpq (\`libpq-dev\` and a C compiler); for a quick local setup without
them, \`pip install psycopg2-binary\` provides the same module.

**Offline, with Debian's packages** (how qlf's own CI runs it): \`apt-get install python3-fastapi
python3-uvicorn python3-pydantic python3-sqlalchemy python3-psycopg2 python3-pytest python3-httpx
python3-pyflakes${features.encryption ? " python3-cryptography" : ""}${features.jwt ? " python3-jwt" : ""}\`, then \`/usr/bin/python3 -m pytest\` (and
\`/usr/bin/python3 -m uvicorn app.main:app\`).

In the container image, run migrations with \`python -m app.migrate up\` (e.g. as a Kubernetes init
container or a one-off job) before the new version starts serving.

## Configuration

| Variable | Required | What |
| --- | --- | --- |
${lines(...env)}
${plan.rateLimit === null ? "" : "| `RATE_LIMIT_REQUESTS`, `RATE_LIMIT_WINDOW_SECONDS` | no | Override the rate limit (requests per window, per client). |\n"}
Behind a reverse proxy, start uvicorn with \`--proxy-headers --forwarded-allow-ips=<proxy>\` so that
rate limiting sees client addresses.

## Layout

| Path | What |
| --- | --- |
| \`app/main.py\` | \`create_app(config, stores)\`: the FastAPI app, built from injected stores; \`app\` for uvicorn. |
| \`app/routers/<resource>.py\` | One \`APIRouter\` per resource; handlers get the context through \`Depends\`. |
| \`app/models/<resource>.py\` | pydantic request bodies (unknown fields refused, strict types) and \`to_api\`. |
| \`app/repositories/<resource>.py\` | The repository protocol, row mapping, the in-memory and PostgreSQL stores. |
| \`app/errors.py\`, \`app/validation.py\`, \`app/compat.py\` | The error shape (422 with field details), value checks, the pydantic 1/2 shim. |
| \`app/storage/\` | Table constraints, the in-memory database, paging and PostgreSQL error mapping. |
| \`app/migrate.py\` | The migration runner: \`python -m app.migrate up\`, \`down\`, \`down all\`. |
| \`tests/\` | pytest + TestClient: one file per resource, \`conftest.py\` (the app under test), \`samples.py\`. |

## Conventions

- Handlers validate every input (pydantic bodies, checked query parameters, UUID path ids) and raise
  \`ApiError\`; the handlers in \`app/errors.py\` render \`{ "error": { "code", "message", "details" } }\`
  (422 for validation failures) and never a stack trace.
- Repositories hide storage: routes depend on the protocol in \`app/repositories/<resource>.py\`; the
  in-memory store enforces the same unique and foreign-key constraints as the migrations.
- SQL is built with SQLAlchemy Core: column names come from constants, values are always bound
  parameters.
- Add a field: change the brief (or the IR) and regenerate, or edit the model, the repository's
  \`COLUMNS\` and add a migration.
`;
}
