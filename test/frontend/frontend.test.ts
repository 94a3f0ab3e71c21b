/** The React frontend agent: what it generates from the plan (its real Vite build runs in the e2e tests). */
import { describe, expect, it } from "vitest";
import { generateFrontend } from "../../src/kernel/agents/frontend/index.js";
import { contextFor, fixture } from "../generate/helpers.js";

describe("react frontend", () => {
  const context = contextFor(fixture("library-fullstack"));
  const files = generateFrontend(context);
  const content = (path: string) => {
    const found = files.find((file) => file.path === path);
    if (found === undefined) throw new Error(`no ${path}`);
    return found.content;
  };

  it("is deterministic and lives under frontend/", () => {
    expect(generateFrontend(contextFor(fixture("library-fullstack")))).toEqual(files);
    for (const file of files) expect(file.path.startsWith("frontend/")).toBe(true);
  });

  it("is a Vite + React + TypeScript project whose build type-checks first", () => {
    const manifest = JSON.parse(content("frontend/package.json"));
    expect(manifest.scripts.build).toBe("tsc --noEmit && vite build");
    expect(Object.keys(manifest.dependencies)).toEqual(["react", "react-dom"]);
    expect(Object.keys(manifest.devDependencies)).toEqual(
      expect.arrayContaining(["vite", "@vitejs/plugin-react", "typescript"]),
    );
  });

  it("describes every resource with operations, with its fields and what it can do", () => {
    const resources = content("frontend/src/api/resources.ts");
    for (const entity of context.plan.entities) {
      if (!context.plan.operations.some((op) => op.entity === entity.name)) continue;
      expect(resources).toContain(`key: "${entity.route}"`);
      expect(resources).toContain(`export interface ${entity.name}Create {`);
      expect(resources).toContain(
        `resourceClient<${entity.name}, ${entity.name}Create, ${entity.name}Update>("/${entity.route}"`,
      );
    }
    // Required marks come from the plan's create rules; references become selects of the parent.
    expect(resources).toMatch(/\{ name: "title", label: "Title", kind: "text", required: true/);
    expect(resources).toMatch(/kind: "reference", .*references: "authors"/);
  });

  it("sends the credential the API expects", () => {
    const client = content("frontend/src/api/client.ts");
    expect(context.plan.auth.kind).toBe("api-key");
    expect(client).toContain('export const AUTH_SCHEME: "none" | "api-key" | "bearer" = "api-key";');
    expect(content("frontend/src/App.tsx")).toContain("<Credential />");
  });

  it("shows the API's validation details beside the fields", () => {
    expect(content("frontend/src/components/pages.tsx")).toContain(
      "error={apiError?.fieldError(field.name)}",
    );
    expect(content("frontend/src/components/field-input.tsx")).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the generated TSX's own template literal
      'className="error" id={`${id}-error`}',
    );
  });
});
