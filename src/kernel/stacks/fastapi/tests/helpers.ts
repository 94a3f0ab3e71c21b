/** `tests/conftest.py` (the app per test, in memory or on PostgreSQL) and `tests/samples.py`. */

import type { ApiPlan, EntityPlan } from "../../../generate/plan-schema.js";
import type { Features } from "../../shared/features.js";
import { grantedToNoRole, OUTSIDER_ROLE, testRoles } from "../../shared/test-access.js";
import { entityNamed, inputFields } from "../../shared/test-inputs.js";
import { namesOf, recordProperties } from "../names.js";
import { indent, lines, pyStr } from "../py.js";
import { sampleValue } from "./values.js";

/**
 * The `unguarded` fixture: for the tests of an operation no role is granted, `allow_none` is
 * overridden (FastAPI's `app.dependency_overrides`, this test only) so that its behaviour is still
 * tested over HTTP; its 401 and 403 are tested without the override.
 */
function unguardedFixture(): string {
  return `


@pytest.fixture
def unguarded(app: FastAPI) -> Iterator[None]:
    """Lets this test call the operations no role is granted: allow_none passes a test caller."""
    caller = Caller(id="test-unguarded", role="test")

    def test_caller(request: Request) -> Caller:
        request.state.caller = caller
        return caller

    app.dependency_overrides[allow_none] = test_caller
    try:
        yield
    finally:
        app.dependency_overrides.pop(allow_none, None)`;
}

export function conftestFile(plan: ApiPlan, features: Features): string {
  const unguarded = plan.operations.some(grantedToNoRole);
  const roles = [...testRoles(plan), OUTSIDER_ROLE];
  const env = lines(
    '    "DATABASE_URL": DATABASE_URL or "postgres://unused-in-memory-tests",',
    features.auth === "api-key" &&
      `    "API_KEYS": ${pyStr(roles.map((role) => `test-key-${role}:${role}`).join(","))},`,
    features.jwt && '    "JWT_SECRET": "test-secret-that-is-at-least-32-characters-long",',
    features.encryption && '    "DATA_ENCRYPTION_KEY": base64.b64encode(bytes([7]) * 32).decode(),',
    features.card && '    "CARD_TOKEN_KEY": "test-card-token-key",',
    features.rateLimit &&
      '    # High enough that only the rate-limit test (which sets its own) ever hits it.\n    "RATE_LIMIT_REQUESTS": "100000",',
  );
  const authHelper =
    features.auth === "api-key"
      ? `

def auth_as(role: str) -> Dict[str, str]:
    """Headers that authenticate as a caller with this role."""
    return {"X-API-Key": f"test-key-{role}"}`
      : features.jwt
        ? `

def auth_as(role: str) -> Dict[str, str]:
    """Headers that authenticate as a caller with this role (a short-lived HS256 token)."""
    claims = {"sub": f"test-{role}", "role": role, "exp": int(time.time()) + 300}
    token = jwt.encode(claims, TEST_ENV["JWT_SECRET"], algorithm="HS256")
    return {"Authorization": f"Bearer {token}"}`
        : "";
  return `"""
The app under test, fresh for every test. Without DATABASE_URL it runs on in-memory stores; with it,
on PostgreSQL: the migrations are applied once per session and every table is emptied before each
test. The tests are the same either way.
"""
${lines(features.encryption && "import base64", "import os", features.jwt && "import time")}
from dataclasses import dataclass
from typing import Any, Dict, Iterator, ${features.audit ? "List, " : ""}Optional

${lines(features.jwt && "import jwt", "import psycopg2", "import pytest", "import sqlalchemy as sa", `from fastapi import FastAPI${unguarded ? ", Request" : ""}`, "from fastapi.testclient import TestClient", "from sqlalchemy.engine import Engine")}

${unguarded ? "from app.auth import Caller, allow_none\n" : ""}from app.config import load_config
from app.db import create_db_engine
from app.main import bind, create_app
from app.migrate import load_migrations, migrate_up
${plan.deferredForeignKeys.length > 0 ? "from app.storage.schema import ALL_TABLE_NAMES\n" : ""}from app.stores import Stores, create_memory_stores, create_pg_stores

DATABASE_URL = os.environ.get("DATABASE_URL") or None
TEST_ENV = {
${env}
}
CONFIG = load_config(TEST_ENV)
${emptyTables(plan)}${authHelper}


@dataclass
class AppUnderTest:
    client: TestClient
    stores: Stores
    engine: Optional[Engine]

    def raw_row(self, table: str, id: str) -> Optional[Dict[str, Any]]:
        """A row exactly as stored (column names; ciphertext and tokens as they are), or None."""
        if self.stores.db is not None:
            return self.stores.db.find(table, id)
        assert self.engine is not None
        query = sa.select(sa.text("*")).select_from(sa.table(table)).where(sa.column("id") == id)
        with self.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        return None if row is None else {key: str(value) if value is not None else None for key, value in row.items()}

    def count_rows(self, table: str) -> int:
        if self.stores.db is not None:
            return len(self.stores.db.rows(table))
        assert self.engine is not None
        with self.engine.connect() as connection:
            return connection.execute(sa.select(sa.func.count()).select_from(sa.table(table))).scalar_one()${
              features.audit
                ? `

    def audit_entries(self) -> List[Dict[str, Any]]:
        """Every audit event, oldest first, as {actor, action, entity, entityId, fields}."""
        if self.stores.db is not None:
            return [
                {"actor": e.event.actor, "action": e.event.action, "entity": e.event.entity, "entityId": e.event.entity_id, "fields": list(e.event.fields)}
                for e in self.stores.audit.entries  # type: ignore[union-attr]
            ]
        assert self.engine is not None
        query = sa.text('SELECT actor, action, entity, entity_id::text AS "entityId", fields FROM audit_log ORDER BY occurred_at')
        with self.engine.connect() as connection:
            return [dict(row) for row in connection.execute(query).mappings()]`
                : ""
            }


@pytest.fixture(scope="session")
def engine() -> Iterator[Optional[Engine]]:
    if DATABASE_URL is None:
        yield None
        return
    connection = psycopg2.connect(DATABASE_URL)
    try:
        migrate_up(connection, load_migrations())
    finally:
        connection.close()
    engine = create_db_engine(DATABASE_URL)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def app(engine: Optional[Engine]) -> FastAPI:
    """One application for the session; every test binds it to fresh stores (building one is slow)."""
    return create_app(CONFIG, create_memory_stores(CONFIG) if engine is None else create_pg_stores(engine, CONFIG))


@pytest.fixture
def t(app: FastAPI, engine: Optional[Engine]) -> AppUnderTest:
    """The app of this test, on empty stores."""
    if engine is None:
        stores = create_memory_stores(CONFIG)
    else:
        with engine.begin() as connection:
            for statement in EMPTY_TABLES:
                connection.execute(sa.text(statement))
        stores = create_pg_stores(engine, CONFIG)
    bind(app, CONFIG, stores)
    return AppUnderTest(TestClient(app), stores, engine)${unguarded ? unguardedFixture() : ""}
`;
}

/**
 * What empties the database between tests. DELETE, children first, is ~20x faster than TRUNCATE on
 * small tables (no new files); the audit log's append-only trigger lets a purge through, as the
 * retention function does. Foreign keys in a cycle need TRUNCATE … CASCADE.
 */
function emptyTables(plan: ApiPlan): string {
  if (plan.deferredForeignKeys.length > 0) {
    return `#: Table names are constants of the application (identifiers cannot be bound parameters).
EMPTY_TABLES = [f"TRUNCATE {', '.join(ALL_TABLE_NAMES)} CASCADE"]
`;
  }
  const statements = [
    ...(plan.tables.some((table) => table.kind === "audit-log") ? ["SET LOCAL qlf.purge = 'on'"] : []),
    ...[...plan.tables].reverse().map((table) => `DELETE FROM ${table.name}`),
  ];
  return `#: Empties every table, children first (table names are constants of the application).
EMPTY_TABLES = [
${indent(statements.map((statement) => `${pyStr(statement)},`).join("\n"))}
]
`;
}

export function samplesFile(plan: ApiPlan): string {
  const creatable = new Set(plan.operations.filter((op) => op.kind === "create").map((op) => op.entity));
  const body = plan.entities
    .map((entity) => {
      const parts = [seedFunction(plan, entity)];
      if (creatable.has(entity.name)) parts.unshift(inputFunction(plan, entity));
      return parts.join("\n\n\n");
    })
    .join("\n\n\n");
  return `"""
Valid sample data: request bodies for the API, and records inserted straight into the store to set
up a test. Unique fields get a fresh value on every call. Pass MISSING to leave a field out.
"""
import itertools
${body.includes("uuid.uuid4()") ? "import uuid\n" : ""}from datetime import datetime, timezone
from typing import Any, Dict, Optional

from app.validation import iso
from conftest import AppUnderTest

#: An override that removes the field from the body.
MISSING: Any = object()
_sequence = itertools.count(1)


def _apply(values: Dict[str, Any], overrides: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    values.update(overrides or {})
    return {key: value for key, value in values.items() if value is not MISSING}


${body}
`;
}

function inputFunction(plan: ApiPlan, entity: EntityPlan): string {
  const names = namesOf(entity);
  const values = inputFields(plan, entity).map((field) => {
    if (field.role === "foreign-key" && field.references !== null) {
      const parent = namesOf(entityNamed(plan, field.references.entity) as EntityPlan);
      return `${pyStr(field.name)}: ${parent.seed}(t)["id"] if ${pyStr(field.name)} not in (overrides or {}) else None,`;
    }
    return `${pyStr(field.name)}: ${sampleValue(field, "n")},`;
  });
  const usesN = /\bn\b/.test(values.join("\n"));
  return `def ${names.input}(t: AppUnderTest, overrides: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """A valid body for POST /${entity.route}."""${usesN ? "\n    n = next(_sequence)" : ""}
    values: Dict[str, Any] = {
${indent(values.join("\n"), 2)}
    }
    return _apply(values, overrides)`;
}

function seedFunction(plan: ApiPlan, entity: EntityPlan): string {
  const names = namesOf(entity);
  const values = recordProperties(entity).map((property) => {
    const field = property.field;
    if (field === null)
      return `${pyStr(property.name)}: ${property.nullable ? "None" : 'f"test-token-{n}"'},`;
    switch (field.role) {
      case "id":
        return `${pyStr(field.name)}: str(uuid.uuid4()),`;
      case "created-at":
      case "updated-at":
        return `${pyStr(field.name)}: now,`;
      case "deleted-at":
      case "consent-given-at":
        return `${pyStr(field.name)}: None,`;
      case "card-last4":
        return `${pyStr(field.name)}: ${field.schema.nullable ? "None" : '"4242"'},`;
      case "foreign-key": {
        const parent = field.references === null ? undefined : entityNamed(plan, field.references.entity);
        if (field.schema.nullable || parent === undefined || parent.name === entity.name)
          return `${pyStr(field.name)}: None,`;
        return `${pyStr(field.name)}: ${namesOf(parent).seed}(t)["id"] if ${pyStr(field.name)} not in (overrides or {}) else None,`;
      }
      default:
        return `${pyStr(field.name)}: ${sampleValue(field, "n")},`;
    }
  });
  return `def ${names.seed}(t: AppUnderTest, overrides: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """Inserts a ${entity.name} straight into the store and returns it."""${/\bn\b/.test(values.join("\n")) ? "\n    n = next(_sequence)" : ""}
    now = iso(datetime.now(timezone.utc))
    values: Dict[str, Any] = {
${indent(values.join("\n"), 2)}
    }
    return t.stores.repositories.${names.module}.insert(_apply(values, overrides))`;
}
