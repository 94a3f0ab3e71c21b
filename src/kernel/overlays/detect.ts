/**
 * Detection: which overlays a brief calls for, from the words it uses.
 *
 * Each pattern is matched case-insensitively on Unicode word boundaries and counts once, however
 * often it appears ("card card card" is still one weak hint). An overlay is detected when the
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
  weight: number;
}

interface CompiledOverlay {
  name: string;
  kind: Overlay["kind"];
  threshold: number;
  certainAt: number;
  patterns: CompiledPattern[];
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
          regex: new RegExp(`(?<!${WORD_CHAR})(?:${pattern})(?!${WORD_CHAR})`, "giu"),
          weight: Math.round(weight * SCALE),
        })),
      };
    });

  return (brief) => {
    const selections: OverlaySelection[] = [];
    for (const overlay of overlays) {
      let sum = 0;
      const hits: Array<{ at: number; text: string }> = [];
      for (const { regex, weight } of overlay.patterns) {
        regex.lastIndex = 0;
        let matched = false;
        for (let match = regex.exec(brief); match !== null; match = regex.exec(brief)) {
          matched = true;
          hits.push({ at: match.index, text: match[0] });
          // Patterns cannot match the empty string (the loader refuses them), but never loop forever.
          if (match[0] === "") regex.lastIndex += 1;
        }
        if (matched) sum += weight;
      }
      if (sum === 0 || sum < overlay.threshold) continue;
      selections.push({
        name: overlay.name,
        kind: overlay.kind,
        confidence: Math.round(Math.min(1, sum / overlay.certainAt) * 100) / 100,
        reason: "detected",
        requiredBy: null,
        evidence: distinctWords(hits),
      });
    }
    return selections;
  };
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

/**
 * The matched words as written, in the order they appear, without case-insensitive repeats and
 * without words inside a longer match ("credit card" is evidence; its "card" adds nothing).
 */
function distinctWords(hits: Array<{ at: number; text: string }>): string[] {
  hits.sort((a, b) => a.at - b.at || b.text.length - a.text.length);
  const seen = new Set<string>();
  const words: string[] = [];
  let coveredTo = -1;
  for (const { at, text } of hits) {
    const end = at + text.length;
    if (end <= coveredTo) continue;
    coveredTo = end;
    const normal = text.replace(/\s+/gu, " ").trim();
    const key = normal.toLowerCase();
    if (normal === "" || seen.has(key)) continue;
    seen.add(key);
    words.push(normal);
  }
  return words;
}
