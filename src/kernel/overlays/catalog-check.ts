/**
 * Checks that need the whole catalog, not one file: dependencies exist, they do not form a cycle,
 * and every control names rule kinds that its overlay (with its dependencies) really sets. A
 * control that no rule implements would show up in the compliance matrix as met while nothing
 * in the generated code meets it.
 */
import type { Overlay } from "./schema.js";

export interface CatalogProblem {
  code: "overlay.unknown-dependency" | "overlay.cycle" | "overlay.unimplemented-control";
  /** The overlay at fault. */
  overlay: string;
  /** Path inside that overlay. */
  path: PropertyKey[];
  message: string;
  hint: string;
}

/** Every catalog-level problem, in a deterministic order (overlays by name). Empty when the catalog is sound. */
export function catalogProblems(catalog: readonly Overlay[]): CatalogProblem[] {
  const byName = new Map(catalog.map((overlay) => [overlay.name, overlay]));
  const names = [...byName.keys()].sort();
  const problems: CatalogProblem[] = [];
  for (const name of names) {
    const overlay = byName.get(name) as Overlay;
    for (const [index, dependency] of overlay.dependencies.entries()) {
      if (!byName.has(dependency)) {
        problems.push({
          code: "overlay.unknown-dependency",
          overlay: name,
          path: ["dependencies", index],
          message: `depends on "${dependency}", which is not an overlay`,
          hint: `available overlays: ${names.join(", ")}`,
        });
      }
    }
  }
  const cycle = findCycle(names, byName);
  if (cycle !== null) {
    const first = cycle[0] as string;
    const second = cycle[1] as string;
    problems.push({
      code: "overlay.cycle",
      overlay: first,
      path: ["dependencies", (byName.get(first) as Overlay).dependencies.indexOf(second)],
      message: `dependency cycle ${cycle.join(" → ")}`,
      hint: "overlays are applied after their dependencies, so dependencies cannot loop; remove one edge",
    });
  }
  if (problems.length > 0) return problems;
  for (const name of names) {
    const overlay = byName.get(name) as Overlay;
    const kinds = new Set<string>();
    for (const member of closureOf(name, byName)) for (const rule of member.rules) kinds.add(rule.kind);
    for (const [controlIndex, control] of overlay.controls.entries()) {
      for (const [kindIndex, kind] of control.implementedBy.entries()) {
        if (kinds.has(kind)) continue;
        problems.push({
          code: "overlay.unimplemented-control",
          overlay: name,
          path: ["controls", controlIndex, "implementedBy", kindIndex],
          message: `control ${control.id} is implemented by "${kind}", but neither "${name}" nor its dependencies set a "${kind}" rule`,
          hint: `add a "${kind}" rule to the overlay, or name one of the rules it has: ${[...kinds].sort().join(", ") || "(none)"}`,
        });
      }
    }
  }
  return problems;
}

/** The overlay and everything it depends on, transitively (assumes no cycle). */
export function closureOf(name: string, byName: ReadonlyMap<string, Overlay>): Overlay[] {
  const seen = new Set<string>();
  const out: Overlay[] = [];
  const visit = (current: string) => {
    if (seen.has(current)) return;
    seen.add(current);
    const overlay = byName.get(current);
    if (overlay === undefined) return;
    out.push(overlay);
    for (const dependency of overlay.dependencies) visit(dependency);
  };
  visit(name);
  return out;
}

/** The first dependency cycle found walking names in order, as `[a, b, a]`, or null. */
export function findCycle(names: readonly string[], byName: ReadonlyMap<string, Overlay>): string[] | null {
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();
  const visit = (name: string): string[] | null => {
    if (onPath.has(name)) return [...path.slice(path.indexOf(name)), name];
    if (done.has(name)) return null;
    const overlay = byName.get(name);
    if (overlay === undefined) return null;
    path.push(name);
    onPath.add(name);
    for (const dependency of overlay.dependencies) {
      const cycle = visit(dependency);
      if (cycle !== null) return cycle;
    }
    path.pop();
    onPath.delete(name);
    done.add(name);
    return null;
  };
  for (const name of names) {
    const cycle = visit(name);
    if (cycle !== null) return cycle;
  }
  return null;
}
