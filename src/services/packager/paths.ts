/**
 * The one path policy shared by packaging and extraction: an entry path that passes it is relative,
 * stays inside its root on every platform, and cannot collide with another entry on a
 * case-insensitive or Unicode-normalising file system.
 */

/** Top-level sections of a capsule, plus the three single files. */
export const CONTENT_DIRS = ["artifacts/", "docs/", "manifests/", "source/"] as const;
export const SBOM_PATH = "sbom.cdx.json";
export const MANIFEST_PATH = "manifest.json";
export const SIGNATURE_PATH = "signature";

const MAX_PATH_BYTES = 4096;
const MAX_SEGMENT_BYTES = 255;
// C0/C1 controls and DEL; Unicode bidirectional overrides, which make a listing lie about a name.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * Why `path` is not acceptable as an entry path, or `undefined` when it is.
 *
 * @example pathProblem("source/../../etc/passwd") // → "`..` segment (path traversal)"
 */
export function pathProblem(path: string): string | undefined {
  if (path.length === 0) return "empty path";
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) return `path longer than ${MAX_PATH_BYTES} bytes`;
  if (path.startsWith("/")) return "absolute path";
  if (/^[A-Za-z]:/.test(path)) return "drive-letter path";
  if (path.includes("\\")) return "backslash in path (a Windows separator)";
  if (path.includes(":")) return "colon in path (a drive or alternate data stream on Windows)";
  if (CONTROL.test(path)) return "control or bidirectional-override character in path";
  if (path !== path.normalize("NFC")) return "path is not in Unicode NFC form";
  for (const segment of path.split("/")) {
    if (segment === "") return "empty path segment (`//` or a trailing `/`)";
    if (segment === "..") return "`..` segment (path traversal)";
    if (segment === ".") return "`.` segment";
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES)
      return `path segment longer than ${MAX_SEGMENT_BYTES} bytes`;
  }
  return undefined;
}

/** Whether `path` belongs to the capsule layout at all. */
export function inLayout(path: string): boolean {
  return (
    path === SBOM_PATH ||
    path === MANIFEST_PATH ||
    path === SIGNATURE_PATH ||
    CONTENT_DIRS.some((dir) => path.startsWith(dir) && path.length > dir.length)
  );
}

/**
 * A key under which two paths collide when some file system would map them to the same file:
 * case folding (including `ß` → `SS`), Unicode compatibility normalisation, and Windows' silent
 * removal of trailing dots and spaces. The same approach node-tar took for CVE-2026-23950.
 */
export function collisionKey(path: string): string {
  return path
    .split("/")
    .map((segment) => segment.replace(/[. ]+$/, ""))
    .join("/")
    .normalize("NFKD")
    .toLocaleLowerCase("en")
    .toLocaleUpperCase("en");
}

/**
 * Byte order of the UTF-8 encodings: the order entries appear in a capsule. UTF-8 preserves code
 * point order, which JavaScript's `<` matches except where surrogate pairs meet U+E000–U+FFFF, so
 * only strings with surrogates pay for an encoding.
 */
export function compareUtf8(a: string, b: string): number {
  if (SURROGATE.test(a) || SURROGATE.test(b)) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : a > b ? 1 : 0;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** A path quoted for a terminal: JSON string syntax, with C1 controls and bidi overrides escaped too. */
export function show(path: string): string {
  return JSON.stringify(path).replace(
    /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * The order rule of a capsule: content entries first in UTF-8 byte order, then manifest.json, then
 * signature; no path repeats, collides with another under case folding or Unicode normalisation,
 * or is both a file and a directory. Shared by the writer (which must obey it) and the reader.
 */
export class EntryOrder {
  #previous: string | undefined;
  #rank = 0;
  readonly #files = new Map<string, string>();
  readonly #dirs = new Map<string, string>();

  /** Records `path`; returns what is wrong with it coming next, or `undefined`. */
  admit(path: string): string | undefined {
    const rank = path === MANIFEST_PATH ? 1 : path === SIGNATURE_PATH ? 2 : 0;
    if (this.#previous !== undefined) {
      if (rank < this.#rank || (rank === this.#rank && compareUtf8(this.#previous, path) >= 0)) {
        const what = this.#previous === path ? "duplicate entry" : "entries out of order";
        return `${what}: ${show(path)} after ${show(this.#previous)}`;
      }
    }
    const key = collisionKey(path);
    const clash = this.#files.get(key) ?? this.#dirs.get(key);
    if (clash !== undefined) {
      return `${show(path)} and ${show(clash)} would be the same file on a case-insensitive or Unicode-normalising file system`;
    }
    const segments = key.split("/");
    const original = path.split("/");
    for (let i = 1; i < segments.length; i += 1) {
      const dir = segments.slice(0, i).join("/");
      const file = this.#files.get(dir);
      if (file !== undefined) return `${show(path)} would be inside the file ${show(file)}`;
      if (!this.#dirs.has(dir)) this.#dirs.set(dir, original.slice(0, i).join("/"));
    }
    this.#files.set(key, path);
    this.#previous = path;
    this.#rank = rank;
    return undefined;
  }
}
