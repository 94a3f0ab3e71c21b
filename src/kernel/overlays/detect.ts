/**
 * Detection: which overlays a brief calls for, from the words it uses.
 *
 * Each pattern is matched case-insensitively on Unicode word boundaries and counts once, however
 * often it appears ("card card card" is still one weak hint), and a match inside a longer match of
 * the same overlay does not count ("credit card" weighs what its pattern says, not that plus "card"). An overlay is detected when the
 * summed weight of its matching patterns reaches its threshold; its confidence is
 * min(1, sum / certainAt), where certainAt defaults to the threshold. Weights are summed as
 * integers (thousandths) so that 0.7 + 0.3 reaches a threshold of 1.
 */
import type { OverlaySelection } from "../ir/schema.js";
import { WORD_CHAR } from "./pattern-guard.js";
import type { Overlay } from "./schema.js";

/** Detects overlays in one brief; see `compileDetector`. */
export type OverlayDetector = (brief: string) => OverlaySelection[];

interface CompiledPattern {
  regex: RegExp;
  /** In thousandths. */
  weight: number;
}

interface CompiledOverlay {
  name: string;
  kind: Overlay["kind"];
  threshold: number;
  certainAt: number;
  patterns: CompiledPattern[];
  /** Any match rules the overlay out. */
  unless: RegExp[];
}

const SCALE = 1000;

/**
 * Compiles the catalog's patterns once and returns a detector to call on every brief.
 *
 * @example
 * const detect = compileDetector(catalog);
 * detect("HIPAA-compliant patient records API");
 * // [{ name: "healthcare", confidence: …, evidence: ["patient"] , …}, { name: "hipaa", evidence: ["HIPAA", "patient records"], … }]
 */
export function compileDetector(catalog: readonly Overlay[]): OverlayDetector {
  const overlays: CompiledOverlay[] = [...catalog]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((overlay) => {
      const threshold = Math.round(overlay.detection.threshold * SCALE);
      return {
        name: overlay.name,
        kind: overlay.kind,
        threshold,
        certainAt: Math.max(threshold, Math.round((overlay.detection.certainAt ?? 0) * SCALE)),
        patterns: overlay.detection.patterns.map(({ pattern, weight }) => ({
          // The leading word boundary is checked by hand (see `startsWord`): a lookbehind at the start
          // of the regex would stop V8 from skipping ahead to the pattern's first characters.
          regex: new RegExp(`(?:${pattern})(?!${WORD_CHAR})`, "giu"),
          weight: Math.round(weight * SCALE),
        })),
        unless: (overlay.detection.unless ?? []).map(
          (pattern) => new RegExp(`(?<!${WORD_CHAR})(?:${pattern})(?!${WORD_CHAR})`, "iu"),
        ),
      };
    });

  return (brief) => {
    const selections: OverlaySelection[] = [];
    for (const overlay of overlays) {
      const hits: Hit[] = [];
      for (const [index, { regex }] of overlay.patterns.entries()) {
        regex.lastIndex = 0;
        for (let match = regex.exec(brief); match !== null; match = regex.exec(brief)) {
          if (!startsWord(brief, match.index)) {
            // Inside a word ("graphic" for "phi"): look again from the next character.
            regex.lastIndex = match.index + 1;
            continue;
          }
          const end = match.index + match[0].length;
          if (!isNegated(brief, match.index) && !isListedValue(brief, match.index, end))
            hits.push({ at: match.index, end, text: match[0], pattern: index });
          // Patterns cannot match the empty string (the loader refuses them), but never loop forever.
          if (match[0] === "") regex.lastIndex += 1;
        }
      }
      if (hits.length === 0) continue;
      const counted = uncontained(hits);
      const matched = new Set(counted.map((hit) => hit.pattern));
      let sum = 0;
      for (const index of matched) sum += overlay.patterns[index]?.weight ?? 0;
      if (sum < overlay.threshold) continue;
      if (overlay.unless.some((regex) => regex.test(brief))) continue;
      selections.push({
        name: overlay.name,
        kind: overlay.kind,
        confidence: Math.round(Math.min(1, sum / overlay.certainAt) * 100) / 100,
        reason: "detected",
        requiredBy: null,
        evidence: distinctWords(counted),
      });
    }
    return selections;
  };
}

const WORD = new RegExp(`${WORD_CHAR}$`, "u");

/**
 * "We never store card numbers", "we don't keep cards ourselves", "no PHI here": a word the brief
 * says it does without is no evidence for the overlay. Looks back to the start of the clause.
 */
function isNegated(text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - 60), at);
  const clause = before.split(/[.;:!?\n]|,\s*(?:but|and|so)\b/u).pop() ?? "";
  return /(?:^|\s)(?:never|not|no|without|nor|don'?t|doesn'?t|won'?t|isn'?t|aren'?t|shouldn'?t|can'?t)\s+(?:\S+\s+){0,3}$/iu.test(
    clause,
  );
}

/**
 * "track (AI, climate, fintech, open)": a word that is a whole item of a list in parentheses is a
 * value some field takes, not what the application is about.
 */
function isListedValue(text: string, at: number, end: number): boolean {
  const left = /[(,]\s*$/u.test(text.slice(Math.max(0, at - 3), at));
  const right = /^\s*[,)]/u.test(text.slice(end, end + 3));
  if (!left || !right) return false;
  const open = text.lastIndexOf("(", at);
  const close = text.indexOf(")", end);
  if (open < 0 || close < 0 || text.lastIndexOf(")", at) > open) return false;
  return (text.slice(open, close).match(/,/g) ?? []).length >= 2;
}

/** Whether `at` is the start of a word: the character before it (if any) is not a word character. */
function startsWord(text: string, at: number): boolean {
  if (at === 0) return true;
  // Look at up to two UTF-16 units so that a letter outside the BMP (a surrogate pair) is seen whole.
  return !WORD.test(text.slice(Math.max(0, at - 2), at));
}

interface Hit {
  at: number;
  end: number;
  text: string;
  pattern: number;
}

/**
 * The hits not inside a longer (or identical, earlier-listed) hit of the same overlay: "credit card"
 * counts as the phrase it is, not as the phrase plus the weak word "card" within it, so that a
 * pattern's weight means what it says. Returned in the order they appear in the brief.
 */
function uncontained(hits: Hit[]): Hit[] {
  hits.sort((a, b) => a.at - b.at || b.end - a.end || a.pattern - b.pattern);
  const out: Hit[] = [];
  let coveredTo = -1;
  for (const hit of hits) {
    if (hit.end <= coveredTo) continue;
    coveredTo = hit.end;
    out.push(hit);
  }
  return out;
}

const detectors = new WeakMap<readonly Overlay[], OverlayDetector>();

/**
 * `compileDetector(catalog)(brief)`, with the compiled detector cached per catalog array: pass the
 * same array on every call (as `loadOverlayCatalog` returns it) to compile the patterns only once.
 */
export function detectOverlays(brief: string, catalog: readonly Overlay[]): OverlaySelection[] {
  let detect = detectors.get(catalog);
  if (detect === undefined) {
    detect = compileDetector(catalog);
    detectors.set(catalog, detect);
  }
  return detect(brief);
}

/** The matched words as written, in the order they appear, without case-insensitive repeats. */
function distinctWords(hits: readonly Hit[]): string[] {
  const seen = new Set<string>();
  const words: string[] = [];
  for (const { text } of hits) {
    const normal = text.replace(/\s+/gu, " ").trim();
    const key = normal.toLowerCase();
    if (normal === "" || seen.has(key)) continue;
    seen.add(key);
    words.push(normal);
  }
  return words;
}
