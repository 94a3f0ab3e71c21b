/**
 * Generates an application from a brief the way `qlf generate` does (compile, resolve overlays,
 * run the pipeline, write the tree), into a fresh temporary directory, for end-to-end tests.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  type ApiPlan,
  type GenerateAppSummary,
  type GeneratedFile,
  generateApp,
  type IR,
  loadOverlayCatalog,
  registerBuiltins,
  type StackId,
  understandBrief,
} from "../../src/kernel/index.js";
import { readShippedOverlaySources } from "../../src/services/overlay-files.js";
import { writeTree } from "../../src/services/writer/index.js";

export interface GeneratedApp {
  readonly dir: string;
  readonly ir: IR;
  readonly plan: ApiPlan;
  readonly files: readonly GeneratedFile[];
  readonly summary: GenerateAppSummary;
  /** The plan's documented example for every environment variable but DATABASE_URL and PORT. */
  readonly serverEnv: Record<string, string>;
}

export interface GenerateOptions {
  /** Overlays to add on top of those the brief triggers (`--overlay`). */
  readonly overlays?: readonly string[];
  readonly frontend?: "react" | "none";
  /** `--stack`; undefined leaves the choice to the brief ("… in Go"). */
  readonly stack?: StackId;
  /** Where to write the app; by default a fresh temporary directory. */
  readonly dir?: string;
}

/**
 * @example
 * const app = await generateFromBrief("Pharmacy API: pharmacists fill prescriptions for patients; HIPAA");
 * app.dir; // /tmp/qlf-e2e-pharmacy-api-XXXXXX
 */
export async function generateFromBrief(brief: string, options: GenerateOptions = {}): Promise<GeneratedApp> {
  registerBuiltins();
  const { catalog } = loadOverlayCatalog(await readShippedOverlaySources(), []);
  const { ir, resolved } = understandBrief(brief, {
    overlayCatalog: catalog,
    ...(options.overlays === undefined ? {} : { overlays: options.overlays }),
    ...(options.frontend === undefined ? {} : { frontend: options.frontend }),
    ...(options.stack === undefined ? {} : { stack: options.stack }),
  });
  const result = generateApp({
    ir,
    overlays: resolved,
    options: {
      allowWorkflows: true,
      generatorVersion: "0.0.0-e2e",
      frontend: options.frontend,
      stack: options.stack,
    },
  });
  const dir = options.dir ?? (await mkdtemp(path.join(tmpdir(), `qlf-e2e-${ir.app.slug}-`)));
  await writeTree(result.files, dir, { force: true });
  const serverEnv = Object.fromEntries(
    result.plan.env
      .filter((variable) => variable.name !== "DATABASE_URL" && variable.name !== "PORT")
      .map((variable) => [variable.name, variable.example]),
  );
  return { dir, ir, plan: result.plan, files: result.files, summary: result.summary, serverEnv };
}
