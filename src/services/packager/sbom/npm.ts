/**
 * Reads an npm `package-lock.json` (lockfile versions 2 and 3, whose `packages` map lists every
 * installed package by its location) into the inventory, resolving each dependency the way Node
 * does: the nearest `node_modules` folder up from the dependent.
 */
import { PackageURL } from "packageurl-js";
import type { HashAlg, Inventory, Scope } from "./inventory.js";

interface LockEntry {
  name?: unknown;
  version?: unknown;
  resolved?: unknown;
  integrity?: unknown;
  license?: unknown;
  link?: unknown;
  dev?: unknown;
  optional?: unknown;
  devOptional?: unknown;
  inBundle?: unknown;
  dependencies?: unknown;
  optionalDependencies?: unknown;
  peerDependencies?: unknown;
  devDependencies?: unknown;
}

const INTEGRITY_ALGS: Record<string, HashAlg> = {
  sha1: "SHA-1",
  sha256: "SHA-256",
  sha384: "SHA-384",
  sha512: "SHA-512",
};

/**
 * @param text the lockfile's contents
 * @param lockPath its path inside the application, recorded as the source of each package
 */
export function readNpmLock(text: string, lockPath: string, inventory: Inventory): void {
  let lock: { lockfileVersion?: unknown; packages?: unknown };
  try {
    lock = JSON.parse(text) as typeof lock;
  } catch (error) {
    inventory.notes.push(
      `${lockPath}: not valid JSON (${(error as Error).message}); its packages are not in the SBOM`,
    );
    return;
  }
  if (typeof lock.packages !== "object" || lock.packages === null) {
    inventory.notes.push(
      `${lockPath}: lockfileVersion ${String(lock.lockfileVersion)} has no "packages" map; run npm install with npm 7 or later to upgrade it`,
    );
    return;
  }
  inventory.sources.push(lockPath);
  const packages = lock.packages as Record<string, LockEntry>;
  const refs = new Map<string, string>();

  // Projects (the root and workspace folders) are the application itself, not components.
  const isProject = (location: string): boolean => location === "" || !location.includes("node_modules/");
  const realLocation = (location: string): string => {
    const entry = packages[location];
    return entry?.link === true && typeof entry.resolved === "string" ? entry.resolved : location;
  };

  for (const location of Object.keys(packages).sort()) {
    const entry = packages[location];
    if (entry === undefined || entry.link === true || isProject(location)) continue;
    const fullName = typeof entry.name === "string" ? entry.name : nameFromLocation(location);
    if (typeof entry.version !== "string" || entry.version === "") {
      inventory.notes.push(`${lockPath}: ${location} has no version; left out of the SBOM`);
      continue;
    }
    const [group, name] = splitScope(fullName);
    const license = licenseOf(entry.license);
    const ref = new PackageURL("npm", group ?? null, name, entry.version, null, null).toString();
    const pkg = inventory.add({
      ref,
      ecosystem: "npm",
      name,
      version: entry.version,
      scope: scopeOf(entry),
      sources: new Set([lockPath]),
      ...(group === undefined ? {} : { group }),
      ...(license === undefined ? {} : { license }),
    });
    for (const [alg, hex] of integrityHashes(entry.integrity)) pkg.hashes.set(alg, hex);
    if (entry.dev === true) pkg.properties.set("cdx:npm:package:development", "true");
    if (entry.inBundle === true) pkg.properties.set("cdx:npm:package:bundled", "true");
    if (typeof entry.resolved === "string" && /^https?:\/\//.test(entry.resolved)) {
      pkg.properties.set("qlf:npm:resolved", entry.resolved);
    }
    refs.set(location, ref);
  }

  const resolve = (from: string, dependency: string): string | undefined => {
    let base = from;
    for (;;) {
      const candidate = `${base === "" ? "" : `${base}/`}node_modules/${dependency}`;
      if (packages[candidate] !== undefined) return realLocation(candidate);
      if (base === "") return undefined;
      const cut = base.lastIndexOf("/node_modules/");
      base = cut === -1 ? "" : base.slice(0, cut);
    }
  };

  for (const location of Object.keys(packages).sort()) {
    const entry = packages[location];
    if (entry === undefined || entry.link === true) continue;
    const project = isProject(location);
    const names = new Set([
      ...keys(entry.dependencies),
      ...keys(entry.optionalDependencies),
      ...keys(entry.peerDependencies),
      ...(project ? keys(entry.devDependencies) : []),
    ]);
    for (const dependency of names) {
      const target = resolve(location, dependency);
      if (target === undefined) continue; // an optional or peer dependency that was not installed
      const targetRef = refs.get(target);
      if (targetRef === undefined) continue; // a workspace folder: part of the application
      if (project) inventory.direct.add(targetRef);
      else inventory.packages.get(refs.get(location) ?? "")?.dependsOn.add(targetRef);
    }
  }
}

function nameFromLocation(location: string): string {
  const at = location.lastIndexOf("node_modules/");
  return location.slice(at + "node_modules/".length);
}

function splitScope(fullName: string): [string | undefined, string] {
  if (fullName.startsWith("@") && fullName.includes("/")) {
    const slash = fullName.indexOf("/");
    return [fullName.slice(0, slash), fullName.slice(slash + 1)];
  }
  return [undefined, fullName];
}

function scopeOf(entry: LockEntry): Scope {
  if (entry.dev === true) return "excluded";
  if (entry.optional === true || entry.devOptional === true) return "optional";
  return "required";
}

function licenseOf(value: unknown): string | undefined {
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  if (typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string") {
    return (value as { type: string }).type;
  }
  return undefined;
}

/** `sha512-<base64>` (space-separated, possibly several) → hex digests by CycloneDX algorithm name. */
export function integrityHashes(integrity: unknown): Array<[HashAlg, string]> {
  if (typeof integrity !== "string") return [];
  const out: Array<[HashAlg, string]> = [];
  for (const token of integrity.trim().split(/\s+/)) {
    const dash = token.indexOf("-");
    const alg = INTEGRITY_ALGS[token.slice(0, dash)];
    if (dash <= 0 || alg === undefined) continue;
    const hex = Buffer.from(token.slice(dash + 1).replace(/\?.*$/, ""), "base64").toString("hex");
    if (hex !== "") out.push([alg, hex]);
  }
  return out;
}

function keys(value: unknown): string[] {
  return typeof value === "object" && value !== null ? Object.keys(value) : [];
}

/**
 * A `package.json` without a lockfile: its declared dependencies, unversioned (a range is not a
 * version), with the range kept as a property, so the SBOM still says what the app asks for.
 */
export function readPackageJson(text: string, path: string, inventory: Inventory): void {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    inventory.notes.push(`${path}: not valid JSON (${(error as Error).message})`);
    return;
  }
  inventory.sources.push(path);
  const sections: Array<[string, Scope]> = [
    ["dependencies", "required"],
    ["optionalDependencies", "optional"],
    ["peerDependencies", "required"],
    ["devDependencies", "excluded"],
  ];
  for (const [section, scope] of sections) {
    const declared = manifest[section];
    if (typeof declared !== "object" || declared === null) continue;
    for (const [fullName, range] of Object.entries(declared as Record<string, unknown>)) {
      const [group, name] = splitScope(fullName);
      const pkg = inventory.add({
        ref: new PackageURL("npm", group ?? null, name, null, null, null).toString(),
        ecosystem: "npm",
        name,
        scope,
        sources: new Set([path]),
        ...(group === undefined ? {} : { group }),
      });
      if (typeof range === "string") pkg.properties.set("qlf:npm:range", range);
      if (scope === "excluded") pkg.properties.set("cdx:npm:package:development", "true");
      inventory.direct.add(pkg.ref);
    }
  }
}
