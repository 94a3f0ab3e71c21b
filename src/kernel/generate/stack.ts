/**
 * Stack plugins: one per backend framework (Express now; FastAPI and Gin next), registered in a
 * plain map. The pipeline hands each the same GenerationContext; a stack returns its backend,
 * tests, manifests, Dockerfile and README section as files. A contract test loops over every
 * registered stack and holds each to the same checks.
 *
 * ## Tracing controls to code and tests (the `qlf:control` / `qlf:test` markers)
 *
 * COMPLIANCE.md maps every control of the resolved overlays to the line that implements it and the
 * test that checks it. Generators make that possible by writing a marker comment:
 *
 * - `qlf:control <rule-kind> [<rule-kind>…]` on the line that implements a generation rule
 *   (e.g. `const sealed = encrypt(value); // qlf:control encrypt-fields`), or alone on the line just
 *   above it (then the location is the next non-blank line);
 * - `qlf:test <rule-kind> […]` on (or just above) the test that checks it
 *   (e.g. `// qlf:test audit-log` above `it("writes an audit row on read", …)`).
 *
 * The comment token is the file's own: `//` (TypeScript, JavaScript, Go), `#` (Python, YAML,
 * Dockerfile, shell), `--` (SQL), `<!--` (HTML). Markdown files are not scanned. Rule kinds are
 * those of `GenerationRule` (audit-log, encrypt-fields, tokenize-card-data, data-export,
 * data-erasure, consent-fields, idempotency-keys, decimal-money, soft-delete, retention,
 * rate-limit, require-auth, security-headers, mask-in-logs, mark-sensitive). Emit markers only for
 * rules that are in force (`ctx.rules`), and one marker per implementation site, not per use.
 * `controlMarker(kind, "//")` and `testMarker(kind, "#")` build the comment text.
 *
 * Who marks what: every rule kind in force needs at least one `qlf:control` and one `qlf:test`
 * somewhere in the tree, or COMPLIANCE.md reports a GAP (and the stack contract test fails). The
 * database agent marks the schema side (`encrypt-fields` columns, `soft-delete` deleted_at,
 * `consent-fields`, `tokenize-card-data` token columns, `decimal-money` amounts, `mark-sensitive`
 * column comments, the `audit-log` table and trigger, `idempotency-keys` table, and the
 * `retention` purge function `qlf_purge_expired()`). Tests are the stack's: including one for
 * `retention` (e.g. with DATABASE_URL: an audit row older than the period is gone after
 * `SELECT qlf_purge_expired()`, a newer one stays) and one for `mark-sensitive` (the marked fields
 * are the ones masked, encrypted or audited).
 */
import type { IR } from "../ir/schema.js";
import type { Control, GenerationRule } from "../overlays/schema.js";
import type { ApiPlan } from "./plan-schema.js";
import type { GeneratedFile } from "./tree.js";

export type StackId = "express" | "fastapi" | "gin";

/** A control to trace; `overlay` names the overlay that requires it when known. */
export type ControlInput = Control & { readonly overlay?: string };

export interface GenerationOptions {
  /** Whether `.github/workflows/` may be written (the CLI: yes; the App: the repo config's choice). */
  readonly allowWorkflows: boolean;
  /** Version of qlf generating the tree, written to provenance and generated manifests. */
  readonly generatorVersion: string;
}

export interface GenerationContext {
  readonly ir: IR;
  readonly plan: ApiPlan;
  /** The generation rules in force (bare; the overlay each came from is in provenance). */
  readonly rules: readonly GenerationRule[];
  readonly controls: readonly ControlInput[];
  readonly options: GenerationOptions;
}

export interface StackCommands {
  /** Install dependencies, e.g. `npm install`. */
  readonly install: string;
  /** Run the app's own tests without a database, e.g. `npm test`. */
  readonly test: string;
  /** Compile, or null when the stack has no build step. */
  readonly build: string | null;
  /** Start the server, e.g. `npm start`. */
  readonly start: string;
  /** Run the tests with no network (e.g. Debian's packaged Go modules); documented for CI here. */
  readonly offlineTest?: string;
}

export interface StackPlugin {
  readonly id: StackId;
  readonly title: string;
  readonly language: "typescript" | "python" | "go";
  /**
   * Backend source, its tests, manifest files (package.json / pyproject.toml / go.mod), the
   * Dockerfile and `docs/stack.md` (the stack's README section, which the ops agent links). Paths
   * must not collide with the stack-independent agents' files: `migrations/`, `openapi.yaml`,
   * `k8s/`, `.dockerignore`, `.github/`, `README.md`, `COMPLIANCE.md`, `.qlf/`, `frontend/`.
   */
  generate(context: GenerationContext): GeneratedFile[];
  readonly commands: StackCommands;
  readonly image: { readonly baseImages: readonly string[]; readonly port: number };
  /** Conventions for LLM prompts ("handlers live in src/routes/<entity>.ts", …). */
  readonly conventions: readonly string[];
  /**
   * What the app answers a request that fails validation: 400 (the default) or 422 (FastAPI). The
   * OpenAPI document is written to match.
   */
  readonly validationStatus?: 400 | 422;
}

const stacks = new Map<StackId, StackPlugin>();

/** Registers (or replaces) a stack plugin. */
export function registerStack(plugin: StackPlugin): void {
  stacks.set(plugin.id, plugin);
}

/** The plugin for `id`, or undefined when that stack is not available. */
export function getStack(id: string): StackPlugin | undefined {
  return stacks.get(id as StackId);
}

/** Registered stacks, ordered by id. */
export function listStacks(): StackPlugin[] {
  return [...stacks.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export type CommentToken = "//" | "#" | "--" | "<!--";

/** `// qlf:control audit-log` (HTML comments are closed). */
export function controlMarker(kind: GenerationRule["kind"], token: CommentToken): string {
  return token === "<!--" ? `<!-- qlf:control ${kind} -->` : `${token} qlf:control ${kind}`;
}

/** `# qlf:test audit-log`. */
export function testMarker(kind: GenerationRule["kind"], token: CommentToken): string {
  return token === "<!--" ? `<!-- qlf:test ${kind} -->` : `${token} qlf:test ${kind}`;
}

/** The markers a stack writes, only for the generation rules in force. */
export interface RuleMarkers {
  /** `// qlf:control <kinds>` for the kinds in force, or "" when none is. */
  control(...kinds: GenerationRule["kind"][]): string;
  /** `// qlf:test <kinds>` for the kinds in force, or "" when none is. */
  test(...kinds: GenerationRule["kind"][]): string;
  has(kind: GenerationRule["kind"]): boolean;
}

/** One marker naming every kind in force among `kinds`: `# qlf:test audit-log erasure`. */
export function ruleMarkers(rules: readonly GenerationRule[], token: "//" | "#"): RuleMarkers {
  const inForce = new Set(rules.map((rule) => rule.kind));
  const build = (make: typeof controlMarker, kinds: GenerationRule["kind"][]): string => {
    const present = [...new Set(kinds.filter((kind) => inForce.has(kind)))];
    const first = present[0];
    return first === undefined ? "" : [make(first, token), ...present.slice(1)].join(" ");
  };
  return {
    control: (...kinds) => build(controlMarker, kinds),
    test: (...kinds) => build(testMarker, kinds),
    has: (kind) => inForce.has(kind),
  };
}
