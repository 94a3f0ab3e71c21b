/**
 * Resolution: from the overlays a brief asked for or triggered to the full set in force, with their
 * generation rules merged into one list and every conflict decided and recorded.
 *
 * How two overlays that set the same rule kind combine depends on the kind:
 * - list-valued kinds are unioned, because each overlay adds obligations and dropping one would
 *   silently lose a protection: `mark-sensitive` (fields, per mark), `audit-log` (on),
 *   `encrypt-fields` and `mask-in-logs` (marks), `idempotency-keys` (on), `consent-fields` (purposes);
 * - switches without parameters (`data-export`, `data-erasure`, `soft-delete`, `security-headers`)
 *   are simply on, listing every overlay that asked;
 * - `retention` takes the longest period, whatever the priorities: every regime that sets one
 *   states a minimum (HIPAA six years for documentation, PCI DSS a year of audit logs, AML five
 *   years of transaction records), and GDPR's storage limitation yields to a legal obligation to
 *   keep (Art. 17(3)(b)); a shorter period would break the longer obligation. Recorded as a decision;
 * - the other single-valued kinds (`rate-limit`, `decimal-money`, `require-auth`,
 *   `tokenize-card-data`) cannot be merged: the overlay with the higher priority wins (equal
 *   priorities: the name first in alphabetical order), and a `Decision` records who won over whom.
 */
import { UserInputError } from "../errors.js";
import type { OverlaySelection } from "../ir/schema.js";
import { catalogProblems } from "./catalog-check.js";
import { catalogError } from "./parse.js";
import type { Decision, ResolvedOverlays, ResolvedRule } from "./resolved.js";
import type { GenerationRule, Overlay } from "./schema.js";

const REASON_RANK: Record<OverlaySelection["reason"], number> = { requested: 0, detected: 1, dependency: 2 };

/** The selection of an overlay asked for by name (`--overlay hipaa`), with nothing detected. */
export function requestedSelection(overlay: Pick<Overlay, "name" | "kind">): OverlaySelection {
  return {
    name: overlay.name,
    kind: overlay.kind,
    confidence: 1,
    reason: "requested",
    requiredBy: null,
    evidence: [],
  };
}

/**
 * Adds the dependencies of the selected overlays, orders the overlays in force, merges their rules
 * and lists their controls.
 *
 * @throws UserInputError when a selection names an overlay the catalog does not have.
 * @throws ConfigError when the catalog itself is broken (dependency cycle, unknown dependency,
 *   control without a rule).
 * @example
 * const resolved = resolveOverlays(detectOverlays(brief, catalog), catalog);
 * resolved.rules.find(({ rule }) => rule.kind === "audit-log"); // { rule: { kind: "audit-log", on: ["phi"] }, from: ["hipaa"] }
 */
export function resolveOverlays(
  selected: readonly OverlaySelection[],
  catalog: readonly Overlay[],
): ResolvedOverlays {
  checkCatalog(catalog);
  const byName = new Map(catalog.map((overlay) => [overlay.name, overlay]));
  const unknown = [
    ...new Set(selected.map((selection) => selection.name).filter((name) => !byName.has(name))),
  ];
  if (unknown.length > 0) {
    throw new UserInputError(
      "overlay.unknown",
      `unknown overlay${unknown.length > 1 ? "s" : ""} ${unknown.map((name) => `"${name}"`).join(", ")}`,
      { hint: `available overlays: ${[...byName.keys()].sort().join(", ")}` },
    );
  }

  // One selection per name: the strongest reason, the highest confidence, all the evidence.
  const chosen = new Map<string, OverlaySelection>();
  for (const selection of selected) {
    const earlier = chosen.get(selection.name);
    chosen.set(
      selection.name,
      earlier === undefined ? { ...selection } : mergeSelections(earlier, selection),
    );
  }
  // Dependency closure, walking names in order so that `requiredBy` is deterministic.
  const queue = [...chosen.keys()].sort();
  while (queue.length > 0) {
    const name = queue.shift() as string;
    const parent = chosen.get(name) as OverlaySelection;
    for (const dependency of (byName.get(name) as Overlay).dependencies) {
      if (chosen.has(dependency)) continue;
      chosen.set(dependency, {
        name: dependency,
        kind: (byName.get(dependency) as Overlay).kind,
        confidence: parent.confidence,
        reason: "dependency",
        requiredBy: name,
        evidence: [],
      });
      queue.push(dependency);
    }
  }

  const selections = [...chosen.values()].sort((a, b) => compare(a.name, b.name));
  const overlays = selections
    .map((selection) => byName.get(selection.name) as Overlay)
    .sort((a, b) => b.priority - a.priority || compare(a.name, b.name));
  const { rules, decisions } = mergeRules(overlays);
  const controls = overlays.flatMap((overlay) =>
    overlay.controls.map((control) => ({ ...control, overlay: overlay.name })),
  );
  return { selections, overlays, rules, controls, decisions };
}

const checked = new WeakSet<readonly Overlay[]>();

function checkCatalog(catalog: readonly Overlay[]): void {
  if (checked.has(catalog)) return;
  const problem = catalogProblems(catalog)[0];
  if (problem !== undefined) throw catalogError(problem);
  checked.add(catalog);
}

function mergeSelections(a: OverlaySelection, b: OverlaySelection): OverlaySelection {
  const [strong, weak] = REASON_RANK[a.reason] <= REASON_RANK[b.reason] ? [a, b] : [b, a];
  const seen = new Set(strong.evidence.map((word) => word.toLowerCase()));
  const evidence = [...strong.evidence];
  for (const word of weak.evidence) {
    if (!seen.has(word.toLowerCase())) {
      seen.add(word.toLowerCase());
      evidence.push(word);
    }
  }
  return { ...strong, confidence: Math.max(a.confidence, b.confidence), evidence };
}

interface Slot {
  rule: GenerationRule;
  from: string[];
  /** Overlays whose different value lost, for single-valued kinds. */
  over: string[];
}

/** Merges rules across overlays already sorted by priority (highest first), then name. */
function mergeRules(overlays: readonly Overlay[]): { rules: ResolvedRule[]; decisions: Decision[] } {
  const slots = new Map<string, Slot>();
  const priority = new Map(overlays.map((overlay) => [overlay.name, overlay.priority]));
  for (const overlay of overlays) {
    for (const rule of overlay.rules) {
      const key = rule.kind === "mark-sensitive" ? `${rule.kind}:${rule.mark}` : rule.kind;
      const slot = slots.get(key);
      if (slot === undefined) {
        slots.set(key, { rule: cloneRule(rule), from: [overlay.name], over: [] });
        continue;
      }
      const merged = unionRule(slot.rule, rule);
      if (merged !== null) {
        slot.rule = merged;
        addOnce(slot.from, overlay.name);
      } else if (sameRule(slot.rule, rule)) {
        addOnce(slot.from, overlay.name);
      } else if (slot.rule.kind === "retention" && rule.kind === "retention") {
        // Longest wins (see the header): the earlier holders lose to a longer period.
        if (rule.days > slot.rule.days) {
          slot.over = [...slot.over, ...slot.from];
          slot.from = [overlay.name];
          slot.rule = cloneRule(rule);
        } else {
          addOnce(slot.over, overlay.name);
        }
      } else {
        // Single-valued and different: the slot holds the higher-priority value already.
        addOnce(slot.over, overlay.name);
      }
    }
  }
  const rules: ResolvedRule[] = [];
  const decisions: Decision[] = [];
  for (const slot of slots.values()) {
    rules.push({ rule: slot.rule, from: slot.from });
    if (slot.over.length === 0) continue;
    const winner = slot.from[0] as string;
    const losers = slot.over
      .map((name) => {
        const rule = overlays
          .find((overlay) => overlay.name === name)
          ?.rules.find((r) => r.kind === slot.rule.kind);
        return `${name} (priority ${priority.get(name)}: ${describeParams(rule)})`;
      })
      .join(", ");
    const tie = slot.over.some((name) => priority.get(name) === priority.get(winner));
    const why =
      slot.rule.kind === "retention"
        ? "the longest period wins, since each overlay's period is a minimum some obligation requires"
        : tie
          ? "equal priority, so the name first in alphabetical order wins"
          : "the higher priority wins";
    decisions.push({
      kind: "rule",
      rule: slot.rule.kind,
      key: slot.rule.kind === "mark-sensitive" ? slot.rule.mark : null,
      chosen: winner,
      over: slot.over,
      reason:
        `${slot.rule.kind}: kept ${describeParams(slot.rule)} from ${winner} (priority ${priority.get(winner)}) ` +
        `over ${losers}; ${why}`,
    });
  }
  return { rules, decisions };
}

/** The union of two rules of a list-valued kind, or null when the kind is not list-valued. */
function unionRule(current: GenerationRule, next: GenerationRule): GenerationRule | null {
  switch (current.kind) {
    case "mark-sensitive":
      return next.kind === current.kind ? { ...current, fields: union(current.fields, next.fields) } : null;
    case "audit-log":
      return next.kind === current.kind ? { ...current, on: union(current.on, next.on) } : null;
    case "encrypt-fields":
      return next.kind === current.kind ? { ...current, marks: union(current.marks, next.marks) } : null;
    case "mask-in-logs":
      return next.kind === current.kind ? { ...current, marks: union(current.marks, next.marks) } : null;
    case "idempotency-keys":
      return next.kind === current.kind ? { ...current, on: union(current.on, next.on) } : null;
    case "consent-fields":
      return next.kind === current.kind
        ? { ...current, purposes: union(current.purposes, next.purposes) }
        : null;
    default:
      return null;
  }
}

function union<T>(a: readonly T[], b: readonly T[]): T[] {
  const out = [...a];
  for (const item of b) if (!out.includes(item)) out.push(item);
  return out;
}

/** A copy that shares no array with the catalog (rules are flat: scalars and arrays of scalars). */
function cloneRule(rule: GenerationRule): GenerationRule {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rule)) copy[key] = Array.isArray(value) ? [...value] : value;
  return copy as GenerationRule;
}

function sameRule(a: GenerationRule, b: GenerationRule): boolean {
  return canonical(a) === canonical(b);
}

/** JSON with keys sorted, so that key order in the YAML file does not make two equal rules differ. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => compare(a, b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function describeParams(rule: GenerationRule | undefined): string {
  if (rule === undefined) return "?";
  const { kind: _kind, ...params } = rule;
  const entries = Object.entries(params);
  return entries.length === 0
    ? "on"
    : entries.map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(" ");
}

function addOnce(list: string[], name: string): void {
  if (!list.includes(name)) list.push(name);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
