import { configEntries, describeSource, loadConfig } from "../../services/llm/config.js";
import type { ConfigShowOptions } from "../commands/config.js";

export async function runConfigShow(options: ConfigShowOptions): Promise<void> {
  const effective = await loadConfig({ cwd: options.repo ?? process.cwd() });
  const entries = configEntries(effective);
  if (options.json === true) {
    process.stdout.write(
      `${JSON.stringify(
        {
          files: effective.files,
          values: Object.fromEntries(
            entries.map((entry) => [entry.key, { value: entry.value, source: describeSource(entry.source) }]),
          ),
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  const rows = entries.map((entry) => [entry.key, show(entry.value), describeSource(entry.source)] as const);
  const width = (index: 0 | 1) => Math.min(60, Math.max(...rows.map((row) => row[index].length)));
  const lines = rows.map(
    ([key, value, source]) => `${key.padEnd(width(0))}  ${value.padEnd(width(1))}  ${source}`,
  );
  const files =
    effective.files.length === 0
      ? "Files: none (defaults, environment and flags only)"
      : `Files: ${effective.files.join(", ")}`;
  process.stdout.write(`${files}\n\n${lines.join("\n")}\n`);
}

function show(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
