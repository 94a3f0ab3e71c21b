/**
 * Scoring sentences: "each judge scores each project 1-10 on innovation, execution and impact,
 * plus a comment", "reviewers rate every talk from 1 to 5 and leave a comment". Whoever scores and
 * what is scored both own the score, a record of its own with one number per criterion.
 */
import { findMentions, isAgentNoun, isKnownRecordNoun, type Mention, tokenize } from "./mentions.js";
import type { BriefStructure, Note } from "./read-structure.js";

/** The record a scoring verb leaves behind: to score makes a score, to rate a rating. */
const RECORD_OF_VERB: Readonly<Record<string, string>> = {
  score: "score",
  rate: "rating",
  grade: "grade",
  review: "review",
};

const SCORING =
  /^(?:(?:each|every|the|our|all)\s+)?(?<who>[\p{L}-]+(?:\s+[\p{L}-]+)?)\s+(?:(?:can|may|must|should|will|then|also|only)\s+)*(?<verb>score|rate|grade|review)s?\s+(?:(?:each|every|the|a|an|all|their|other)\s+)?(?<what>[\p{L}-]+(?:\s+(?!(?:from|on|for|out|with|and|plus)\b)[\p{L}-]+)?)(?<range>\s+(?:from\s+)?\d+\s*(?:-|to)\s*\d+(?:\s+stars?)?|\s+out\s+of\s+\d+|\s+on\s+a\s+(?:scale\s+of\s+)?\d+\s*(?:-|to)\s*\d+(?:\s+scale)?)?(?:\s+(?:on|for)\s+(?<criteria>[^.;]+?))?(?:,?\s+(?:plus|and|with)\s+(?:(?:leave|add|write|give)s?\s+)?(?:(?:a|an|optional|an\s+optional)\s+)?(?<remark>comment|note|remark|feedback)s?)?\s*[.!]?$/iu;

/** "scores" → "score", "rate" → "rating"; null for a verb that scores nothing. */
export function scoredRecord(verb: string): string | null {
  const stem = verb.toLowerCase().replace(/s$/, "");
  return stem === "review" ? null : (RECORD_OF_VERB[stem] ?? null);
}

/** The whole phrase as one mention, or null when it names no record. */
function mentionOf(phrase: string): Mention | null {
  const tokens = tokenize(phrase);
  const mention = findMentions(tokens, { allowSingular: true })[0];
  return mention !== undefined && mention.start === 0 && mention.end === tokens.length ? mention : null;
}

function isPerson(mention: Mention): boolean {
  return isAgentNoun(mention.key.split(" ").pop() ?? mention.key);
}

/**
 * Reads a scoring clause into a score record, its two owners and its criteria. Returns null when
 * the clause is not one, or says too little to be sure a score is kept ("managers review
 * claims" is a step of a workflow, not a record): a range, criteria, a remark or a record of
 * that name already in the brief ("Scores: each judge scores …") must say so. Otherwise returns
 * what is left to read: the subject with the fields it lists ("Judges (name, email)"), or "".
 */
export function readScoring(clause: string, structure: BriefStructure, note: Note): string | null {
  // "Judges (name, email) score each dish": what the parentheses list is read elsewhere; a range
  // in them ("(1-5)") stays.
  const match = SCORING.exec(
    clause
      .replace(/\s*\((?!\s*\d)[^()]*\)/g, "")
      .replace(/[()]/g, "")
      .trim(),
  );
  const groups = match?.groups;
  if (groups === undefined) return null;
  const who = mentionOf(groups.who ?? "");
  const what = mentionOf(groups.what ?? "");
  if (who === null || what === null || !isPerson(who) || isPerson(what)) return null;
  const recordKey = RECORD_OF_VERB[(groups.verb ?? "").toLowerCase()] ?? "score";
  const criteria = (groups.criteria ?? "")
    .split(/\s*(?:,|\band\b)\s*/)
    .map((criterion) => criterion.trim())
    .filter((criterion) => criterion !== "");
  const says =
    groups.range !== undefined ||
    criteria.length > 0 ||
    groups.remark !== undefined ||
    structure.candidates.has(recordKey);
  if (!says || criteria.some((criterion) => criterion.split(/\s+/).length > 3)) return null;

  const record: Mention = {
    key: recordKey,
    surface: recordKey,
    plural: false,
    start: 0,
    end: 1,
    known: isKnownRecordNoun(recordKey),
  };
  note(who, clause, "structural");
  note(what, clause, "structural");
  note(record, clause, "structural");
  for (const owner of [who, what])
    structure.relations.push({
      parent: owner.key,
      child: recordKey,
      kind: "one-to-many",
      owned: false,
      required: true,
      label: groups.verb?.toLowerCase() ?? "score",
      evidence: clause,
    });
  // One number per criterion; without criteria, the score is one number.
  const numbers = criteria.length > 0 ? criteria : [recordKey === "review" ? "rating" : "value"];
  for (const name of numbers)
    structure.fieldItems.push({ entity: recordKey, text: name, typeHint: "integer", evidence: clause });
  if (groups.remark !== undefined)
    structure.fieldItems.push({
      entity: recordKey,
      text: groups.remark.toLowerCase(),
      typeHint: "text",
      evidence: clause,
    });
  const subject = LISTING_SUBJECT.exec(clause)?.[0] ?? "";
  return SCORING_VERB.test(subject) ? "" : subject;
}

/** "Judges (name, email)" at the start of a clause: a subject that lists its own fields. */
const LISTING_SUBJECT = /^\s*(?:[\p{L}-]+\s+){1,3}\([^()]*\)/u;
const SCORING_VERB = /\b(?:score|rate|grade|review)s?\b/i;
