/**
 * Lists the files of an application directory that go into `source/`, and says why every other one
 * stays out. Deterministic and offline: `.gitignore` files inside the directory are honoured with
 * git's rules (via the `ignore` package: globs, `dir/`, `!negation`, anchored `/patterns`, a deeper
 * file overriding a shallower one, no re-including inside an ignored directory) and nothing outside
 * the directory (global excludes, `.git/info/exclude`, parents' `.gitignore`) is consulted, so a copy
 * of the directory anywhere packages the same.
 */
import type { Dirent } from "node:fs";
import { constants } from "node:fs";
import { lstat, open, readdir } from "node:fs/promises";
import { join } from "node:path";
import ignore, { type Ignore } from "ignore";
import { UserInputError } from "../../kernel/index.js";
import type { Exclusion, ExclusionReason } from "./manifest.js";
import { compareUtf8, pathProblem } from "./paths.js";

export interface SourceFile {
  /** Path relative to the walked directory, `/`-separated, Unicode NFC. */
  rel: string;
  abs: string;
  size: number;
  executable: boolean;
}

export interface WalkResult {
  files: SourceFile[];
  excluded: Exclusion[];
}

export interface WalkOptions {
  /** Files to leave out whatever their name, by device and inode (the signing key, the output). */
  skip?: ReadonlyArray<{ dev: number; ino: number; reason: ExclusionReason; detail: string }>;
}

interface IgnoreLevel {
  base: string;
  file: string;
  rules: Ignore;
}

const VCS_DIRS = new Set([".git", ".hg", ".svn"]);
const CACHE_DIRS = new Set(["__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"]);
const SAFE_ENV_SUFFIXES = new Set(["example", "sample", "template", "dist"]);
const CREDENTIAL_FILES = new Set([".netrc", ".git-credentials", ".pgpass"]);
const REGISTRY_CONFIG = new Set([".npmrc", ".pypirc", ".yarnrc.yml"]);
const CONTENT_PROBE_BYTES = 1024 * 1024;

/**
 * Walks `root` in sorted order without following symbolic links.
 *
 * @example const { files, excluded } = await walkSource("./my-app");
 */
export async function walkSource(root: string, options: WalkOptions = {}): Promise<WalkResult> {
  const result: WalkResult = { files: [], excluded: [] };
  await walkDir(root, "", [], options, result);
  result.files.sort((a, b) => compareUtf8(a.rel, b.rel));
  const seen = new Map<string, string>();
  for (const file of result.files) {
    const problem = pathProblem(file.rel);
    if (problem !== undefined) {
      throw new UserInputError(
        "package.unsafe-name",
        `${JSON.stringify(file.rel)} cannot be packaged: ${problem}`,
        {
          hint: "rename the file, or list it in .gitignore to leave it out",
        },
      );
    }
    const earlier = seen.get(file.rel);
    if (earlier !== undefined) {
      throw new UserInputError(
        "package.name-clash",
        `${JSON.stringify(earlier)} and ${JSON.stringify(file.abs)} have the same name after Unicode NFC normalisation`,
        { hint: "rename one of them" },
      );
    }
    seen.set(file.rel, file.abs);
  }
  return result;
}

/**
 * Lists every regular file under `root` (an artifacts directory the user named): nothing is
 * silently left out there, so links, special files and secret-looking files are errors.
 */
export async function walkStrict(root: string): Promise<SourceFile[]> {
  const result: WalkResult = { files: [], excluded: [] };
  await walkDir(root, "", [], {}, result, true);
  const refused = result.excluded[0];
  if (refused !== undefined) {
    throw new UserInputError(
      "package.artifact-refused",
      `refusing to package ${join(root, refused.path)} from the artifacts directory: ${refused.detail}`,
      { hint: "remove it from the artifacts directory" },
    );
  }
  return result.files.sort((a, b) => compareUtf8(a.rel, b.rel));
}

async function walkDir(
  absDir: string,
  relDir: string,
  levels: readonly IgnoreLevel[],
  options: WalkOptions,
  result: WalkResult,
  strict = false,
): Promise<void> {
  const dirents = (await readdir(absDir, { withFileTypes: true })).sort((a, b) =>
    compareUtf8(a.name, b.name),
  );
  let active = levels;
  const gitignore = dirents.find((d) => d.name === ".gitignore" && d.isFile());
  if (gitignore !== undefined && !strict) {
    const text = await readText(join(absDir, ".gitignore"));
    active = [
      ...levels,
      { base: relDir, file: `${relDir}.gitignore`, rules: ignore({ ignorecase: false }).add(text) },
    ];
  }

  for (const dirent of dirents) {
    const rel = `${relDir}${dirent.name.normalize("NFC")}`;
    const abs = join(absDir, dirent.name);
    const exclude = (reason: ExclusionReason, detail: string, isDir = false): void => {
      result.excluded.push({ path: isDir ? `${rel}/` : rel, reason, detail });
    };

    if (dirent.isSymbolicLink()) {
      exclude(
        "symlink",
        "symbolic link: a capsule holds regular files only, and links could point outside it",
      );
      continue;
    }
    if (dirent.isDirectory()) {
      const fixed = strict ? undefined : await fixedDirRule(dirent, abs);
      if (fixed !== undefined) {
        exclude(fixed.reason, fixed.detail, true);
        continue;
      }
      const ignored = strict ? undefined : gitignored(active, `${rel}/`);
      if (ignored !== undefined) {
        exclude("gitignore", ignored, true);
        continue;
      }
      await walkDir(abs, `${rel}/`, active, options, result, strict);
      continue;
    }
    if (!dirent.isFile()) {
      exclude("special-file", "not a regular file (socket, FIFO or device)");
      continue;
    }

    const info = await lstat(abs);
    const skip = options.skip?.find((s) => s.dev === info.dev && s.ino === info.ino);
    if (skip !== undefined) {
      exclude(skip.reason, skip.detail);
      continue;
    }
    const fixed = await fixedFileRule(dirent.name, abs);
    if (fixed !== undefined) {
      exclude(fixed.reason, fixed.detail);
      continue;
    }
    const ignored = strict ? undefined : gitignored(active, rel);
    if (ignored !== undefined) {
      exclude("gitignore", ignored);
      continue;
    }
    result.files.push({ rel, abs, size: info.size, executable: (info.mode & 0o111) !== 0 });
  }
}

/** git's rule: the last matching pattern decides, deeper `.gitignore` files coming later. */
function gitignored(levels: readonly IgnoreLevel[], rel: string): string | undefined {
  let decision: string | undefined;
  for (const level of levels) {
    const test = level.rules.test(rel.slice(level.base.length));
    if (test.ignored) decision = `matches "${test.rule?.pattern ?? ""}" in ${level.file}`;
    else if (test.unignored) decision = undefined;
  }
  return decision;
}

async function fixedDirRule(
  dirent: Dirent,
  abs: string,
): Promise<{ reason: ExclusionReason; detail: string } | undefined> {
  const name = dirent.name;
  if (VCS_DIRS.has(name)) return { reason: "vcs", detail: "version-control metadata" };
  if (name === "node_modules") {
    return {
      reason: "dependencies",
      detail: "installed npm packages (rebuilt from the lockfile; listed in the SBOM)",
    };
  }
  if (CACHE_DIRS.has(name)) return { reason: "cache", detail: "tool cache" };
  if (await exists(join(abs, "pyvenv.cfg"))) {
    return { reason: "dependencies", detail: "Python virtual environment (rebuilt from the requirements)" };
  }
  return undefined;
}

async function fixedFileRule(
  name: string,
  abs: string,
): Promise<{ reason: ExclusionReason; detail: string } | undefined> {
  const lower = name.toLowerCase();
  if (name === ".git") return { reason: "vcs", detail: "version-control link file" };
  if (lower.endsWith(".qlcapsule"))
    return { reason: "capsule", detail: "a capsule: capsules are not nested" };
  if (name === ".env" || (name.startsWith(".env.") && !SAFE_ENV_SUFFIXES.has(name.slice(5)))) {
    return { reason: "secret", detail: "environment file (commonly holds secrets; .env.example is kept)" };
  }
  if (/^id_(rsa|dsa|ecdsa|ed25519)$/.test(name)) return { reason: "secret", detail: "SSH private key" };
  if (/\.(key|p12|pfx|jks|keystore)$/.test(lower)) {
    return { reason: "secret", detail: "private key or keystore file name" };
  }
  if (CREDENTIAL_FILES.has(name)) return { reason: "secret", detail: "credentials file" };
  if (/\.(pem|crt|cer)$/.test(lower)) {
    const text = await readText(abs, CONTENT_PROBE_BYTES);
    if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text)) {
      return { reason: "secret", detail: "PEM file containing a private key" };
    }
  }
  if (REGISTRY_CONFIG.has(name)) {
    const text = await readText(abs, CONTENT_PROBE_BYTES);
    if (/(_authToken|_auth|_password|npmAuthToken|^\s*password\s*[=:])/im.test(text)) {
      return { reason: "secret", detail: "package-registry configuration with credentials" };
    }
  }
  return undefined;
}

async function readText(abs: string, limit = 4 * 1024 * 1024): Promise<string> {
  const handle = await open(abs, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const size = Math.min(limit, (await handle.stat()).size);
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
