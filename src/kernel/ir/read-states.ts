/**
 * Reads the lifecycle a brief spells out for a record, in the ways people write one:
 *
 * - "episodes can be draft, scheduled or published"
 * - "orders have a status received -> proofing -> approved -> ready"
 * - "each work order goes through stages — received, design, milling, shipped"
 * - "statuses: open, ready, served, paid" on a line of its own
 *
 * The values become the record's `status` enum, replacing the domain's default values.
 */

import { isRoleWord } from "./lexicon/roles.js";
import { findMentions, isFieldWord, type Mention, tokenize } from "./mentions.js";

export interface StateList {
  /** The record's key, or null when the sentence names none ("statuses: open, paid"). */
  entity: string | null;
  /** The field the values belong to: `status`, or a name the brief gives ("high priority"). */
  field: string;
  values: string[];
  evidence: string;
  /** The sentence without its lifecycle, for the other readers: "each work order — and we log …". */
  rest: string;
}

/** "->", "→", "=>" and "›" between states; a bare ">" too, when spaced. */
const ARROW = /\s*(?:-+>|→|⟶|➜|➔|=>|›|\s>\s)\s*/u;
const ARROWS = new RegExp(ARROW.source, "gu");

/** At most three words, letters only: a state's name, not a clause. */
const STATE_NAME = /^[\p{L}][\p{L}'’ -]{0,30}$/u;

/** States that are not participles: "draft", "open", "live". */
const STATE_WORDS = new Set([
  "active",
  "inactive",
  "available",
  "busy",
  "closed",
  "complete",
  "done",
  "draft",
  "due",
  "free",
  "idle",
  "live",
  "new",
  "offline",
  "online",
  "open",
  "overdue",
  "paid",
  "pending",
  "private",
  "public",
  "ready",
  "unpaid",
  "valid",
  "invalid",
  "void",
  "expired",
  "lost",
  "on hold",
  "in progress",
  "in review",
  "under review",
]);

/**
 * Participles of changes rather than states: "can be upgraded, downgraded or cancelled" says what
 * may be done to the record (the operations reader's business), not where it stands.
 */
const CHANGES =
  /^(?:upgraded|downgraded|renewed|edited|updated|modified|changed|deleted|removed|created|added|viewed|seen|read|shared|exported|imported|downloaded|uploaded|extended|moved|copied|duplicated|reassigned|rescheduled|searched|filtered|sorted|tagged|commented|liked|rated|reviewed|printed|emailed|sent)$/;

/** Names of a field whose values are listed before it: "low, normal or high priority". */
const TRAILING_FIELD = /\s+(priority|severity|risk|urgency|visibility|level|status)$/i;

const CAN_BE =
  /^(.*?)\b(?:can|could|may|might|will|should|must)\s+(?:only\s+)?be\s+(?:either\s+|one of\s+|in one of\s+|marked(?:\s+as)?\s+)?(.+)$/i;
const IS_EITHER = /^(.*?)\b(?:is|are)\s+(?:always\s+)?(?:either|one of)\s+(.+)$/i;
const GOES_THROUGH =
  /^(.*?)\b(?:go|goes|going|move|moves|moving|pass|passes|progress|progresses|flow|flows|run|runs)\s+through\s+(?:(?:the|these|several|a few|a series of|a number of|\d+|three|four|five|six|seven|eight)\s+)*(?:stages|states|statuses|steps|phases)\b[\s:,–—-]*(?:\([^)]*\)\s*)?[\s:,–—-]*(.+)$/i;
const GOES_THROUGH_LIST =
  /^(.*?)\b(?:go|goes|move|moves|pass|passes|progress|progresses|flow|flows)\s+through\s+(?![^,]*\b(?:stages|states|statuses|steps|phases)\b)(.+)$/i;
const LABELLED =
  /^(?:(?:the|an?)\s+)?((?:[\p{L}-]+\s+){0,3}?)(?:statuses|status(?:\s+(?:flow|values|list|lifecycle))?|states|stages|lifecycle|workflow)\s*(?::|=|[–—-])\s*(.+)$/iu;

const MAY_HOLD_STATES =
  /\b(?:be|either|one of|through|status|statuses|states?|stages?|lifecycle|workflow)\b|->|→|⟶|➜|➔|=>|›|\s>\s/i;

/** Reads one clause; null when it lays out no lifecycle. */
export function readStates(clause: string): StateList | null {
  const text = clause.trim().replace(/[.!]+$/, "");
  // Cheap tests first: most sentences lay out no lifecycle, and the readers below scan the whole.
  if (!MAY_HOLD_STATES.test(text)) return null;
  const labelled = LABELLED.exec(text);
  if (labelled !== null) {
    const values = arrowChain(labelled[2] ?? "") ?? listedStates(labelled[2] ?? "", false);
    if (values !== null)
      return state(
        subjectOf(labelled[1] ?? "", { allowSingular: true }),
        "status",
        values,
        clause,
        labelled[1] ?? "",
      );
  }
  const chain = ARROW.exec(text);
  if (chain !== null) {
    const start = chainStart(text);
    const values = arrowChain(text.slice(start));
    if (values !== null) return state(subjectOf(text.slice(0, start)), "status", values, clause);
  }
  const through = GOES_THROUGH.exec(text);
  if (through !== null) {
    const listed = cutAside(through[2] ?? "");
    const values = listedStates(listed, false);
    const rest = `${through[1] ?? ""}${(through[2] ?? "").slice(listed.length)}`;
    if (values !== null) return state(subjectOf(through[1] ?? ""), "status", values, clause, rest);
  }
  // "batches go through fermenting, conditioning, packaged": the stages named without the word.
  const throughList = GOES_THROUGH_LIST.exec(text);
  if (throughList !== null) {
    const listed = cutAside(throughList[2] ?? "");
    const values = listedStates(listed, true);
    const subject = subjectOf(throughList[1] ?? "");
    const rest = `${throughList[1] ?? ""}${(throughList[2] ?? "").slice(listed.length)}`;
    if (values !== null && values.length >= 3 && subject !== null)
      return state(subject, "status", values, clause, rest);
  }
  const canBe = CAN_BE.exec(text) ?? IS_EITHER.exec(text);
  if (canBe !== null) {
    const listed = cutAside(canBe[2] ?? "");
    const trailing = TRAILING_FIELD.exec(listed);
    const values = listedStates(
      trailing === null ? listed : listed.slice(0, trailing.index),
      trailing === null,
    );
    const subject = subjectOf(canBe[1] ?? "");
    const rest = `${canBe[1] ?? ""}${(canBe[2] ?? "").slice(listed.length)}`;
    if (values !== null && subject !== null)
      return state(subject, (trailing?.[1] ?? "status").toLowerCase(), values, clause, rest);
  }
  return null;
}

function state(
  entity: string | null,
  field: string,
  values: string[],
  evidence: string,
  rest = withoutArrows(evidence),
): StateList {
  return { entity, field, values, evidence: evidence.trim(), rest };
}

/** Where a chain of states starts: the words just before the first arrow, after any field name. */
function chainStart(text: string): number {
  const first = ARROW.exec(text)?.index ?? 0;
  const before = text.slice(0, first);
  const lead = /(?:^|[\s:(,])([\p{L}'’-]+(?:\s+[\p{L}'’-]+)?)\s*$/u.exec(before);
  if (lead === null) return first;
  const start = first - (lead[1]?.length ?? 0);
  // "a status received -> …": the state is the last word, the name before it is the field's.
  const named = /^(?:status|state|stage)\s+(.+)$/i.exec(lead[1] ?? "");
  return named === null ? start : first - (named[1]?.length ?? 0);
}

/** "a status received -> proofing -> ready" → "a status received, proofing, ready". */
export function withoutArrows(text: string): string {
  const start = ARROW.exec(text) === null ? -1 : chainStart(text);
  if (start < 0 || arrowChain(text.slice(start)) === null) return text;
  return text.slice(0, start) + text.slice(start).replace(ARROWS, ", ");
}

/** "received -> proofing -> approved -> shipped / collected" → its states, or null. */
export function arrowChain(text: string): string[] | null {
  const parts = text
    .split(/[.;]\s/)[0]
    ?.replace(/[.;]$/, "")
    .split(ARROWS)
    .map((part) => part.trim());
  if (parts === undefined || parts.length < 3) return null;
  // The chain ends where a part stops being a short name: "… -> shipped, and staff can …".
  const values: string[] = [];
  for (const [index, part] of parts.entries()) {
    const head = index === parts.length - 1 ? (part.split(/,|\s+(?:and|but|then|so)\s+/)[0] ?? "") : part;
    const alternatives = head.split(/\s*(?:\/|\bor\b)\s*/).map((v) => v.trim().replace(/^\(|\)$/g, ""));
    if (!alternatives.every((v) => STATE_NAME.test(v) && v.split(/\s+/).length <= 3)) return null;
    values.push(...alternatives);
  }
  return values.length >= 3 ? [...new Set(values.map((v) => v.toLowerCase()))] : null;
}

/**
 * "draft, scheduled or published" → its states. When `mustLookLikeStates`, the words must read as
 * states: "upgraded, downgraded or cancelled" are things done to the record (the operations
 * reader's business), and "admins or editors" are roles.
 */
function listedStates(text: string, mustLookLikeStates: boolean): string[] | null {
  const values = text
    .split(/\s*(?:,|\/|\||\bor\b|\band\b|\bplus\b)\s*/i)
    .map((v) => v.trim().replace(/^(?:and|or|a|an|the)\s+/i, ""))
    .filter((v) => v !== "");
  if (values.length < 2 || values.length > 12) return null;
  if (!values.every((v) => STATE_NAME.test(v) && v.split(/\s+/).length <= 3)) return null;
  const lower = values.map((v) => v.toLowerCase());
  if (lower.some((v) => isRoleWord(v))) return null;
  if (mustLookLikeStates) {
    if (lower.some((v) => isRecord(v) || CHANGES.test(v))) return null;
    const stateLike = lower.filter((v) => STATE_WORDS.has(v) || /(?:ed|ing|en)$/.test(v));
    if (stateLike.length < Math.ceil(lower.length / 2)) return null;
  }
  return [...new Set(lower)];
}

/** A plural record name among the values ("tickets or bugs") means the list is not of states. */
function isRecord(value: string): boolean {
  const mention = findMentions(tokenize(value)).at(0);
  return mention?.known === true && !isFieldWord(mention.key);
}

/** "received, design, shipped — and I want to log who moved it": the list ends at an aside. */
function cutAside(text: string): string {
  return text.split(/\s[–—-]\s|;|\.\s|\s+(?:and|but)\s+(?:i|we|you|they|it|he|she)\b/i)[0] ?? text;
}

/** The record a clause's lifecycle belongs to: its last record mention before the verb. */
function subjectOf(text: string, options: { allowSingular?: boolean } = {}): string | null {
  const mentions: readonly Mention[] = findMentions(tokenize(text), options);
  return mentions.filter((m) => !isRoleWord(m.key)).at(-1)?.key ?? null;
}
