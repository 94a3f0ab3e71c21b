/** Turning the paths tools print (absolute, `./`-prefixed, `file://` URLs) into app-relative ones. */

/** Strips ANSI colour codes. */
export function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC.
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
}

/**
 * The path relative to the application root, or null when it lies outside it (a dependency's file).
 * `root` is the application's absolute real path; relative input is taken as relative to it.
 *
 * @example
 * relativePath("/tmp/app/src/a.ts", "/tmp/app"); // "src/a.ts"
 * relativePath("./main.go", "/tmp/app"); // "main.go"
 */
export function relativePath(raw: string, root: string): string | null {
  let path = raw.trim();
  if (path.startsWith("file://")) path = decodeURIComponent(path.slice("file://".length));
  const base = root.endsWith("/") ? root.slice(0, -1) : root;
  if (path.startsWith("/")) {
    if (!path.startsWith(`${base}/`)) return null;
    path = path.slice(base.length + 1);
  }
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  if (parts.length === 0) return null;
  const joined = parts.join("/");
  // Installed dependencies are not the application's code.
  if (/(^|\/)(node_modules|\.venv|venv|site-packages|vendor)\//.test(joined)) return null;
  return joined;
}

/** The first line of a message, trimmed, cut to `max` characters. */
export function firstLine(text: string, max = 300): string {
  const line = stripAnsi(text)
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l !== "");
  if (line === undefined) return "";
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
