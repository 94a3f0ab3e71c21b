/**
 * The frontend agent: a React + Vite + TypeScript app under `frontend/` that lists (with paging),
 * shows, creates, edits and deletes every resource of the API. Its typed client and resource
 * descriptions come from the API plan, so the forms send exactly what the API validates, and the
 * API's validation details are shown beside the fields they are about.
 *
 * @example
 * const files = generateFrontend(context); // frontend/package.json, frontend/src/App.tsx, …
 */

import type { FrontendPlugin } from "../../generate/pipeline.js";
import type { EntityPlan, PlannedField } from "../../generate/plan-schema.js";
import type { GenerationContext } from "../../generate/stack.js";
import { file, type GeneratedFile } from "../../generate/tree.js";
import {
  clientFile,
  fieldInputFile,
  pagesFile,
  resourceTypesFile,
  routerFile,
  stylesFile,
} from "./static.js";

export const FRONTEND_DIR = "frontend";

/** Versions current as of this qlf release; the lockfile of the first install pins exact ones. */
export const FRONTEND_VERSIONS = {
  react: "^19.3.1",
  "react-dom": "^19.3.1",
  vite: "^8.3.8",
  "@vitejs/plugin-react": "^6.3.0",
  typescript: "^7.0.2",
  "@types/node": "^24.19.2",
  "@types/react": "^19.3.0",
  "@types/react-dom": "^19.3.0",
} as const;

export function generateFrontend(context: GenerationContext): GeneratedFile[] {
  const { plan } = context;
  const scheme = plan.auth.kind === "none" ? "none" : plan.auth.kind === "api-key" ? "api-key" : "bearer";
  const at = (path: string, content: string) => file(`${FRONTEND_DIR}/${path}`, content);
  return [
    at("package.json", packageJson(plan.app.slug)),
    at("tsconfig.json", tsconfig()),
    at("vite.config.ts", viteConfig()),
    at("index.html", indexHtml(plan.app.name)),
    at(".gitignore", "node_modules/\ndist/\n"),
    at("README.md", readme(plan.app.name, scheme)),
    at("src/main.tsx", mainFile()),
    at("src/App.tsx", appFile(plan.app.name, scheme)),
    at("src/router.ts", routerFile()),
    at("src/resource.ts", resourceTypesFile()),
    at("src/styles.css", stylesFile()),
    at("src/vite-env.d.ts", '/// <reference types="vite/client" />\n'),
    at("src/api/client.ts", clientFile(scheme)),
    at("src/api/resources.ts", resourcesFile(context)),
    at("src/components/field-input.tsx", fieldInputFile()),
    at("src/components/pages.tsx", pagesFile()),
  ];
}

/** The pipeline's handle on this agent. */
export const reactFrontend: FrontendPlugin = { id: "react", generate: generateFrontend };

function packageJson(slug: string): string {
  const v = FRONTEND_VERSIONS;
  return `${JSON.stringify(
    {
      name: `${slug}-frontend`,
      version: "0.1.0",
      private: true,
      type: "module",
      scripts: { dev: "vite", build: "tsc --noEmit && vite build", preview: "vite preview" },
      dependencies: { react: v.react, "react-dom": v["react-dom"] },
      devDependencies: {
        "@types/node": v["@types/node"],
        "@types/react": v["@types/react"],
        "@types/react-dom": v["@types/react-dom"],
        "@vitejs/plugin-react": v["@vitejs/plugin-react"],
        typescript: v.typescript,
        vite: v.vite,
      },
    },
    null,
    2,
  )}\n`;
}

function tsconfig(): string {
  return `${JSON.stringify(
    {
      compilerOptions: {
        target: "ES2022",
        lib: ["ES2022", "DOM", "DOM.Iterable"],
        module: "ESNext",
        moduleResolution: "Bundler",
        jsx: "react-jsx",
        types: ["vite/client", "node"],
        strict: true,
        noUnusedLocals: true,
        noUnusedParameters: true,
        noFallthroughCasesInSwitch: true,
        isolatedModules: true,
        skipLibCheck: true,
        noEmit: true,
      },
      include: ["src", "vite.config.ts"],
    },
    null,
    2,
  )}\n`;
}

function viteConfig(): string {
  return `import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// In development, /api is forwarded to the backend (API_TARGET, default http://localhost:8080), so
// the browser talks to one origin and the API needs no CORS. For production, serve dist/ behind the
// same proxy rule, or build with VITE_API_URL set to the API's address.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      "/api": {
        target: process.env.API_TARGET ?? "http://localhost:8080",
        changeOrigin: true,
        rewrite: (path) => path.replace(/^\\/api/, ""),
      },
    },
  },
});
`;
}

function indexHtml(name: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(name)}</title>
  </head>
  <body>
    <div id="root"></div>
    <script type="module" src="/src/main.tsx"></script>
  </body>
</html>
`;
}

function readme(name: string, scheme: "none" | "api-key" | "bearer"): string {
  return `# ${name}: web frontend

React + Vite + TypeScript pages to list, view, create, edit and delete every resource of the API.

\`\`\`sh
npm install
npm run dev      # http://localhost:5173, /api forwarded to the API on http://localhost:8080 (API_TARGET)
npm run build    # type-checks, then writes dist/
\`\`\`
${
  scheme === "none"
    ? ""
    : `
The API needs ${scheme === "api-key" ? "an API key (X-API-Key)" : "a bearer token (Authorization: Bearer …)"}: enter it in the sidebar; it
is kept in session storage for the tab.
`
}
- \`src/api/resources.ts\` is generated from the API plan: the record and request types, a typed
  client per resource, and the field descriptions the forms are built from.
- \`src/components/pages.tsx\` holds the generic list, detail and form pages; replace a resource's
  page in \`src/App.tsx\` when it needs something of its own.
`;
}

function mainFile(): string {
  return `import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import "./styles.css";

const root = document.getElementById("root");
if (root === null) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
`;
}

function appFile(name: string, scheme: "none" | "api-key" | "bearer"): string {
  const credential =
    scheme === "none"
      ? ""
      : `
        <Credential />`;
  const credentialComponent =
    scheme === "none"
      ? ""
      : `
/** Where the user enters the ${scheme === "api-key" ? "API key" : "bearer token"} the API asks for. */
function Credential() {
  const [value, setValue] = useState(getCredential);
  return (
    <form
      className="credential"
      onSubmit={(event) => {
        event.preventDefault();
        setCredential(value.trim());
        window.location.reload();
      }}
    >
      <label htmlFor="credential">${scheme === "api-key" ? "API key" : "Bearer token"}</label>
      <input id="credential" type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} />
      <button type="submit">Use</button>
    </form>
  );
}
`;
  return `/** The shell: a sidebar with every resource, and the page the URL hash asks for. */
${scheme === "none" ? 'import type { ReactElement } from "react";\n' : 'import { type ReactElement, useState } from "react";\nimport { getCredential, setCredential } from "./api/client";\n'}import { resources } from "./api/resources";
import { FormPage, ListPage, ViewPage } from "./components/pages";
import { href, useRoute } from "./router";

const resourceFor = (key: string) => resources.find((resource) => resource.key === key);

export function App() {
  const route = useRoute();
  const resource = route.page === "home" ? undefined : resourceFor(route.resource);
  let page: ReactElement;
  if (route.page === "home") {
    page = (
      <section>
        <h1>${escapeJsx(name)}</h1>
        <p>Choose a list on the left.</p>
      </section>
    );
  } else if (resource === undefined) {
    page = <p className="error">Nothing here: {route.resource} is not a resource of this API.</p>;
  } else if (route.page === "list") {
    page = <ListPage key={resource.key} resource={resource} />;
  } else if (route.page === "new") {
    page = <FormPage key={\`\${resource.key}-new\`} resource={resource} resourceFor={resourceFor} />;
  } else if (route.page === "edit") {
    page = <FormPage key={\`\${resource.key}-\${route.id}-edit\`} resource={resource} id={route.id} resourceFor={resourceFor} />;
  } else {
    page = <ViewPage key={\`\${resource.key}-\${route.id}\`} resource={resource} id={route.id} />;
  }
  return (
    <div className="layout">
      <nav className="sidebar" aria-label="resources">
        <div className="app-name">${escapeJsx(name)}</div>
        {resources
          .filter((candidate) => candidate.can.list)
          .map((candidate) => (
            <a key={candidate.key} href={href(candidate.key)} aria-current={candidate === resource ? "page" : undefined}>
              {candidate.plural}
            </a>
          ))}${credential}
      </nav>
      <main>{page}</main>
    </div>
  );
}
${credentialComponent}`;
}

function resourcesFile(context: GenerationContext): string {
  const { plan } = context;
  const parts: string[] = [];
  const descriptors: string[] = [];
  for (const entity of plan.entities) {
    const ops = plan.operations.filter((op) => op.entity === entity.name);
    if (ops.length === 0) continue;
    const has = (kind: string) => ops.some((op) => op.kind === kind);
    const create = ops.find((op) => op.kind === "create");
    const output = entity.fields.filter((field) => field.output);
    const creatable = entity.fields.filter((field) => field.create !== "forbidden");
    const updatable = entity.fields.filter((field) => field.update);
    const client = `${lowerFirst(entity.plural)}Client`;
    parts.push(`/** A ${entity.name} as the API returns it. */
export interface ${entity.name} {
${output.map((field) => `  ${field.name}: ${tsType(field)};`).join("\n")}
}

/** Body of POST /${entity.route}. */
export interface ${entity.name}Create {
${creatable.map((field) => `  ${field.name}${field.create === "required" ? "" : "?"}: ${tsType(field)};`).join("\n")}
}

/** Body of PATCH /${entity.route}/{id}. */
export interface ${entity.name}Update {
${updatable.map((field) => `  ${field.name}?: ${tsType(field)};`).join("\n")}
}

export const ${client} = resourceClient<${entity.name}, ${entity.name}Create, ${entity.name}Update>("/${entity.route}", {
  idempotentCreate: ${create?.idempotent === true},
});`);
    const fields = entity.fields
      .filter((field) => field.output || field.create !== "forbidden" || field.update)
      .filter((field) => field.role !== "deleted-at")
      .map((field) => `      ${fieldSpec(plan.entities, field)},`);
    descriptors.push(`  {
    key: ${JSON.stringify(entity.route)},
    name: ${JSON.stringify(entity.name)},
    plural: ${JSON.stringify(entity.plural)},
    fields: [
${fields.join("\n")}
    ],
    columns: ${JSON.stringify(columnsOf(entity))},
    labelField: ${JSON.stringify(labelOf(entity))},
    can: { list: ${has("list")}, get: ${has("get")}, create: ${has("create")}, update: ${has("update")}, remove: ${has("delete")} },
    // The generic pages work on untyped rows; the typed client above is for code of your own.
    client: ${client} as unknown as ResourceClient,
  },`);
  }
  return `/**
 * Generated from the API plan: the record and request types of every resource, a typed client for
 * each, and the descriptions the generic pages render. Regenerate rather than edit by hand.
 */
import type { Resource, ResourceClient } from "../resource";
import { resourceClient } from "./client";

${parts.join("\n\n")}

export const resources: Resource[] = [
${descriptors.join("\n")}
];
`;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function tsType(field: PlannedField): string {
  const schema = field.schema;
  let type: string;
  switch (schema.type) {
    case "string":
      type = schema.enum === null ? "string" : schema.enum.map((value) => JSON.stringify(value)).join(" | ");
      break;
    case "integer":
    case "number":
      type = "number";
      break;
    case "boolean":
      type = "boolean";
      break;
    case "object":
      type = "Record<string, unknown>";
      break;
  }
  return schema.nullable ? `${type} | null` : type;
}

function kindOf(field: PlannedField): string {
  const schema = field.schema;
  if (field.role === "card-number") return "card";
  if (field.role === "foreign-key") return "reference";
  if (schema.enum !== null) return "select";
  switch (schema.type) {
    case "boolean":
      return "checkbox";
    case "integer":
      return "integer";
    case "number":
      return "number";
    case "object":
      return "json";
    case "string":
      break;
  }
  switch (schema.format) {
    case "email":
      return "email";
    case "uri":
      return "url";
    case "date":
      return "date";
    case "date-time":
      return "datetime";
    case "decimal":
      return "decimal";
    default:
      return field.type === "text" || (schema.maxLength ?? 0) > 255 ? "textarea" : "text";
  }
}

function fieldSpec(entities: readonly EntityPlan[], field: PlannedField): string {
  const parts = [
    `name: ${JSON.stringify(field.name)}`,
    `label: ${JSON.stringify(labelFor(field.name))}`,
    `kind: ${JSON.stringify(kindOf(field))}`,
    `required: ${field.create === "required"}`,
    `create: ${field.create !== "forbidden"}`,
    `update: ${field.update}`,
    `output: ${field.output}`,
    `nullable: ${field.schema.nullable}`,
  ];
  if (field.default !== null) parts.push(`default: ${JSON.stringify(field.default)}`);
  if (field.schema.enum !== null) parts.push(`options: ${JSON.stringify(field.schema.enum)}`);
  if (
    field.schema.maxLength !== null &&
    field.schema.type === "string" &&
    field.schema.format !== "decimal"
  ) {
    parts.push(`maxLength: ${field.schema.maxLength}`);
  }
  if (field.references !== null) {
    const target = entities.find((entity) => entity.name === field.references?.entity);
    if (target !== undefined) parts.push(`references: ${JSON.stringify(target.route)}`);
  }
  return `{ ${parts.join(", ")} }`;
}

/** `dateOfBirth` → `Date of birth`, `cardLast4` → `Card last 4`. */
function labelFor(name: string): string {
  const words = name
    .replace(/([a-z])([A-Z0-9])/g, "$1 $2")
    .replace(/([0-9])([A-Za-z])/g, "$1 $2")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Up to four informative columns for lists: data fields first, then the creation time. */
function columnsOf(entity: EntityPlan): string[] {
  const candidates = entity.fields.filter(
    (field) =>
      field.output &&
      (field.role === "data" || field.role === "money-currency" || field.role === "card-last4") &&
      field.schema.type !== "object" &&
      field.type !== "text",
  );
  const columns = candidates.slice(0, 4).map((field) => field.name);
  return columns.length > 0 ? columns : ["id", "createdAt"];
}

function labelOf(entity: EntityPlan): string {
  const named = entity.fields.find(
    (field) =>
      field.output && field.role === "data" && field.schema.type === "string" && field.schema.enum === null,
  );
  return named?.name ?? "id";
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function escapeJsx(text: string): string {
  return escapeHtml(text).replace(/[{}]/g, (c) => (c === "{" ? "&#123;" : "&#125;"));
}
