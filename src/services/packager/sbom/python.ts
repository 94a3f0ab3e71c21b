/**
 * Python dependencies: `requirements*.txt` (pip's format, with `--hash` options and `-r` includes),
 * `pyproject.toml` (PEP 621 `[project]` and Poetry's tables) and `poetry.lock`.
 */
import { PackageURL } from "packageurl-js";
import { parse as parseToml } from "smol-toml";
import type { HashAlg, Inventory, Package, Scope } from "./inventory.js";

/** PEP 503 normalisation: `Django_REST.framework` → `django-rest-framework`. */
export function normalizePyName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

export interface Requirement {
  name: string;
  /** The exact version when the requirement pins one (`==1.2.3` or `===1.2.3`). */
  pinned?: string;
  /** The version specifier as written (`>=2,<3`), without extras or markers. */
  constraint: string;
  url?: string;
}

/** Parses one PEP 508 requirement string; `undefined` when it is not one. */
export function parseRequirement(text: string): Requirement | undefined {
  const match = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$/.exec(text);
  if (match === null) return undefined;
  const name = match[1] ?? "";
  let rest = (match[3] ?? "").split(";")[0]?.trim() ?? "";
  if (rest.startsWith("@")) return { name, constraint: "", url: rest.slice(1).trim() };
  if (rest.startsWith("(") && rest.endsWith(")")) rest = rest.slice(1, -1).trim();
  const pin = /^===?\s*([^\s,*]+)$/.exec(rest);
  return pin?.[1] === undefined ? { name, constraint: rest } : { name, constraint: rest, pinned: pin[1] };
}

function pypiRef(name: string, version?: string): string {
  return new PackageURL("pypi", null, normalizePyName(name), version ?? null, null, null).toString();
}

function addPython(
  inventory: Inventory,
  source: string,
  name: string,
  version: string | undefined,
  scope: Scope = "required",
): Package {
  return inventory.add({
    ref: pypiRef(name, version),
    ecosystem: "pypi",
    name: normalizePyName(name),
    scope,
    sources: new Set([source]),
    ...(version === undefined ? {} : { version }),
  });
}

const PIP_HASHES: Record<string, HashAlg> = { sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512" };

/**
 * Reads a requirements file. `include` returns the text of a file named by `-r` (relative to the
 * application), or `undefined` when it is not part of the application.
 */
export function readRequirements(
  text: string,
  path: string,
  inventory: Inventory,
  include: (relPath: string) => string | undefined,
  seen: Set<string> = new Set(),
): void {
  if (seen.has(path)) return;
  seen.add(path);
  inventory.sources.push(path);
  const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/") + 1) : "";
  const logical = text.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  for (const raw of logical) {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (line === "") continue;
    const includeMatch = /^(?:-r|--requirement)(?:\s+|=)(\S+)/.exec(line);
    if (includeMatch?.[1] !== undefined) {
      const target = joinRel(dir, includeMatch[1]);
      const included = target === undefined ? undefined : include(target);
      if (target === undefined || included === undefined) {
        inventory.notes.push(`${path}: included file ${includeMatch[1]} is not part of the application`);
      } else {
        readRequirements(included, target, inventory, include, seen);
      }
      continue;
    }
    if (line.startsWith("-e") || line.startsWith("--editable")) {
      inventory.notes.push(`${path}: editable requirement "${line}" is not in the SBOM`);
      continue;
    }
    if (line.startsWith("-")) continue; // index URLs, constraints files, pip options
    const [spec = "", ...options] = line.split(/\s+--/);
    const requirement = parseRequirement(spec);
    if (requirement === undefined) {
      inventory.notes.push(`${path}: cannot read requirement "${line}"`);
      continue;
    }
    const pkg = addPython(inventory, path, requirement.name, requirement.pinned);
    if (requirement.pinned === undefined && requirement.constraint !== "") {
      pkg.properties.set("qlf:python:constraint", requirement.constraint);
    }
    if (requirement.url !== undefined) pkg.properties.set("qlf:python:url", requirement.url);
    for (const option of options) {
      const hash = /^hash[=\s]+(sha256|sha384|sha512):([0-9a-fA-F]+)/.exec(option);
      const alg = hash?.[1] === undefined ? undefined : PIP_HASHES[hash[1]];
      // pip allows several hashes (one per wheel); the component keeps the first of each algorithm
      if (alg !== undefined && hash?.[2] !== undefined && !pkg.hashes.has(alg))
        pkg.hashes.set(alg, hash[2].toLowerCase());
    }
    inventory.direct.add(pkg.ref);
  }
}

export interface Declared {
  name: string;
  constraint: string;
  scope: Scope;
}

/** The direct dependencies a `pyproject.toml` declares (PEP 621 and Poetry), without versions. */
export function readPyproject(text: string, path: string, inventory: Inventory): Declared[] {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    inventory.notes.push(`${path}: not valid TOML (${(error as Error).message.split("\n")[0]})`);
    return [];
  }
  inventory.sources.push(path);
  const declared: Declared[] = [];
  const project = table(doc.project);
  for (const spec of strings(project.dependencies)) {
    const r = parseRequirement(spec);
    if (r !== undefined) declared.push({ name: r.name, constraint: r.constraint, scope: "required" });
  }
  for (const group of Object.values(table(project["optional-dependencies"]))) {
    for (const spec of strings(group)) {
      const r = parseRequirement(spec);
      if (r !== undefined) declared.push({ name: r.name, constraint: r.constraint, scope: "optional" });
    }
  }
  const poetry = table(table(doc.tool).poetry);
  const poetryDeps = (deps: unknown, scope: Scope): void => {
    for (const [name, value] of Object.entries(table(deps))) {
      if (name.toLowerCase() === "python") continue;
      const constraint = typeof value === "string" ? value : String(table(value).version ?? "");
      declared.push({ name, constraint, scope });
    }
  };
  poetryDeps(poetry.dependencies, "required");
  poetryDeps(poetry["dev-dependencies"], "excluded");
  for (const [groupName, group] of Object.entries(table(poetry.group))) {
    poetryDeps(table(group).dependencies, groupName === "main" ? "required" : "excluded");
  }
  return declared;
}

/** Every package of a `poetry.lock`, with its files' sha256 and its dependency edges. */
export function readPoetryLock(text: string, path: string, inventory: Inventory): Map<string, string> {
  const byName = new Map<string, string>();
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    inventory.notes.push(`${path}: not valid TOML (${(error as Error).message.split("\n")[0]})`);
    return byName;
  }
  inventory.sources.push(path);
  const packages = Array.isArray(doc.package) ? doc.package.map(table) : [];
  const legacyFiles = table(table(doc.metadata).files);
  for (const entry of packages) {
    if (typeof entry.name !== "string" || typeof entry.version !== "string") continue;
    const scope: Scope =
      entry.category === "dev" ? "excluded" : entry.optional === true ? "optional" : "required";
    const pkg = addPython(inventory, path, entry.name, entry.version, scope);
    const files = Array.isArray(entry.files)
      ? entry.files
      : Array.isArray(legacyFiles[entry.name])
        ? legacyFiles[entry.name]
        : [];
    for (const file of (files as unknown[]).map(table)) {
      const hash = typeof file.hash === "string" ? /^sha256:([0-9a-f]{64})$/.exec(file.hash) : null;
      if (typeof file.file === "string" && hash?.[1] !== undefined) pkg.distributions.set(file.file, hash[1]);
    }
    byName.set(normalizePyName(entry.name), pkg.ref);
  }
  for (const entry of packages) {
    if (typeof entry.name !== "string") continue;
    const from = inventory.packages.get(byName.get(normalizePyName(entry.name)) ?? "");
    for (const dependency of Object.keys(table(entry.dependencies))) {
      const to = byName.get(normalizePyName(dependency));
      if (from !== undefined && to !== undefined) from.dependsOn.add(to);
    }
  }
  return byName;
}

/** Links a pyproject's declarations to locked packages, or records them unversioned. */
export function linkDeclared(
  declared: Declared[],
  locked: Map<string, string>,
  path: string,
  inventory: Inventory,
): void {
  for (const d of declared) {
    const ref = locked.get(normalizePyName(d.name));
    if (ref !== undefined) {
      inventory.direct.add(ref);
      continue;
    }
    const pkg = addPython(inventory, path, d.name, undefined, d.scope);
    if (d.constraint !== "") pkg.properties.set("qlf:python:constraint", d.constraint);
    inventory.direct.add(pkg.ref);
  }
}

function joinRel(dir: string, target: string): string | undefined {
  const parts = `${dir}${target}`.split("/");
  const out: string[] = [];
  for (const part of parts) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join("/");
}

function table(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
