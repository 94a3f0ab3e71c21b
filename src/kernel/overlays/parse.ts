/**
 * Overlay files → validated `Overlay` values. Pure: the caller reads the files (see
 * `src/services/overlay-files.ts`) and passes their text in.
 *
 * Every failure is a `ConfigError` that says which file, where in it (line and column, and the
 * field path for schema errors), what was found and what was expected, because the person reading
 * it is editing a YAML file by hand.
 */

import { isMap, isPair, isScalar, LineCounter, type Node, parseDocument } from "yaml";
import type { z } from "zod";
import { editDistance } from "../edit-distance.js";
import { ConfigError } from "../errors.js";
import { type CatalogProblem, catalogProblems } from "./catalog-check.js";
import { patternProblem } from "./pattern-guard.js";
import type { Decision } from "./resolved.js";
import { type GenerationRuleKind, Overlay } from "./schema.js";

/** One overlay file: where it came from (for messages) and its text. */
export interface OverlaySource {
  readonly path: string;
  readonly text: string;
}

/** Overlay files are hand-written and small; anything bigger is a mistake or an attack. */
export const MAX_OVERLAY_BYTES = 256 * 1024;
/** Aliases are legal YAML, but a few hundred of them only serve to expand a document exponentially. */
const MAX_ALIAS_COUNT = 100;

/** Rule kinds an overlay may set only once: two values of one of these in one file contradict each other. */
const SINGLE_VALUED: ReadonlySet<GenerationRuleKind> = new Set([
  "tokenize-card-data",
  "decimal-money",
  "retention",
  "rate-limit",
  "require-auth",
]);

interface Located {
  overlay: Overlay;
  /** 1-based line and column of the node at `path`, or of its nearest ancestor that exists. */
  locate(path: readonly PropertyKey[]): { line: number; column: number } | undefined;
}

/**
 * Parses and validates one overlay file.
 *
 * @throws ConfigError with `file`, `line`, `column` and, for schema errors, `fieldPath`.
 * @example
 * const hipaa = parseOverlay({ path: "overlays/compliance/hipaa.yaml", text });
 * hipaa.controls.map((control) => control.id); // ["164.312(a)(1)", …]
 */
export function parseOverlay(source: OverlaySource): Overlay {
  return parseLocated(source).overlay;
}

function parseLocated(source: OverlaySource): Located {
  const file = source.path;
  if (source.text.length > MAX_OVERLAY_BYTES) {
    throw new ConfigError(
      "overlay.too-large",
      `overlay file is larger than ${MAX_OVERLAY_BYTES / 1024} KiB`,
      {
        file,
        hint: "an overlay is a short hand-written YAML file; split or trim it",
      },
    );
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    const start = syntax.linePos?.[0];
    throw new ConfigError("overlay.yaml", `invalid YAML: ${firstLine(syntax.message)}`, {
      file,
      ...(start === undefined ? {} : { line: start.line, column: start.col }),
      hint: "fix the YAML syntax at that position (indentation, a missing `:` or closing bracket)",
    });
  }
  if (doc.contents === null) {
    throw new ConfigError("overlay.empty", "overlay file is empty", {
      file,
      hint: "an overlay needs name, kind, version, title, description, detection, dependencies, priority, prompts, rules and controls (see `qlf schema overlay`)",
    });
  }
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (!isMap(doc.contents)) {
    throw new ConfigError(
      "overlay.not-a-mapping",
      "an overlay file must be a YAML mapping of keys to values",
      {
        file,
        ...(doc.contents.range === undefined ? {} : position(doc.contents.range[0])),
        hint: "start the file with `name: my-overlay` and the other top-level keys (see `qlf schema overlay`)",
      },
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = (error as Error).message;
    const bomb = /excessive alias count/i.test(message);
    throw new ConfigError(
      bomb ? "overlay.alias-bomb" : "overlay.yaml",
      bomb
        ? `refused: the YAML aliases expand to too many nodes (limit ${MAX_ALIAS_COUNT}); this is the shape of a "billion laughs" attack`
        : `invalid YAML: ${message}`,
      { file, hint: "write the values out instead of using anchors and aliases (&name / *name)" },
    );
  }
  const locate = (path: readonly PropertyKey[]) => {
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node = doc.getIn(path.slice(0, depth) as unknown[], true) as Node | undefined;
      if (node?.range !== undefined && node.range !== null) return position(node.range[0]);
    }
    return undefined;
  };
  const locateKey = (path: readonly PropertyKey[], key: string) => {
    const parent = path.length === 0 ? doc.contents : doc.getIn(path as unknown[], true);
    if (isMap(parent)) {
      for (const pair of parent.items) {
        if (isPair(pair) && isScalar(pair.key) && pair.key.value === key && pair.key.range) {
          return position(pair.key.range[0]);
        }
      }
    }
    return locate(path);
  };

  const parsed = Overlay.safeParse(data);
  if (!parsed.success) {
    // An unknown key usually is a misspelt known one, which is then also reported missing:
    // report the unknown key, with the missing one as the suggestion.
    const issues = [...parsed.error.issues].sort(
      (a, b) => Number(b.code === "unrecognized_keys") - Number(a.code === "unrecognized_keys"),
    );
    const issue = issues[0] as z.core.$ZodIssue;
    const more =
      issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
    const unknownKey = issue.code === "unrecognized_keys" ? issue.keys[0] : undefined;
    const path = unknownKey === undefined ? issue.path : [...issue.path, unknownKey];
    const where = unknownKey === undefined ? locate(issue.path) : locateKey(issue.path, unknownKey);
    throw new ConfigError(
      "overlay.schema",
      `${fieldPathOf(path)}: ${describeIssue(issue, issues, data)}${more}`,
      {
        file,
        fieldPath: fieldPathOf(path),
        ...(where ?? {}),
        hint:
          unknownKey === undefined
            ? "see `qlf schema overlay` for every field and its type"
            : "check the spelling; `qlf schema overlay` lists every allowed key",
      },
    );
  }
  const overlay = parsed.data;
  const semantic = overlayProblems(overlay);
  if (semantic !== null) {
    throw new ConfigError("overlay.invalid", `${fieldPathOf(semantic.path)}: ${semantic.message}`, {
      file,
      fieldPath: fieldPathOf(semantic.path),
      ...(locate(semantic.path) ?? {}),
    });
  }
  return { overlay, locate };
}

/** Checks one overlay can pass on its own, beyond its schema. */
function overlayProblems(overlay: Overlay): { path: PropertyKey[]; message: string } | null {
  for (const [index, { pattern }] of overlay.detection.patterns.entries()) {
    const problem = patternProblem(pattern);
    if (problem !== null) {
      return {
        path: ["detection", "patterns", index, "pattern"],
        message: `pattern ${JSON.stringify(pattern)}: ${problem}`,
      };
    }
  }
  for (const [ruleIndex, rule] of overlay.rules.entries()) {
    if (rule.kind !== "mark-sensitive") continue;
    for (const [index, pattern] of rule.fields.entries()) {
      const problem = patternProblem(pattern);
      if (problem !== null) {
        return {
          path: ["rules", ruleIndex, "fields", index],
          message: `field pattern ${JSON.stringify(pattern)}: ${problem}`,
        };
      }
    }
  }
  const seenIds = new Map<string, number>();
  for (const [index, control] of overlay.controls.entries()) {
    const first = seenIds.get(control.id);
    if (first !== undefined) {
      return {
        path: ["controls", index, "id"],
        message: `control id "${control.id}" is already used by controls[${first}]`,
      };
    }
    seenIds.set(control.id, index);
  }
  const seenKinds = new Map<string, number>();
  for (const [index, rule] of overlay.rules.entries()) {
    if (!SINGLE_VALUED.has(rule.kind)) continue;
    const first = seenKinds.get(rule.kind);
    if (first !== undefined) {
      return {
        path: ["rules", index, "kind"],
        message: `"${rule.kind}" is already set by rules[${first}]; set it once`,
      };
    }
    seenKinds.set(rule.kind, index);
  }
  const dependencies = new Set<string>();
  for (const [index, dependency] of overlay.dependencies.entries()) {
    if (dependency === overlay.name) {
      return {
        path: ["dependencies", index],
        message: `an overlay cannot depend on itself ("${dependency}")`,
      };
    }
    if (dependencies.has(dependency)) {
      return { path: ["dependencies", index], message: `"${dependency}" is listed twice` };
    }
    dependencies.add(dependency);
  }
  return null;
}

/**
 * Builds the overlay catalog: the shipped overlays, then a repository's own, which add new overlays
 * or replace shipped ones of the same name (each replacement is recorded as a decision). The whole
 * catalog is then checked: every dependency exists, there is no dependency cycle, and every control
 * is implemented by a rule that the overlay or its dependencies set.
 *
 * @throws ConfigError for any invalid file, for two files of one set defining the same name, and
 *   for catalog-level problems (located in the file of the overlay at fault).
 * @example
 * const { catalog, decisions } = loadOverlayCatalog(shippedSources, repoSources);
 */
export function loadOverlayCatalog(
  shipped: readonly OverlaySource[],
  repo: readonly OverlaySource[],
): { catalog: Overlay[]; decisions: Decision[] } {
  const entries = new Map<string, Located & { file: string }>();
  const decisions: Decision[] = [];
  for (const [set, sources] of [
    ["shipped", shipped],
    ["repository", repo],
  ] as const) {
    const names = new Map<string, string>();
    for (const source of [...sources].sort((a, b) => compare(a.path, b.path))) {
      const located = parseLocated(source);
      const name = located.overlay.name;
      const earlier = names.get(name);
      if (earlier !== undefined) {
        throw new ConfigError("overlay.duplicate", `overlay "${name}" is also defined in ${earlier}`, {
          file: source.path,
          fieldPath: "name",
          ...(located.locate(["name"]) ?? {}),
          hint: `each ${set} overlay needs its own name; rename or delete one of the two files`,
        });
      }
      names.set(name, source.path);
      const replaced = entries.get(name);
      if (replaced !== undefined) {
        decisions.push({
          kind: "override",
          overlay: name,
          chosen: source.path,
          over: [replaced.file],
          reason: `the repository's overlay "${name}" replaces the shipped one of the same name`,
        });
      }
      entries.set(name, { ...located, file: source.path });
    }
  }
  const catalog = [...entries.values()].map((entry) => entry.overlay).sort((a, b) => compare(a.name, b.name));
  const problem = catalogProblems(catalog)[0];
  if (problem !== undefined) {
    const entry = entries.get(problem.overlay);
    throw catalogError(problem, entry?.file, entry?.locate(problem.path));
  }
  return { catalog, decisions };
}

/** A catalog-level problem as a `ConfigError`, located when the file is known. */
export function catalogError(
  problem: CatalogProblem,
  file?: string,
  where?: { line: number; column: number },
): ConfigError {
  const fieldPath = fieldPathOf(problem.path);
  const message = `overlay "${problem.overlay}", ${fieldPath}: ${problem.message}`;
  // Without a file the field path is in the message only: a bare path would read as a location.
  if (file === undefined) return new ConfigError(problem.code, message, { hint: problem.hint });
  return new ConfigError(problem.code, message, { file, ...(where ?? {}), fieldPath, hint: problem.hint });
}

/** `["rules", 2, "kind"]` → `rules[2].kind`; the empty path is the top level. */
export function fieldPathOf(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out === "" ? "(top level)" : out;
}

function describeIssue(issue: z.core.$ZodIssue, issues: readonly z.core.$ZodIssue[], data: unknown): string {
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    // Keys that the same object is missing are the likely intended spelling.
    const missing = issues
      .filter(
        (other) =>
          other.code === "invalid_type" &&
          other.path.length === issue.path.length + 1 &&
          issue.path.every((part, index) => other.path[index] === part) &&
          valueAt(data, other.path) === undefined,
      )
      .map((other) => String(other.path[other.path.length - 1]));
    const others = issue.keys.length > 1 ? ` (also unknown: ${issue.keys.slice(1).join(", ")})` : "";
    return `unknown key${others}${suggest(key, missing)}`;
  }
  const value = valueAt(data, issue.path);
  if (value === undefined) {
    return issue.code === "invalid_type"
      ? `missing (expected ${issue.expected})`
      : `missing (${lowerFirst(issue.message)})`;
  }
  const options =
    issue.code === "invalid_value"
      ? issue.values.map(String)
      : issue.code === "invalid_union" && "options" in issue && Array.isArray(issue.options)
        ? (issue.options as unknown[]).map(String)
        : [];
  return `${lowerFirst(issue.message)}; found ${show(value)}${typeof value === "string" ? suggest(value, options) : ""}`;
}

/** `; did you mean "x"?` for the closest candidate within a few edits, or nothing. */
function suggest(word: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === undefined ? "" : `; did you mean "${best}"?`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).replace(/ at line \d+, column \d+:?$/, "");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
