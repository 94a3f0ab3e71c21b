/**
 * Static checks on detection patterns. Patterns come from repository files that anyone with write
 * access can change, and every brief is matched against them, so a pattern must not be able to
 * hang the compiler (catastrophic backtracking), must not match everywhere (the empty string), and
 * must not use features that make matching non-linear in surprising ways (backreferences).
 */

/** Characters that count as part of a word when matching on word boundaries (Unicode-aware). */
export const WORD_CHAR = String.raw`[\p{L}\p{M}\p{N}_]`;

/**
 * Why `pattern` is unfit for detection, or null when it is fine.
 *
 * The backtracking guard is deliberately simple and conservative: a group that is repeated (`*`,
 * `+`, `{n,}`, `{n,m}` with m > 1) may contain neither a repetition nor an alternation, because
 * `(a+)+`, `(\w*)*` and `(a|ab)+` are the shapes that backtrack exponentially. Detection patterns are
 * words and short phrases (`credit\s+cards?`, `(?:e-?)?commerce`), which never need those shapes.
 *
 * @example
 * patternProblem("cardholders?") // null
 * patternProblem("(a+)+") // "a repeated group contains another repetition…"
 */
export function patternProblem(pattern: string): string | null {
  try {
    new RegExp(pattern, "iu");
  } catch (error) {
    return `not a valid regular expression: ${(error as Error).message}`;
  }
  const structural = structureProblem(pattern);
  if (structural !== null) return structural;
  if (new RegExp(`^(?:${pattern})$`, "iu").test("")) {
    return "matches the empty string, so it would match every brief; make every part of it required";
  }
  return null;
}

interface GroupState {
  repeats: boolean;
  alternates: boolean;
}

function structureProblem(pattern: string): string | null {
  const stack: GroupState[] = [{ repeats: false, alternates: false }];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "\\") {
      const next = pattern[i + 1] ?? "";
      if (/[1-9]/.test(next) || next === "k") {
        return "uses a backreference, which detection patterns may not use";
      }
      i += 2;
      // \p{…}, \u{…}: skip the braces so they are not read as a quantifier.
      if ((next === "p" || next === "P" || next === "u") && pattern[i] === "{") {
        const close = pattern.indexOf("}", i);
        i = close === -1 ? pattern.length : close + 1;
      }
      continue;
    }
    if (c === "[") {
      i = skipClass(pattern, i);
      continue;
    }
    if (c === "(") {
      stack.push({ repeats: false, alternates: false });
      i += 1;
      continue;
    }
    if (c === ")") {
      const group = stack.pop();
      const parent = stack[stack.length - 1];
      if (group === undefined || parent === undefined) return "has an unbalanced parenthesis";
      const quantifier = readQuantifier(pattern, i + 1);
      if (quantifier.repeats && (group.repeats || group.alternates)) {
        return (
          "a repeated group contains another repetition or an alternation, which can backtrack " +
          "catastrophically; list the words instead (e.g. `cards?` rather than `(cards?)+`)"
        );
      }
      parent.repeats ||= group.repeats || quantifier.repeats;
      i += 1 + quantifier.length;
      continue;
    }
    const top = stack[stack.length - 1];
    if (top === undefined) return "has an unbalanced parenthesis";
    if (c === "|") {
      top.alternates = true;
      i += 1;
      continue;
    }
    const quantifier = readQuantifier(pattern, i);
    if (quantifier.length > 0) {
      top.repeats ||= quantifier.repeats;
      i += quantifier.length;
      continue;
    }
    i += 1;
  }
  return null;
}

function skipClass(pattern: string, start: number): number {
  let i = start + 1;
  while (i < pattern.length) {
    if (pattern[i] === "\\") i += 2;
    else if (pattern[i] === "]") return i + 1;
    else i += 1;
  }
  return i;
}

/** The quantifier at `at`, if any: its length (with a lazy `?`) and whether it repeats more than once. */
function readQuantifier(pattern: string, at: number): { length: number; repeats: boolean } {
  const c = pattern[at];
  let length = 0;
  let repeats = false;
  if (c === "*" || c === "+") {
    length = 1;
    repeats = true;
  } else if (c === "?") {
    length = 1;
  } else if (c === "{") {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(at));
    if (match !== null) {
      length = match[0].length;
      const min = Number(match[1]);
      const max =
        match[2] === undefined ? min : match[3] === "" ? Number.POSITIVE_INFINITY : Number(match[3]);
      repeats = max > 1;
    }
  }
  if (length > 0 && pattern[at + length] === "?") length += 1;
  return { length, repeats };
}
