/**
 * `src/resources/<route>/repository.ts` (the interface and the record ↔ row mapping both stores
 * share), `memory-repository.ts` and `pg-repository.ts`.
 */
import type { EntityPlan } from "../../../generate/plan-schema.js";
import type { RepositoryNeeds } from "../../shared/repository-needs.js";
import { indent, key, lines, str, strList, upperFirst } from "../code.js";
import type { Markers } from "../markers.js";
import { type EntityNames, recordProperties } from "./names.js";

export function listByName(foreignKey: string): string {
  return `listBy${upperFirst(foreignKey)}`;
}

/** `repository.ts` */
export function repositoryFile(
  entity: EntityPlan,
  names: EntityNames,
  needs: RepositoryNeeds,
  markers: Markers,
): string {
  const properties = recordProperties(entity);
  const encrypted = properties.filter((p) => p.encrypted).map((p) => p.name);
  const timestamps = properties.filter((p) => p.field?.schema.format === "date-time").map((p) => p.name);
  const cipher = encrypted.length > 0;
  const modelImports = [
    ...(needs.list ? [`${entity.name}Filters`] : []),
    names.record,
    ...(needs.list ? [`${entity.name}SortField`] : []),
  ];
  const storageImports = [
    ...(needs.list ? ["ListOptions"] : []),
    ...(needs.list || needs.search ? ["Page"] : []),
    ...(needs.search ? ["Paging"] : []),
    "Row",
    "timestamp",
  ];
  const searchFields = needs.search?.searchBy ?? [];
  const guardType = needs.guardFields.length === 0 ? null : `${entity.name}Guard`;
  const members = lines(
    needs.list &&
      `/** A page of live records matching every given filter, in the given order. */
list(options: ListOptions<${entity.name}Filters, ${entity.name}SortField>): Promise<Page<${names.record}>>;`,
    needs.search &&
      `/** A page of live records whose ${searchFields.join(" or ")} contains the text, ignoring case. */
search(text: string, paging: Paging): Promise<Page<${names.record}>>;`,
    `findById(id: string): Promise<${names.record} | undefined>;`,
    ...needs.listBy.map(
      (item) => `/** Every live record with this ${item.foreignKey}, oldest first. */
${listByName(item.foreignKey)}(${item.foreignKey}: string): Promise<${names.record}[]>;`,
    ),
    `insert(record: ${names.record}): Promise<${names.record}>;`,
    `/** Applies the changes; undefined when there is no such live record${guardType === null ? "" : " or the guard does not hold"}. */
update(id: string, changes: Partial<${names.record}>${guardType === null ? "" : `, guard?: ${guardType}`}): Promise<${names.record} | undefined>;`,
    entity.softDelete
      ? `/** Soft delete: sets deletedAt, which hides the record; false when there is no such live record. */
remove(id: string, at: string): Promise<boolean>;`
      : `/** Deletes the record; false when there is no such record. */
remove(id: string, at: string): Promise<boolean>;`,
  );
  const columnMap = properties.map((p) => `${key(p.name)}: ${str(p.column)},`);
  return `/**
 * Storage of ${entity.plural}: the interface the routes depend on, and the mapping between records
 * and table rows that the in-memory and PostgreSQL implementations share${cipher ? " (encryption happens here)" : ""}.
 */
${lines(
  cipher && 'import type { FieldCipher } from "../../security/field-cipher.js";',
  `import { ${storageImports.map((name) => (name === "timestamp" ? name : `type ${name}`)).join(", ")} } from "../../storage/query.js";`,
  `import type { ${modelImports.join(", ")} } from "./model.js";`,
)}

export const TABLE = ${str(entity.table)};
${
  guardType === null
    ? ""
    : `
/** A precondition for an update: the field must still hold one of these values (no lost updates). */
export interface ${guardType} {
  field: ${needs.guardFields.map(str).join(" | ")};
  oneOf: readonly string[];
}
`
}
export interface ${names.repository} {
${indent(members)}
}

/** Record property → column. */
export const COLUMNS: Record<keyof ${names.record}, string> = {
${indent(columnMap.join("\n"))}
};
${
  cipher
    ? `
/** Properties stored encrypted (AES-256-GCM); everything else is stored as is. */
const ENCRYPTED: ReadonlySet<string> = new Set(${strList(encrypted)});
`
    : ""
}${
  timestamps.length > 0
    ? `
const TIMESTAMPS: ReadonlySet<string> = new Set(${strList(timestamps)});
`
    : ""
}
/** The columns of the given properties (all of a full record, only the changed ones of a patch). */
export function toRow(record: Partial<${names.record}>${cipher ? ", cipher: FieldCipher" : ""}): Row {
  const row: Row = {};
  for (const [property, column] of Object.entries(COLUMNS)) {
    const value = record[property as keyof ${names.record}];
    if (value === undefined) continue;
${
  cipher
    ? `    row[column] = value !== null && ENCRYPTED.has(property) ? cipher.encrypt(value, column) : value;${markers.control("encrypt-fields")}`
    : "    row[column] = value;"
}
  }
  return row;
}

/** The record stored in a row (the row comes from PostgreSQL or the in-memory store). */
export function fromRow(row: Row${cipher ? ", cipher: FieldCipher" : ""}): ${names.record} {
  const record: Record<string, unknown> = {};
  for (const [property, column] of Object.entries(COLUMNS)) {
    const value = row[column];
    if (value === null || value === undefined) record[property] = null;
${lines(
  cipher && "    else if (ENCRYPTED.has(property)) record[property] = cipher.decrypt(String(value), column);",
  timestamps.length > 0 && "    else if (TIMESTAMPS.has(property)) record[property] = timestamp(value);",
)}
    else record[property] = value;
  }
  // Every column of the table is mapped above, so this is a complete record.
  return record as unknown as ${names.record};
}
`.replace(/\n{3,}/g, "\n\n");
}

/** `memory-repository.ts` */
export function memoryRepositoryFile(
  entity: EntityPlan,
  names: EntityNames,
  needs: RepositoryNeeds,
  markers: Markers,
): string {
  const cipher = entity.encryptedFields.length > 0;
  const c = cipher ? ", this.cipher" : "";
  const guardType = needs.guardFields.length === 0 ? null : `${entity.name}Guard`;
  const numeric = needs.list
    ? needs.list.sortBy.filter(
        (name) => entity.fields.find((f) => f.name === name)?.schema.format === "decimal",
      )
    : [];
  const queryImports = [
    ...(needs.search ? ["containsText"] : []),
    ...(needs.list ? ["type ListOptions", "matchesFilters"] : []),
    ...(needs.list || needs.search ? ["type Page", "paginate"] : []),
    ...(needs.search ? ["type Paging"] : []),
    ...(needs.list || needs.search ? ["sortRecords"] : []),
  ];
  const live = entity.softDelete ? ".filter((record) => record.deletedAt === null)" : "";
  const methods: string[] = [];
  if (needs.list) {
    methods.push(`async list({ sort, filters, ...paging }: ListOptions<${entity.name}Filters, ${entity.name}SortField>): Promise<Page<${names.record}>> {
  const matching = this.live().filter((record) => matchesFilters(record, filters));
  return paginate(sortRecords(matching, sort${numeric.length > 0 ? ", NUMERIC_SORT" : ""}), paging);
}`);
  }
  if (needs.search) {
    methods.push(`async search(text: string, paging: Paging): Promise<Page<${names.record}>> {
  const matching = this.live().filter((record) => containsText(record, SEARCH_FIELDS, text));
  return paginate(sortRecords(matching, { field: "createdAt", descending: true }), paging);
}`);
  }
  methods.push(`async findById(id: string): Promise<${names.record} | undefined> {
  const row = this.db.find(TABLE, id);
  if (row === undefined) return undefined;
  const record = fromRow(row${c});
  return ${entity.softDelete ? "record.deletedAt === null ? record : undefined" : "record"};
}`);
  for (const item of needs.listBy) {
    methods.push(`async ${listByName(item.foreignKey)}(${item.foreignKey}: string): Promise<${names.record}[]> {
  const owned = this.live().filter((record) => record.${item.foreignKey} === ${item.foreignKey});
  return sortRecords(owned, { field: "createdAt", descending: false });
}`);
  }
  methods.push(`async insert(record: ${names.record}): Promise<${names.record}> {
  return fromRow(this.db.insert(TABLE, toRow(record${c}))${c});
}`);
  methods.push(`async update(id: string, changes: Partial<${names.record}>${guardType === null ? "" : `, guard?: ${guardType}`}): Promise<${names.record} | undefined> {
  const current = await this.findById(id);
  if (current === undefined) return undefined;
${guardType === null ? "" : "  if (guard !== undefined && !guard.oneOf.includes(String(current[guard.field]))) return undefined;\n"}  const row = this.db.update(TABLE, id, toRow(changes${c}));
  return row === undefined ? undefined : fromRow(row${c});
}`);
  methods.push(
    entity.softDelete
      ? `async remove(id: string, at: string): Promise<boolean> {
  return (await this.update(id, { deletedAt: at, updatedAt: at })) !== undefined;${markers.control("soft-delete")}
}`
      : `async remove(id: string, _at: string): Promise<boolean> {
  return this.db.delete(TABLE, id);
}`,
  );
  methods.push(`/** Every record not soft-deleted. */
private live(): ${names.record}[] {
  return this.db.rows(TABLE).map((row) => fromRow(row${c}))${live};
}`);
  if (!needs.list && !needs.search && needs.listBy.length === 0) methods.pop();
  const modelImports = [
    ...(needs.list ? [`${entity.name}Filters`] : []),
    names.record,
    ...(needs.list ? [`${entity.name}SortField`] : []),
  ];
  const repoImports = [
    "COLUMNS",
    "fromRow",
    ...(guardType === null ? [] : [`type ${guardType}`]),
    `type ${names.repository}`,
    "TABLE",
    "toRow",
  ].filter((name) => name !== "COLUMNS");
  return `/** ${entity.plural} in memory: for tests and local runs without a database. */
${lines(
  cipher && 'import type { FieldCipher } from "../../security/field-cipher.js";',
  'import type { MemoryDatabase } from "../../storage/memory-database.js";',
  queryImports.length > 0 && `import { ${queryImports.join(", ")} } from "../../storage/query.js";`,
  `import type { ${modelImports.join(", ")} } from "./model.js";`,
  `import { ${repoImports.join(", ")} } from "./repository.js";`,
)}
${
  needs.search
    ? `
const SEARCH_FIELDS: (keyof ${names.record})[] = ${strList(needs.search.searchBy)};
`
    : ""
}${
  numeric.length > 0
    ? `
/** Decimal fields, stored as text, that sort by value. */
const NUMERIC_SORT: ReadonlySet<string> = new Set(${strList(numeric)});
`
    : ""
}
export class ${names.memoryRepository} implements ${names.repository} {
  constructor(
    private readonly db: MemoryDatabase,${cipher ? "\n    private readonly cipher: FieldCipher," : ""}
  ) {}

${indent(methods.join("\n\n"))}
}
`;
}

/** `pg-repository.ts` */
export function pgRepositoryFile(
  entity: EntityPlan,
  names: EntityNames,
  needs: RepositoryNeeds,
  markers: Markers,
): string {
  const properties = recordProperties(entity);
  const cipher = entity.encryptedFields.length > 0;
  const c = cipher ? ", this.cipher" : "";
  const guardType = needs.guardFields.length === 0 ? null : `${entity.name}Guard`;
  const live = entity.softDelete ? "deleted_at IS NULL" : null;
  const columnOf = (name: string) => properties.find((p) => p.name === name)?.column ?? name;
  const selectList = properties.map((p) => p.column).join(", ");
  const modelImports = [
    ...(needs.list ? [`${entity.name}Filters`] : []),
    names.record,
    ...(needs.list ? [`${entity.name}SortField`] : []),
  ];
  const queryImports = [
    ...(needs.list ? ["type ListOptions"] : []),
    ...(needs.list || needs.search ? ["offsetOf", "type Page", "type Paging"] : []),
  ];
  const methods: string[] = [];
  if (needs.list) {
    methods.push(`async list({ sort, filters, ...paging }: ListOptions<${entity.name}Filters, ${entity.name}SortField>): Promise<Page<${names.record}>> {
  const where: string[] = [${live === null ? "" : str(live)}];
  const values: unknown[] = [];
  for (const [field, column] of Object.entries(FILTER_COLUMNS)) {
    const value = filters[field as keyof ${entity.name}Filters];
    if (value === undefined) continue;
    values.push(value);
    where.push(\`\${column} = $\${values.length}\`);
  }
  const direction = sort.descending ? "DESC" : "ASC";
  return this.page(where, values, \`\${SORT_COLUMNS[sort.field]} \${direction}, id \${direction}\`, paging);
}`);
  }
  if (needs.search) {
    const clauses = needs.search.searchBy.map((name) => `${columnOf(name)} ILIKE $1 ESCAPE '!'`).join(" OR ");
    methods.push(`async search(text: string, paging: Paging): Promise<Page<${names.record}>> {
  // ! escapes the LIKE wildcards in the text, so "50%" matches literally.
  const pattern = \`%\${text.replace(/[!%_]/g, "!$&")}%\`;
  return this.page([${live === null ? "" : `${str(live)}, `}${str(`(${clauses})`)}], [pattern], "created_at DESC, id DESC", paging);
}`);
  }
  methods.push(`async findById(id: string): Promise<${names.record} | undefined> {
  const { rows } = await this.db.query(\`\${SELECT} WHERE id = $1${live === null ? "" : ` AND ${live}`}\`, [id]);
  return rows[0] === undefined ? undefined : fromRow(rows[0]${c});
}`);
  for (const item of needs.listBy) {
    methods.push(`async ${listByName(item.foreignKey)}(${item.foreignKey}: string): Promise<${names.record}[]> {
  const { rows } = await this.db.query(
    \`\${SELECT} WHERE ${item.column} = $1${live === null ? "" : ` AND ${live}`} ORDER BY created_at, id\`,
    [${item.foreignKey}],
  );
  return rows.map((row) => fromRow(row${c}));
}`);
  }
  methods.push(`async insert(record: ${names.record}): Promise<${names.record}> {
  const row = toRow(record${c});
  const columns = Object.keys(row);
  const placeholders = columns.map((_, i) => \`$\${i + 1}\`);
  try {
    const { rows } = await this.db.query(
      \`INSERT INTO ${entity.table} (\${columns.join(", ")}) VALUES (\${placeholders.join(", ")}) RETURNING ${selectList}\`,
      Object.values(row),
    );
    return fromRow(rows[0] as Row${c});
  } catch (error) {
    throw translatePgError(error, "write");
  }
}`);
  methods.push(`async update(id: string, changes: Partial<${names.record}>${guardType === null ? "" : `, guard?: ${guardType}`}): Promise<${names.record} | undefined> {
  const row = toRow(changes${c});
  const columns = Object.keys(row);
  if (columns.length === 0) return this.findById(id);
  const values: unknown[] = [...Object.values(row), id];
  const where = [\`id = $\${values.length}\`${live === null ? "" : `, ${str(live)}`}];
${
  guardType === null
    ? ""
    : `  if (guard !== undefined) {
    values.push(guard.oneOf);
    where.push(\`\${COLUMNS[guard.field]}::text = ANY($\${values.length}::text[])\`);
  }
`
}  try {
    const { rows } = await this.db.query(
      \`UPDATE ${entity.table} SET \${columns.map((column, i) => \`\${column} = $\${i + 1}\`).join(", ")} WHERE \${where.join(" AND ")} RETURNING ${selectList}\`,
      values,
    );
    return rows[0] === undefined ? undefined : fromRow(rows[0]${c});
  } catch (error) {
    throw translatePgError(error, "write");
  }
}`);
  methods.push(
    entity.softDelete
      ? `async remove(id: string, at: string): Promise<boolean> {
  const result = await this.db.query(
    "UPDATE ${entity.table} SET deleted_at = $2, updated_at = $2 WHERE id = $1 AND deleted_at IS NULL",${markers.control("soft-delete")}
    [id, at],
  );
  return result.rowCount === 1;
}`
      : `async remove(id: string, _at: string): Promise<boolean> {
  try {
    const result = await this.db.query("DELETE FROM ${entity.table} WHERE id = $1", [id]);
    return result.rowCount === 1;
  } catch (error) {
    throw translatePgError(error, "delete");
  }
}`,
  );
  if (needs.list || needs.search) {
    methods.push(`/** One page and the total count of the rows matching \`where\` (conditions joined by AND). */
private async page(where: string[], values: unknown[], orderBy: string, paging: Paging): Promise<Page<${names.record}>> {
  const filter = where.length === 0 ? "" : \` WHERE \${where.join(" AND ")}\`;
  const counted = await this.db.query<{ total: number }>(\`SELECT count(*) AS total FROM ${entity.table}\${filter}\`, values);
  const { rows } = await this.db.query(
    \`\${SELECT}\${filter} ORDER BY \${orderBy} LIMIT $\${values.length + 1} OFFSET $\${values.length + 2}\`,
    [...values, paging.pageSize, offsetOf(paging)],
  );
  return { items: rows.map((row) => fromRow(row${c})), total: counted.rows[0]?.total ?? 0 };
}`);
  }
  const repoImports = [
    ...(guardType === null ? [] : ["COLUMNS"]),
    "fromRow",
    ...(guardType === null ? [] : [`type ${guardType}`]),
    `type ${names.repository}`,
    "toRow",
  ];
  const constants = lines(
    `const SELECT = "SELECT ${selectList} FROM ${entity.table}";`,
    needs.list &&
      `\n/** Filterable fields → columns. */\nconst FILTER_COLUMNS: Record<keyof ${entity.name}Filters, string> = {${needs.list.filterBy.length === 0 ? "" : `\n${indent(needs.list.filterBy.map((name) => `${key(name)}: ${str(columnOf(name))},`).join("\n"))}\n`}};`,
    needs.list &&
      `\n/** Sortable fields → columns. */\nconst SORT_COLUMNS: Record<${entity.name}SortField, string> = {\n${indent(needs.list.sortBy.map((name) => `${key(name)}: ${str(columnOf(name))},`).join("\n"))}\n};`,
  );
  return `/**
 * ${entity.plural} in PostgreSQL. Column names in SQL come from constants, never from the request;
 * every value is a parameter ($1, $2…).
 */
${lines(
  'import type { Queryable } from "../../db.js";',
  cipher && 'import type { FieldCipher } from "../../security/field-cipher.js";',
  'import { translatePgError } from "../../storage/pg-errors.js";',
  `import { ${[...queryImports, "type Row"].join(", ")} } from "../../storage/query.js";`,
  `import type { ${modelImports.join(", ")} } from "./model.js";`,
  `import { ${repoImports.join(", ")} } from "./repository.js";`,
)}

${constants}

export class ${names.pgRepository} implements ${names.repository} {
  constructor(
    private readonly db: Queryable,${cipher ? "\n    private readonly cipher: FieldCipher," : ""}
  ) {}

${indent(methods.join("\n\n"))}
}
`;
}
