/**
 * Loads the configuration from its layers and remembers where every value came from, so that
 * `qlf config show` can say it and an invalid value is reported at its source (file:line, the
 * environment variable, or the flag).
 */
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { isMap, isPair, isScalar, LineCounter, type Node, parseDocument } from "yaml";
import { ConfigError } from "../../kernel/index.js";
import { defaultConfig, QlfConfig, SECRET_PATHS } from "./config-schema.js";

export type ConfigSource =
  | { readonly kind: "default" }
  | { readonly kind: "user-file" | "project-file"; readonly file: string; readonly line: number }
  | { readonly kind: "env"; readonly name: string }
  | { readonly kind: "flag"; readonly name: string };

export interface ConfigFile {
  readonly path: string;
  readonly text: string;
}

/** What the CLI's flags can set. */
export interface ConfigFlags {
  readonly provider?: string | undefined;
  readonly model?: string | undefined;
  readonly budgetUsd?: string | number | undefined;
  /** `--no-cache` gives false. */
  readonly cache?: boolean | undefined;
}

export interface ConfigLayers {
  /** Where `~` points, for the default cache directory. */
  readonly home: string;
  readonly userFile?: ConfigFile | undefined;
  /** In increasing precedence, e.g. `.github/qlf.yml` then `.qlf.yml`. */
  readonly projectFiles?: readonly ConfigFile[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly flags?: ConfigFlags;
}

export interface EffectiveConfig {
  readonly config: QlfConfig;
  /** Source of each leaf value, by path (see `pathKey`). */
  readonly sources: ReadonlyMap<string, ConfigSource>;
}

type Path = readonly string[];
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const MAX_CONFIG_BYTES = 256 * 1024;

/** `llm.models["anthropic.claude-3"].inputPer1k`: dotted, with brackets for keys that need them. */
export function pathKey(parts: Path): string {
  return parts
    .map((part, index) =>
      /^[A-Za-z_][A-Za-z0-9_-]*$/.test(part)
        ? `${index === 0 ? "" : "."}${part}`
        : /^\d+$/.test(part)
          ? `[${part}]`
          : `[${JSON.stringify(part)}]`,
    )
    .join("");
}

/**
 * Resolves the layers into the effective configuration. Pure: the caller reads files and env.
 *
 * @throws ConfigError naming the file and line, variable or flag of an invalid value.
 * @example
 * const { config, sources } = resolveConfig({ home: "/home/me", env: process.env, flags: { provider: "openai" } });
 */
export function resolveConfig(layers: ConfigLayers): EffectiveConfig {
  const sources = new Map<string, ConfigSource>();
  let merged = defaultConfig(layers.home) as unknown as Json;
  walkLeaves(merged, [], (leaf) => sources.set(pathKey(leaf), { kind: "default" }));

  if (layers.userFile !== undefined) merged = mergeFile(merged, sources, layers.userFile, "user-file");
  for (const file of layers.projectFiles ?? []) merged = mergeFile(merged, sources, file, "project-file");
  const env = layers.env ?? {};
  for (const [parts, value, source] of envValues(env)) merged = setIn(merged, sources, parts, value, source);
  const envModel = env.QLF_MODEL?.trim();
  if (envModel !== undefined && envModel !== "" && layers.flags?.model === undefined) {
    const providers =
      layers.flags?.provider === undefined ? providersOf(merged) : providerList(layers.flags.provider);
    merged = setIn(merged, sources, modelPath(providers, "QLF_MODEL"), envModel, {
      kind: "env",
      name: "QLF_MODEL",
    });
  }
  for (const [parts, value, source] of flagValues(layers.flags ?? {}, merged)) {
    merged = setIn(merged, sources, parts, value, source);
  }

  const parsed = QlfConfig.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const parts = (issue?.path ?? []).map(String);
    const unknownKey = issue?.code === "unrecognized_keys" ? issue.keys[0] : undefined;
    const at = unknownKey === undefined ? parts : [...parts, unknownKey];
    const source = sourceOf(sources, at);
    const what =
      unknownKey === undefined ? (issue?.message ?? "invalid value") : `unknown key "${unknownKey}"`;
    throw configError("config.invalid", `${pathKey(at)}: ${what}`, source, {
      hint: "see the configuration reference in src/services/llm/config-schema.ts (qlf config show prints the effective values)",
    });
  }
  return { config: parsed.data, sources };
}

/**
 * Reads the user file (`$XDG_CONFIG_HOME/qlf/config.yaml`, else `~/.config/qlf/config.yaml`) and
 * the project file(s) of `cwd` (`.github/qlf.yml` then `.qlf.yml`), then resolves.
 */
export async function loadConfig(options: {
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly flags?: ConfigFlags;
  readonly home?: string;
}): Promise<EffectiveConfig & { readonly files: readonly string[] }> {
  const env = options.env ?? process.env;
  const home = options.home ?? os.homedir();
  const userPath = path.join(env.XDG_CONFIG_HOME ?? path.join(home, ".config"), "qlf", "config.yaml");
  const userFile = await readOptional(userPath);
  const projectFiles: ConfigFile[] = [];
  for (const name of [path.join(".github", "qlf.yml"), ".qlf.yml"]) {
    const found = await readOptional(path.join(options.cwd, name));
    if (found !== undefined) projectFiles.push({ path: name, text: found.text });
  }
  const effective = resolveConfig({
    home,
    userFile,
    projectFiles,
    env,
    ...(options.flags === undefined ? {} : { flags: options.flags }),
  });
  return {
    ...effective,
    files: [...(userFile === undefined ? [] : [userFile.path]), ...projectFiles.map((f) => f.path)],
  };
}

async function readOptional(file: string): Promise<ConfigFile | undefined> {
  try {
    const text = await readFile(file, "utf8");
    if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) {
      throw new ConfigError(
        "config.too-large",
        `configuration file is larger than ${MAX_CONFIG_BYTES / 1024} KiB`,
        { file },
      );
    }
    return { path: file, text };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(
      "config.unreadable",
      `cannot read the configuration file: ${(error as Error).message}`,
      { file },
    );
  }
}

function mergeFile(
  merged: Json,
  sources: Map<string, ConfigSource>,
  file: ConfigFile,
  kind: "user-file" | "project-file",
): Json {
  const lineCounter = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    const start = syntax.linePos?.[0];
    throw new ConfigError("config.yaml", `invalid YAML: ${syntax.message.split("\n")[0]}`, {
      file: file.path,
      ...(start === undefined ? {} : { line: start.line, column: start.col }),
    });
  }
  if (doc.contents === null) return merged; // an empty file sets nothing
  if (!isMap(doc.contents)) {
    throw new ConfigError(
      "config.not-a-mapping",
      "a configuration file must be a YAML mapping (e.g. `llm:`)",
      {
        file: file.path,
      },
    );
  }
  let data: Json;
  try {
    data = doc.toJS({ maxAliasCount: 50 }) as Json;
  } catch (error) {
    throw new ConfigError("config.yaml", `invalid YAML: ${(error as Error).message}`, { file: file.path });
  }
  const lineOf = (parts: Path): number => {
    for (let depth = parts.length; depth > 0; depth--) {
      const parent = depth === 1 ? doc.contents : doc.getIn(parts.slice(0, depth - 1), true);
      if (isMap(parent)) {
        for (const pair of parent.items) {
          if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === parts[depth - 1]) {
            const range = (pair.key as Node).range;
            if (range) return lineCounter.linePos(range[0]).line;
          }
        }
      }
    }
    return 1;
  };
  let out = merged;
  walkLeaves(data, [], (parts, value) => {
    const source: ConfigSource = { kind, file: file.path, line: lineOf(parts) };
    if (kind === "project-file" && SECRET_PATHS.has(pathKey(parts))) {
      throw configError(
        "config.secret-in-project",
        `${pathKey(parts)} is a secret and must not be in a project file (it would be committed)`,
        source,
        { hint: `set it in the environment (${secretEnv(pathKey(parts))}) or in ~/.config/qlf/config.yaml` },
      );
    }
    out = setIn(out, sources, parts, value, source);
  });
  return out;
}

/** Calls `visit` for every leaf: scalars, arrays (replaced whole), and empty objects. */
function walkLeaves(value: Json, parts: string[], visit: (parts: Path, value: Json) => void): void {
  if (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) walkLeaves(child, [...parts, key], visit);
    return;
  }
  if (parts.length > 0) visit(parts, value);
}

function setIn(
  root: Json,
  sources: Map<string, ConfigSource>,
  parts: Path,
  value: Json,
  source: ConfigSource,
): Json {
  const top: Json = isRecord(root) ? { ...root } : {};
  let node = top as Record<string, Json>;
  for (const part of parts.slice(0, -1)) {
    const child = node[part];
    const copy: Json = isRecord(child) ? { ...child } : {};
    node[part] = copy;
    node = copy as Record<string, Json>;
  }
  node[parts[parts.length - 1] as string] = value;
  // A value replaces everything under it (an object set wholesale, e.g. from YAML `azure: null`).
  const prefix = pathKey(parts);
  for (const key of [...sources.keys()])
    if (key.startsWith(`${prefix}.`) || key.startsWith(`${prefix}[`)) sources.delete(key);
  sources.set(prefix, source);
  return top;
}

function isRecord(value: Json | undefined): value is { [key: string]: Json } {
  return value !== null && value !== undefined && typeof value === "object" && !Array.isArray(value);
}

/** The source of `parts` or of its nearest ancestor that has one. */
function sourceOf(sources: ReadonlyMap<string, ConfigSource>, parts: Path): ConfigSource {
  for (let depth = parts.length; depth > 0; depth--) {
    const found = sources.get(pathKey(parts.slice(0, depth)));
    if (found !== undefined) return found;
  }
  // Not set by any layer under this path: look for the layer that set something below it.
  const prefix = pathKey(parts);
  for (const [key, source] of sources) if (key.startsWith(prefix) && source.kind !== "default") return source;
  return { kind: "default" };
}

/** `file.yml:12`, `environment variable QLF_MODEL`, `flag --model`, `default`. */
export function describeSource(source: ConfigSource): string {
  switch (source.kind) {
    case "default":
      return "default";
    case "user-file":
    case "project-file":
      return `${source.file}:${source.line}`;
    case "env":
      return `env ${source.name}`;
    case "flag":
      return `flag --${source.name}`;
  }
}

function configError(
  code: string,
  message: string,
  source: ConfigSource,
  extra: { hint?: string } = {},
): ConfigError {
  if (source.kind === "user-file" || source.kind === "project-file") {
    return new ConfigError(code, message, { file: source.file, line: source.line, column: 1, ...extra });
  }
  const from = source.kind === "default" ? "" : ` (from ${describeSource(source)})`;
  return new ConfigError(code, `${message}${from}`, extra);
}

const ENV_STRINGS: ReadonlyArray<readonly [string, Path]> = [
  ["QLF_CACHE_DIR", ["llm", "cache", "dir"]],
  ["REDIS_URL", ["llm", "cache", "redisUrl"]],
  ["QLF_BEDROCK_MODEL", ["llm", "bedrock", "model"]],
  ["AWS_REGION", ["llm", "bedrock", "region"]],
  ["AZURE_OPENAI_ENDPOINT", ["llm", "azure", "endpoint"]],
  ["AZURE_OPENAI_DEPLOYMENT", ["llm", "azure", "deployment"]],
  ["OPENAI_API_VERSION", ["llm", "azure", "apiVersion"]],
  ["AZURE_OPENAI_API_KEY", ["llm", "azure", "apiKey"]],
  ["AZURE_OPENAI_AD_TOKEN", ["llm", "azure", "adToken"]],
  ["QLF_OPENAI_MODEL", ["llm", "openai", "model"]],
  ["OPENAI_BASE_URL", ["llm", "openai", "baseUrl"]],
  ["OPENAI_API_KEY", ["llm", "openai", "apiKey"]],
];

function secretEnv(key: string): string {
  return ENV_STRINGS.find(([, parts]) => pathKey(parts) === key)?.[0] ?? "an environment variable";
}

function envValues(env: Readonly<Record<string, string | undefined>>): Array<[Path, Json, ConfigSource]> {
  const out: Array<[Path, Json, ConfigSource]> = [];
  const set = (name: string, parts: Path, value: Json) => out.push([parts, value, { kind: "env", name }]);
  const present = (name: string) => {
    const value = env[name];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };
  const region = present("AWS_REGION") === undefined ? "AWS_DEFAULT_REGION" : "AWS_REGION";
  for (const [name, parts] of ENV_STRINGS) {
    const actual = name === "AWS_REGION" ? region : name;
    const value = present(actual);
    if (value !== undefined) set(actual, parts, value);
  }
  const provider = present("QLF_PROVIDER");
  if (provider !== undefined) set("QLF_PROVIDER", ["llm", "providers"], providerList(provider));
  const budget = present("QLF_BUDGET_USD");
  if (budget !== undefined) set("QLF_BUDGET_USD", ["llm", "budgetUsd"], number(budget));
  const noCache = present("QLF_NO_CACHE");
  if (noCache !== undefined && !/^(?:0|false|no)$/i.test(noCache))
    set("QLF_NO_CACHE", ["llm", "cache", "enabled"], false);
  return out;
}

/**
 * Where `--model` (and QLF_MODEL) go: the model of the first LLM provider in the list (the
 * deployment for Azure).
 */
function modelPath(providers: readonly string[], from: string): Path {
  const first = providers.find((provider) => provider !== "template");
  if (first === undefined || !["bedrock", "azure", "openai"].includes(first)) {
    throw new ConfigError("config.model-without-provider", `${from} needs an LLM provider to apply to`, {
      hint: "add --provider bedrock|azure|openai (or set llm.providers)",
    });
  }
  return ["llm", first, first === "azure" ? "deployment" : "model"];
}

function flagValues(flags: ConfigFlags, merged: Json): Array<[Path, Json, ConfigSource]> {
  const out: Array<[Path, Json, ConfigSource]> = [];
  let providers = providersOf(merged);
  if (flags.provider !== undefined) {
    providers = providerList(flags.provider);
    out.push([["llm", "providers"], providers, { kind: "flag", name: "provider" }]);
  }
  if (flags.model !== undefined) {
    out.push([modelPath(providers, "--model"), flags.model, { kind: "flag", name: "model" }]);
  }
  if (flags.budgetUsd !== undefined) {
    out.push([["llm", "budgetUsd"], number(String(flags.budgetUsd)), { kind: "flag", name: "budget-usd" }]);
  }
  if (flags.cache === false)
    out.push([["llm", "cache", "enabled"], false, { kind: "flag", name: "no-cache" }]);
  return out;
}

function providersOf(merged: Json): string[] {
  const llm = isRecord(merged) ? merged.llm : undefined;
  const list = isRecord(llm) ? llm.providers : undefined;
  return Array.isArray(list) ? list.map(String) : [];
}

/** `bedrock,azure` → ["bedrock", "azure"]; invalid names are left for the schema to report. */
function providerList(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** A number, or the original text (which the schema then reports as "expected number"). */
function number(text: string): Json {
  return /^\d+(?:\.\d+)?$/.test(text.trim()) ? Number(text) : text;
}

/** The value with secrets masked: `****` (Redis URLs keep host and port). */
export function maskSecret(key: string, value: unknown): unknown {
  if (!SECRET_PATHS.has(key) || value === null || value === undefined) return value;
  if (key === "llm.cache.redisUrl" && typeof value === "string") {
    try {
      const url = new URL(value);
      if (url.password !== "") url.password = "****";
      if (url.username !== "" && url.password === "") url.username = "****";
      return url.toString();
    } catch {
      return "****";
    }
  }
  return "****";
}

/** Every leaf of the effective configuration with its masked value and source, in path order. */
export function configEntries(
  effective: EffectiveConfig,
): Array<{ key: string; value: unknown; source: ConfigSource }> {
  const entries: Array<{ key: string; value: unknown; source: ConfigSource }> = [];
  walkLeaves(effective.config as unknown as Json, [], (parts, value) => {
    const key = pathKey(parts);
    entries.push({ key, value: maskSecret(key, value), source: sourceOf(effective.sources, parts) });
  });
  return entries;
}
