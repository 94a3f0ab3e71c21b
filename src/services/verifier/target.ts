/**
 * Learns what the gates need to know about an application before any of them runs: its stack
 * (from .qlf/provenance.json, the IR or its files), the plan and controls rebuilt from
 * .qlf/ir.json and its overlays, the tools on this machine, whether dependencies are installed and
 * whether a PostgreSQL server is there for scratch databases.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import {
  bareRules,
  type ControlInput,
  detectStack,
  IR,
  irSha256,
  planApi,
  profileFor,
  registerBuiltins,
  resolveOverlays,
  ruleApplicability,
  type StackId,
  type StackProfile,
  UserInputError,
  type VerifyTarget,
} from "../../kernel/index.js";
import { loadCatalog } from "../overlay-files.js";
import { probeDatabase } from "./database.js";
import { runCommand } from "./process.js";

export interface TargetOptions {
  readonly dir: string;
  readonly root: string;
  readonly databaseUrl: string;
  readonly allowWorkflows: boolean;
  /** Probe the database (skip when no selected gate needs one). */
  readonly probeDatabase: boolean;
}

export interface LoadedTarget {
  readonly target: Omit<VerifyTarget, "dependenciesInstalled">;
  readonly notes: string[];
}

export async function loadTarget(options: TargetOptions): Promise<LoadedTarget> {
  registerBuiltins();
  const notes: string[] = [];
  const { root } = options;
  const provenance = await readJson(path.join(root, ".qlf", "provenance.json"));
  const rawIr = await readJson(path.join(root, ".qlf", "ir.json"));
  let ir: IR | null = null;
  if (rawIr !== undefined) {
    const parsed = IR.safeParse(rawIr);
    if (parsed.success) ir = parsed.data;
    else
      notes.push(
        `.qlf/ir.json is not a valid IR (${parsed.error.issues[0]?.message ?? "invalid"}); the schema and compliance checks use what they can`,
      );
  }
  if (ir !== null && typeof provenance?.irSha256 === "string" && provenance.irSha256 !== irSha256(ir)) {
    notes.push(".qlf/ir.json was changed after generation (its hash differs from .qlf/provenance.json)");
  }
  const topLevel = await readdir(root).catch(() => [] as string[]);
  const recorded = typeof provenance?.stack === "string" ? provenance.stack : (ir?.stack.framework ?? null);
  const stack = (
    ["express", "fastapi", "gin"].includes(String(recorded)) ? recorded : detectStack(topLevel)
  ) as StackId | null;
  if (stack === null) {
    throw new UserInputError("verify.unknown-stack", `cannot tell which stack ${options.dir} uses`, {
      hint: "run qlf verify on a directory qlf generated (with .qlf/provenance.json), or one with package.json, pyproject.toml or go.mod",
    });
  }
  const profile = profileFor(stack);

  let plan: VerifyTarget["plan"] = null;
  let controls: ControlInput[] | null = null;
  let notApplicable: Partial<Record<string, string>> = {};
  if (ir !== null) {
    try {
      const { catalog } = await loadCatalog(root);
      const resolved = resolveOverlays(ir.overlays, catalog);
      plan = planApi(ir, bareRules(resolved.rules));
      controls = resolved.controls;
      notApplicable = ruleApplicability(plan);
    } catch (error) {
      notes.push(
        `the plan could not be rebuilt from .qlf/ir.json (${(error as Error).message}); schema and compliance checks are limited`,
      );
    }
  }

  const [tools, database] = await Promise.all([
    findTools(root, profile),
    options.probeDatabase
      ? probeDatabase(options.databaseUrl)
      : Promise.resolve({ available: false as const, reason: "not needed" }),
  ]);
  const name = ir?.app.name ?? (await packageName(root));
  return {
    target: {
      dir: options.dir,
      root,
      name,
      profile,
      tools: tools.found,
      missingTools: tools.missing,
      database,
      ir,
      plan,
      controls,
      notApplicable,
      allowWorkflows: options.allowWorkflows,
    },
    notes,
  };
}

/** Whether the profile's dependencies are installed (its marker path exists). */
export function dependenciesInstalled(root: string, profile: StackProfile): boolean {
  return profile.installedMarker === null || existsSync(path.join(root, profile.installedMarker));
}

async function findTools(
  root: string,
  profile: StackProfile,
): Promise<{ found: Record<string, string>; missing: Record<string, string> }> {
  const found: Record<string, string> = {};
  const missing: Record<string, string> = {};
  await Promise.all(
    profile.tools.map(async (tool) => {
      if (tool.builtByApp === true) {
        found[tool.id] = tool.candidates[0] ?? tool.id;
        return;
      }
      for (const candidate of tool.candidates) {
        const result = await runCommand(root, { command: candidate, args: tool.probe, timeoutMs: 20_000 });
        if (result.code === 0) {
          found[tool.id] = candidate;
          return;
        }
      }
      missing[tool.id] = `${tool.candidates.join(" / ")} not found or not usable (${tool.hint})`;
    }),
  );
  return { found, missing };
}

async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value = JSON.parse(await readFile(file, "utf8")) as unknown;
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function packageName(root: string): Promise<string | null> {
  const manifest = await readJson(path.join(root, "package.json"));
  return typeof manifest?.name === "string" ? manifest.name : null;
}
