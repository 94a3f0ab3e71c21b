/** `app/repositories/<module>.py`: the interface, record ↔ row mapping, memory and PostgreSQL stores. */
import type { EntityPlan } from "../../../generate/plan-schema.js";
import type { RepositoryNeeds } from "../../shared/repository-needs.js";
import type { Markers } from "../markers.js";
import { type EntityNames, recordProperties } from "../names.js";
import { indent, lines, pyFrozenset, pyIdent, pyList, pyStr } from "../py.js";

/** `list_by_patient_id` */
export function listByName(foreignKey: string): string {
  return `list_by_${pyIdent(foreignKey).replace(/_$/, "")}`;
}

export function repositoryFile(
  entity: EntityPlan,
  names: EntityNames,
  needs: RepositoryNeeds,
  markers: Markers,
): string {
  const properties = recordProperties(entity);
  const encrypted = properties.filter((p) => p.encrypted).map((p) => p.name);
  const json = properties.filter((p) => p.field?.schema.type === "object").map((p) => p.name);
  const cipher = encrypted.length > 0;
  const table = entity.table.toUpperCase().replace(/[^A-Z0-9_]/g, "_");
  const live = entity.softDelete;
  const c = cipher ? ", self.cipher" : "";
  const numeric = needs.list
    ? needs.list.sortBy.filter(
        (name) => entity.fields.find((f) => f.name === name)?.schema.format === "decimal",
      )
    : [];

  const protocol: string[] = [];
  const memory: string[] = [];
  const pg: string[] = [];
  if (needs.list) {
    protocol.push(
      `def list(self, page: int, page_size: int, sort: Sort, filters: Dict[str, Any]) -> Page:\n    """A page of live records matching every given filter, in the given order."""\n    ...`,
    );
    memory.push(`def list(self, page: int, page_size: int, sort: Sort, filters: Dict[str, Any]) -> Page:
    matching = [record for record in self._live() if matches_filters(record, filters)]
    return paginate(sort_records(matching, sort${numeric.length > 0 ? ", NUMERIC_SORT" : ""}), page, page_size)`);
    pg.push(`def list(self, page: int, page_size: int, sort: Sort, filters: Dict[str, Any]) -> Page:
    t = ${table}.c
    where = [${live ? "t.deleted_at.is_(None), " : ""}*(t[COLUMNS[name]] == value for name, value in filters.items() if value is not None)]
    column = t[COLUMNS[sort.field]]
    order = [column.desc().nullsfirst(), t.id.desc()] if sort.descending else [column.asc().nullslast(), t.id.asc()]
    return self._page(where, order, page, page_size)`);
  }
  if (needs.search) {
    protocol.push(
      `def search(self, text: str, page: int, page_size: int) -> Page:\n    """A page of live records whose ${needs.search.searchBy.join(" or ")} contains the text, ignoring case."""\n    ...`,
    );
    memory.push(`def search(self, text: str, page: int, page_size: int) -> Page:
    matching = [record for record in self._live() if contains_text(record, SEARCH_FIELDS, text)]
    return paginate(sort_records(matching, Sort("createdAt", True)), page, page_size)`);
    pg.push(`def search(self, text: str, page: int, page_size: int) -> Page:
    t = ${table}.c
    # ! escapes the LIKE wildcards in the text, so "50%" matches literally.
    pattern = "%" + re.sub(r"[!%_]", lambda match: "!" + match.group(0), text) + "%"
    matches = sa.or_(*(t[COLUMNS[name]].ilike(pattern, escape="!") for name in SEARCH_FIELDS))
    return self._page([${live ? "t.deleted_at.is_(None), " : ""}matches], [t.created_at.desc(), t.id.desc()], page, page_size)`);
  }
  protocol.push(`def find_by_id(self, id: str) -> Optional[Record]:\n    ...`);
  memory.push(`def find_by_id(self, id: str) -> Optional[Record]:
    row = self.db.find(TABLE, id)
    if row is None:
        return None
    record = from_row(row${c})
    return ${live ? 'record if record["deletedAt"] is None else None' : "record"}`);
  pg.push(`def find_by_id(self, id: str) -> Optional[Record]:
    t = ${table}.c
    with self.engine.connect() as connection:
        row = connection.execute(sa.select(${table}).where(t.id == id${live ? ", t.deleted_at.is_(None)" : ""})).mappings().first()
    return None if row is None else from_row(row${c})`);
  for (const item of needs.listBy) {
    const method = listByName(item.foreignKey);
    protocol.push(
      `def ${method}(self, ${pyIdent(item.foreignKey)}: str) -> List[Record]:\n    """Every live record with this ${item.foreignKey}, oldest first."""\n    ...`,
    );
    memory.push(`def ${method}(self, ${pyIdent(item.foreignKey)}: str) -> List[Record]:
    owned = [record for record in self._live() if record[${pyStr(item.foreignKey)}] == ${pyIdent(item.foreignKey)}]
    return sort_records(owned, Sort("createdAt", False))`);
    pg.push(`def ${method}(self, ${pyIdent(item.foreignKey)}: str) -> List[Record]:
    t = ${table}.c
    query = sa.select(${table}).where(t.${item.column} == ${pyIdent(item.foreignKey)}${live ? ", t.deleted_at.is_(None)" : ""}).order_by(t.created_at, t.id)
    with self.engine.connect() as connection:
        return [from_row(row${c}) for row in connection.execute(query).mappings()]`);
  }
  protocol.push(`def insert(self, record: Record) -> Record:\n    ...`);
  memory.push(`def insert(self, record: Record) -> Record:
    return from_row(self.db.insert(TABLE, to_row(record${c}))${c})`);
  pg.push(`def insert(self, record: Record) -> Record:
    try:
        with self.engine.begin() as connection:
            row = connection.execute(sa.insert(${table}).values(self._values(record)).returning(*${table}.c)).mappings().one()
    except IntegrityError as error:
        raise translate_pg_error(error, "write") from None
    return from_row(row${c})`);
  const guardParam = needs.guarded ? ", guard: Optional[Guard] = None" : "";
  protocol.push(
    `def update(self, id: str, changes: Record${guardParam}) -> Optional[Record]:\n    """Applies the changes; None when there is no such live record${needs.guarded ? " or the guard does not hold" : ""}."""\n    ...`,
  );
  memory.push(`def update(self, id: str, changes: Record${guardParam}) -> Optional[Record]:
    current = self.find_by_id(id)
    if current is None:
        return None${needs.guarded ? "\n    if guard is not None and str(current.get(guard.field)) not in guard.one_of:\n        return None" : ""}
    row = self.db.update(TABLE, id, to_row(changes${c}))
    return None if row is None else from_row(row${c})`);
  pg.push(`def update(self, id: str, changes: Record${guardParam}) -> Optional[Record]:
    t = ${table}.c
    where = [t.id == id${live ? ", t.deleted_at.is_(None)" : ""}]${needs.guarded ? "\n    if guard is not None:\n        where.append(t[COLUMNS[guard.field]].in_(list(guard.one_of)))" : ""}
    try:
        with self.engine.begin() as connection:
            row = connection.execute(sa.update(${table}).where(*where).values(self._values(changes)).returning(*${table}.c)).mappings().first()
    except IntegrityError as error:
        raise translate_pg_error(error, "write") from None
    return None if row is None else from_row(row${c})`);
  if (live) {
    protocol.push(
      `def remove(self, id: str, at: str) -> bool:\n    """Soft delete: sets deletedAt, which hides the record; False when there is no such live record."""\n    ...`,
    );
    const body = `def remove(self, id: str, at: str) -> bool:
    return self.update(id, {"deletedAt": at, "updatedAt": at}) is not None${markers.control("soft-delete")}`;
    memory.push(body);
    pg.push(body);
  } else {
    protocol.push(
      `def remove(self, id: str, at: str) -> bool:\n    """Deletes the record; False when there is no such record."""\n    ...`,
    );
    memory.push(`def remove(self, id: str, at: str) -> bool:
    return self.db.delete(TABLE, id)`);
    pg.push(`def remove(self, id: str, at: str) -> bool:
    try:
        with self.engine.begin() as connection:
            return connection.execute(sa.delete(${table}).where(${table}.c.id == id)).rowcount == 1
    except IntegrityError as error:
        raise translate_pg_error(error, "delete") from None`);
  }
  if (needs.list || needs.search || needs.listBy.length > 0) {
    memory.push(`def _live(self) -> List[Record]:
    """Every record${live ? " not soft-deleted" : ""}."""
    records = [from_row(row${c}) for row in self.db.rows(TABLE)]
    return ${live ? '[record for record in records if record["deletedAt"] is None]' : "records"}`);
  }
  if (needs.list || needs.search) {
    pg.push(`def _page(self, where: List[Any], order: List[Any], page: int, page_size: int) -> Page:
    with self.engine.connect() as connection:
        total = connection.execute(sa.select(sa.func.count()).select_from(${table}).where(*where)).scalar_one()
        query = sa.select(${table}).where(*where).order_by(*order).limit(page_size).offset(offset_of(page, page_size))
        rows = connection.execute(query).mappings().all()
    return Page([from_row(row${c}) for row in rows], total)`);
  }
  pg.push(`def _values(self, record: Record) -> Dict[str, Any]:
    row = to_row(record${c})${json.length > 0 ? "\n    # JSON objects go to jsonb as text (psycopg2 sends them as a string PostgreSQL casts).\n    return {column: json.dumps(value) if isinstance(value, dict) else value for column, value in row.items()}" : "\n    return row"}`);

  const all = [...protocol, ...memory, ...pg].join("\n");
  const queryImports = [
    ...(all.includes("contains_text(") ? ["contains_text"] : []),
    ...(all.includes("Guard") ? ["Guard"] : []),
    ...(all.includes("matches_filters(") ? ["matches_filters"] : []),
    ...(all.includes("offset_of(") ? ["offset_of"] : []),
    ...(all.includes("Page") ? ["Page"] : []),
    ...(all.includes("paginate(") ? ["paginate"] : []),
    "plain",
    "Record",
    ...(all.includes("Sort") ? ["Sort"] : []),
    ...(all.includes("sort_records(") ? ["sort_records"] : []),
  ].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  const typing = ["Any", "Dict", ...(all.includes("List[") ? ["List"] : []), "Optional", "Protocol"];

  return `"""
Storage of ${entity.plural}: the interface the routes depend on, the mapping between records and
table rows that both stores share${cipher ? " (encryption happens here)" : ""}, and the in-memory and PostgreSQL stores.
"""
${lines(json.length > 0 && "import json", needs.search && "import re")}
from typing import ${typing.join(", ")}

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

${lines(
  cipher && "from app.field_cipher import FieldCipher",
  "from app.storage.errors import translate_pg_error",
  "from app.storage.memory import MemoryDatabase",
  `from app.storage.query import ${queryImports.join(", ")}`,
)}

TABLE = ${pyStr(entity.table)}
#: Record key → column.
COLUMNS = {
${indent(properties.map((p) => `${pyStr(p.name)}: ${pyStr(p.column)},`).join("\n"))}
}
${lines(
  cipher &&
    `#: Keys stored encrypted (AES-256-GCM); everything else is stored as it is.\nENCRYPTED = ${pyFrozenset(encrypted)}`,
  json.length > 0 && `#: JSON objects (jsonb columns).\nJSON_FIELDS = ${pyFrozenset(json)}`,
  needs.search && `SEARCH_FIELDS = ${pyList(needs.search.searchBy)}`,
  numeric.length > 0 &&
    `#: Decimal fields, held as text, that sort by value.\nNUMERIC_SORT = ${pyList(numeric)}`,
)}
${table} = sa.table(TABLE, *(sa.column(column) for column in COLUMNS.values()))


class ${names.repository}(Protocol):
${indent(protocol.join("\n\n"))}


def to_row(record: Record${cipher ? ", cipher: FieldCipher" : ""}) -> Dict[str, Any]:
    """The columns of the given keys (all of a full record, only the changed ones of a patch)."""
    row: Dict[str, Any] = {}
    for key, column in COLUMNS.items():
        if key in record:
${cipher ? `            value = record[key]\n            row[column] = cipher.encrypt(value, column) if value is not None and key in ENCRYPTED else value${markers.control("encrypt-fields")}` : "            row[column] = record[key]"}
    return row


def from_row(row: Any${cipher ? ", cipher: FieldCipher" : ""}) -> Record:
    """The record stored in a row (from PostgreSQL or the in-memory database)."""
    record: Record = {}
    for key, column in COLUMNS.items():
        value = row[column]
        if value is None:
            record[key] = None
${lines(
  cipher && "        elif key in ENCRYPTED:\n            record[key] = cipher.decrypt(value, column)",
  json.length > 0 &&
    "        elif key in JSON_FIELDS and isinstance(value, str):\n            record[key] = json.loads(value)",
)}
        else:
            record[key] = plain(value)
    return record


class ${names.memoryRepository}:
    """${entity.plural} in memory: for tests and local runs without a database."""

    def __init__(self, db: MemoryDatabase${cipher ? ", cipher: FieldCipher" : ""}) -> None:
        self.db = db${cipher ? "\n        self.cipher = cipher" : ""}

${indent(memory.join("\n\n"))}


class ${names.pgRepository}:
    """${entity.plural} in PostgreSQL (SQLAlchemy Core: every value is a bound parameter)."""

    def __init__(self, engine: Engine${cipher ? ", cipher: FieldCipher" : ""}) -> None:
        self.engine = engine${cipher ? "\n        self.cipher = cipher" : ""}

${indent(pg.join("\n\n"))}
`.replace(/\n{4,}/g, "\n\n\n");
}
