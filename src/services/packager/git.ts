/** What Git knows about an application directory: the commit it belongs to and when that was made. */
import { runTool } from "./exec.js";

export interface GitOrigin {
  commit: string;
  /** The directory's path inside the repository ("" at the top), without a trailing slash. */
  path: string;
  dirty: boolean;
  /** The commit's committer time, seconds since the epoch. */
  commitTime: number;
}

/** `null` when `dir` is not inside a Git work tree with at least one commit (or git is missing). */
export async function gitOrigin(dir: string): Promise<GitOrigin | null> {
  // Reading must not take the index lock another git process may hold.
  const env = { ...process.env, GIT_OPTIONAL_LOCKS: "0", LC_ALL: "C" };
  const head = await runTool("git", ["-C", dir, "rev-parse", "--verify", "-q", "HEAD"], { env });
  const commit = head.stdout.trim();
  if (head.code !== 0 || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(commit)) return null;
  const prefix = (await runTool("git", ["-C", dir, "rev-parse", "--show-prefix"], { env })).stdout.trim();
  const status = await runTool("git", ["-C", dir, "status", "--porcelain", "--", "."], { env });
  const time = await runTool("git", ["-C", dir, "log", "-1", "--format=%ct", "HEAD"], { env });
  const commitTime = Number.parseInt(time.stdout.trim(), 10);
  return {
    commit,
    path: prefix.replace(/\/$/, ""),
    dirty: status.code !== 0 || status.stdout.trim() !== "",
    commitTime: Number.isFinite(commitTime) ? commitTime : 0,
  };
}
