/**
 * Writes a generated tree to a directory, all or nothing: the files go to a temporary directory
 * beside the target, which is renamed into place only once everything is written. A failure
 * leaves the target as it was (absent, empty, or — with `force` — its previous contents).
 */
import { randomBytes } from "node:crypto";
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  realpath,
  rename,
  rm,
  rmdir,
  writeFile,
} from "node:fs/promises";
import path from "node:path";
import { assertSafePath, type GeneratedFile, UnsafePathError, UserInputError } from "../../kernel/index.js";

export interface WriteTreeOptions {
  /** Replace a non-empty target directory. */
  readonly force?: boolean;
}

export interface WriteTreeResult {
  /** Absolute path of the written directory. */
  readonly dir: string;
  readonly files: number;
  readonly bytes: number;
  /** True when a non-empty directory was replaced. */
  readonly replaced: boolean;
}

/**
 * @throws UserInputError when the target is a file, or a non-empty directory without `force`.
 * @throws UnsafePathError when a path would land outside the target (never expected: the kernel
 *   checks paths too; this is defence in depth, including after symlink resolution).
 * @example
 * await writeTree(result.files, "./pharmacy", { force: false });
 */
export async function writeTree(
  files: readonly GeneratedFile[],
  outDir: string,
  options: WriteTreeOptions = {},
): Promise<WriteTreeResult> {
  const requested = path.resolve(outDir);
  const existing = await inspect(requested);
  if (existing === "file") {
    throw new UserInputError("write.not-a-directory", `${outDir} exists and is not a directory`, {
      hint: "choose another --out directory",
    });
  }
  // Write where a symlinked target really points, so the rename replaces the directory, not the link.
  const target = existing === "missing" ? requested : await realpath(requested);
  const nonEmpty = existing !== "missing" && (await readdir(target)).length > 0;
  if (nonEmpty && options.force !== true) {
    throw new UserInputError("write.not-empty", `${outDir} is not empty`, {
      hint: "choose an empty or new directory, or pass --force to replace its contents",
    });
  }
  for (const file of files) assertSafePath(file.path, { allowWorkflows: true });

  const parent = path.dirname(target);
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(path.join(parent, `.${path.basename(target)}.qlf-`));
  let bytes = 0;
  try {
    const root = await realpath(staging);
    for (const file of files) {
      const destination = path.resolve(root, ...file.path.split("/"));
      if (!isInside(root, destination)) refuse(file.path);
      await mkdir(path.dirname(destination), { recursive: true });
      // After creating the directories, check again with symlinks resolved.
      if (!isInside(root, await realpath(path.dirname(destination)))) refuse(file.path);
      // `wx`: never follow or overwrite something already there.
      await writeFile(destination, file.content, { encoding: "utf8", flag: "wx", mode: file.mode });
      await chmod(destination, file.mode); // the umask may have narrowed the mode
      bytes += Buffer.byteLength(file.content, "utf8");
    }
    await swapInto(staging, target, existing !== "missing", nonEmpty);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return { dir: target, files: files.length, bytes, replaced: nonEmpty };
}

async function inspect(target: string): Promise<"missing" | "file" | "directory"> {
  try {
    const stats = await lstat(target);
    if (stats.isSymbolicLink()) {
      const resolved = await lstat(await realpath(target));
      return resolved.isDirectory() ? "directory" : "file";
    }
    return stats.isDirectory() ? "directory" : "file";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw error;
  }
}

/** Moves the staged tree into place. With an existing non-empty target: move it aside, swap, delete. */
async function swapInto(staging: string, target: string, exists: boolean, nonEmpty: boolean): Promise<void> {
  if (!exists) {
    await rename(staging, target);
    return;
  }
  if (!nonEmpty) {
    await rmdir(target);
    await rename(staging, target);
    return;
  }
  const aside = `${target}.qlf-old-${randomBytes(4).toString("hex")}`;
  await rename(target, aside);
  try {
    await rename(staging, target);
  } catch (error) {
    await rename(aside, target); // put the previous contents back
    throw error;
  }
  await rm(aside, { recursive: true, force: true });
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

function refuse(file: string): never {
  throw new UnsafePathError(
    "write.escape",
    `refusing to write "${file}": it resolves outside the output directory`,
  );
}
