/**
 * The generated tree: what every agent returns and the one writer applies. A file is data
 * (`{ path, content, mode }`); nothing is written by the kernel.
 *
 * Paths are checked here, once, so that no agent (template or LLM) can place a file outside the
 * target, inside `.git/`, or into `.github/workflows/` (which runs with the repository's
 * credentials) unless the caller allowed it.
 */
import { z } from "zod";
import { UnsafePathError } from "../errors.js";

export const FileMode = z.union([z.literal(0o644), z.literal(0o755)]);
export type FileMode = z.infer<typeof FileMode>;

export const GeneratedFile = z.object({
  /** Relative POSIX path inside the generated repository, e.g. `src/app.ts`. */
  path: z.string().min(1),
  content: z.string(),
  /** 0o644 for ordinary files, 0o755 for scripts. */
  mode: FileMode,
});
export type GeneratedFile = z.infer<typeof GeneratedFile>;

/** A file with the agent that produced it, so a duplicate can name both producers. */
export interface ProducedFile extends GeneratedFile {
  readonly producer: string;
}

export interface TreePolicy {
  /** Allow files under `.github/workflows/`. The CLI allows it for local output; the App follows the repo config. */
  readonly allowWorkflows: boolean;
}

const MAX_PATH_LENGTH = 255;
const MAX_SEGMENT_LENGTH = 120;

/**
 * Throws UnsafePathError unless `path` is a plain relative POSIX path that stays inside the target.
 *
 * @example
 * assertSafePath("src/app.ts", { allowWorkflows: false }); // ok
 * assertSafePath("../etc/passwd", { allowWorkflows: false }); // throws UnsafePathError
 */
export function assertSafePath(path: string, policy: TreePolicy): void {
  const refuse = (why: string): never => {
    throw new UnsafePathError("tree.unsafe-path", `refusing to write "${printable(path)}": ${why}`, {
      hint: "generated files must have relative POSIX paths inside the output directory",
    });
  };
  if (path.length === 0) refuse("the path is empty");
  if (path.length > MAX_PATH_LENGTH) refuse(`the path is longer than ${MAX_PATH_LENGTH} characters`);
  // Control characters (NUL, newlines…) can truncate paths in C APIs or forge log lines.
  if ([...path].some(isControl)) refuse("it contains a control character");
  if (path.includes("\\")) refuse("it contains a backslash (use forward slashes)");
  if (path.startsWith("/")) refuse("it is absolute");
  if (/^[A-Za-z]:/.test(path)) refuse("it starts with a drive letter");
  if (path.startsWith("~")) refuse("it starts with ~");
  const segments = path.split("/");
  for (const segment of segments) {
    if (segment === "") refuse("it has an empty segment (// or a trailing slash)");
    if (segment === "." || segment === "..") refuse(`it has a "${segment}" segment`);
    if (segment.length > MAX_SEGMENT_LENGTH)
      refuse(`a segment is longer than ${MAX_SEGMENT_LENGTH} characters`);
    // Trailing dots and spaces are silently stripped on Windows, so `a.` and `a` would collide.
    if (/[. ]$/.test(segment)) refuse("a segment ends with a dot or a space");
  }
  const lower = segments.map((segment) => segment.toLowerCase());
  // Case-insensitive: on macOS and Windows `.GIT/config` is `.git/config`.
  if (lower.includes(".git")) refuse("it is inside .git/");
  if (lower[0] === ".github" && lower[1] === "workflows" && !policy.allowWorkflows) {
    refuse(".github/workflows/ is not allowed here (enable allowWorkflows in the repository config)");
  }
}

/**
 * Checks every path, refuses duplicates (naming both producers, compared case-insensitively so
 * that the tree is the same on every file system) and returns the files sorted by path.
 */
export function normaliseTree(
  files: readonly (GeneratedFile | ProducedFile)[],
  policy: TreePolicy,
): GeneratedFile[] {
  const seen = new Map<string, { path: string; producer: string }>();
  const out: GeneratedFile[] = [];
  for (const file of files) {
    const parsed = GeneratedFile.safeParse({ path: file.path, content: file.content, mode: file.mode });
    if (!parsed.success) {
      throw new UnsafePathError(
        "tree.invalid-file",
        `invalid generated file "${printable(String(file.path))}"`,
        {
          cause: parsed.error,
        },
      );
    }
    assertSafePath(file.path, policy);
    const producer = "producer" in file ? file.producer : "unknown";
    const key = file.path.toLowerCase();
    const previous = seen.get(key);
    if (previous !== undefined) {
      throw new UnsafePathError(
        "tree.duplicate-path",
        `two agents produced the same file: "${previous.path}" (${previous.producer}) and "${file.path}" (${producer})`,
        { hint: "this is a bug in a generator or stack plugin" },
      );
    }
    seen.set(key, { path: file.path, producer });
    out.push(parsed.data);
  }
  // A file and a directory of the same name cannot both exist.
  for (const file of out) {
    const segments = file.path.toLowerCase().split("/");
    for (let i = 1; i < segments.length; i++) {
      const prefix = segments.slice(0, i).join("/");
      const clash = seen.get(prefix);
      if (clash !== undefined) {
        throw new UnsafePathError(
          "tree.file-directory-clash",
          `"${clash.path}" (${clash.producer}) is a file but "${file.path}" needs it to be a directory`,
        );
      }
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Tags files with the agent that produced them. */
export function producedBy(producer: string, files: readonly GeneratedFile[]): ProducedFile[] {
  return files.map((file) => ({ ...file, producer }));
}

/** Shorthand for an ordinary (0o644) file. */
export function file(path: string, content: string, mode: FileMode = 0o644): GeneratedFile {
  return { path, content, mode };
}

function isControl(char: string): boolean {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
}

function printable(path: string): string {
  return [...path]
    .map((char) => (isControl(char) ? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}` : char))
    .join("");
}
