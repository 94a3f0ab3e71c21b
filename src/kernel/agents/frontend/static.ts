/** The frontend's files that do not depend on the plan: the API client and the generic pages. */

/** `frontend/src/api/client.ts` */
export function clientFile(authScheme: "none" | "api-key" | "bearer"): string {
  return `/**
 * A small typed fetch wrapper around the API. Errors come back as ApiError, carrying the API's
 * \`{ error: { code, message, details } }\` so forms can show each problem beside its field.
 */

/** Where the API is: \`/api\` (proxied to the backend by Vite in development) unless VITE_API_URL says otherwise. */
const BASE_URL = (import.meta.env.VITE_API_URL as string | undefined) ?? "/api";
const CREDENTIAL_KEY = "credential";

export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The message for one field, if the API reported a problem with it. */
  fieldError(field: string): string | undefined {
    return this.details.find((detail) => detail.path === field)?.message;
  }
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** The API key or bearer token the user entered, kept for this browser tab. */
export function getCredential(): string {
  return sessionStorage.getItem(CREDENTIAL_KEY) ?? "";
}

export function setCredential(value: string): void {
  if (value === "") sessionStorage.removeItem(CREDENTIAL_KEY);
  else sessionStorage.setItem(CREDENTIAL_KEY, value);
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** Sends an Idempotency-Key, so a retried submit cannot create twice. */
  idempotent?: boolean;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) query.set(name, String(value));
  }
  const headers: Record<string, string> = { Accept: "application/json", ...authHeaders() };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.idempotent) headers["Idempotency-Key"] = crypto.randomUUID();
  const url = \`\${BASE_URL}\${path}\${query.size > 0 ? \`?\${query}\` : ""}\`;
  const res = await fetch(url, {
    method,
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
  });
  if (res.status === 204) return undefined as T;
  const payload: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = (payload as { error?: { code?: string; message?: string; details?: ErrorDetail[] } } | null)?.error;
    throw new ApiError(res.status, error?.code ?? "internal", error?.message ?? res.statusText, error?.details ?? []);
  }
  return payload as T;
}

/** CRUD calls for one resource path, typed by its record, create and update bodies. */
export function resourceClient<T extends { id: string }, Create, Update>(path: string, options: { idempotentCreate: boolean }) {
  return {
    list: (page: number, pageSize: number) => request<Page<T>>("GET", path, { query: { page, pageSize } }),
    get: (id: string) => request<T>("GET", \`\${path}/\${encodeURIComponent(id)}\`),
    create: (body: Create) => request<T>("POST", path, { body, idempotent: options.idempotentCreate }),
    update: (id: string, body: Update) => request<T>("PATCH", \`\${path}/\${encodeURIComponent(id)}\`, { body }),
    remove: (id: string) => request<void>("DELETE", \`\${path}/\${encodeURIComponent(id)}\`),
  };
}

function authHeaders(): Record<string, string> {
  const credential = getCredential();
  if (credential === "") return {};
  return AUTH_SCHEME === "api-key" ? { "X-API-Key": credential } : { Authorization: \`Bearer \${credential}\` };
}

/** How the API authenticates callers: set by the generator from the API plan. */
export const AUTH_SCHEME: "none" | "api-key" | "bearer" = ${JSON.stringify(authScheme)};
`;
}

/** `frontend/src/router.ts`: a tiny hash router (no dependency). */
export function routerFile(): string {
  return `/** Hash routes (\`#/patients/42/edit\`), so the built app works from any static host. */
import { useEffect, useState } from "react";

export type Route =
  | { page: "home" }
  | { page: "list"; resource: string }
  | { page: "new"; resource: string }
  | { page: "view"; resource: string; id: string }
  | { page: "edit"; resource: string; id: string };

export function parseRoute(hash: string): Route {
  const [resource, id, action] = hash.replace(/^#\\/?/, "").split("/").map(decodeURIComponent);
  if (resource === undefined || resource === "") return { page: "home" };
  if (id === undefined || id === "") return { page: "list", resource };
  if (id === "new") return { page: "new", resource };
  return action === "edit" ? { page: "edit", resource, id } : { page: "view", resource, id };
}

export function href(...parts: string[]): string {
  return \`#/\${parts.map(encodeURIComponent).join("/")}\`;
}

export function navigate(...parts: string[]): void {
  window.location.hash = href(...parts);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}
`;
}

/** `frontend/src/resource.ts`: how a resource is described to the generic pages. */
export function resourceTypesFile(): string {
  return `/** The description of one API resource that the generic pages render. */
import type { Page } from "./api/client";

export type FieldKind =
  | "text"
  | "textarea"
  | "email"
  | "url"
  | "number"
  | "integer"
  | "decimal"
  | "checkbox"
  | "date"
  | "datetime"
  | "select"
  | "reference"
  | "card"
  | "json";

export interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  /** Must be given when creating. */
  required: boolean;
  /** May be sent when creating / when editing. */
  create: boolean;
  update: boolean;
  /** Shown in lists and on the detail page (write-only fields such as card numbers are not). */
  output: boolean;
  nullable: boolean;
  /** The value the API applies when a create request leaves the field out. */
  default?: string | number | boolean;
  options?: string[];
  maxLength?: number;
  /** For references: the resource key of the record it points at. */
  references?: string;
}

export interface ResourceClient {
  list(page: number, pageSize: number): Promise<Page<Row>>;
  get(id: string): Promise<Row>;
  create(body: Row): Promise<Row>;
  update(id: string, body: Row): Promise<Row>;
  remove(id: string): Promise<void>;
}

export type Row = Record<string, unknown> & { id: string };

export interface Resource {
  /** Route segment, e.g. \`patients\`. */
  key: string;
  name: string;
  plural: string;
  fields: FieldSpec[];
  /** Fields shown as list columns. */
  columns: string[];
  /** The field that names a record in lists of references. */
  labelField: string;
  can: { list: boolean; get: boolean; create: boolean; update: boolean; remove: boolean };
  client: ResourceClient;
}
`;
}

/** `frontend/src/components/field-input.tsx` */
export function fieldInputFile(): string {
  return `/** One form control per field kind, with its label, required mark and the API's error for it. */
import { type ReactElement, useEffect, useState } from "react";
import type { FieldSpec, Resource } from "../resource";

interface Props {
  field: FieldSpec;
  value: string | boolean;
  error: string | undefined;
  onChange(value: string | boolean): void;
  /** Looks up the resource a reference points at, to offer its records. */
  resourceFor(key: string): Resource | undefined;
}

export function FieldInput({ field, value, error, onChange, resourceFor }: Props) {
  const id = \`field-\${field.name}\`;
  const text = typeof value === "string" ? value : "";
  const common = {
    id,
    name: field.name,
    "aria-invalid": error !== undefined,
    "aria-describedby": error === undefined ? undefined : \`\${id}-error\`,
  };
  let control: ReactElement;
  switch (field.kind) {
    case "checkbox":
      control = <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
      break;
    case "textarea":
    case "json":
      control = (
        <textarea
          {...common}
          rows={field.kind === "json" ? 6 : 4}
          value={text}
          maxLength={field.maxLength}
          required={field.required}
          placeholder={field.kind === "json" ? '{ "key": "value" }' : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
      );
      break;
    case "select":
      control = (
        <select {...common} value={text} required={field.required} onChange={(e) => onChange(e.target.value)}>
          <option value="">{field.required ? "Choose…" : "—"}</option>
          {field.options?.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      );
      break;
    case "reference":
      control = (
        <ReferenceSelect
          {...common}
          field={field}
          value={text}
          onChange={onChange}
          target={field.references === undefined ? undefined : resourceFor(field.references)}
        />
      );
      break;
    default:
      control = (
        <input
          {...common}
          type={INPUT_TYPES[field.kind] ?? "text"}
          inputMode={field.kind === "decimal" || field.kind === "card" ? "decimal" : undefined}
          autoComplete={field.kind === "card" ? "cc-number" : undefined}
          step={field.kind === "integer" ? 1 : field.kind === "number" ? "any" : undefined}
          maxLength={field.maxLength}
          required={field.required}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      );
  }
  return (
    <div className={error === undefined ? "field" : "field invalid"}>
      <label htmlFor={id}>
        {field.label}
        {field.required && <span className="required" aria-label="required"> *</span>}
      </label>
      {control}
      {error !== undefined && (
        <p className="error" id={\`\${id}-error\`}>
          {error}
        </p>
      )}
    </div>
  );
}

const INPUT_TYPES: Partial<Record<FieldSpec["kind"], string>> = {
  email: "email",
  url: "url",
  number: "number",
  integer: "number",
  date: "date",
  datetime: "datetime-local",
};

function ReferenceSelect(props: {
  id: string;
  name: string;
  field: FieldSpec;
  value: string;
  target: Resource | undefined;
  onChange(value: string): void;
}) {
  const { field, value, target, onChange } = props;
  const [options, setOptions] = useState<{ id: string; label: string }[] | null>(null);
  useEffect(() => {
    if (target === undefined || !target.can.list) return;
    let live = true;
    target.client.list(1, 100).then(
      (page) => live && setOptions(page.items.map((row) => ({ id: row.id, label: String(row[target.labelField] ?? row.id) }))),
      () => live && setOptions(null),
    );
    return () => {
      live = false;
    };
  }, [target]);
  if (options === null) {
    return (
      <input id={props.id} name={props.name} value={value} required={field.required} placeholder="id" onChange={(e) => onChange(e.target.value)} />
    );
  }
  return (
    <select id={props.id} name={props.name} value={value} required={field.required} onChange={(e) => onChange(e.target.value)}>
      <option value="">{field.required ? "Choose…" : "—"}</option>
      {options.map((option) => (
        <option key={option.id} value={option.id}>
          {option.label}
        </option>
      ))}
    </select>
  );
}
`;
}

/** `frontend/src/components/pages.tsx`: list, view and form pages for any resource. */
export function pagesFile(): string {
  return `/** The pages every resource gets: a paged list, a detail view, and a create / edit form. */
import { type FormEvent, useEffect, useState } from "react";
import { ApiError, type Page } from "../api/client";
import type { FieldSpec, Resource, Row } from "../resource";
import { href, navigate } from "../router";
import { FieldInput } from "./field-input";

const PAGE_SIZE = 20;

export function ListPage({ resource }: { resource: Resource }) {
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<Row> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    resource.client.list(page, PAGE_SIZE).then(
      (result) => live && setData(result),
      (err: unknown) => live && setError(messageOf(err)),
    );
    return () => {
      live = false;
    };
  }, [resource, page]);
  const fields = resource.columns.map((name) => fieldOf(resource, name));
  const pages = data === null ? 1 : Math.max(1, Math.ceil(data.total / PAGE_SIZE));
  return (
    <section>
      <header className="page-header">
        <h1>{resource.plural}</h1>
        {resource.can.create && (
          <a className="button" href={href(resource.key, "new")}>
            New {resource.name}
          </a>
        )}
      </header>
      {error !== null && <p className="error" role="alert">{error}</p>}
      {data === null && error === null && <p>Loading…</p>}
      {data !== null && data.items.length === 0 && <p>No {resource.plural.toLowerCase()} yet.</p>}
      {data !== null && data.items.length > 0 && (
        <table>
          <thead>
            <tr>
              {fields.map((field) => (
                <th key={field.name}>{field.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.items.map((row) => (
              <tr key={row.id}>
                {fields.map((field, i) => (
                  <td key={field.name}>
                    {i === 0 && resource.can.get ? <a href={href(resource.key, row.id)}>{display(field, row[field.name])}</a> : display(field, row[field.name])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data !== null && data.total > PAGE_SIZE && (
        <nav className="pager" aria-label="pages">
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Previous
          </button>
          <span>
            Page {page} of {pages} ({data.total})
          </span>
          <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            Next
          </button>
        </nav>
      )}
    </section>
  );
}

export function ViewPage({ resource, id }: { resource: Resource; id: string }) {
  const [row, setRow] = useState<Row | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    resource.client.get(id).then(
      (result) => live && setRow(result),
      (err: unknown) => live && setError(messageOf(err)),
    );
    return () => {
      live = false;
    };
  }, [resource, id]);
  const remove = async () => {
    if (!window.confirm(\`Delete this \${resource.name}?\`)) return;
    try {
      await resource.client.remove(id);
      navigate(resource.key);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <section>
      <header className="page-header">
        <h1>{resource.name}</h1>
        <div className="actions">
          {resource.can.update && (
            <a className="button" href={href(resource.key, id, "edit")}>
              Edit
            </a>
          )}
          {resource.can.remove && (
            <button type="button" className="danger" onClick={remove}>
              Delete
            </button>
          )}
        </div>
      </header>
      {error !== null && <p className="error" role="alert">{error}</p>}
      {row !== null && (
        <dl>
          {resource.fields
            .filter((field) => field.output)
            .map((field) => (
              <div key={field.name}>
                <dt>{field.label}</dt>
                <dd>{display(field, row[field.name])}</dd>
              </div>
            ))}
        </dl>
      )}
      <p>
        <a href={href(resource.key)}>Back to {resource.plural.toLowerCase()}</a>
      </p>
    </section>
  );
}

type Values = Record<string, string | boolean>;

export function FormPage(props: { resource: Resource; id?: string; resourceFor(key: string): Resource | undefined }) {
  const { resource, id, resourceFor } = props;
  const editing = id !== undefined;
  const fields = resource.fields.filter((field) => (editing ? field.update : field.create));
  const [original, setOriginal] = useState<Values | null>(editing ? null : initialValues(fields, null));
  const [values, setValues] = useState<Values>(() => initialValues(fields, null));
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (id === undefined) return;
    let live = true;
    resource.client.get(id).then(
      (row) => {
        if (!live) return;
        const loaded = initialValues(fields, row);
        setOriginal(loaded);
        setValues(loaded);
      },
      (err: unknown) => live && setError(messageOf(err)),
    );
    return () => {
      live = false;
    };
    // The fields derive from the resource, so reloading when the resource or id changes is enough.
  }, [resource, id]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    let body: Record<string, unknown>;
    try {
      body = toBody(fields, values, editing ? original : null);
    } catch (err) {
      setError(err instanceof ApiError ? err : messageOf(err));
      return;
    }
    if (editing && Object.keys(body).length === 0) {
      setError("Nothing changed.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = editing ? await resource.client.update(id, body as Row) : await resource.client.create(body as Row);
      navigate(resource.key, saved.id);
    } catch (err) {
      setError(err instanceof ApiError ? err : messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  return (
    <section>
      <h1>
        {editing ? "Edit" : "New"} {resource.name}
      </h1>
      {error !== null && (
        <p className="error" role="alert">
          {typeof error === "string"
            ? error
            : error.details.some((detail) => fields.some((field) => field.name === detail.path))
              ? "Please correct the fields marked below."
              : error.message}
        </p>
      )}
      {original !== null && (
        <form onSubmit={submit} noValidate>
          {fields.map((field) => (
            <FieldInput
              key={field.name}
              field={{ ...field, required: !editing && field.required }}
              value={values[field.name] ?? ""}
              error={apiError?.fieldError(field.name)}
              resourceFor={resourceFor}
              onChange={(value) => setValues((current) => ({ ...current, [field.name]: value }))}
            />
          ))}
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? "Saving…" : "Save"}
            </button>
            <a href={editing ? href(resource.key, id) : href(resource.key)}>Cancel</a>
          </div>
        </form>
      )}
    </section>
  );
}

function fieldOf(resource: Resource, name: string): FieldSpec {
  const field = resource.fields.find((candidate) => candidate.name === name);
  if (field === undefined) throw new Error(\`\${resource.name} has no field \${name}\`);
  return field;
}

function initialValues(fields: FieldSpec[], row: Row | null): Values {
  const values: Values = {};
  for (const field of fields) {
    // A new record starts from the API's defaults.
    const value = row === null ? field.default : row[field.name];
    if (field.kind === "checkbox") values[field.name] = value === true;
    else if (value === null || value === undefined) values[field.name] = "";
    else if (field.kind === "datetime") values[field.name] = toLocalInput(String(value));
    else if (field.kind === "json") values[field.name] = JSON.stringify(value, null, 2);
    else values[field.name] = String(value);
  }
  return values;
}

/**
 * The request body: typed values of the filled fields (all of them when creating, only the
 * changed ones when editing). An emptied optional field is sent as null when editing.
 */
function toBody(fields: FieldSpec[], values: Values, original: Values | null): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const problems: { path: string; message: string }[] = [];
  for (const field of fields) {
    const value = values[field.name];
    if (original !== null && value === original[field.name]) continue;
    if (value === "" || value === undefined) {
      if (original !== null && field.nullable) body[field.name] = null;
      continue;
    }
    switch (field.kind) {
      case "checkbox":
        body[field.name] = value === true;
        break;
      case "number":
      case "integer":
        body[field.name] = Number(value);
        break;
      case "datetime":
        body[field.name] = new Date(String(value)).toISOString();
        break;
      case "json":
        try {
          body[field.name] = JSON.parse(String(value));
        } catch {
          problems.push({ path: field.name, message: "must be valid JSON" });
        }
        break;
      default:
        body[field.name] = value;
    }
  }
  if (problems.length > 0) throw new ApiError(400, "validation_failed", "the form has errors", problems);
  return body;
}

function toLocalInput(iso: string): string {
  const date = new Date(iso);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function display(field: FieldSpec, value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (field.kind === "checkbox") return value === true ? "Yes" : "No";
  if (field.kind === "datetime") return new Date(String(value)).toLocaleString();
  if (field.kind === "json") return JSON.stringify(value);
  return String(value);
}

function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.status === 401 ? "Sign in: enter your credentials above." : err.message;
  return err instanceof Error ? err.message : String(err);
}
`;
}

/** `frontend/src/styles.css` */
export function stylesFile(): string {
  return `:root {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1f2933;
  background: #f7f8fa;
  line-height: 1.5;
}
body { margin: 0; }
.layout { display: grid; grid-template-columns: 14rem 1fr; min-height: 100vh; }
nav.sidebar { background: #1f2933; color: #fff; padding: 1rem; }
nav.sidebar a { color: #d9e2ec; display: block; padding: 0.25rem 0; text-decoration: none; }
nav.sidebar a[aria-current="page"] { color: #fff; font-weight: 600; }
nav.sidebar .app-name { font-weight: 700; margin-bottom: 1rem; color: #fff; }
main { padding: 1.5rem 2rem; max-width: 60rem; }
.page-header { display: flex; align-items: center; justify-content: space-between; gap: 1rem; }
.actions { display: flex; gap: 0.75rem; align-items: center; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: 0.5rem 0.75rem; border-bottom: 1px solid #e4e7eb; }
dl div { display: grid; grid-template-columns: 12rem 1fr; padding: 0.25rem 0; }
dt { color: #52606d; }
.field { display: flex; flex-direction: column; margin-bottom: 1rem; max-width: 32rem; }
.field label { font-weight: 600; margin-bottom: 0.25rem; }
.field input, .field select, .field textarea { padding: 0.4rem; border: 1px solid #9aa5b1; border-radius: 4px; font: inherit; }
.field.invalid input, .field.invalid select, .field.invalid textarea { border-color: #c81e1e; }
.field input[type="checkbox"] { align-self: flex-start; }
.field .error { margin: 0.25rem 0 0; }
.required { color: #c81e1e; }
.error { color: #c81e1e; }
.button, button { background: #2563eb; color: #fff; border: 0; border-radius: 4px; padding: 0.45rem 0.9rem; font: inherit; cursor: pointer; text-decoration: none; }
button:disabled { opacity: 0.6; cursor: default; }
button.danger { background: #c81e1e; }
.pager { display: flex; gap: 1rem; align-items: center; margin-top: 1rem; }
.credential { margin-top: 2rem; font-size: 0.85rem; }
.credential input { width: 100%; box-sizing: border-box; margin-top: 0.25rem; }
`;
}
