/** Running the external tools the packager can use (git, trivy, syft), without a shell. */
import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { delimiter, join } from "node:path";

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command` with `args` and resolves with its exit code and output (it never rejects for a
 * non-zero exit; a missing command resolves with code 127).
 */
export function runTool(
  command: string,
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      [...args],
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
        encoding: "utf8",
      },
      (error, stdout, stderr) => {
        const code =
          error === null
            ? 0
            : typeof error.code === "number"
              ? error.code
              : error.code === "ENOENT"
                ? 127
                : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The full path of `command` on `PATH`, or `undefined`. */
export async function findOnPath(
  command: string,
  path = process.env.PATH ?? "",
): Promise<string | undefined> {
  for (const dir of path.split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, command);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
