/** The application's tree as the gates see it: relative paths, symlinks flagged when they leave it. */
import { lstat, readdir, readFile, readlink, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { FileEntry } from "../../kernel/index.js";

/** Directories that are not the application's own files: VCS, installed dependencies, caches, build output. */
const SKIPPED = new Set([
  ".git",
  "node_modules",
  ".venv",
  "venv",
  "__pycache__",
  ".pytest_cache",
  ".mypy_cache",
  ".ruff_cache",
  "dist",
  "coverage",
  ".turbo",
]);
const MAX_ENTRIES = 50_000;

/**
 * @example
 * const entries = await listTree("/tmp/app"); // [{ path: "src/app.ts", kind: "file", … }]
 */
export async function listTree(root: string): Promise<FileEntry[]> {
  const real = await realpath(root);
  const out: FileEntry[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      if (out.length >= MAX_ENTRIES) return;
      const full = path.join(dir, name);
      const rel = prefix === "" ? name : `${prefix}/${name}`;
      const info = await lstat(full);
      if (info.isDirectory()) {
        if (!SKIPPED.has(name)) await walk(full, rel);
      } else if (info.isSymbolicLink()) {
        if (SKIPPED.has(name)) continue;
        const target = await readlink(full);
        const resolved = await realpath(full).catch(() => undefined);
        const escapes =
          resolved === undefined || (resolved !== real && !resolved.startsWith(`${real}${path.sep}`));
        const size = await stat(full).then(
          (s) => s.size,
          () => 0,
        );
        out.push({ path: rel, kind: "symlink", size, linkTarget: target, escapes });
      } else if (info.isFile()) {
        out.push({ path: rel, kind: "file", size: info.size, linkTarget: null, escapes: false });
      }
    }
  };
  await walk(real, "");
  return out;
}

/** A text file inside `root`, or undefined (missing, a directory, or outside the tree). */
export async function readTreeFile(root: string, relative: string): Promise<string | undefined> {
  const normal = path.posix.normalize(relative);
  if (normal.startsWith("../") || normal === ".." || path.isAbsolute(normal)) return undefined;
  const full = path.join(root, normal);
  try {
    const info = await lstat(full);
    if (!info.isFile()) return undefined;
    return await readFile(full, "utf8");
  } catch {
    return undefined;
  }
}
