/**
 * What the lockfile and manifest readers find, before it becomes CycloneDX: one record per package
 * (keyed by its purl), the edges between them, and the application's direct dependencies.
 */

export type Ecosystem = "npm" | "pypi" | "golang";
export type HashAlg = "SHA-1" | "SHA-256" | "SHA-384" | "SHA-512";
export type Scope = "required" | "optional" | "excluded";

export interface Package {
  /** The purl; also the CycloneDX bom-ref. */
  ref: string;
  ecosystem: Ecosystem;
  name: string;
  group?: string;
  version?: string;
  hashes: Map<HashAlg, string>;
  /** Distribution files with their sha256 (poetry.lock lists one per wheel or sdist). */
  distributions: Map<string, string>;
  /** An SPDX id or expression, or a free-text license name, as the lockfile records it. */
  license?: string;
  scope: Scope;
  properties: Map<string, string>;
  dependsOn: Set<string>;
  /** The lockfiles and manifests it was found in. */
  sources: Set<string>;
}

export class Inventory {
  readonly packages = new Map<string, Package>();
  readonly direct = new Set<string>();
  readonly sources: string[] = [];
  readonly notes: string[] = [];

  /** Adds or merges a package; the most required scope wins, and hashes and edges accumulate. */
  add(
    pkg: Omit<Package, "hashes" | "distributions" | "properties" | "dependsOn" | "sources"> &
      Partial<Package>,
  ): Package {
    const existing = this.packages.get(pkg.ref);
    if (existing === undefined) {
      const created: Package = {
        hashes: new Map(),
        distributions: new Map(),
        properties: new Map(),
        dependsOn: new Set(),
        sources: new Set(),
        ...pkg,
      };
      this.packages.set(pkg.ref, created);
      return created;
    }
    existing.scope = strongerScope(existing.scope, pkg.scope);
    for (const [k, v] of pkg.hashes ?? []) existing.hashes.set(k, v);
    for (const [k, v] of pkg.distributions ?? []) existing.distributions.set(k, v);
    for (const [k, v] of pkg.properties ?? []) existing.properties.set(k, v);
    for (const d of pkg.dependsOn ?? []) existing.dependsOn.add(d);
    for (const s of pkg.sources ?? []) existing.sources.add(s);
    if (existing.license === undefined && pkg.license !== undefined) existing.license = pkg.license;
    return existing;
  }
}

function strongerScope(a: Scope, b: Scope): Scope {
  const rank: Record<Scope, number> = { required: 2, optional: 1, excluded: 0 };
  return rank[a] >= rank[b] ? a : b;
}
