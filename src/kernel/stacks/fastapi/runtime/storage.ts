/** `app/storage/*`, `app/db.py`, `app/migrate.py`. */
import type { ApiPlan } from "../../../generate/plan-schema.js";
import { indent, pyList, pyStr } from "../py.js";

/** `app/storage/__init__.py` */
export function storageInitFile(): string {
  return `"""Storage shared by the repositories: table constraints, the in-memory database, paging."""\n`;
}

/** `app/storage/schema.py`: the constraints of every table, from the same plan as the migrations. */
export function storageSchemaFile(plan: ApiPlan): string {
  const tables = plan.tables
    .filter((table) => table.kind === "entity" || table.kind === "join")
    .map((table) => {
      const fields = table.columns
        .filter((column) => column.field !== null)
        .map((column) => `${pyStr(column.name)}: ${pyStr(column.field ?? column.name)}`);
      const foreignKeys = [
        ...table.foreignKeys,
        ...plan.deferredForeignKeys.filter((foreignKey) => foreignKey.table === table.name),
      ].map(
        (fk) =>
          `ForeignKey(${pyStr(fk.name)}, ${pyList(fk.columns)}, ${pyStr(fk.references.table)}, ${pyList(fk.references.columns)}, ${pyStr(fk.onDelete)}),`,
      );
      const uniques = table.uniques.map(
        (unique) => `Unique(${pyStr(unique.name)}, ${pyList(unique.columns)}),`,
      );
      return [
        "TableSchema(",
        `    name=${pyStr(table.name)},`,
        `    primary_key=${pyList(table.primaryKey)},`,
        `    fields={${fields.join(", ")}},`,
        uniques.length === 0 ? "    uniques=[]," : `    uniques=[\n${indent(uniques.join("\n"), 2)}\n    ],`,
        foreignKeys.length === 0
          ? "    foreign_keys=[],"
          : `    foreign_keys=[\n${indent(foreignKeys.join("\n"), 2)}\n    ],`,
        "),",
      ].join("\n");
    });
  return `"""
The constraints of every application table, as the migrations create them. The in-memory database
enforces them so that tests without PostgreSQL see the same conflicts, and the PostgreSQL
repositories use them to name the field a violated constraint is about.
"""
from dataclasses import dataclass, field
from typing import Dict, List


@dataclass(frozen=True)
class Unique:
    name: str
    columns: List[str]


@dataclass(frozen=True)
class ForeignKey:
    name: str
    columns: List[str]
    references_table: str
    references_columns: List[str]
    #: cascade, restrict or set null
    on_delete: str


@dataclass(frozen=True)
class TableSchema:
    name: str
    primary_key: List[str]
    #: column → JSON field name
    fields: Dict[str, str]
    uniques: List[Unique] = field(default_factory=list)
    foreign_keys: List[ForeignKey] = field(default_factory=list)


TABLES: List[TableSchema] = [
${indent(tables.join("\n"))}
]

#: Every table the application owns, for emptying between tests.
ALL_TABLE_NAMES: List[str] = ${pyList(plan.tables.map((table) => table.name))}
`;
}

/** `app/storage/errors.py` */
export function storageErrorsFile(): string {
  return `"""
Constraint violations as one error type, whichever store raised them. PostgreSQL's own message
quotes the offending value, so it is never passed on: the field comes from the constraint name.
"""
from typing import Optional

from app.storage.schema import TABLES

UNIQUE_VIOLATION = "23505"
FOREIGN_KEY_VIOLATION = "23503"


class ConstraintError(Exception):
    """A unique value taken, a reference to a missing record, or a record still referenced."""

    def __init__(self, kind: str, table: str, constraint: str, field: Optional[str], message: str) -> None:
        super().__init__(message)
        #: "unique", "foreign-key" or "restrict"
        self.kind = kind
        self.table = table
        self.constraint = constraint
        #: The JSON field the constraint is about, when there is exactly one.
        self.field = field


def unique_error(table: str, constraint: str, field: Optional[str]) -> ConstraintError:
    message = "a record with these values already exists" if field is None else f"a record with this {field} already exists"
    return ConstraintError("unique", table, constraint, field, message)


def translate_pg_error(error: BaseException, during: str) -> BaseException:
    """
    The ConstraintError for a PostgreSQL violation (SQLAlchemy's IntegrityError wrapping psycopg2's),
    or the error itself. during ("write" or "delete") tells a foreign key broken by a write
    (missing parent) from one broken by a delete (the record is still referenced).
    """
    original = getattr(error, "orig", error)
    code = getattr(original, "pgcode", None)
    diag = getattr(original, "diag", None)
    constraint = getattr(diag, "constraint_name", None)
    if code not in (UNIQUE_VIOLATION, FOREIGN_KEY_VIOLATION) or constraint is None:
        return error
    for table in TABLES:
        for unique in table.uniques:
            if unique.name == constraint and code == UNIQUE_VIOLATION:
                field = table.fields.get(unique.columns[0]) if len(unique.columns) == 1 else None
                return unique_error(table.name, unique.name, field)
        for foreign_key in table.foreign_keys:
            if foreign_key.name == constraint and code == FOREIGN_KEY_VIOLATION:
                if during == "delete":
                    return ConstraintError(
                        "restrict",
                        foreign_key.references_table,
                        foreign_key.name,
                        None,
                        f"the record is still referenced by {table.name}",
                    )
                field = table.fields.get(foreign_key.columns[0])
                return ConstraintError(
                    "foreign-key",
                    table.name,
                    foreign_key.name,
                    field,
                    f"{field or 'a reference'} does not refer to an existing record",
                )
    return error
`;
}

/** `app/storage/memory.py`: rows in dicts, with PostgreSQL's constraints. */
export function storageMemoryFile(): string {
  return `"""
An in-memory stand-in for the database: one dict of rows per table, keyed by primary key, with
the unique and foreign-key constraints of schema.py enforced the way PostgreSQL enforces them
(including ON DELETE CASCADE / RESTRICT / SET NULL). Rows use column names, exactly as they are
stored, so tests can check what actually lands in storage (ciphertext, card tokens).
"""
import threading
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

from app.storage.errors import ConstraintError, unique_error
from app.storage.schema import TABLES, ForeignKey, TableSchema

Row = Dict[str, Any]


class MemoryDatabase:
    def __init__(self, tables: Iterable[TableSchema] = TABLES) -> None:
        self._schemas = {table.name: table for table in tables}
        self._data: Dict[str, Dict[str, Row]] = {name: {} for name in self._schemas}
        # Route handlers run in a thread pool: one lock keeps each operation atomic.
        self._lock = threading.RLock()

    def rows(self, table: str) -> List[Row]:
        """Copies of every row of a table, in insertion order."""
        with self._lock:
            return [dict(row) for row in self._table(table).values()]

    def find(self, table: str, id: str) -> Optional[Row]:
        with self._lock:
            row = self._table(table).get(id)
            return None if row is None else dict(row)

    def insert(self, table: str, row: Row) -> Row:
        with self._lock:
            schema = self._schema(table)
            self._check_unique(schema, row, None)
            self._check_references(schema, row)
            stored = dict(row)
            self._table(table)["/".join(str(stored[c]) for c in schema.primary_key)] = stored
            return dict(stored)

    def update(self, table: str, id: str, changes: Row) -> Optional[Row]:
        """Applies changes to the row with this id; None when there is none."""
        with self._lock:
            schema = self._schema(table)
            current = self._table(table).get(id)
            if current is None:
                return None
            updated = {**current, **changes}
            self._check_unique(schema, updated, id)
            self._check_references(schema, updated)
            self._table(table)[id] = updated
            return dict(updated)

    def delete(self, table: str, id: str) -> bool:
        """Deletes the row and applies ON DELETE to the rows that reference it; False when there is none."""
        with self._lock:
            if id not in self._table(table):
                return False
            # Check every RESTRICT first, so that a refused delete changes nothing (as in a transaction).
            self._check_restrict(table, id, set())
            self._cascade(table, id)
            return True

    def clear(self) -> None:
        with self._lock:
            for rows in self._data.values():
                rows.clear()

    def _cascade(self, table: str, id: str) -> None:
        self._table(table).pop(id, None)
        for schema, foreign_key in self._referencing(table):
            column = foreign_key.columns[0]
            for child_id, row in list(self._table(schema.name).items()):
                if row.get(column) != id:
                    continue
                if foreign_key.on_delete == "cascade":
                    self._cascade(schema.name, child_id)
                elif foreign_key.on_delete == "set null":
                    row[column] = None

    def _check_restrict(self, table: str, id: str, seen: Set[str]) -> None:
        marker = f"{table}:{id}"
        if marker in seen:
            return
        seen.add(marker)
        for schema, foreign_key in self._referencing(table):
            column = foreign_key.columns[0]
            for child_id, row in self._table(schema.name).items():
                if row.get(column) != id:
                    continue
                if foreign_key.on_delete == "restrict":
                    raise ConstraintError(
                        "restrict", table, foreign_key.name, None, f"the record is still referenced by {schema.name}"
                    )
                if foreign_key.on_delete == "cascade":
                    self._check_restrict(schema.name, child_id, seen)

    def _check_unique(self, schema: TableSchema, row: Row, own_id: Optional[str]) -> None:
        for unique in schema.uniques:
            values = [row.get(column) for column in unique.columns]
            # As in SQL, NULL never equals NULL, so rows with a null in the key never collide.
            if any(value is None for value in values):
                continue
            for id, other in self._table(schema.name).items():
                if id != own_id and [other.get(column) for column in unique.columns] == values:
                    field = schema.fields.get(unique.columns[0]) if len(unique.columns) == 1 else None
                    raise unique_error(schema.name, unique.name, field)

    def _check_references(self, schema: TableSchema, row: Row) -> None:
        for foreign_key in schema.foreign_keys:
            column = foreign_key.columns[0]
            value = row.get(column)
            if value is None:
                continue
            if str(value) not in self._table(foreign_key.references_table):
                field = schema.fields.get(column)
                raise ConstraintError(
                    "foreign-key",
                    schema.name,
                    foreign_key.name,
                    field,
                    f"{field or column} does not refer to an existing record",
                )

    def _referencing(self, table: str) -> List[Tuple[TableSchema, ForeignKey]]:
        return [
            (schema, foreign_key)
            for schema in self._schemas.values()
            for foreign_key in schema.foreign_keys
            if foreign_key.references_table == table
        ]

    def _schema(self, table: str) -> TableSchema:
        schema = self._schemas.get(table)
        if schema is None:
            raise KeyError(f"unknown table {table}")
        return schema

    def _table(self, table: str) -> Dict[str, Row]:
        rows = self._data.get(table)
        if rows is None:
            raise KeyError(f"unknown table {table}")
        return rows
`;
}

/** `app/storage/query.py`: paging, sorting and filtering the repositories share. */
export function storageQueryFile(): string {
  return `"""
What lists have in common: paging, a sort, exact-match filters, and the in-memory versions of
filtering, sorting and paging that mirror what the SQL does (NULLs last ascending, first
descending; ties broken by id so pages never overlap).
"""
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Dict, Iterable, List, Optional, Sequence

from app.validation import iso

Record = Dict[str, Any]


@dataclass(frozen=True)
class Sort:
    field: str
    descending: bool


@dataclass(frozen=True)
class Guard:
    """A precondition for an update: the field must still hold one of these values (no lost updates)."""

    field: str
    one_of: Sequence[str]


@dataclass
class Page:
    items: List[Record] = field(default_factory=list)
    total: int = 0


def parse_sort(value: str) -> Sort:
    """-createdAt → Sort("createdAt", descending=True)."""
    return Sort(value[1:], True) if value.startswith("-") else Sort(value, False)


def offset_of(page: int, page_size: int) -> int:
    return (page - 1) * page_size


def plain(value: Any) -> Any:
    """A database value as JSON: timestamps as ISO text (UTC, milliseconds), dates, decimals and UUIDs as text."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    return value


def matches_filters(record: Record, filters: Dict[str, Any]) -> bool:
    return all(value is None or record.get(name) == value for name, value in filters.items())


def contains_text(record: Record, fields: Sequence[str], text: str) -> bool:
    """Case-insensitive substring match on any of the fields (what ILIKE '%text%' does)."""
    needle = text.lower()
    return any(isinstance(record.get(name), str) and needle in record[name].lower() for name in fields)


def sort_records(records: Iterable[Record], sort: Sort, numeric: Sequence[str] = ()) -> List[Record]:
    """Sorts like ORDER BY field [DESC], id [DESC]; numeric fields hold decimals as text."""
    is_numeric = sort.field in numeric

    def key(record: Record) -> Any:
        value = record.get(sort.field)
        # NULL sorts after every value ascending, as in PostgreSQL (and so first descending).
        return (value is None, (Decimal(value) if is_numeric else value) if value is not None else 0, record["id"])

    return sorted(records, key=key, reverse=sort.descending)


def paginate(records: Sequence[Record], page: int, page_size: int) -> Page:
    start = offset_of(page, page_size)
    return Page(list(records[start : start + page_size]), len(records))


def first(records: Iterable[Record]) -> Optional[Record]:
    return next(iter(records), None)
`;
}

/** `app/db.py` */
export function dbFile(): string {
  return `"""
The PostgreSQL engine (SQLAlchemy Core on psycopg2). Statements are built with SQLAlchemy's
expression language, so values always travel as bound parameters, never spliced into SQL.
"""
import sqlalchemy as sa
from sqlalchemy.engine import Engine


def sqlalchemy_url(database_url: str) -> str:
    """postgres://… (the libpq form DATABASE_URL uses) → postgresql+psycopg2://… (what SQLAlchemy wants)."""
    for prefix in ("postgres://", "postgresql://"):
        if database_url.startswith(prefix):
            return "postgresql+psycopg2://" + database_url[len(prefix) :]
    return database_url


def create_db_engine(database_url: str) -> Engine:
    return sa.create_engine(
        sqlalchemy_url(database_url),
        pool_size=10,
        max_overflow=0,
        pool_pre_ping=True,
        pool_timeout=5,
        connect_args={"connect_timeout": 5},
    )


def ping(engine: Engine) -> None:
    """Raises unless the database answers SELECT 1 (GET /readyz)."""
    with engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))
`;
}

/** `app/migrate.py` */
export function migrateFile(): string {
  return String.raw`"""
Applies the SQL files in migrations/ in order and records each in schema_migrations.
A file pair is NNNN_name.up.sql / NNNN_name.down.sql; each file runs its own transaction.
An advisory lock makes concurrent runs (several replicas starting at once) wait for each other.

    python -m app.migrate up           # apply every pending migration
    python -m app.migrate down         # roll back the last one
    python -m app.migrate down all     # roll back everything
"""
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

import psycopg2

#: migrations/ next to app/.
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
FILE = re.compile(r"^(\d+)_([A-Za-z0-9_-]+)\.(up|down)\.sql\Z")
#: An arbitrary constant: the key of this application's migration lock.
LOCK_KEY = 727_274_001


@dataclass
class Migration:
    version: str
    name: str
    up: str
    down: Optional[str]


def load_migrations(directory: Path = MIGRATIONS_DIR) -> List[Migration]:
    found: Dict[str, Migration] = {}
    for path in sorted(directory.iterdir()):
        match = FILE.match(path.name)
        if match is None:
            continue
        version, name, direction = match.groups()
        migration = found.setdefault(version, Migration(version, name, "", None))
        if direction == "up":
            migration.up = path.read_text(encoding="utf-8")
        else:
            migration.down = path.read_text(encoding="utf-8")
    return [migration for migration in found.values() if migration.up != ""]


def migrate_up(connection: Any, migrations: List[Migration]) -> List[str]:
    """Applies every migration not yet applied; returns the versions it applied."""
    done: List[str] = []
    with _locked(connection) as applied:
        for migration in migrations:
            if migration.version in applied:
                continue
            _run(connection, migration.up, f"{migration.version}_{migration.name}.up.sql")
            _execute(connection, "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)", (migration.version, migration.name))
            done.append(migration.version)
    return done


def migrate_down(connection: Any, migrations: List[Migration], steps: float = 1) -> List[str]:
    """Rolls back the last steps applied migrations (all with float("inf")); returns their versions."""
    done: List[str] = []
    with _locked(connection) as applied:
        for migration in reversed(migrations):
            if len(done) >= steps:
                break
            if migration.version not in applied:
                continue
            if migration.down is None:
                raise RuntimeError(f"migration {migration.version} has no down file")
            _run(connection, migration.down, f"{migration.version}_{migration.name}.down.sql")
            _execute(connection, "DELETE FROM schema_migrations WHERE version = %s", (migration.version,))
            done.append(migration.version)
    return done


class _locked:
    """Holds the advisory lock and yields the applied versions."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def __enter__(self) -> set:
        self.connection.autocommit = True
        _execute(self.connection, "SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        _execute(
            self.connection,
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
        )
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT version FROM schema_migrations")
            return {row[0] for row in cursor.fetchall()}

    def __exit__(self, *_: Any) -> None:
        _execute(self.connection, "SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))


def _execute(connection: Any, sql: str, parameters: Any = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)


def _run(connection: Any, sql: str, name: str) -> None:
    try:
        # No parameters: the file is sent as it is (its own BEGIN … COMMIT included).
        _execute(connection, sql)
    except psycopg2.Error as error:
        # The file's own transaction is aborted; end it so the connection is usable again.
        try:
            _execute(connection, "ROLLBACK")
        except psycopg2.Error:
            pass
        raise RuntimeError(f"{name} failed: {error}") from error


def main(argv: List[str]) -> int:
    command = argv[0] if argv else "up"
    count = argv[1] if len(argv) > 1 else "1"
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url == "":
        print("DATABASE_URL is not set", file=sys.stderr)
        return 1
    if command not in ("up", "down"):
        print(f'unknown command "{command}" (use up or down)', file=sys.stderr)
        return 1
    connection = psycopg2.connect(database_url)
    try:
        migrations = load_migrations()
        if command == "up":
            versions = migrate_up(connection, migrations)
        else:
            versions = migrate_down(connection, migrations, float("inf") if count == "all" else int(count))
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        connection.close()
    print("nothing to do" if not versions else f"{command}: {', '.join(versions)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
`;
}
