/**
 * Finds `qlf:control` / `qlf:test` markers in a generated tree (see stack.ts for the convention)
 * and traces each control to the lines that implement and test it.
 */
import type { ControlInput } from "./stack.js";
import type { GeneratedFile } from "./tree.js";

export interface MarkerLocation {
  readonly kind: "control" | "test";
  readonly rule: string;
  readonly path: string;
  /** 1-based line of the implementing (or testing) code. */
  readonly line: number;
}

const MARKER = /(?:\/\/|#|--|<!--|\/\*)\s*qlf:(control|test)((?:\s+[a-z][a-z0-9-]*)+)/;
const COMMENT_ONLY = /^\s*(?:\/\/|#|--|<!--|\/\*|\*)/;

/** Every marker in the tree, in path then line order. Markdown files are documentation, not code. */
export function scanMarkers(files: readonly GeneratedFile[]): MarkerLocation[] {
  const found: MarkerLocation[] = [];
  for (const file of files) {
    if (file.path.endsWith(".md")) continue;
    if (!file.content.includes("qlf:")) continue;
    const lines = file.content.split("\n");
    lines.forEach((text, index) => {
      const match = MARKER.exec(text);
      if (match === null) return;
      let line = index + 1;
      if (COMMENT_ONLY.test(text)) {
        // A marker alone on its line points at the next line that is neither blank nor a comment.
        let next = index + 1;
        while (next < lines.length && (lines[next]?.trim() === "" || COMMENT_ONLY.test(lines[next] ?? "")))
          next++;
        if (next < lines.length) line = next + 1;
      }
      const kind = match[1] === "test" ? "test" : "control";
      for (const rule of (match[2] ?? "").trim().split(/\s+/)) {
        found.push({ kind, rule, path: file.path, line });
      }
    });
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
}

export interface ControlTrace {
  readonly control: ControlInput;
  /** Implementing locations, per rule kind the control names. */
  readonly implementations: readonly MarkerLocation[];
  readonly tests: readonly MarkerLocation[];
  /** Rule kinds of the control with no implementing marker (applicable kinds only). */
  readonly missingImplementation: readonly string[];
  /** Rule kinds of the control with no test marker (applicable kinds only). */
  readonly missingTest: readonly string[];
  /** Rule kinds with nothing to act on in this application, with why (e.g. no card field). */
  readonly notApplicable: ReadonlyArray<{ readonly kind: string; readonly reason: string }>;
  /** Every rule kind of the control has nothing to act on: the control does not apply here. */
  readonly applicable: boolean;
  /** True when some applicable rule kind lacks an implementation or a test. */
  readonly gap: boolean;
}

/**
 * Traces each control to its markers. A control is a gap when any of its applicable rule kinds
 * lacks an implementing or a testing marker. `notApplicable` maps a rule kind to the reason it
 * has nothing to act on (see `ruleApplicability`); such kinds are reported, not required.
 */
export function traceControls(
  files: readonly GeneratedFile[],
  controls: readonly ControlInput[],
  notApplicable: Readonly<Partial<Record<string, string>>> = {},
): ControlTrace[] {
  const markers = scanMarkers(files);
  return controls.map((control) => {
    const all: readonly string[] = control.implementedBy;
    const kinds = all.filter((kind) => notApplicable[kind] === undefined);
    const implementations = markers.filter((m) => m.kind === "control" && kinds.includes(m.rule));
    const tests = markers.filter((m) => m.kind === "test" && kinds.includes(m.rule));
    const missingImplementation = kinds.filter((kind) => !implementations.some((m) => m.rule === kind));
    const missingTest = kinds.filter((kind) => !tests.some((m) => m.rule === kind));
    return {
      control,
      implementations,
      tests,
      missingImplementation,
      missingTest,
      notApplicable: all.flatMap((kind) => {
        const reason = notApplicable[kind];
        return reason === undefined ? [] : [{ kind, reason }];
      }),
      applicable: kinds.length > 0,
      gap: missingImplementation.length > 0 || missingTest.length > 0,
    };
  });
}
