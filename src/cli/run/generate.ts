import path from "node:path";
import {
  type GenerateAppResult,
  type GeneratedFile,
  getStack,
  listStacks,
  registerBuiltins,
  UserInputError,
} from "../../kernel/index.js";
import { writeTree } from "../../services/writer/index.js";
import type { GenerateCommandOptions } from "../commands/generate.js";
import { openLlmSession } from "../llm-session.js";
import { VERSION } from "../version.js";

export async function runGenerate(brief: string | undefined, options: GenerateCommandOptions): Promise<void> {
  registerBuiltins();
  // Refuse an unavailable stack before doing any work.
  if (options.stack !== undefined && getStack(options.stack) === undefined) {
    const available = listStacks().map((stack) => stack.id);
    throw new UserInputError(
      "generate.stack-unavailable",
      `stack ${options.stack} is not available yet; available: ${available.join(", ") || "none"}`,
      available.length > 0 ? { hint: `use --stack ${available[0]}` } : {},
    );
  }
  await using llm = await openLlmSession(options);
  const { ir, resolved } = await llm.understand(brief, options);
  const result = await llm.generate({
    ir,
    overlays: resolved,
    options: {
      stack: options.stack,
      frontend: options.frontend,
      allowWorkflows: options.workflows,
      generatorVersion: VERSION,
    },
  });
  const written = await writeTree(result.files, options.out, { force: options.force === true });
  const stack = getStack(result.summary.stack);
  const next = stack === undefined ? [] : nextSteps(options.out, stack.commands);
  if (options.json === true) {
    process.stdout.write(
      `${JSON.stringify(
        {
          dir: written.dir,
          app: ir.app,
          stack: result.summary.stack,
          frontend: result.summary.frontend,
          overlays: resolved.overlays.map((overlay) => `${overlay.name}@${overlay.version}`),
          files: result.files.map((file) => ({ path: file.path, bytes: byteLength(file), mode: file.mode })),
          bytes: result.summary.bytes,
          agents: result.summary.agents,
          controls: result.summary.controls.length,
          gaps: result.summary.gaps,
          notes: result.summary.notes,
          next,
          ...llm.json(),
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  process.stdout.write(render(options.out, result, resolved.overlays, next, written.replaced) + llm.text());
}

function byteLength(file: GeneratedFile): number {
  return Buffer.byteLength(file.content, "utf8");
}

function nextSteps(
  out: string,
  commands: { install: string; test: string; build: string | null; start: string },
): string[] {
  return [`cd ${shellPath(out)}`, commands.install, commands.test, commands.start];
}

function shellPath(value: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

/** `1.2 kB` style sizes. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** The files as an indented tree, directories first level by level, with sizes. */
export function renderTree(files: readonly GeneratedFile[]): string {
  interface Node {
    dirs: Map<string, Node>;
    files: Array<{ name: string; bytes: number }>;
  }
  const root: Node = { dirs: new Map(), files: [] };
  for (const file of files) {
    const parts = file.path.split("/");
    const name = parts.pop() ?? file.path;
    let node = root;
    for (const part of parts) {
      let child = node.dirs.get(part);
      if (child === undefined) {
        child = { dirs: new Map(), files: [] };
        node.dirs.set(part, child);
      }
      node = child;
    }
    node.files.push({ name, bytes: byteLength(file) });
  }
  const lines: Array<[string, string]> = [];
  const walk = (node: Node, prefix: string) => {
    const entries: Array<{ name: string; node?: Node; bytes?: number }> = [
      ...[...node.dirs.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, child]) => ({ name, node: child })),
      ...node.files.sort((a, b) => (a.name < b.name ? -1 : 1)),
    ];
    entries.forEach((entry, index) => {
      const last = index === entries.length - 1;
      const branch = `${prefix}${last ? "└── " : "├── "}`;
      if (entry.node !== undefined) {
        lines.push([`${branch}${entry.name}/`, ""]);
        walk(entry.node, `${prefix}${last ? "    " : "│   "}`);
      } else {
        lines.push([`${branch}${entry.name}`, formatBytes(entry.bytes ?? 0)]);
      }
    });
  };
  walk(root, "");
  const width = Math.max(...lines.map(([left]) => [...left].length));
  return lines
    .map(([left, right]) => (right === "" ? left : `${left.padEnd(width + 2)}${right.padStart(8)}`))
    .join("\n");
}

function render(
  out: string,
  result: GenerateAppResult,
  overlays: readonly { name: string; version: string }[],
  next: readonly string[],
  replaced: boolean,
): string {
  const { summary, plan } = result;
  const lines: string[] = [
    `${replaced ? "Replaced" : "Generated"} ${plan.app.name} (${summary.stack}${summary.frontend === "react" ? " + react" : ""}) in ${path.normalize(out)}: ${summary.fileCount} files, ${formatBytes(summary.bytes)}`,
    "",
    renderTree(result.files),
    "",
  ];
  if (overlays.length > 0) {
    const applicable = summary.controls.filter((trace) => trace.applicable).length;
    const inapplicable = summary.controls.length - applicable;
    lines.push(
      `Compliance: ${overlays.map((overlay) => `${overlay.name}@${overlay.version}`).join(", ")}; ${applicable - summary.gaps.length} of ${applicable} applicable controls traced to code and tests${inapplicable > 0 ? ` (${inapplicable} not applicable)` : ""} (COMPLIANCE.md).`,
    );
    if (summary.gaps.length > 0) lines.push(`  Gaps: ${summary.gaps.join(", ")}`);
    lines.push("");
  }
  if (next.length > 0) {
    lines.push(
      "What next:",
      ...next.map((command) => `  ${command}`),
      "  (the server needs DATABASE_URL; see README.md)",
      "",
    );
  }
  return `${lines.join("\n")}\n`;
}
