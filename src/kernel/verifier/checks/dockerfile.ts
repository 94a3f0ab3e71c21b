/**
 * Dockerfile checks (pure): the image must not run as root, base images are pinned, no secrets in
 * ENV/ARG, no remote ADD or `curl | sh`, a HEALTHCHECK exists. Each finding points at the
 * instruction's first line.
 */
import { type Finding, finding } from "../report.js";

export interface DockerInstruction {
  /** Upper-case keyword, e.g. `FROM`. */
  readonly keyword: string;
  /** Arguments with continuation lines joined. */
  readonly args: string;
  /** 1-based line of the instruction's first line. */
  readonly line: number;
}

/** Splits a Dockerfile into instructions (comments dropped, `\` continuations joined). */
export function parseDockerfile(text: string): DockerInstruction[] {
  const out: DockerInstruction[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const first = (lines[i] ?? "").trim();
    if (first === "" || first.startsWith("#")) continue;
    const start = i;
    let joined = first;
    while (joined.endsWith("\\") && i + 1 < lines.length) {
      i++;
      const next = (lines[i] ?? "").trim();
      joined = `${joined.slice(0, -1).trimEnd()} ${next.startsWith("#") ? "" : next}`;
    }
    const match = /^(\w+)\s*(.*)$/s.exec(joined);
    if (match === null) continue;
    out.push({ keyword: (match[1] ?? "").toUpperCase(), args: (match[2] ?? "").trim(), line: start + 1 });
  }
  return out;
}

const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)/i;

/**
 * @example
 * checkDockerfile("FROM node:24\nCMD node a.js\n", "Dockerfile"); // error: runs as root
 */
export function checkDockerfile(text: string, path: string): Finding[] {
  const findings: Finding[] = [];
  const add = (rule: string, severity: "error" | "warning", line: number | null, message: string) =>
    findings.push(finding({ gate: "static", rule: `static/${rule}`, severity, message, path, line }));
  const instructions = parseDockerfile(text);
  const froms = instructions.filter((i) => i.keyword === "FROM");
  if (froms.length === 0) {
    add("dockerfile", "error", null, "the Dockerfile has no FROM instruction");
    return findings;
  }
  const stages = new Set<string>();
  for (const from of froms) {
    const words = from.args.split(/\s+/).filter((w) => !w.startsWith("--"));
    const image = words[0] ?? "";
    const alias = words[1]?.toUpperCase() === "AS" ? words[2] : undefined;
    if (!stages.has(image.toLowerCase()) && image !== "scratch" && !image.includes("$")) {
      const name = image.split("@")[0] ?? image;
      const tag = name.includes(":") && !name.endsWith(":") ? name.slice(name.lastIndexOf(":") + 1) : "";
      if (!image.includes("@sha256:") && (tag === "" || tag === "latest" || tag.includes("/"))) {
        add(
          "dockerfile",
          "warning",
          from.line,
          `base image ${image} is not pinned to a version tag or digest`,
        );
      }
    }
    if (alias !== undefined) stages.add(alias.toLowerCase());
  }
  // The final stage is what runs: it must switch to a non-root user.
  const lastFrom = froms[froms.length - 1] as DockerInstruction;
  const finalStage = instructions.filter((i) => i.line >= lastFrom.line);
  const users = finalStage.filter((i) => i.keyword === "USER");
  const lastUser = users[users.length - 1];
  if (lastUser === undefined) {
    add(
      "dockerfile",
      "error",
      lastFrom.line,
      "the final image runs as root: add a USER instruction with a non-root user",
    );
  } else if (/^(root|0)(:|$)/.test(lastUser.args.trim())) {
    add("dockerfile", "error", lastUser.line, `the final image runs as root (USER ${lastUser.args})`);
  }
  for (const instruction of instructions) {
    if (instruction.keyword === "ENV" || instruction.keyword === "ARG") {
      for (const [name, value] of assignments(instruction.args)) {
        if (SECRET_NAME.test(name) && value !== "" && !value.startsWith("$")) {
          add(
            "dockerfile",
            "error",
            instruction.line,
            `${instruction.keyword} ${name} bakes a secret into the image; pass it at run time`,
          );
        }
      }
    }
    if (instruction.keyword === "ADD" && /\bhttps?:\/\//.test(instruction.args)) {
      add(
        "dockerfile",
        "warning",
        instruction.line,
        "ADD from a URL is not verified; download with a checksum check in RUN instead",
      );
    }
    if (instruction.keyword === "RUN" && /\b(curl|wget)\b[^|]*\|\s*(ba|z)?sh\b/.test(instruction.args)) {
      add(
        "dockerfile",
        "warning",
        instruction.line,
        "RUN pipes a download into a shell; download, verify a checksum, then run",
      );
    }
    if (instruction.keyword === "RUN" && /(^|[;&|]\s*)sudo\b/.test(instruction.args)) {
      add(
        "dockerfile",
        "warning",
        instruction.line,
        "RUN uses sudo; build steps already run as the build user",
      );
    }
  }
  if (!instructions.some((i) => i.keyword === "HEALTHCHECK")) {
    add("dockerfile", "warning", lastFrom.line, "the final image has no HEALTHCHECK");
  }
  return findings;
}

/** `A=1 B="two"` or the legacy `A 1` form. */
function assignments(args: string): [string, string][] {
  if (!/^\w+=/.test(args)) {
    const match = /^(\w+)(?:\s+(.*))?$/.exec(args);
    return match === null ? [] : [[match[1] ?? "", (match[2] ?? "").trim()]];
  }
  return [...args.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)].map((m) => [
    m[1] ?? "",
    (m[2] ?? "").replace(/^["']|["']$/g, ""),
  ]);
}
