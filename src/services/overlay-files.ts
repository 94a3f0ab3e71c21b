/**
 * Reads overlay files from disk: the ones shipped in the package's `overlays/` directory and a
 * repository's own `.qlf/overlays/*.yaml`. Parsing and validation are the kernel's
 * (`loadOverlayCatalog`); this module only finds and reads files.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Decision, loadOverlayCatalog, type Overlay, type OverlaySource } from "../kernel/index.js";

const PACKAGE_NAME = "quantumlayer-factory";
const OVERLAY_FILE = /\.ya?ml$/i;

const here = path.dirname(fileURLToPath(import.meta.url));
let cachedRoot: Promise<string> | undefined;

/**
 * The directory holding qlf's own package.json, found by walking up from `from` (by default this
 * module's directory, so it works from `src/services/` under vitest and from the bundle in
 * `dist/chunks/` alike).
 */
export function findPackageRoot(from?: string): Promise<string> {
  if (from !== undefined) return walkUp(from);
  cachedRoot ??= walkUp(here);
  return cachedRoot;
}

async function walkUp(from: string): Promise<string> {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as {
        name?: unknown;
      };
      if (manifest.name === PACKAGE_NAME) return dir;
    } catch {
      // No readable package.json here: keep walking up.
    }
    if (path.dirname(dir) === dir)
      throw new Error(`cannot find the ${PACKAGE_NAME} package directory above ${from}`);
  }
}

/** Every `*.yaml` / `*.yml` under the package's `overlays/` directory, sorted by path. */
export async function readShippedOverlaySources(): Promise<OverlaySource[]> {
  const root = await findPackageRoot();
  return readTree(path.join(root, "overlays"), root);
}

/** A repository's `.qlf/overlays/*.yaml|yml` (not recursive); none when the directory is missing. */
export async function readRepoOverlaySources(repoDir: string): Promise<OverlaySource[]> {
  const dir = path.join(repoDir, ".qlf", "overlays");
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const files = names.filter((name) => OVERLAY_FILE.test(name)).sort();
  return Promise.all(
    files.map(async (name) => {
      const file = path.join(dir, name);
      return { path: path.relative(process.cwd(), file) || file, text: await readFile(file, "utf8") };
    }),
  );
}

/**
 * The overlay catalog for a run: the shipped overlays plus, when `repoDir` is given, that
 * repository's own (which add overlays or replace shipped ones; each replacement is a decision).
 *
 * @throws ConfigError (from the kernel) when a file is malformed or the catalog is inconsistent.
 */
export async function loadCatalog(repoDir?: string): Promise<{ catalog: Overlay[]; decisions: Decision[] }> {
  const [shipped, repo] = await Promise.all([
    readShippedOverlaySources(),
    repoDir === undefined ? Promise.resolve([]) : readRepoOverlaySources(repoDir),
  ]);
  return loadOverlayCatalog(shipped, repo);
}

async function readTree(dir: string, root: string): Promise<OverlaySource[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries
    .filter((entry) => entry.isFile() && OVERLAY_FILE.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  return Promise.all(
    files.map(async (file) => ({ path: path.relative(root, file), text: await readFile(file, "utf8") })),
  );
}
