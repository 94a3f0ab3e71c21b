/** `app/__init__.py`, `app/__main__.py`, `app/main.py`, `app/context.py`, `app/stores.py`. */
import type { ApiPlan } from "../../../generate/plan-schema.js";
import type { Features } from "../../shared/features.js";
import type { Markers } from "../markers.js";
import { namesOf } from "../names.js";
import { docText, indent, lines } from "../py.js";

export function initFile(plan: ApiPlan): string {
  return `"""${docText(plan.app.name)}: the FastAPI application (see docs/stack.md)."""\n`;
}

/** Entities that have routes. */
export function mountedEntities(plan: ApiPlan) {
  return plan.entities.filter((entity) => plan.operations.some((op) => op.entity === entity.name));
}

/** `app/main.py` */
export function mainFile(plan: ApiPlan, features: Features, markers: Markers): string {
  const mounted = mountedEntities(plan);
  const routerImports = mounted.map((entity) => namesOf(entity).module).sort();
  const authenticator =
    features.auth === "api-key"
      ? "api_key_authenticator(config.api_keys)"
      : "jwt_authenticator(config.jwt_secret)";
  const contextArgs = lines(
    "        config=config,",
    "        repositories=stores.repositories,",
    features.audit && "        audit=stores.audit,",
    features.idempotency && "        idempotency=stores.idempotency,",
    features.auth !== "none" && `        authenticate=${authenticator},${markers.control("require-auth")}`,
    features.card && "        cards=CardTokenizer(config.card_token_key),",
    "        now=now or (lambda: datetime.now(timezone.utc)),",
  );
  const middleware = lines(
    features.rateLimit &&
      `    app.add_middleware(RateLimit, requests=config.rate_limit_requests, window_seconds=config.rate_limit_window_seconds)${markers.control("rate-limit")}`,
    "    app.add_middleware(InternalErrors, logger=logger)",
    "    app.add_middleware(BodyLimit)",
    features.securityHeaders &&
      `    app.add_middleware(SecurityHeaders)${markers.control("security-headers")}`,
    "    app.add_middleware(RequestLog, logger=logger)",
  );
  const middlewareNames = [
    "BodyLimit",
    "RequestLog",
    ...(features.rateLimit ? ["RateLimit"] : []),
    ...(features.securityHeaders ? ["SecurityHeaders"] : []),
  ].sort();
  return `"""
The FastAPI application, built by create_app() from injected stores, so that tests run it in memory
and the server on PostgreSQL. create_app() does no I/O itself.

Run the server with \`python -m uvicorn app.main:app --port 8080\` (or \`python -m app\`, which reads
PORT): the module attribute \`app\` is built from the environment on first use.
"""
import logging
import os
import sys
from datetime import datetime, timezone
from typing import Any, Callable, Optional

from fastapi import FastAPI
from fastapi.responses import JSONResponse

${lines(
  features.auth === "api-key" && "from app.auth import api_key_authenticator",
  features.jwt && "from app.auth import jwt_authenticator",
  features.card && "from app.card_tokens import CardTokenizer",
  "from app.config import Config, ConfigError, load_config",
  "from app.context import AppContext",
  "from app.errors import InternalErrors, install_error_handlers",
  "from app.logs import create_logger",
  `from app.middleware import ${middlewareNames.join(", ")}`,
  ...routerImports.map((module) => `from app.routers.${module} import router as ${module}_router`),
  "from app.stores import Stores",
)}


def create_app(
    config: Config,
    stores: Stores,
    logger: Optional[logging.Logger] = None,
    now: Optional[Callable[[], datetime]] = None,
) -> FastAPI:
    """
    The application for this configuration and these stores; \`now\` is the clock (tests may fix it).

    >>> app = create_app(load_config(os.environ), create_pg_stores(engine))  # doctest: +SKIP
    """
    logger = logger or create_logger("silent")
    # openapi.yaml (generated with the migrations from the same plan) is the API's contract;
    # FastAPI's own schema would be a second, less precise copy, so it is not served.
    app = FastAPI(title=${JSON.stringify(plan.app.name)}, openapi_url=None, docs_url=None, redoc_url=None)
    bind(app, config, stores, now)
    install_error_handlers(app)
    # Added innermost first: requests pass RequestLog, ${features.securityHeaders ? "SecurityHeaders, " : ""}BodyLimit, InternalErrors${features.rateLimit ? ", RateLimit" : ""}, then the routes.
${middleware}

    # Probes answer before any authentication: liveness never touches the database, readiness
    # checks that it answers.
    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> JSONResponse:
        try:
            app.state.stores.ready()
        except Exception:
            logger.warning("database not ready", exc_info=True)
            return JSONResponse({"status": "unavailable"}, 503)
        return JSONResponse({"status": "ok"})

${mounted.length === 0 ? "" : `${indent(mounted.map((entity) => `app.include_router(${namesOf(entity).module}_router)`).join("\n"))}\n`}    return app


def bind(app: FastAPI, config: Config, stores: Stores, now: Optional[Callable[[], datetime]] = None) -> None:
    """
    Points the app at these stores: what handlers reach through Depends(get_context). Tests bind
    one app to fresh stores for every test instead of building a new app each time.
    """
    app.state.stores = stores
    app.state.context = AppContext(
${contextArgs}
    )


def create_app_from_env() -> FastAPI:
    """The server's application: configuration from the environment, PostgreSQL stores."""
    from app.db import create_db_engine
    from app.stores import create_pg_stores

    config = load_config(os.environ)
    engine = create_db_engine(config.database_url)
    return create_app(config, create_pg_stores(engine, config), create_logger(config.log_level))


def __getattr__(name: str) -> Any:
    # \`app\` is made on first access (PEP 562), so importing create_app (tests) needs no environment,
    # while \`uvicorn app.main:app\` still finds it. A bad environment stops the process with a message.
    if name != "app":
        raise AttributeError(name)
    try:
        application = create_app_from_env()
    except ConfigError as error:
        print(error, file=sys.stderr)
        raise SystemExit(1) from None
    globals()["app"] = application
    return application
`;
}

/** `app/__main__.py`: \`python -m app\` serves on PORT. */
export function mainModuleFile(): string {
  return `"""\`python -m app\`: serve on PORT (default 8080) with uvicorn; migrations are \`python -m app.migrate up\`."""
import os
import sys

import uvicorn

from app.config import ConfigError, load_config
from app.main import create_app_from_env


def main() -> int:
    try:
        config = load_config(os.environ)
        application = create_app_from_env()
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 1
    # uvicorn stops gracefully on SIGTERM (Kubernetes) and SIGINT: in-flight requests finish first.
    uvicorn.run(application, host="0.0.0.0", port=config.port, proxy_headers=True, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
`;
}

/** `app/context.py` */
export function contextFile(plan: ApiPlan, features: Features): string {
  const repos = plan.entities.map((entity) => namesOf(entity));
  return `"""What route handlers get through FastAPI's dependency injection: stores, guards and the clock."""
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Callable${features.auth === "none" ? "" : ", Optional"}

from fastapi import Depends, Request

from app.config import Config

if TYPE_CHECKING:
${indent(
  lines(
    features.audit && "from app.audit import AuditLog",
    features.auth !== "none" && "from app.auth import Caller",
    features.card && "from app.card_tokens import CardTokenizer",
    features.idempotency && "from app.idempotency import IdempotencyStore",
    ...repos.map((names) => `from app.repositories.${names.module} import ${names.repository}`),
  ),
)}


@dataclass
class Repositories:
${repos.length === 0 ? "    pass" : indent(repos.map((names) => `${names.module}: "${names.repository}"`).join("\n"))}


@dataclass
class AppContext:
${indent(
  lines(
    "config: Config",
    "repositories: Repositories",
    features.audit && 'audit: "AuditLog"',
    features.idempotency && 'idempotency: "IdempotencyStore"',
    features.auth !== "none" &&
      '#: Finds the caller of a request (None: missing or invalid credentials).\nauthenticate: Callable[[Request], Optional["Caller"]]',
    features.card && 'cards: "CardTokenizer"',
    "now: Callable[[], datetime]",
  ),
)}


def get_context(request: Request) -> AppContext:
    """A dependency: the context of the application serving this request."""
    return request.app.state.context


def get_repositories(context: AppContext = Depends(get_context)) -> Repositories:
    return context.repositories


def actor_of(request: Request) -> str:
    """Who made the request, for the audit trail and idempotency scopes: the caller's id."""
    caller = getattr(request.state, "caller", None)
    return caller.id if caller is not None else "anonymous"
`;
}

/** `app/stores.py` */
export function storesFile(plan: ApiPlan, features: Features): string {
  const memory: string[] = [];
  const pg: string[] = [];
  const imports: string[] = [];
  for (const entity of plan.entities) {
    const names = namesOf(entity);
    const cipher = entity.encryptedFields.length > 0 ? ", cipher" : "";
    imports.push(
      `from app.repositories.${names.module} import ${names.memoryRepository}, ${names.pgRepository}`,
    );
    memory.push(`${names.module}=${names.memoryRepository}(db${cipher}),`);
    pg.push(`${names.module}=${names.pgRepository}(engine${cipher}),`);
  }
  imports.sort();
  return `"""
The two ways to store data behind the same interfaces: in memory (tests, local runs) and in
PostgreSQL (the server). Route handlers never know which one they are using.
"""
from dataclasses import dataclass, field
from typing import Callable, Optional

from sqlalchemy.engine import Engine

${lines(
  features.audit && "from app.audit import AuditLog, MemoryAuditLog, PgAuditLog",
  "from app.config import Config",
  "from app.context import Repositories",
  "from app.db import ping",
  features.encryption && "from app.field_cipher import FieldCipher",
  features.idempotency &&
    "from app.idempotency import IdempotencyStore, MemoryIdempotencyStore, PgIdempotencyStore",
  ...imports,
  "from app.storage.memory import MemoryDatabase",
)}


@dataclass
class Stores:
    repositories: Repositories
    #: Returns when the store can serve requests; raises otherwise (GET /readyz).
    ready: Callable[[], None]${features.audit ? "\n    audit: Optional[AuditLog] = None" : ""}${features.idempotency ? "\n    idempotency: Optional[IdempotencyStore] = None" : ""}
    #: The in-memory database, so tests can look at what was stored (None on PostgreSQL).
    db: Optional[MemoryDatabase] = field(default=None)


def create_memory_stores(config: Optional[Config] = None) -> Stores:
    """In-memory stores (\`config\` supplies the keys some repositories need)."""
${features.encryption ? `    cipher = FieldCipher(_required(config).data_encryption_key)\n` : ""}    db = MemoryDatabase()
    return Stores(
        repositories=Repositories(
${indent(memory.join("\n"), 3)}
        ),
        ready=lambda: None,${features.audit ? "\n        audit=MemoryAuditLog()," : ""}${features.idempotency ? "\n        idempotency=MemoryIdempotencyStore()," : ""}
        db=db,
    )


def create_pg_stores(engine: Engine, config: Optional[Config] = None) -> Stores:
    """PostgreSQL stores on this engine (\`config\` supplies the keys some repositories need)."""
${features.encryption ? "    cipher = FieldCipher(_required(config).data_encryption_key)\n" : ""}    return Stores(
        repositories=Repositories(
${indent(pg.join("\n"), 3)}
        ),
        ready=lambda: ping(engine),${features.audit ? "\n        audit=PgAuditLog(engine)," : ""}${features.idempotency ? "\n        idempotency=PgIdempotencyStore(engine)," : ""}
    )${
      features.encryption
        ? `


def _required(config: Optional[Config]) -> Config:
    if config is None:
        raise ValueError("the stores need the configuration (DATA_ENCRYPTION_KEY)")
    return config`
        : ""
    }
`;
}
