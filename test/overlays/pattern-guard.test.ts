import { describe, expect, test } from "vitest";
import { patternProblem } from "../../src/kernel/overlays/pattern-guard.js";

describe("patternProblem", () => {
  test.each([
    "cards?",
    "(?:e-?)?phi",
    "protected\\s+health\\s+information",
    "(?:credit|debit)\\s+cards?",
    "\\p{L}+ish",
    "[(+)]+x",
    "(?:ab){2}",
    "fulfil{1,2}ment",
    "(?:\\s+|-)?commerce",
    "\\u{1F4B3}",
  ])("accepts %s", (pattern) => {
    expect(patternProblem(pattern)).toBeNull();
  });

  test.each([
    ["(a+)+b", /backtrack catastrophically/],
    ["(\\w*)*x", /backtrack catastrophically/],
    ["(?:a|ab)+c", /backtrack catastrophically/],
    ["(?:x+){2,}", /backtrack catastrophically/],
    ["(?:(?:a+)b)*", /backtrack catastrophically/],
    ["(a)\\1", /backreference/],
    ["(?<w>a)\\k<w>", /backreference/],
    ["card(", /not a valid regular expression/],
    ["x?", /matches the empty string/],
    ["a|", /matches the empty string/],
  ])("refuses %s", (pattern, problem) => {
    expect(patternProblem(pattern)).toMatch(problem);
  });

  // How slow the refused shapes are, and how fast refusing is, is measured in bench/overlays.bench.mjs.
  test("refuses the nested quantifier that backtracks exponentially", () => {
    expect(patternProblem("(a+)+b")).not.toBeNull();
  });
});
