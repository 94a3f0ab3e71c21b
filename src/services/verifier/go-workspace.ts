/**
 * Go without a module proxy: when the module's dependencies cannot be downloaded (no network, as on
 * this project's CI) but Debian's packaged Go libraries are installed, Go tools run in GOPATH mode
 * against them, the application linked into a temporary GOPATH under its module path (what the Gin
 * stack's `offlineTest` does). QLF_GO_OFFLINE=1 forces this mode, QLF_GO_OFFLINE=0 forbids it.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCommand } from "./process.js";

export const DEBIAN_GOCODE = "/usr/share/gocode";

/** Where and how to run the Go tools for one verify run. */
export interface ToolContext {
  /** Working directory for commands (absolute). */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Paths the tools print under `cwd` are rewritten to the application's own. */
  readonly printedRoot: string;
  readonly note: string;
  cleanup(): Promise<void>;
}

/** A GOPATH workspace when one is needed, undefined to run the tools in module mode as they are. */
export async function goWorkspace(
  root: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ToolContext | undefined> {
  const setting = env.QLF_GO_OFFLINE;
  if (setting === "0") return undefined;
  const gocode = env.DEBIAN_GOCODE ?? DEBIAN_GOCODE;
  if (!existsSync(path.join(gocode, "src"))) return undefined;
  const mod = await readFile(path.join(root, "go.mod"), "utf8").catch(() => "");
  const module = /^module\s+(\S+)/m.exec(mod)?.[1];
  if (module === undefined) return undefined;
  if (setting !== "1") {
    // Module mode works when every dependency is already in the module cache.
    const probe = await runCommand(root, {
      command: "go",
      args: ["list", "-deps", "-test", "./..."],
      env: { GOPROXY: "off", GOFLAGS: "-mod=mod" },
      timeoutMs: 60_000,
    });
    if (probe.code === 0) return undefined;
  }
  const gopath = await mkdtemp(path.join(tmpdir(), "qlf-verify-gopath-"));
  const linked = path.join(gopath, "src", module);
  await mkdir(path.dirname(linked), { recursive: true });
  await symlink(root, linked, "dir");
  return {
    cwd: linked,
    env: { GO111MODULE: "off", GOPATH: `${gopath}${path.delimiter}${gocode}`, GOFLAGS: "", GOPROXY: "off" },
    printedRoot: linked,
    note: `Go modules cannot be downloaded here: Go tools ran in GOPATH mode against Debian's packaged libraries (${gocode})`,
    cleanup: () => rm(gopath, { recursive: true, force: true }),
  };
}
