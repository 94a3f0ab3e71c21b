/**
 * `qlf capsule extract`: unpack a capsule into an empty directory, refusing anything hostile.
 *
 * The reader refuses every entry that is not a regular file at a safe, non-colliding path inside
 * the capsule layout, and every archive over the limits, before any of its bytes are written. Here
 * each file is created with O_CREAT|O_EXCL|O_NOFOLLOW (never overwriting, never through a link) in
 * directories this run made itself. Integrity (and the signature, when a key is given) is verified
 * in the same pass; if anything fails, everything written is removed again.
 */
import { constants } from "node:fs";
import { lstat, mkdir, open, readdir, rm, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { UserInputError } from "../../kernel/index.js";
import { CapsuleRejected, type EntryInfo } from "./capsule-reader.js";
import { show } from "./paths.js";
import { type VerifyOptions, type VerifyReport, verifyCapsule } from "./verify-capsule.js";

export interface ExtractReport extends VerifyReport {
  dest: string;
  /** Files written (0 when the capsule was refused: what was written is removed). */
  files: number;
  bytes: number;
}

/**
 * @example const report = await extractCapsule("app-1.0.0.qlcapsule", "./out", { key });
 */
export async function extractCapsule(
  file: string,
  destination: string,
  options: Omit<VerifyOptions, "visit" | "keep"> = {},
): Promise<ExtractReport> {
  const dest = resolve(destination);
  const createdDest = await prepareDestination(dest);
  const made = new Set<string>([""]);
  let files = 0;
  let bytes = 0;

  const ensureDir = async (relDir: string): Promise<void> => {
    if (made.has(relDir)) return;
    const parent = relDir.includes("/") ? relDir.slice(0, relDir.lastIndexOf("/")) : "";
    await ensureDir(parent);
    const abs = join(dest, ...relDir.split("/"));
    try {
      await mkdir(abs, { mode: 0o755 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const info = await lstat(abs);
      // Something else made it between our steps: do not write through it.
      if (!info.isDirectory())
        throw new CapsuleRejected(`${show(relDir)} appeared during extraction and is not a directory`);
      throw new CapsuleRejected(`${show(relDir)} appeared during extraction; refusing to write into it`);
    }
    made.add(relDir);
  };

  const visit = async (entry: EntryInfo, body: AsyncIterable<Buffer>): Promise<void> => {
    const target = join(dest, ...entry.path.split("/"));
    const rel = relative(dest, target);
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) {
      throw new CapsuleRejected(`entry ${show(entry.path)} would land outside ${dest}`);
    }
    await ensureDir(entry.path.includes("/") ? entry.path.slice(0, entry.path.lastIndexOf("/")) : "");
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(
        target,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        entry.mode,
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") {
        throw new CapsuleRejected(`entry ${show(entry.path)} would overwrite a file already extracted`);
      }
      throw error;
    }
    try {
      for await (const chunk of body) await handle.write(chunk);
    } finally {
      await handle.close();
    }
    files += 1;
    bytes += entry.size;
  };

  let report: VerifyReport;
  try {
    report = await verifyCapsule(file, { ...options, visit });
  } catch (error) {
    await cleanUp(dest, createdDest);
    throw error;
  }
  if (!report.ok) {
    await cleanUp(dest, createdDest);
    return { ...report, dest, files: 0, bytes: 0 };
  }
  return { ...report, dest, files, bytes };
}

/** The destination must not exist (it is created) or be an empty directory. Returns whether it was created. */
async function prepareDestination(dest: string): Promise<boolean> {
  const info = await stat(dest).catch(() => undefined);
  if (info === undefined) {
    await mkdir(dest, { recursive: true, mode: 0o755 });
    return true;
  }
  if (!info.isDirectory())
    throw new UserInputError("extract.not-dir", `${dest} exists and is not a directory`);
  if ((await readdir(dest)).length > 0) {
    throw new UserInputError(
      "extract.not-empty",
      `${dest} is not empty; a capsule is only extracted into an empty directory`,
      {
        hint: "choose a new directory (it is created) or empty this one",
      },
    );
  }
  return false;
}

async function cleanUp(dest: string, createdDest: boolean): Promise<void> {
  if (createdDest) {
    await rm(dest, { recursive: true, force: true });
    return;
  }
  for (const name of await readdir(dest)) await rm(join(dest, name), { recursive: true, force: true });
}
