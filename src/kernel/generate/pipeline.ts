/**
 * `generateApp`: IR + resolved overlays in, a complete repository out (as data). The CLI writes
 * the files to a directory; the App commits them; the Action verifies them. Pure and
 * deterministic: the same input gives byte-identical files.
 */
import { apiAgent } from "../agents/api/index.js";
import { databaseAgent } from "../agents/database/index.js";
import { docsAgent, type Provenance } from "../agents/docs/index.js";
import { opsAgent } from "../agents/ops/index.js";
import { UserInputError } from "../errors.js";
import type { IR } from "../ir/schema.js";
import type { ControlTrace } from "./markers.js";
import { bareRules, planApi, type RuleInput } from "./plan.js";
import type { ApiPlan } from "./plan-schema.js";
import { type ControlInput, type GenerationContext, getStack, listStacks, type StackId } from "./stack.js";
import { type GeneratedFile, normaliseTree, type ProducedFile, producedBy } from "./tree.js";

/** A frontend generator (React today), registered like stacks so the pipeline needs no import of it. */
export interface FrontendPlugin {
  readonly id: "react";
  /** Files under `frontend/`. */
  generate(context: GenerationContext): GeneratedFile[];
}

const frontends = new Map<string, FrontendPlugin>();
const utf8 = new TextEncoder();

export function registerFrontend(plugin: FrontendPlugin): void {
  frontends.set(plugin.id, plugin);
}

export function getFrontend(id: string): FrontendPlugin | undefined {
  return frontends.get(id);
}

export interface GenerateAppInput {
  readonly ir: IR;
  /**
   * The resolver's output (`ResolvedOverlays` fits), or just rules and controls. `overlays` gives
   * the `name@version` recorded in provenance.
   */
  readonly overlays: {
    readonly rules: readonly RuleInput[];
    readonly controls: readonly ControlInput[];
    readonly overlays?: readonly { readonly name: string; readonly version: string }[];
  };
  readonly options: {
    /** Overrides the IR's stack (`--stack`). */
    readonly stack?: StackId | undefined;
    /** Overrides the IR's frontend (`--frontend`). */
    readonly frontend?: "react" | "none" | undefined;
    readonly allowWorkflows: boolean;
    readonly generatorVersion: string;
  };
}

export interface GenerateAppSummary {
  readonly stack: StackId;
  readonly frontend: "react" | "none";
  readonly fileCount: number;
  readonly bytes: number;
  /** Files per agent: database, api, ops, docs, the stack id, frontend. */
  readonly agents: Readonly<Record<string, number>>;
  readonly controls: readonly ControlTrace[];
  /** Ids of controls with no implementing or no testing marker. */
  readonly gaps: readonly string[];
  readonly provenance: Provenance;
  readonly notes: readonly string[];
}

export interface GenerateAppResult {
  readonly files: GeneratedFile[];
  readonly plan: ApiPlan;
  readonly summary: GenerateAppSummary;
}

/**
 * Runs the agents and returns the normalised tree.
 *
 * @throws UserInputError when the requested stack is not registered.
 * @throws UnsafePathError when an agent produced an unsafe or duplicate path (a bug).
 * @example
 * const { files, summary } = generateApp({ ir, overlays: resolved, options: { allowWorkflows: true, generatorVersion: "0.1.0" } });
 */
export function generateApp(input: GenerateAppInput): GenerateAppResult {
  const { ir, options } = input;
  const stackId = options.stack ?? ir.stack.framework;
  const stack = getStack(stackId);
  if (stack === undefined) {
    const available = listStacks().map((plugin) => plugin.id);
    throw new UserInputError(
      "generate.stack-unavailable",
      `stack ${stackId} is not available yet; available: ${available.join(", ") || "none"}`,
      {
        hint:
          available.length > 0 ? `use --stack ${available[0]}` : "this build of qlf has no stacks registered",
      },
    );
  }
  const frontendId = options.frontend ?? ir.stack.frontend;
  const wantsFrontend =
    frontendId === "react" &&
    (options.frontend === "react" || ir.app.kind === "web" || ir.app.kind === "fullstack");
  const frontend = wantsFrontend ? getFrontend("react") : undefined;
  if (wantsFrontend && frontend === undefined) {
    throw new UserInputError(
      "generate.frontend-unavailable",
      "the react frontend is not available in this build",
      {
        hint: "use --frontend none",
      },
    );
  }

  const rules = bareRules(input.overlays.rules);
  const plan = planApi(ir, rules);
  const context: GenerationContext = {
    ir,
    plan,
    rules,
    controls: input.overlays.controls,
    options: { allowWorkflows: options.allowWorkflows, generatorVersion: options.generatorVersion },
  };
  const overlays = (input.overlays.overlays ?? []).map((overlay) => `${overlay.name}@${overlay.version}`);

  const produced: ProducedFile[] = [];
  const counts: Record<string, number> = {};
  const add = (agent: string, files: readonly GeneratedFile[]) => {
    counts[agent] = files.length;
    produced.push(...producedBy(agent, files));
  };
  add("database", databaseAgent(context));
  add(
    "api",
    apiAgent(
      context,
      stack.validationStatus === undefined ? {} : { validationStatus: stack.validationStatus },
    ),
  );
  const stackFiles = stack.generate(context);
  add(stack.id, stackFiles);
  if (frontend !== undefined) add("frontend", frontend.generate(context));
  add("ops", opsAgent(context, { stack, stackFiles, frontend: frontend !== undefined, overlays }));

  // Check paths before the docs agent reads the tree, so a bad path fails with its producer named.
  const policy = { allowWorkflows: options.allowWorkflows };
  normaliseTree(produced, policy);
  const docs = docsAgent(context, { files: produced, stack: stack.id, overlays, counts });
  add("docs", docs.files);
  const files = normaliseTree(produced, policy);

  const provenance = JSON.parse(
    docs.files.find((file) => file.path === ".qlf/provenance.json")?.content ?? "{}",
  ) as Provenance;
  return {
    files,
    plan,
    summary: {
      stack: stack.id,
      frontend: frontend === undefined ? "none" : "react",
      fileCount: files.length,
      bytes: files.reduce((sum, file) => sum + utf8.encode(file.content).length, 0),
      agents: counts,
      controls: docs.traces,
      gaps: docs.traces.filter((trace) => trace.gap).map((trace) => trace.control.id),
      provenance,
      notes: plan.notes,
    },
  };
}
