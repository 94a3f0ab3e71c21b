/** The name and version an application declares, for `qlf package` without `--name`/`--version`. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";

export interface Identity {
  name?: string;
  version?: string;
  /** Where they were read from. */
  source?: string;
}

/** Reads package.json, else pyproject.toml ([project], then [tool.poetry]); empty when neither says. */
export async function detectIdentity(dir: string): Promise<Identity> {
  const pkg = await readJson(join(dir, "package.json"));
  if (typeof pkg?.name === "string" || typeof pkg?.version === "string") {
    return pick(pkg?.name, pkg?.version, "package.json");
  }
  const text = await readFile(join(dir, "pyproject.toml"), "utf8").catch(() => undefined);
  if (text !== undefined) {
    try {
      const doc = parseToml(text) as Record<string, Record<string, unknown> | undefined>;
      const project = doc.project ?? {};
      const poetry = ((doc.tool ?? {}) as Record<string, Record<string, unknown> | undefined>).poetry ?? {};
      return pick(project.name ?? poetry.name, project.version ?? poetry.version, "pyproject.toml");
    } catch {
      return {};
    }
  }
  return {};
}

function pick(name: unknown, version: unknown, source: string): Identity {
  return {
    ...(typeof name === "string" && name !== "" ? { name } : {}),
    ...(typeof version === "string" && version !== "" ? { version } : {}),
    source,
  };
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(path, "utf8"));
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
