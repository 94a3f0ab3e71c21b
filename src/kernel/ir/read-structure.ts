/**
 * Reads the structure of a brief: which record types it names, the fields it lists for them, and
 * the phrases that relate them. Works in two passes: the first collects candidates and their
 * contexts from every clause; the second (in `compile.ts`) decides what is an entity.
 */
import type { Segment } from "./brief-text.js";
import { isPlural, singularize } from "./inflect.js";
import { FIELD_SUFFIX_RULES, TYPE_WORDS as FIELD_TYPES, FIELD_WORDS } from "./lexicon/fields.js";
import { BOOKABLE, GROUP_NOUNS, ONE_TO_ONE_NOUNS, PERSON_NOUNS } from "./lexicon/nouns.js";
import { isRoleWord, isStaffRole } from "./lexicon/roles.js";
import {
  ACTION_VERBS,
  authoringVerb,
  CHILD_TO_PARENT,
  CRUD_VERBS,
  HAS_ONE,
  MANY_TO_MANY_VERBS,
  OWNERSHIP,
  PARENT_TO_CHILDREN,
} from "./lexicon/verbs.js";
import {
  ALSO_RECORDS,
  findMentions,
  isAgentNoun,
  isAlternatives,
  isFieldWord,
  isIrregularParticiple,
  isKnownRecordNoun,
  isVerbLike,
  type Mention,
  phraseKey,
  type Token,
  tokenize,
} from "./mentions.js";
import { readScoring } from "./read-scoring.js";
import { readStates, type StateList } from "./read-states.js";

function isPermissionVerb(word: string): boolean {
  return (
    (CRUD_VERBS[word] !== undefined && word !== "manage" && word !== "record") ||
    ACTION_VERBS[word] !== undefined ||
    /^(?:search|find|export|download|see|approve)$/.test(word)
  );
}

export interface Candidate {
  key: string;
  surfaces: string[];
  known: boolean;
  /** Named in a role position ("admins can …") and nowhere that makes it a record. */
  roleSubjectCount: number;
  /** Times it appeared as a record: in a relation, as the subject of a field list, as a heading. */
  structuralCount: number;
  mentionCount: number;
  /** Mentions as a noun phrase of its own, not as the head of "frontend team" or "identity provider". */
  plainCount: number;
  /** Order of first appearance. */
  order: number;
  evidence: string[];
  /** Opens a clause that acts on it: "Defects are triaged by the supervisor". */
  actedOn?: boolean;
}

/** Records a mention as a candidate record, counting how it was seen. */
export type Note = (m: Mention, evidence: string, how: "structural" | "mention" | "role") => Candidate;

/** One clause being read: its tokens, the records it mentions, and where to put what is found. */
interface ClauseReading {
  tokens: readonly Token[];
  mentions: readonly Mention[];
  structure: BriefStructure;
  note: Note;
  clause: string;
}

export interface FieldItem {
  entity: string;
  /** The item text as written, e.g. `date of birth (required)` or `status: pending, approved`. */
  text: string;
  /** Table rows carry an explicit type column. */
  typeHint: string | null;
  evidence: string;
}

export interface RelationPhrase {
  /** Parent ("one" side) and child keys for one-to-many; either side for many-to-many. */
  parent: string;
  child: string;
  kind: "one-to-one" | "one-to-many" | "many-to-many";
  owned: boolean;
  required: boolean;
  label: string;
  evidence: string;
  /** Only a loose preposition links them ("invoices … for their accountant"): not enough to make a role a record. */
  weak?: boolean;
}

export interface BriefStructure {
  candidates: Map<string, Candidate>;
  fieldItems: FieldItem[];
  relations: RelationPhrase[];
  /** Phrases like "filter orders by status", kept for the operations reader. */
  byPhrases: Array<{ verb: string; entity: string | null; fields: string[]; evidence: string }>;
  /** Lifecycles spelled out: "episodes can be draft, scheduled or published". */
  states: StateList[];
}

const FIELD_INTRODUCER =
  /^(?:(?:we|you|they|i|it)\s+)?(?:(?:should|must|will|shall|can|may|need to|needs to|want to|also|each|every|always|just|only|simply|basically|usually|typically|then)\s+)*(?:has|have|having|with|includes?|including|contains?|containing|stores?|storing|records?|recording|tracks?|tracking|captures?|capturing|(?:needs?|wants?)\s+to\s+(?:know|track|store|record|keep|capture)|needs?(?!\s+to\b)|requires?|holds?|keeps?|fields?|attributes?|properties|columns|consists? of|is made of|are made of|are defined by|is defined by|should show)\b\s*(?:fields?|attributes?|properties|columns|details|info|information|data)?\s*(?:like|such as|including|of|:)?\s*/i;

// "a shift belongs to a location and has a date, …": a second verb of having after "and" starts
// a clause about the same subject ("are identified by an ISBN and have a title" is read whole).
const CLAUSE_SPLIT =
  /;|,\s+(?=(?:and|but|while|whereas|so|which|who|where|each|every|then|plus|also)\b)|\s+(?:while|whereas)\s+|\s+(?=and\s+(?:also\s+)?(?:has|have|contains?|includes?)\s+(?:a|an|the|its|their|many|several|multiple|one or more)\b)(?<!\bidentified\s+by\b[^,;.]*)|,\s*(?=(?:and\s+)?(?:also\s+)?(?:has|have|contains?|includes?)\s+(?:a|an|the|its|their|many|several|multiple|one or more)\b)(?<!\bidentified\s+by\b[^,;.]*,\s*)|\s+(?=and\s+(?:the\s+|their\s+)?[\p{L}-]+s\s+(?:can|may|must|should|will|get|receive)\b)|\.\s+/iuy;

const BY_PHRASE =
  /\b(filter(?:ed|able|ing)?|sort(?:ed|able|ing)?|search(?:ed|able|ing)?|find|look\s*up|lookup|group(?:ed)?|order(?:ed)?)\s+(?:(?:the\s+|all\s+|their\s+)?([\p{L}-]+(?:\s+[\p{L}-]+)?)\s+)?by\s+((?:(?!\s+(?:and|or)\s+(?:can\s+)?(?:filter|sort|search|find|look|group|order|export|view|see)\b)[^.;:()])+)/giu;

export function readStructure(segments: readonly Segment[]): BriefStructure {
  const structure: BriefStructure = {
    candidates: new Map(),
    fieldItems: [],
    relations: [],
    byPhrases: [],
    states: [],
  };
  let order = 0;
  let headingEntity: string | null = null;
  // The record the previous sentence was about, for a pronoun that opens the next one.
  let previousSubject: string | null = null;
  let previousSubjectKey: string | null = null;
  // "Contacts work at a company. They have a name …": people named last, for "they".
  let previousPeople: string | null = null;

  const note = (mention: Mention, evidence: string, how: "structural" | "mention" | "role"): Candidate => {
    let candidate = structure.candidates.get(mention.key);
    if (candidate === undefined) {
      candidate = {
        key: mention.key,
        surfaces: [],
        known: mention.known,
        roleSubjectCount: 0,
        structuralCount: 0,
        mentionCount: 0,
        plainCount: 0,
        order: order++,
        evidence: [],
      };
      structure.candidates.set(mention.key, candidate);
    }
    if (!candidate.surfaces.includes(mention.surface)) candidate.surfaces.push(mention.surface);
    if (!candidate.evidence.includes(evidence) && candidate.evidence.length < 3)
      candidate.evidence.push(evidence);
    candidate.mentionCount++;
    if (mention.modified !== true) candidate.plainCount++;
    if (how === "structural") candidate.structuralCount++;
    if (how === "role") candidate.roleSubjectCount++;
    return candidate;
  };

  for (const segment of segments) {
    if (segment.kind === "table") {
      readTableRow(segment, headingEntity, structure, note);
      continue;
    }
    if (segment.kind === "heading") {
      headingEntity = null;
      previousSubject = null;
      previousSubjectKey = null;
      const mentions = findMentions(tokenize(segment.text), { allowSingular: true });
      const last = mentions[mentions.length - 1];
      // "### Patients" opens a section about one record type; "# Feature flag service" names the app.
      const sectionOfOne =
        segment.depth >= 2 &&
        segment.text.split(/\s+/).length <= 4 &&
        !SECTION_TITLE.test(segment.text.trim());
      if (mentions.length === 1 && last !== undefined && sectionOfOne) {
        headingEntity = note(last, segment.text, "mention").key;
      }
      continue;
    }
    const stated = readStates(segment.text);
    if (stated !== null) {
      const pronoun = /^\s*(?:it|they|these|those)\b/i.test(segment.text);
      structure.states.push({
        ...stated,
        entity: stated.entity ?? (pronoun ? previousSubjectKey : null) ?? headingEntity,
      });
    }
    // "statuses: open, ready, served" says nothing else; "each order goes through stages — a, b —
    // and we log who moved it" still says who logs.
    const text = stripByPhrases(stated?.rest ?? segment.text, structure);
    if (text.trim() === "") continue;
    // Under "### Loan", a sentence that is only a list ("Principal, interest rate (percent), start
    // date, status (active, paid off)") lists the loan's fields.
    if (segment.kind === "sentence" && headingEntity !== null && isBareList(text)) {
      for (const item of splitList(text)) {
        structure.fieldItems.push({ entity: headingEntity, text: item, typeHint: null, evidence: text });
      }
      continue;
    }
    if (
      segment.kind === "item" &&
      segment.continues !== true &&
      headingEntity !== null &&
      readHeadingItem(text, headingEntity, structure)
    ) {
      continue;
    }
    // "Buyers can book viewings, and make offers": a clause that starts with a verb shares the
    // subject of the clause before it.
    let subject: string | null = null;
    let subjectKey: string | null = null;
    let subjectSingular = false;
    const subjectBefore: string | null = previousSubject;
    const peopleBefore: string | null = previousPeople;
    previousSubject = null;
    previousPeople = null;
    let occasionBefore: string | null = null;
    // The last record the clause before named in the plural, for "…, each with a name".
    let pluralBefore: string | null = null;
    // "each judge scores each project 1-10 on innovation and impact, plus a comment" is read whole,
    // before its commas split it: a score record.
    const clauses = splitLeadIn(text).flatMap((part) => {
      const unread = readScoring(part, structure, note);
      return unread === null ? splitClauses(part) : unread === "" ? [] : [unread];
    });
    for (const raw of clauses) {
      // "A trip is made by a rider. It records start time, end time and the fare": a pronoun that
      // lists details means the record the sentence before was about.
      const clause: string = raw
        .trim()
        .replace(/^(?:and|or|then|also)\s+/i, "")
        // "We have 4 rooms, each with a name and max players": each of the rooms has them.
        .replace(EACH_WITH, (whole) => (pluralBefore === null ? whole : `${pluralBefore} with `))
        // "Contacts work at a company; they have a name …": within a sentence, its own subject.
        .replace(PRONOUN_LISTING, (whole, pronoun: string, verb: string) => {
          const they = pronoun.toLowerCase() === "they";
          const own =
            subject === null || (isPersonKey(subjectKey ?? "") && !they)
              ? null
              : subjectSingular
                ? `each ${subject}`
                : subject;
          const antecedent = own ?? subjectBefore ?? (they ? peopleBefore : null);
          return antecedent === null ? whole : `${antecedent} ${verb} `;
        });
      const firstWord = tokenize(clause)[0]?.lower ?? "";
      // "approved applications become loans" starts with an adjective, not a verb.
      const secondWord = tokenize(clause)[1]?.lower ?? "";
      const participleAdjective =
        /ed$/.test(firstWord) &&
        (findMentions(tokenize(clause))[0]?.start === 1 ||
          (/s$/.test(secondWord) && !isVerbLike(secondWord)));
      const verbFirst =
        subject !== null &&
        (isVerbLike(firstWord) || /^(?:has|have|contains?|includes?)$/.test(firstWord)) &&
        !participleAdjective &&
        findMentions(tokenize(clause))[0]?.start !== 0;
      // "invoices belong to a client; invoice number (unique), issue date, due date": a bare list
      // after a clause about a record lists that record's fields.
      if (subjectKey !== null && isBareList(clause)) {
        for (const item of splitList(clause))
          structure.fieldItems.push({ entity: subjectKey, text: item, typeHint: null, evidence: text });
        continue;
      }
      // "Application: links a candidate to a job opening; stage (sourced, hired)": a named choice
      // after a clause about a record is that record's field.
      if (subjectKey !== null && LONE_CHOICE_FIELD.test(clause)) {
        structure.fieldItems.push({
          entity: subjectKey,
          text: clause.trim(),
          typeHint: null,
          evidence: text,
        });
        continue;
      }
      // "Enrolment: links a student to a course": the subject joins the two records.
      if (subjectKey !== null && readJoin(subjectKey, clause, structure, note)) continue;
      // "A lease links a tenant to a unit": the same, as a sentence.
      const joining = SUBJECT_JOIN.exec(clause.trim());
      const joiner =
        joining === null ? undefined : findMentions(tokenize(joining[1] ?? ""), { allowSingular: true })[0];
      if (
        joiner !== undefined &&
        joiner.start === 0 &&
        readJoin(joiner.key, joining?.[2] ?? "", structure, note)
      ) {
        note(joiner, text, "structural");
        continue;
      }
      // "Standings are computed from the results, not stored": what is worked out is no record.
      if (DERIVED.test(clause)) continue;
      // "a deal belongs to a company and has an owner, amount": a singular subject that has things
      // keeps an article, so that what it has reads as its fields.
      const having = subjectSingular && /^(?:has|have|contains?|includes?)$/.test(firstWord);
      const relationsBefore = structure.relations.length;
      readClause(
        verbFirst ? `${having ? "each " : ""}${subject} ${clause}` : clause,
        segment,
        structure,
        note,
      );
      readOccasion(occasionBefore ?? clause, structure.relations.slice(relationsBefore), structure);
      // "After each visit, the vet writes a note": the occasion split off before its clause.
      occasionBefore = OCCASION_ALONE.test(clause) ? clause : null;
      // Only a plural that ends the clause: "We have 4 rooms, each with …".
      const clauseTokens = tokenize(clause.replace(/[\s,.;:]+$/, ""));
      const last = findMentions(clauseTokens).at(-1);
      pluralBefore = last?.plural === true && last.end === clauseTokens.length ? last.surface : null;
      const lead = findMentions(tokenize(clause))[0];
      if (lead !== undefined && lead.start <= 1 && !verbFirst) {
        subject = lead.surface;
        subjectSingular = !lead.plural;
        subjectKey = lead.key;
        // "each voyage records …" keeps a singular subject a mention.
        if (previousSubject === null && !isPersonKey(lead.key)) {
          previousSubject = lead.plural ? lead.surface : `each ${lead.surface}`;
          previousSubjectKey = lead.key;
        }
        if (previousPeople === null && isPersonKey(lead.key) && lead.plural) previousPeople = lead.surface;
      }
    }
  }
  structure.fieldItems = withPartsAsFields(structure.fieldItems);
  reifyBookings(structure, note);
  return structure;
}

/**
 * "Groups book a room for a time slot": unless the brief names the booking itself, booking a
 * thing that stays (a room, a court, a van) makes a booking, which both the booker and the thing
 * have many of.
 */
function reifyBookings(structure: BriefStructure, note: Note): void {
  const booked = structure.relations.filter(
    (r) => /^(?:book|books|booked|reserve|reserves|reserved)$/.test(r.label) && BOOKABLE.test(r.child),
  );
  if (booked.length === 0) return;
  // "Restaurant reservations app: diners reserve a table": the brief's own name for the booking.
  const key = ["reservation", "booking"].find((named) => structure.candidates.has(named)) ?? "booking";
  const booking: Mention = {
    key,
    surface: `${key}s`,
    plural: true,
    start: 0,
    end: 1,
    known: true,
  };
  // "… book a room for a time slot": the slot is the booking's, not the room's.
  const ofBooking = (relation: RelationPhrase): boolean =>
    /^for\b/.test(relation.label) &&
    booked.some((b) => b !== relation && b.evidence === relation.evidence && b.child === relation.child);
  structure.relations = structure.relations.flatMap((relation) => {
    if (ofBooking(relation)) return [{ ...relation, child: key }];
    if (!booked.includes(relation)) return [relation];
    note(booking, relation.evidence, "structural");
    const link = {
      kind: "one-to-many" as const,
      owned: false,
      required: true,
      label: `${relation.label} (${key})`,
    };
    return [
      { ...relation, ...link, child: key },
      { ...relation, ...link, parent: relation.child, child: key },
    ];
  });
}

const EACH_WITH = /^each\s+(?:one\s+)?(?:with|having)\s+/i;

/** "After a lesson the student leaves a review": the occasion a record is written after. */
const OCCASION =
  /^(?:after|following|at the end of)\s+(?:a|an|each|every|the)\s+([\p{L}-]+(?:\s+[\p{L}-]+)?)/iu;
const OCCASION_ALONE =
  /^(?:after|following|at the end of)\s+(?:a|an|each|every|the)\s+[\p{L}-]+(?:\s+[\p{L}-]+)?\s*,?$/iu;

/**
 * "After each visit, the vet writes a note": what a person writes after an occasion belongs to
 * the occasion, as well as to its author.
 */
function readOccasion(clause: string, read: readonly RelationPhrase[], structure: BriefStructure): void {
  const occasionText = OCCASION.exec(clause)?.[1];
  if (occasionText === undefined) return;
  const occasion = findMentions(tokenize(occasionText), { allowSingular: true })[0];
  if (occasion === undefined || occasion.start !== 0 || !structure.candidates.has(occasion.key)) return;
  for (const relation of read) {
    if (!isPersonKey(relation.parent) || isPersonKey(relation.child) || relation.child === occasion.key)
      continue;
    if (authoringVerb(relation.label.split(" ")[0] ?? "") === null) continue;
    structure.relations.push({
      parent: occasion.key,
      child: relation.child,
      kind: "one-to-many",
      owned: false,
      required: false,
      label: "after",
      evidence: relation.evidence,
    });
  }
}

/** "are triaged by", "must be returned within", "get escalated": the subject is acted on. */
const ACTED_ON =
  /^(?:are|is|get|gets|must be|can be|should be|will be|may be|have to be|need to be)\s+(?:then\s+|first\s+|later\s+|also\s+)?([\p{L}-]+)/u;

/**
 * "Technicians replace sensors and log the battery swaps": what people write down is a record,
 * though the brief gives it no fields and links it to nothing.
 */
function markAuthored({ tokens, mentions, structure, note, clause }: ClauseReading): void {
  const opener = tokens[0]?.lower === "the" || tokens[0]?.lower === "our" ? 1 : 0;
  const who = singularize(tokens[opener]?.lower ?? "");
  const byPeople =
    isPlural(tokens[opener]?.lower ?? "") &&
    (isRoleWord(who) || isStaffRole(who) || isAgentNoun(who) || PERSON_NOUNS.has(who));
  for (const mention of mentions) {
    if (!mention.plural || mention.known || isPersonKey(mention.key)) continue;
    const before = tokens[mention.start - 1]?.lower ?? "";
    const verb = /^(?:the|their|any|all)$/.test(before) ? (tokens[mention.start - 2]?.lower ?? "") : before;
    // "a history of stage changes per order": what is kept a history of is a record.
    const history =
      before === "of" &&
      /^(?:history|log|trail|record|journal|ledger)$/.test(tokens[mention.start - 2]?.lower ?? "");
    if (!history && !(byPeople && WRITES_DOWN.test(authoringVerb(verb) ?? ""))) continue;
    const candidate = structure.candidates.get(mention.key) ?? note(mention, clause, "mention");
    candidate.actedOn = true;
  }
}

/** Verbs of writing a new record down ("log the battery swaps"); "publish the results" makes none. */
const WRITES_DOWN = /^(?:log|record|file|submit|raise|report|write|draft|upload|post|register|lodge|enter)$/;

/**
 * "Defects are triaged by the workshop supervisor": records the brief acts on are records, though
 * no sentence links them to another.
 */
function markActedOn({ tokens, mentions, structure, note, clause }: ClauseReading): void {
  const subject = mentions[0];
  if (subject === undefined || subject.start > 1 || !subject.plural) return;
  const after = tokens
    .slice(subject.end, subject.end + 4)
    .map((t) => t.lower)
    .join(" ");
  const verb = ACTED_ON.exec(after)?.[1] ?? "";
  if (!(/^[a-z]{3,}ed$/.test(verb) || isIrregularParticiple(verb))) return;
  if (
    /^(?:computed|calculated|derived|based|stored|kept|used|needed|required|allowed|expected|supposed)$/.test(
      verb,
    )
  )
    return;
  const candidate = structure.candidates.get(subject.key) ?? note(subject, clause, "mention");
  candidate.actedOn = true;
}

/**
 * "emergency contact (name, phone)", "valid insurance on file (policy number, expiry)": the parts
 * of a singular thing are fields of the record that has it, named after the thing.
 */
function withPartsAsFields(items: readonly FieldItem[]): FieldItem[] {
  return items.flatMap((item) => {
    const parts = PARTS_OF.exec(item.text);
    if (parts === null || findMentions(tokenize(parts[1] ?? "")).some((m) => m.plural)) return [item];
    const inner = splitList(parts[2] ?? "");
    const thing = (parts[1] ?? "")
      .toLowerCase()
      .replace(/^(?:(?:a|an|the|valid|current|primary|main|their|its)\s+)+/, "")
      .replace(/\s+(?:on file|details|info|information|data)$/, "")
      .trim();
    // "signed at (date, time)" says how the moment is written, not two fields.
    const howWritten = inner.every((part) => /^(?:date|time|datetime|timestamp)$/i.test(part.trim()));
    if (inner.length < 2 || thing === "" || howWritten || !inner.every(isFieldPhrase)) return [item];
    return inner.map((part) => ({ ...item, text: `${thing} ${part}` }));
  });
}

const PARTS_OF = /^([\p{L}][\p{L} -]{1,40}?)\s*\(([^()]+)\)\s*$/u;

/** "policy number", "expiry", "phone": a phrase the field lexicon reads as a field, not a value. */
function isFieldPhrase(text: string): boolean {
  const phrase = text.toLowerCase().trim();
  if (phrase.split(/\s+/).length > 3) return false;
  return (
    (isFieldWord(phrase) && FIELD_WORDS[phrase]?.type !== "boolean") ||
    /\b(?:number|date|name|id|code|expiry|email|phone|address|amount|time)$/.test(phrase)
  );
}

const HOW_OFTEN =
  /^\s*(?:(?:every|each|per|once\s+(?:a|an|per|every)|twice\s+(?:a|an|per))\s+(?:\d+\s+|few\s+)?(?:second|minute|hour|day|night|week|month|quarter|year)s?|hourly|daily|nightly|weekly|monthly|yearly|annually)(?=\s*:)/i;

/** "stage (sourced, screened, hired)": one choice field alone in its clause. */
const LONE_CHOICE_FIELD =
  /^\s*(?:[\p{L}-]+\s+)?(?:status|state|type|kind|stage|priority|level|tier|category|severity|outcome|result|channel|method|mode|visibility)\s*\([^(),]+(?:,|\bor\b|\/)[^()]+\)\s*$/iu;

const JOIN =
  /^(?:links|connects|joins|ties|pairs|matches|maps|relates|associates)\s+(?:a|an|the|one|each)?\s*(.+?)\s+(?:to|with|and)\s+(?:a|an|the|one|each)?\s*(.+?)\s*$/i;

/** "A lease links a tenant to a unit", "each enrolment connects a student with a course". */
const SUBJECT_JOIN =
  /^(?:a|an|the|each|every)\s+([\p{L}-]+(?:\s+[\p{L}-]+)?)\s+((?:links|connects|joins|ties|pairs|matches|relates|associates)\s.+)$/iu;

/**
 * "Application: links a candidate to a job opening": a record that links two others belongs to
 * both, and so joins them.
 */
function readJoin(subjectKey: string, clause: string, structure: BriefStructure, note: Note): boolean {
  const join = JOIN.exec(clause.trim());
  if (join === null) return false;
  // "… to a unit": a word that is usually a field names a record the brief already has.
  const ends = [join[1] ?? "", join[2] ?? ""].map((phrase) => {
    const mention = findMentions(tokenize(phrase), { allowSingular: true })[0];
    const words = phrase
      .toLowerCase()
      .replace(/[.;,]+$/, "")
      .split(/\s+/);
    const key = phraseKey(words);
    if (mention !== undefined || !structure.candidates.has(key)) return mention;
    return {
      key,
      surface: phrase,
      plural: isPlural(words.at(-1) ?? ""),
      start: 0,
      end: words.length,
      known: false,
    };
  });
  if (ends.some((end) => end === undefined || end.key === subjectKey)) return false;
  for (const end of ends as Mention[]) {
    note(end, clause, "structural");
    structure.relations.push({
      parent: end.key,
      child: subjectKey,
      kind: "one-to-many",
      owned: false,
      required: true,
      label: "links",
      evidence: clause,
    });
  }
  return true;
}

/** "## Rules", "## Non-functional requirements": headings that name a part of the brief, not a record. */
const SECTION_TITLE =
  /^(?:\d+[.)]?\s+)?(?:(?:business|key|main|other|access|security|data|domain|core|functional|non[- ]functional)\s+)?(?:rules?|requirements?|overview|summary|entities|data model|model|roles?|permissions?|access|security|auth|authentication|authori[sz]ation|notes?|constraints?|features?|workflows?|flows?|processes|integrations?|reports?|reporting|compliance|nfrs?|api|endpoints?|stack|tech(?:nical)?(?:\s+(?:stack|notes|details))?|background|context|goals?|scope|actors?|personas?|glossary|misc|other|(?:open\s+)?questions|deployment|operations|screens|pages|ui|assumptions|out of scope|nice to have|must haves?|should haves?)\s*:?$/i;

const DERIVED =
  /^(?:the\s+)?(?:[\p{L}-]+\s+){0,2}(?:is|are)\s+(?:(?:always|just|only)\s+)?(?:computed|calculated|derived|worked out)\b/iu;

const SUBORDINATE_LEAD =
  /^(\s*(?:when|whenever|once|if|after|before|until|as soon as)(?:\s+[^\s,;()]+){1,7}),\s+(?=(?:a|an|the|each|every|we|they|it|he|she|you|i|our|their)\s)/i;

/** "It records …", "They have …": a pronoun subject before a verb that introduces details. */
const PRONOUN_LISTING =
  /^(it|they)\s+((?:also\s+)?(?:has|have|records?|stores?|holds?|keeps?|tracks?|captures?|contains?|includes?))\s+(?!to\b)/i;

/**
 * Splits a sentence into clauses, never inside parentheses: "leave requests (type: vacation, sick;
 * start date, end date)" keeps its field list whole.
 */
function splitClauses(text: string): string[] {
  // "When a slot opens, a coordinator offers it": the subordinate clause ends at its comma.
  const subordinate = SUBORDINATE_LEAD.exec(text);
  if (subordinate !== null) return [subordinate[1] ?? "", ...splitClauses(text.slice(subordinate[0].length))];
  const clauses: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "(" || ch === "[") depth++;
    else if (ch === ")" || ch === "]") depth = Math.max(0, depth - 1);
    else if (depth === 0 && (ch === ";" || ch === "," || ch === "." || ch === " ")) {
      CLAUSE_SPLIT.lastIndex = i;
      const match = CLAUSE_SPLIT.exec(text);
      if (match === null) continue;
      clauses.push(text.slice(start, i));
      start = i + match[0].length;
      i = start - 1;
    }
  }
  clauses.push(text.slice(start));
  return clauses;
}

/**
 * "Expense tracker: employees submit expenses…" — a short lead-in before a colon followed by a
 * whole sentence is a title, not a field list.
 */
function splitLeadIn(text: string): string[] {
  const match = /^([^:]{1,60}):\s+(.+)$/s.exec(text);
  // "Members (name, plan: hot desk / private office)": a colon inside parentheses leads nothing in.
  if (match === null || /\([^)]*$/.test(match[1] ?? "")) return [text];
  const rest = match[2] ?? "";
  const items = splitList(rest);
  // "A recipe has many ingredient lines: ingredient, quantity, unit (g, ml, cup)" is a clause whose
  // list the colon introduces for the records it names, not a title.
  if (HAS_RECORDS.test(match[1] ?? "") && items.length >= 2) {
    const leadTokens = tokenize(match[1] ?? "");
    if (findMentions(leadTokens).at(-1)?.end === leadTokens.length) return [text];
  }
  const sentenceLike =
    items.some((item) => {
      // "track (AI, climate, fintech, open) - one project per team" is a long item, not a clause;
      // "time entries (date, hours) performed by contractors" is one.
      const bare = item
        .replace(/\([^)]*\)/g, " ")
        .replace(/\s[-–—]\s.*$/, "")
        .trim()
        .split(/\s+/);
      return bare.length > 5 || (bare.length > 3 && bare.some((word) => /^[a-z]{3,}ed$/i.test(word)));
    }) || /\b(?:can|should|must|will|are|is|have|has)\b/i.test(rest);
  if (sentenceLike) return [match[1] ?? "", rest];
  // "Participants: name, email, each belongs to one team": the list ends where a clause about
  // each of the records begins.
  const each = EACH_CLAUSE.exec(rest);
  const label = match[1] ?? "";
  if (each === null || findMentions(tokenize(label)).length !== 1) return [text];
  const lead = label.replace(/^\s*(?:the|our|all)\s+/i, "");
  return [`${label}: ${rest.slice(0, each.index)}`, `each ${singularize(lead)} ${each[1] ?? ""}`];
}

/** A field item that names its values: "type: yoga/spin/hiit". */
function choiceItem(field: string, values: readonly string[]): string {
  return `${field}: ${values.map((value) => value.trim()).join("/")}`;
}

/** "soprano", "midday": one lower-case word that names no field and no record. */
function isBareValue(item: string): boolean {
  const word = item.trim();
  if (!/^\p{Ll}[\p{Ll}-]*$/u.test(word)) return false;
  return (
    !isFieldWord(word) &&
    !FIELD_SUFFIX_RULES.some(({ pattern }) => pattern.test(word)) &&
    findMentions(tokenize(word)).length === 0
  );
}

/**
 * "piano, guitar, violin, drums", "early bird, regular, VIP", "call, email, meeting": a group that
 * names kinds, not fields. Each item is one or two lower-case words that name no field, or an
 * acronym; "drums" may be a plural no brief keeps records of; one item of three or more may
 * happen to be a field word ("email").
 */
function isValueGroup(items: readonly string[]): boolean {
  if (items.length < 2) return false;
  const value = (item: string): boolean => {
    const text = item.trim();
    if (/^\p{Lu}{2,4}$/u.test(text)) return true;
    const words = text.split(/\s+/);
    if (words.length > 2 || !words.every((w) => /^\p{Ll}[\p{Ll}-]*$/u.test(w))) return false;
    if (
      isFieldWord(text) ||
      words.some((w) => isFieldWord(w) || FIELD_SUFFIX_RULES.some(({ pattern }) => pattern.test(w)))
    )
      return false;
    return findMentions(tokenize(text)).every((m) => !m.known && words.length === 1);
  };
  const others = items.filter((item) => !value(item));
  return (
    others.length === 0 ||
    (items.length >= 3 && others.length === 1 && /^\p{Ll}+$/u.test(others[0]?.trim() ?? ""))
  );
}

/**
 * "sign up with their name, email and address and pay a yearly fee": a verb with its object ends
 * the list; what follows is another thing the subject does, not a field.
 */
function untilPredicate(items: readonly string[]): string[] {
  const end = items.findIndex((item) => {
    const predicate = /^([\p{L}-]+)\s+(?:a|an|the|their|its|his|her|our|some)\s+/iu.exec(item);
    const verb = predicate?.[1]?.toLowerCase() ?? "";
    return predicate !== null && isVerbLike(verb) && !isFieldWord(verb);
  });
  return end < 0 ? [...items] : items.slice(0, end);
}

/** ", each belongs to one team", "and every one has a coach": a clause ending a labelled list. */
const EACH_CLAUSE =
  /,\s*(?:and\s+)?(?:each|every\s+one|each\s+one)\s+((?:belongs?|is|has|works?|lives?|sits?|plays?|reports?|can|must|may)\b[^,;()]*)$/i;

const HAS_RECORDS =
  /\b(?:has|have|contains?|includes?)\s+(?:many|multiple|several|one or more|a list of|some)\b/i;

/** "filter orders by status and date" → remembered for operations, removed from the clause. */
function stripByPhrases(text: string, structure: BriefStructure): string {
  return text.replace(BY_PHRASE, (whole, verb: string, object: string | undefined, allFields: string) => {
    // "search properties by city and price range, book viewings": the fields end at a comma
    // followed by a verb; what follows goes back into the sentence.
    const cut = /,\s+(?:and\s+)?([\p{L}-]+)/gu;
    let fields = allFields;
    let rest = "";
    for (const match of allFields.matchAll(cut)) {
      if (isVerbLike((match[1] ?? "").toLowerCase())) {
        fields = allFields.slice(0, match.index);
        rest = allFields.slice(match.index);
        break;
      }
    }
    const entityWords = object === undefined ? null : tokenize(object).map((t) => t.lower);
    structure.byPhrases.push({
      verb: verb.toLowerCase().replace(/\s+/g, ""),
      entity: entityWords === null ? null : singularize(entityWords[entityWords.length - 1] ?? ""),
      fields: splitList(fields).map((f) => f.replace(/^(?:their|its|the|a|an)\s+/i, "")),
      evidence: (rest === "" ? whole : whole.slice(0, whole.length - rest.length)).trim(),
    });
    return `${object === undefined ? " " : ` ${verb} ${object} `}${rest}`;
  });
}

/** At most four words, leaving out what is in parentheses: "weight in kg", "barcode (unique)". */
function isShortItem(item: string): boolean {
  return (
    item
      .replace(/\([^)]*\)/g, "")
      // "difficulty: easy / medium / hard": the values after a colon are no longer a phrase.
      .replace(/:.*$/, "")
      .trim()
      .split(/\s+/).length <= 4
  );
}

/** A comma list of short noun phrases with no verb of its own. */
function isBareList(text: string): boolean {
  const items = splitList(text);
  return items.length >= 3 && items.every(isShortItem) && !CLAUSE_VERB.test(text.replace(/\([^)]*\)/g, ""));
}

/** True when a short phrase names a record type rather than a field ("Patient", not "purpose"). */
function namesRecord(phrase: string): boolean {
  const mention = findMentions(tokenize(phrase), { allowSingular: true }).at(-1);
  return mention !== undefined && !isFieldWord(mention.key) && !ENUM_NAME.test(`${phrase} x`);
}

/** Under a heading that names a record type, list items are its fields ("- name (required)"). */
function readHeadingItem(text: string, entity: string, structure: BriefStructure): boolean {
  // "- title, description, servings (int), difficulty: easy / medium / hard": one item, many fields.
  if (isBareList(text) && !namesRecord(splitList(text)[0] ?? "")) {
    for (const item of splitList(text))
      structure.fieldItems.push({ entity, text: item, typeHint: null, evidence: text });
    return true;
  }
  const colon = /^([^:]{1,40}):\s*(.+)$/.exec(text);
  // "- Patient: name, DOB" names another entity; let the clause reader handle it. "- purpose: one
  // of home improvement, car" is a field of this one with its values.
  if (colon !== null && splitList(colon[2] ?? "").length > 1 && namesRecord(colon[1] ?? "")) return false;
  if (text.split(/\s+/).length > 8 && colon === null) return false;
  // "They must not read encounter notes" under "## Rules" is a statement, not a field.
  const outsideParentheses = text.replace(/\([^)]*\)/g, "");
  // "A gardener rents one plot per season" under "## Rules": a subject and its verb.
  const sentenceWords = outsideParentheses.toLowerCase().split(/\s+/);
  if (
    colon === null &&
    sentenceWords.length >= 4 &&
    /^(?:a|an|the|each|every|all|any|no)$/.test(sentenceWords[0] ?? "") &&
    sentenceWords.slice(2, 4).some((word) => isVerbLike(word.replace(/[^\p{L}-]/gu, "")))
  )
    return false;
  if (
    colon === null &&
    /\b(?:can|cannot|can't|must|should|shall|will|may|is|are)\b/i.test(outsideParentheses)
  )
    return false;
  structure.fieldItems.push({ entity, text, typeHint: null, evidence: text });
  return true;
}

function readTableRow(
  segment: Segment,
  headingEntity: string | null,
  structure: BriefStructure,
  note: Note,
): void {
  const cells = segment.cells;
  if (cells === undefined) return;
  const header = cells.header.map((h) => h.toLowerCase());
  const col = (...names: string[]): number => header.findIndex((h) => names.some((n) => h.includes(n)));
  const entityCol = col("entity", "resource", "model", "table", "object");
  const fieldCol = col("field", "attribute", "column", "property", "name");
  const typeCol = col("type", "format");
  const fieldsCol = col("fields", "attributes", "columns", "properties");
  if (entityCol < 0 && fieldCol < 0 && fieldsCol < 0 && headingEntity === null) {
    readUnlabelledTableRow(segment, cells.row, structure, note);
    return;
  }
  const entityCell = entityCol >= 0 ? cells.row[entityCol] : undefined;
  let entity = headingEntity;
  if (entityCell !== undefined && entityCell !== "") {
    const mention = findMentions(tokenize(entityCell), { allowSingular: true })[0];
    if (mention !== undefined) entity = note(mention, segment.text, "structural").key;
  }
  if (entity === null) return;
  if (
    fieldsCol >= 0 &&
    fieldsCol !== entityCol &&
    header[fieldsCol]?.match(/fields|attributes|columns|properties/)
  ) {
    for (const item of splitList(cells.row[fieldsCol] ?? "")) {
      structure.fieldItems.push({ entity, text: item, typeHint: null, evidence: segment.text });
    }
    return;
  }
  const fieldName = fieldCol >= 0 ? cells.row[fieldCol] : undefined;
  if (fieldName === undefined || fieldName === "") return;
  // Flags come as words in a notes column ("required, unique") or as yes/✓ under a column of
  // that name ("Required | yes").
  const flags = cells.row
    .map((cell, i) => {
      const column = header[i] ?? "";
      const yes = /^(?:y|yes|true|x|✓|✔|required|unique)$/i.test(cell.trim());
      if (/^(?:required|mandatory|unique|optional|nullable)$/.test(column)) return yes ? column : "";
      if (i === fieldCol || i === typeCol || i === entityCol) return "";
      return (cell.match(/\b(?:required|mandatory|unique|optional)\b/gi) ?? []).join(", ");
    })
    .filter((flag) => flag !== "");
  // "status | enum | planned, active, closed": the values of an enum sit in a notes column.
  const typeCell = typeCol >= 0 ? (cells.row[typeCol] ?? "") : "";
  const takesValues =
    /\b(?:enum|choice|select|one of|list)\b/i.test(typeCell) || ENUM_NAME.test(`${fieldName} x`);
  const values = takesValues
    ? cells.row
        .filter((_, i) => i !== fieldCol && i !== typeCol && i !== entityCol)
        .map((cell) => cell.replace(/\b(?:required|mandatory|unique|optional|nullable)\b[,;]?/gi, "").trim())
        .map((cell) => cell.replace(/^(?:one of|values?|options?)\s*:?\s*/i, ""))
        .find((cell) => {
          const items = cell.split(/\s*(?:,|\/|\||\bor\b)\s*/).filter((v) => v !== "");
          return items.length >= 2 && items.every((v) => v.split(/\s+/).length <= 3);
        })
    : undefined;
  structure.fieldItems.push({
    entity,
    text: `${fieldName}${values === undefined ? "" : ` (${values})`}${flags.length > 0 ? ` (${flags.join(", ")})` : ""}`,
    typeHint: typeCol >= 0 ? (cells.row[typeCol] ?? null) : null,
    evidence: segment.text,
  });
}

/**
 * "| Thing | What we keep |" over "| Unit | unit number, bedrooms, monthly rent |": headers in the
 * writer's own words. The shape tells what the columns are: a short noun phrase naming a record,
 * then a list of short noun phrases. A list of verb phrases ("Admin | manage users, view reports")
 * says what a role does, not what a record holds, and a person word names a role.
 */
function readUnlabelledTableRow(
  segment: Segment,
  row: readonly string[],
  structure: BriefStructure,
  note: Note,
): void {
  const name = row[0]?.trim() ?? "";
  if (name === "" || name.split(/\s+/).length > 3 || isRoleWord(name.toLowerCase())) return;
  // "start date" and "deposit" begin with words that can be verbs; "manage users" is a verb and
  // its object. Only a list made mostly of the latter is a role's duties.
  const isDuty = (words: readonly string[]): boolean =>
    words.length >= 2 && isVerbLike(words[0] ?? "") && !isFieldWord(words[words.length - 1] ?? "");
  const items = row
    .slice(1)
    .map((cell) => splitList(cell))
    .find((list) => {
      const phrases = list.map((item) => item.toLowerCase().split(/\s+/));
      return (
        phrases.length >= 2 &&
        phrases.every((words) => words.length <= 4) &&
        phrases.filter(isDuty).length * 2 <= phrases.length
      );
    });
  if (items === undefined) return;
  // A word that is usually a field ("Unit", "Rating") names a record here: the row lists its fields.
  const words = name.toLowerCase().split(/\s+/);
  if (!words.every((word) => /^[\p{L}-]+$/u.test(word))) return;
  const mention: Mention = findMentions(tokenize(name), { allowSingular: true })[0] ?? {
    key: phraseKey(words),
    surface: name,
    plural: isPlural(words[words.length - 1] ?? ""),
    start: 0,
    end: words.length,
    known: false,
  };
  const entity = note(mention, segment.text, "structural").key;
  for (const item of items)
    structure.fieldItems.push({ entity, text: item, typeHint: null, evidence: segment.text });
}

const SINGULAR_SUBJECT_HAS =
  /^(?:a|an|the|each|every)\s+[\p{L}-]+(?:\s+[\p{L}-]+)?\s+(?:has|contains|includes|holds|consists of)\s+(?:a|an|the|one|its|their)?\s*[\p{L}-]+(?:\s+[\p{L}-]+)?\s*(?:,|and\b|with\b|\()/iu;

/** Token positions inside "(cash, card or transfer)": values of a field, never records. */
function alternativeValues(tokens: readonly Token[]): ReadonlySet<number> {
  const inside = new Set<number>();
  for (let open = 0; open < tokens.length; open++) {
    if (tokens[open]?.text !== "(") continue;
    let close = open + 1;
    while (close < tokens.length && tokens[close]?.text !== ")") close++;
    if (isAlternatives(tokens.slice(open + 1, close))) for (let i = open + 1; i < close; i++) inside.add(i);
    open = close;
  }
  return inside;
}

/** "one type of cover (home, motor, travel)": a kind named with its choices. */
const KIND_OF =
  /\b(type|kind|category|class|tier|grade|level)\s+of\s+([\p{L}-]+(?:\s+[\p{L}-]+)?)\s*\(([^()]+)\)/iu;

/** "our commission on each policy is a percentage": a field of a record, and its type. */
const FIELD_OF_RECORD =
  /^(?:the|our|their|its|a|an)?\s*([\p{L}-]+(?:\s+[\p{L}-]+)?)\s+(?:on|of|for|per)\s+(?:each|every|a|an|the)\s+([\p{L}-]+(?:\s+[\p{L}-]+)?)\s+(?:is|are)\s+(?:always\s+)?(?:a|an|stored as an?|stored as|given as an?)?\s*([\p{L}/-]+)[.!]?\s*$/iu;

/**
 * Fields a clause states in passing, outside any list: "a quote request is for one client and one
 * type of cover (home, motor)" gives the request a cover type; "our commission on each policy is a
 * percentage" gives the policy a commission.
 */
function readStatedFields(clause: string, mentions: readonly Mention[], structure: BriefStructure): void {
  const subject = mentions[0];
  const kind = KIND_OF.exec(clause);
  if (kind !== null && subject !== undefined && subject.start <= 1) {
    const values = kind[3] ?? "";
    const named = findMentions(tokenize(kind[2] ?? ""), { allowSingular: true });
    // "a type of account (savings, checking)" names a record's kinds only when the noun is no record.
    const choices = values.split(/\s*(?:,|\/|\bor\b)\s*/).filter((v) => v.trim() !== "");
    if (
      named.length === 0 &&
      choices.length >= 2 &&
      choices.every((v) => v.trim().split(/\s+/).length <= 3)
    ) {
      structure.fieldItems.push({
        entity: subject.key,
        text: `${(kind[2] ?? "").toLowerCase()} ${(kind[1] ?? "").toLowerCase()} (${values})`,
        typeHint: null,
        evidence: clause,
      });
    }
  }
  const stated = FIELD_OF_RECORD.exec(clause);
  const type = (stated?.[3] ?? "").toLowerCase();
  if (stated === null || !Object.hasOwn(FIELD_TYPES, type)) return;
  const owner = findMentions(tokenize(stated[2] ?? ""), { allowSingular: true }).at(-1);
  const field = (stated[1] ?? "").toLowerCase();
  // The type word guards this reading: "the owner of each pet is a person" names no type.
  if (owner === undefined) return;
  structure.fieldItems.push({ entity: owner.key, text: field, typeHint: type, evidence: clause });
}

/**
 * "A label has a name and a colour": a field word that has fields of its own is a record. Values
 * have no fields, so the subject of such a sentence is one whatever word it is.
 */
function withFieldWordSubject(
  tokens: readonly Token[],
  clause: string,
  mentions: readonly Mention[],
): readonly Mention[] {
  const subject = tokens[1];
  if (subject === undefined || mentions.some((m) => m.start === 1) || !SINGULAR_SUBJECT_HAS.test(clause))
    return mentions;
  if (
    !/^(?:has|contains|includes|holds|consists)$/.test(tokens[2]?.lower ?? "") ||
    !/^\p{L}{3,}$/u.test(subject.text)
  )
    return mentions;
  const own: Mention = {
    key: singularize(subject.lower),
    surface: subject.text,
    plural: false,
    start: 1,
    end: 2,
    known: false,
  };
  return [own, ...mentions];
}

function readClause(clause: string, segment: Segment, structure: BriefStructure, note: Note): void {
  if (clause === "") return;
  const tokens = tokenize(clause);
  // Singular unknown nouns count only as the lead of an item ("Customer: name, email").
  // So do they as the subject of a "has" that opens a sentence: "A label has a name and a colour."
  const allowSingular =
    segment.kind === "heading" ||
    (segment.kind === "item" && /^[^:]{1,40}:/.test(clause)) ||
    SINGULAR_SUBJECT_HAS.test(clause);
  // "We're a non-profit with zero budget", "we are a small clinic": the writer describing
  // themselves names no record of the application.
  const values = alternativeValues(tokens);
  const found = findMentions(tokens, { allowSingular }).filter(
    (m) => !describesWriter(tokens, m) && !values.has(m.start),
  );
  const mentions = withSingularRepeats(
    tokens,
    withFieldWordSubject(tokens, clause, found),
    structure.candidates,
  );
  if (mentions.length === 0) return;
  readStatedFields(clause, mentions, structure);
  const reading: ClauseReading = { tokens, mentions, structure, note, clause };
  markAuthored(reading);
  markActedOn(reading);

  // A field list: "<entity> has/with/: a, b and c" or "<entity> (a, b, c)".
  const listed = readFieldList(clause, tokens, mentions, structure, note);
  const relationMentions =
    listed === null
      ? mentions
      : mentions.filter((m) => m.end <= listed.listStart && !listed.inParentheses.has(m.start));

  const hasVerb = tokens.some((t) =>
    /^(?:has|have|can|may|must|should|will|are|is|need|needs)$/.test(t.lower),
  );
  let lastRelation: RelationPhrase | null = null;
  // The mention prepositional phrases attach to: the subject, or the object of the clause's verb.
  let anchor: Mention | null = null;
  let previousAfterPreposition = false;
  for (const [index, mention] of relationMentions.entries()) {
    const after = tokens
      .slice(mention.end, mention.end + 3)
      .map((t) => t.lower)
      .join(" ");
    // "authors can write articles" makes authors records of their own; "admins can create users"
    // only grants admins a permission.
    const verbAfter = authoringPhrase(after.split(" ").slice(0, 2));
    const authorsHere =
      verbAfter !== null &&
      CRUD_VERBS[verbAfter] !== "create" &&
      verbAfter !== "publish" &&
      !isStaffRole(mention.key);
    const isRoleSubject =
      /^(?:can|may|should|must|are allowed|is allowed|are able|have access|get access|only)\b/.test(after) &&
      !authorsHere;
    const how =
      isRoleSubject && isRoleWord(mention.key)
        ? "role"
        : relationMentions.length > 1 || (hasVerb && mention.modified !== true)
          ? "structural"
          : "mention";
    note(mention, clause, how);
    const previous = relationMentions[index - 1];
    if (previous === undefined) continue;
    // "visits between patients and doctors", "patients have appointments and prescriptions": a
    // mention coordinated with the previous one takes the same part in the last relation.
    const link = tokens
      .slice(previous.end, mention.start)
      .map((t) => t.lower)
      .join(" ");
    // "between a home team and an away team": words after the determiner describe the second.
    if (
      lastRelation !== null &&
      // "several authors and an author writes many books" starts a clause of its own.
      !(previous.key === mention.key && isVerbLike(tokens[mention.end]?.lower.replace(/s$/, "") ?? "")) &&
      /^(?:and|or|,|, and|, or|as well as|plus)(?:\s+(?:a|an|the|their|its|his|her|one|each)(?:\s+[\p{L}-]+){0,2})?$/u.test(
        link,
      )
    ) {
      if (lastRelation.parent === previous.key && lastRelation.child !== mention.key) {
        structure.relations.push({ ...lastRelation, parent: mention.key });
      } else if (lastRelation.child === previous.key && lastRelation.parent !== mention.key) {
        structure.relations.push({ ...lastRelation, child: mention.key });
      }
      continue;
    }
    // "reservations for a car category at a pickup branch", "inspections are carried out at a site
    // by an inspector": a prepositional phrase after another one still describes the record the
    // first one did, not the object of the first.
    const linking = linkWords(tokens.slice(previous.end, mention.start), mention).join(" ");
    // "members buy memberships (…) and book classes": a second verb after "and" has the clause's
    // subject, not the object before it.
    // "writes treatment notes and can prescribe exercises": the modal carries the same subject.
    const secondVerb =
      /^(?:and|or|then|and then|and also)\s+(?:(?:can|may|must|should|will|also|then)\s+)*([\p{L}-]+)/u.exec(
        linkWords(withoutParentheses(tokens.slice(previous.end, mention.start)), mention).join(" "),
      );
    const subject = relationMentions[0];
    if (
      secondVerb !== null &&
      subject !== undefined &&
      subject !== previous &&
      subject.start <= 1 &&
      // "classes are held in a studio and taught by an instructor": the participle too.
      (isVerbLike(secondVerb[1] ?? "") || isIrregularParticiple(secondVerb[1] ?? "")) &&
      !LINK_DETERMINER.test(secondVerb[1] ?? "")
    ) {
      const verbAt = tokens.findIndex((t, i) => i >= previous.end && t.lower === secondVerb[1]);
      // "librarians can renew a loan and mark a book as lost": the modal carries over, and a
      // permission is no link.
      const modal = /^(?:can|may|should|must|will|shall|could|are able to|is able to)\b/.test(
        tokens
          .slice(subject.end)
          .map((t) => t.lower)
          .join(" "),
      );
      lastRelation =
        modal && isPermissionVerb(secondVerb[1] ?? "")
          ? null
          : relate(subject, mention, tokens, clause, structure, verbAt);
      previousAfterPreposition = false;
      continue;
    }
    if (anchor === null || !previousAfterPreposition) anchor = previous;
    const head = previousAfterPreposition && PREPOSITIONAL_LINK.test(linking) ? anchor : previous;
    // "for a car category at a pickup branch": two records side by side are one phrase, still
    // inside the preposition before them.
    if (linking !== "") previousAfterPreposition = ENDS_IN_PREPOSITION.test(linking);
    lastRelation = relate(head, mention, tokens, clause, structure, previous.end);
  }
  readPossessives(tokens, relationMentions, clause, structure);
}

/**
 * "recipes have many tags and a tag is shared across recipes": a record the brief has already
 * named (or this clause names) in the plural is the same record when it comes back in the
 * singular, even when the singular word alone could be a field ("a tag", "the photo").
 */
function withSingularRepeats(
  tokens: readonly Token[],
  mentions: readonly Mention[],
  named: ReadonlyMap<string, Candidate>,
): readonly Mention[] {
  const pluralKeys = new Set(mentions.filter((m) => m.plural && !m.key.includes(" ")).map((m) => m.key));
  const isNamed = (word: string): boolean =>
    pluralKeys.has(word) || (named.get(word)?.surfaces.some((s) => s.toLowerCase() !== word) ?? false);
  const taken = new Set(
    mentions.flatMap((m) => Array.from({ length: m.end - m.start }, (_, i) => m.start + i)),
  );
  const added: Mention[] = [];
  // "maintenance requests … contractors are assigned to requests": a bare head that only one
  // compound named so far ends in means that compound.
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (
      token === undefined ||
      taken.has(i) ||
      !isPlural(token.lower) ||
      !NON_ENTITY_HEAD.test(singularize(token.lower))
    )
      continue;
    const head = singularize(token.lower);
    const compounds = [...named.keys()].filter((key) => key.endsWith(` ${head}`));
    const compound = compounds[0];
    if (compounds.length !== 1 || compound === undefined) continue;
    added.push({ key: compound, surface: token.text, plural: true, start: i, end: i + 1, known: false });
    taken.add(i);
  }
  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === undefined || taken.has(i) || !isNamed(token.lower)) continue;
    if (!/^(?:a|an|the|each|every|one|that|this)$/.test(tokens[i - 1]?.lower ?? "")) continue;
    added.push({ key: token.lower, surface: token.text, plural: false, start: i, end: i + 1, known: false });
  }
  return added.length === 0 ? mentions : [...mentions, ...added].sort((a, b) => a.start - b.start);
}

/** Heads that name no record alone, only in a compound: "requests", "entries", "items". */
const NON_ENTITY_HEAD = /^(?:request|entry|item|record|log|line|report|check)$/;

/**
 * "members can cancel their own bookings", "residents apply for one of their vehicles": a record
 * the clause's person subject calls theirs belongs to that person.
 */
function readPossessives(
  tokens: readonly Token[],
  mentions: readonly Mention[],
  clause: string,
  structure: BriefStructure,
): void {
  const subject = mentions[0];
  if (subject === undefined || subject.start > 1 || !subject.plural) return;
  if (!isPersonKey(subject.key) || isStaffRole(subject.key)) return;
  for (const mention of mentions.slice(1)) {
    if (mention.key === subject.key || isPersonKey(mention.key)) continue;
    let i = mention.start - 1;
    if (tokens[i]?.lower === "own") i--;
    if (!/^(?:their|his|her)$/.test(tokens[i]?.lower ?? "")) continue;
    const owned = tokens[mention.start - 1]?.lower === "own";
    // "users favourite recipes … edit their own recipes": ownership still says who wrote them.
    const exists = structure.relations.some(
      (r) =>
        ((r.parent === subject.key && r.child === mention.key) ||
          (r.parent === mention.key && r.child === subject.key)) &&
        !(owned && r.kind === "many-to-many"),
    );
    if (exists) continue;
    structure.relations.push({
      parent: subject.key,
      child: mention.key,
      kind: "one-to-many",
      owned,
      required: false,
      label: "their",
      evidence: clause,
    });
  }
}

function describesWriter(tokens: readonly Token[], mention: Mention): boolean {
  const before = tokens
    .slice(Math.max(0, mention.start - 5), mention.start)
    .map((t) => t.lower)
    .join(" ");
  return (
    /\b(?:we\s*'?\s*re|we are|i\s*'?\s*m|i am|this is|it\s*'?\s*s|it is|(?:i|we)\s+(?:run|own|operate|manage|work at|work for))\s+(?:a|an|the|one|our|my)\b(?:\s+[\p{L}-]+){0,2}$/u.test(
      before,
    ) ||
    // "a backend for our car rental company (3 branches)": the writer's own organisation.
    (!mention.plural &&
      WRITERS_ORGANISATION.test(mention.key) &&
      /\b(?:our|my)(?:\s+[\p{L}-]+){0,3}$/u.test(before)) ||
    // "a volunteer scheduling app for a food pantry", "library system for a school": whom the
    // software is for, not a record it keeps.
    (!mention.plural && SOFTWARE_FOR.test(before))
  );
}

const SOFTWARE_FOR =
  /\b(?:app|application|system|tool|platform|portal|software|website|site|backend|back end|api|service|solution|tracker|planner|scheduler|dashboard|marketplace|crm|database|directory|hub|bot|console)\s+for\s+(?:a|an|the|one|our|my)(?:\s+[\p{L}\p{N}-]+)?$/u;

const WRITERS_ORGANISATION =
  /^(?:company|business|firm|agency|organi[sz]ation|startup|team|charity|nonprofit|non-profit|shop|store|studio|practice|office|brand|group|club|lab|bakery|restaurant|cafe|brewery|workshop)$/;

/**
 * "cards (yellow or red, minute, player)": two bare words joined by "or" among the items of a list
 * are the values of the record's type, not two fields.
 */
function withKindAlternatives(group: string): string {
  if (!group.includes(",")) return group;
  return group.replace(
    /(^|,\s*)(\p{L}+)\s+or\s+(\p{L}+)(?=\s*(?:,|$))/gu,
    (whole, lead: string, first: string, second: string) =>
      isFieldWord(first.toLowerCase()) || isFieldWord(second.toLowerCase())
        ? whole
        : `${lead}type: ${first.toLowerCase()}/${second.toLowerCase()}`,
  );
}

/**
 * The singular kinds when every item of a group is a plural noun of one or two words ("laptops,
 * phones, monitors"); null when the group reads as fields or child records ("tags, notes").
 */
const CADENCE =
  /^(?:daily|weekly|fortnightly|biweekly|monthly|quarterly|annual|annually|yearly|termly|one-off|one-time|lifetime|per session|pay as you go)$/i;

function kindsOf(items: readonly string[]): string[] | null {
  if (items.length < 2) return null;
  const heads = items.map((item) =>
    item
      .trim()
      .toLowerCase()
      .replace(/^(?:e\.g\.|eg|such as|like)\s+/, ""),
  );
  const kinds: string[] = [];
  for (const head of heads) {
    const words = head.split(/\s+/);
    const last = words.at(-1) ?? "";
    if (words.length > 2 || !/^[\p{L}\s-]+$/u.test(head) || !isPlural(last)) return null;
    const singular = singularize(last);
    if (ALSO_RECORDS.has(singular) || isKnownRecordNoun(singular)) return null;
    kinds.push([...words.slice(0, -1), singular].join(" "));
  }
  return heads.every((head) => isFieldWord(singularize(head))) ? null : kinds;
}

function readFieldList(
  clause: string,
  tokens: readonly Token[],
  mentions: readonly Mention[],
  structure: BriefStructure,
  note: Note,
): { listStart: number; inParentheses: ReadonlySet<number> } | null {
  const inParentheses = new Set<number>();
  let found = false;
  for (const mention of mentions) {
    if (inParentheses.has(mention.start)) continue;
    const next = tokens[mention.end];
    // "donors (name, email), donations (amount, date)": one group per record, several per clause.
    // "households register (name, address, size)": a lone verb may stand before the group.
    const particle = /^(?:up|in|on|out)$/.test(tokens[mention.end + 1]?.lower ?? "") ? 1 : 0;
    const verbThenGroup =
      next !== undefined &&
      (isVerbLike(next.lower) || isIrregularParticiple(next.lower)) &&
      tokens[mention.end + 1 + particle]?.text === "(";
    // "one meal plan per week (week start date)": the group after the period is the plan's.
    const perPeriod =
      next?.lower === "per" &&
      /^(?:day|night|week|month|quarter|year|season|term|semester|period|shift)$/.test(
        tokens[mention.end + 1]?.lower ?? "",
      ) &&
      tokens[mention.end + 2]?.text === "(";
    const open =
      next?.text === "("
        ? mention.end
        : verbThenGroup
          ? mention.end + 1 + particle
          : perPeriod
            ? mention.end + 2
            : -1;
    if (open >= 0) {
      // "hikes (name, length (km), difficulty)": parentheses nest.
      let close = open + 1;
      for (let depth = 0; close < tokens.length; close++) {
        const text = tokens[close]?.text;
        if (text === ")" && depth === 0) break;
        if (text === "(") depth++;
        else if (text === ")") depth--;
      }
      for (let i = open; i <= close; i++) inParentheses.add(i);
      const items = splitList(withKindAlternatives(tokensText(tokens.slice(open + 1, close))));
      if (verbThenGroup && items.length < 2) continue;
      // "a small clinic (two vets, three nurses)": head counts, not fields.
      if (items.every((item) => COUNTED.test(item))) continue;
      // "method (cash, card or transfer)", "a VAT rate (0%, 7% or 19%)": alternatives are the
      // values of one field, not a record's fields.
      if (isAlternatives(tokens.slice(open + 1, close))) continue;
      // "vaccinations per pet (vaccine name, date given)": the group describes what comes per pet.
      const perOwner = ownerBeforePer(tokens, mentions, mention);
      if (perOwner !== null) {
        const subject = note(perOwner, clause, "structural");
        addItems(subject.key, items, clause, structure, note);
        found = true;
        continue;
      }
      // "assets (laptops, monitors) with serial number, model": the parentheses give examples,
      // the list after them gives the fields.
      const afterParen = tokensText(tokens.slice(close + 1));
      const listAfter = /^\s*(?:with|having|including|that have|which have)\s+/i.exec(afterParen);
      if (listAfter !== null) {
        const subject = note(mention, clause, "structural");
        // "group classes (yoga, spin, HIIT) with a capacity": the examples are the kinds of class.
        const kinds = isValueGroup(items) ? [choiceItem("type", items)] : [];
        addItems(
          subject.key,
          [...kinds, ...splitList(afterParen.slice(listAfter[0].length))],
          clause,
          structure,
          note,
        );
        return { listStart: Number.POSITIVE_INFINITY, inParentheses };
      }
      // "assets (laptops, phones, monitors)": plural nouns in the group are kinds of the record,
      // the values of its type, not fields.
      // One field of the record in parentheses, with the group as its values.
      const giveChoice = (field: string, values: readonly string[]): void => {
        const subject = note(mention, clause, "structural");
        addItems(subject.key, [choiceItem(field, values)], clause, structure, note);
        found = true;
      };
      // "an inspector rates each plot (good, needs work, neglected)": the grades a judge gives.
      const judged = judgedField(tokens, mention, items);
      if (judged !== null) {
        giveChoice(judged, items);
        continue;
      }
      const kinds = kindsOf(items);
      if (kinds !== null) {
        giveChoice("type", kinds);
        continue;
      }
      // "a membership plan (monthly, annual)": how often, the plan's interval.
      if (items.length >= 2 && items.every((item) => CADENCE.test(item.trim()))) {
        giveChoice("interval", items);
        continue;
      }
      // "singers belong to a section (soprano, alto, tenor, bass)", "book walks for a time window
      // (morning, midday)": one word each that names no field is a value, and the thing before
      // the group a field of the record named before it.
      const owner = mentions[mentions.indexOf(mention) - 1];
      // "enrolled in a course (piano, guitar, violin, drums)", "tickets (early bird, regular, VIP)",
      // "activities (call, email, meeting)": the kinds of a record the brief keeps.
      if ((mention.known || mention.plural) && isValueGroup(items)) {
        giveChoice("type", items);
        continue;
      }
      if (owner !== undefined && !mention.plural && items.length >= 2 && items.every(isBareValue)) {
        structure.fieldItems.push({
          entity: owner.key,
          text: choiceItem(mention.surface, items),
          typeHint: null,
          evidence: clause,
        });
        found = true;
        continue;
      }
      // "a remake (remakes are free, we just track the reason)": an aside, not fields.
      const aside = items.some((item) => /^(?:we|i|they|you|it)\s+\p{L}/iu.test(item));
      const fieldish =
        !aside &&
        (items.length >= 2 ||
          items.some(
            (item) =>
              isFieldWord(item.toLowerCase()) ||
              FIELD_SUFFIX_RULES.some(({ pattern }) => pattern.test(item.toLowerCase())),
          ));
      if (fieldish) {
        const subject = note(
          recordTheGroupNames(tokens, mentions, mention, items) ?? mention,
          clause,
          "structural",
        );
        addItems(subject.key, items, clause, structure, note);
        found = true;
      }
      continue;
    }
    // "there's a guest list - guest name, email": the list of a record lists that record's fields.
    const collective = /^(?:list|register|roster|log|catalogue|catalog|directory|database)$/.test(
      tokens[mention.end]?.lower ?? "",
    )
      ? 1
      : 0;
    // "Every object in the collection has a title": a place after the subject, naming no record,
    // stands between it and its list.
    const placed = PLACED_SUBJECT.exec(tokensText(tokens.slice(mention.end + collective)))?.[0] ?? "";
    const placedText =
      placed === ""
        ? tokensText(tokens.slice(mention.end + collective))
        : tokensText(tokens.slice(mention.end + collective))
            .slice(placed.length)
            .trimStart();
    // "sends a reading every minute: temperature, humidity": how often stands before the colon.
    const often = HOW_OFTEN.exec(placedText);
    const afterText = often === null ? placedText : placedText.slice(often[0].length);
    // A dash introduces fields only as a list of short items: "pets - species, breed, weight";
    // "refunds - staff can approve them" is an aside.
    const dash = /^\s*[-–—]\s*/.exec(afterText);
    const dashList =
      dash !== null &&
      (() => {
        const items = splitList(afterText.slice(dash[0].length).split(/[.;]/)[0] ?? "");
        return items.length >= 2 && items.every(isShortItem);
      })();
    const colon = /^\s*:\s*/.exec(afterText) ?? (dashList ? dash : null);
    // "Board: approve refunds and dividends" lists what a role does, not fields.
    const firstWord = /^\s*:\s*([\p{L}-]+)/u.exec(afterText)?.[1]?.toLowerCase() ?? "";
    if (
      colon !== null &&
      (CRUD_VERBS[firstWord] !== undefined || ACTION_VERBS[firstWord] !== undefined) &&
      !isFieldWord(firstWord)
    )
      continue;
    // "each car belongs to a branch and has a plate number, make …": a second predicate of the
    // clause's subject, not a list of the branch's fields.
    const conjoined = colon === null ? CONJOINED_PREDICATE.exec(afterText) : null;
    const conjoinedSubject = conjoined !== null ? clauseSubject(tokens, mentions, mention) : null;
    if (conjoined !== null && conjoinedSubject === null) continue;
    // "riders register with name, email and phone", "users sign up with an email and a password".
    const verbWith = colon === null && conjoined === null ? VERB_WITH.exec(afterText) : null;
    const actsWithList =
      verbWith !== null &&
      isVerbLike((verbWith[1] ?? "").toLowerCase()) &&
      splitList(afterText.slice(verbWith[0].length).split(/[.;]/)[0] ?? "").length >= 2;
    // "Products are identified by a 13-digit EAN and have a name, …": a key, then the fields.
    const identified =
      colon === null && conjoined === null && !actsWithList ? IDENTIFIED_BY.exec(afterText) : null;
    const lead = conjoined?.[0] ?? identified?.[0] ?? (actsWithList ? (verbWith?.[0] ?? "") : "");
    // "report defects against a vehicle, with a severity and a description": the list after
    // ", with" describes what the verb made, not the record after its preposition.
    const commaWith = colon === null && lead === "" ? COMMA_WITH.exec(afterText) : null;
    const introMatch = actsWithList
      ? [""]
      : (colon ?? commaWith ?? FIELD_INTRODUCER.exec(afterText.slice(lead.length)));
    if (introMatch === null) continue;
    const intro = lead + introMatch[0];
    // "customers can track a shipment", "staff can record a visit": what a person may do to a
    // record, not a list of the person's fields.
    if (colon === null && PERSON_ACTING.test(afterText) && isPersonKey(mention.key)) {
      // "mechanics shall record the parts used and the labour hours on a repair": what a person
      // records on a record are that record's fields.
      const recorded = RECORDED_ON.exec(afterText.slice(intro.length));
      const target =
        recorded === null ? undefined : findMentions(tokenize(recorded[2] ?? ""), { allowSingular: true })[0];
      // "referees record cards (colour, minute) for each match" records cards, not the match's fields.
      const ofRecords = findMentions(tokenize(recorded?.[1] ?? "")).some((m) => m.plural || m.known);
      if (
        recorded !== null &&
        target !== undefined &&
        target.start === 0 &&
        !isPersonKey(target.key) &&
        !ofRecords
      ) {
        const subject = note(target, clause, "structural");
        addItems(subject.key, splitList(recorded[1] ?? ""), clause, structure, note);
        found = true;
      }
      continue;
    }
    // "title, track (AI, open) - one project per team": an aside after a spaced dash is a clause.
    const [listText, aside] = splitAside(afterText.slice(intro.length));
    if (aside !== null)
      readClause(aside, { kind: "sentence", text: aside, heading: null, depth: 0 }, structure, note);
    const key = (identified?.[1] ?? "").replace(/^\d+[- ]?(?:digit|character|letter)s?\s+/i, "");
    const items = [...(key === "" ? [] : [`${key} (unique)`]), ...untilPredicate(splitList(listText))];
    // "patients have appointments with doctors" is a relation, not a field list: a field list has
    // several items, an explicit colon, or items that are field words.
    const firstMention = findMentions(tokenize(listText))[0];
    const firstIsRecord =
      firstMention !== undefined && firstMention.start === 0 && firstMention.plural && !colon;
    // "teams have players (name, …)", "patients have appointments with a date": the record after
    // the verb may carry a list of its own.
    if (firstIsRecord && items.length <= 1) continue;
    // "free tier: 20 recipes", "pro: unlimited, $4.99/month": quantities and prices, not fields.
    if (items.length > 0 && items.every((item) => COUNTED.test(item) || QUANTITY_ITEM.test(item))) continue;
    if (items.length === 0 || listText.length > 600) {
      if (found) break;
      return null;
    }
    // "patient record and when": a single item that is no field word is no field list.
    const single =
      items.length === 1 &&
      !colon &&
      !isFieldWord((items[0] ?? "").toLowerCase()) &&
      !/\(/.test(items[0] ?? "");
    if (
      single &&
      findMentions(tokenize(items[0] ?? "")).length === 0 &&
      (items[0] ?? "").split(/\s+/).length <= 2
    ) {
      if (found) break;
      return null;
    }
    // "appointments are booked for a pet with one of the vets, with a start time": a list after
    // the object of a preposition describes the clause's subject.
    const subject = note(
      (commaWith !== null ? objectBeforePreposition(tokens, mentions, mention) : null) ??
        (conjoinedSubject !== null &&
        isPersonKey(conjoinedSubject.key) &&
        !isPersonKey(mention.key) &&
        RECORDING.test(afterText)
          ? mention
          : conjoinedSubject) ??
        prepositionalOwner(tokens, mentions, mention) ??
        mention,
      clause,
      "structural",
    );
    // "users have a wallet and wallets have transactions", "tickets have a subject … and belong to
    // a customer": the list ends where an item turns into a clause of its own.
    // "a case number (we never get the patient's name)": an aside in parentheses is no clause.
    const clauseAt = items.findIndex((item) => CLAUSE_VERB.test(item.replace(/\([^)]*\)/g, " ")));
    addItems(subject.key, clauseAt < 0 ? items : items.slice(0, clauseAt), clause, structure, note);
    if (clauseAt >= 0) {
      const rest = items.slice(clauseAt).join(", ");
      // "… and a tag is shared across recipes": the list reader dropped the article of a record
      // the brief has named already.
      const restsOnNamed = structure.candidates.has(tokenize(rest)[0]?.lower ?? "");
      const startsWithSubject = findMentions(tokenize(rest))[0]?.start === 0 || restsOnNamed;
      readClause(
        restsOnNamed ? `a ${rest}` : startsWithSubject ? rest : `${mention.surface} ${rest}`,
        { kind: "sentence", text: rest, heading: null, depth: 0 },
        structure,
        note,
      );
    }
    return { listStart: mention.end, inParentheses };
  }
  return found ? { listStart: Number.POSITIVE_INFINITY, inParentheses } : null;
}

/** "the parts used and the labour hours on a repair": a list, then the record it is kept on. */
const RECORDED_ON =
  /^(.+?)\s+(?:on|for|against|to|in)\s+(?:a|an|the|each|every|their|its)\s+([\p{L}-]+(?:\s+[\p{L}-]+)?)\s*[.;]?\s*$/iu;

const PERSON_ACTING =
  /^\s*(?:(?:can|may|could|will|should|must|shall)\s+)?(?:also\s+|only\s+|just\s+)?(?:track|record|keep|hold|capture|store|log)s?\b(?!\s+(?:shall|will|must|should|are|is|can|may)\b)/i;

function isPersonKey(key: string): boolean {
  const head = key.split(" ").pop() ?? key;
  return PERSON_NOUNS.has(key) || isAgentNoun(head) || isRoleWord(key);
}

function isGroupKey(key: string): boolean {
  return GROUP_NOUNS.has(key) || GROUP_NOUNS.has(key.split(" ").pop() ?? key);
}

const QUANTITY_ITEM = /^(?:[$€£¥]\s?\d|\d|unlimited\b|free\b|none\b|n\/a\b)/i;

const COUNTED =
  /^(?:(?:around|about|roughly|approximately|approx\.?|over|under|up to|nearly|almost|~)\s*)?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|many|some|dozens of|hundreds of)\s+\p{L}/iu;

/** In "vaccinations per pet (…)", the mention before `per`. */
function ownerBeforePer(
  tokens: readonly Token[],
  mentions: readonly Mention[],
  mention: Mention,
): Mention | null {
  let i = mention.start - 1;
  while (i >= 0 && /^(?:a|an|the|each|every)$/.test(tokens[i]?.lower ?? "")) i--;
  if (tokens[i]?.lower !== "per") return null;
  return mentions.find((m) => m.end === i) ?? null;
}

/**
 * "file claims against their policy (claim date, amount claimed)", "log condition reports for
 * objects (date, condition, notes)": a group after a prepositional object whose items name the
 * record before the preposition, and not the one before the group, describes the first.
 */
function recordTheGroupNames(
  tokens: readonly Token[],
  mentions: readonly Mention[],
  mention: Mention,
  items: readonly string[],
): Mention | null {
  let i = mention.start - 1;
  while (i >= 0 && /^(?:a|an|the|each|every|one|their|its|his|her|my|your|our)$/.test(tokens[i]?.lower ?? ""))
    i--;
  if (!/^(?:for|to|of|on|about|against|into|under|in|from)$/.test(tokens[i]?.lower ?? "")) return null;
  const object = mentions.find((m) => m.end === i);
  if (object === undefined) return null;
  const itemWords = items.flatMap((item) => item.toLowerCase().split(/[^\p{L}]+/u));
  const named = (key: string): boolean =>
    key
      .split(" ")
      .some((word) => itemWords.some((w) => w === word || (word.length >= 4 && w.startsWith(word))));
  return named(object.key) && !named(mention.key) ? object : null;
}

/** In "appointments are booked for a pet with …", the clause's subject; null when the mention is no prepositional object. */
function prepositionalOwner(
  tokens: readonly Token[],
  mentions: readonly Mention[],
  mention: Mention,
): Mention | null {
  const first = mentions[0];
  if (first === undefined || first === mention || first.start > 1) return null;
  let i = mention.start - 1;
  while (i >= 0 && /^(?:a|an|the|each|every|one|their|its)$/.test(tokens[i]?.lower ?? "")) i--;
  // "Every book in the library has an ISBN": the subject, placed by the phrase that follows it.
  if (i === first.end && /^(?:in|of|at|from|on|within|inside)$/.test(tokens[i]?.lower ?? "")) return first;
  if (!/^(?:for|to|of|by|at|from|per|on|about|against|into|under)$/.test(tokens[i]?.lower ?? "")) return null;
  // "… booked for a pet": only when a verb links the subject to that preposition.
  const between = tokens.slice(first.end, i).map((t) => t.lower);
  if (!between.some((word) => isVerbLike(word) || /^(?:are|is|be|get|gets)$/.test(word))) return null;
  // "Mechanics log repairs against a bike: description, parts cost": what a person logs is
  // described, not the person.
  const object = isPersonKey(first.key)
    ? mentions.filter((m) => m.start > first.end && m.end <= i && !isPersonKey(m.key)).at(-1)
    : undefined;
  return object ?? first;
}

/** Splits "a, b (x - y), c - an aside" at its first spaced dash outside parentheses. */
function splitAside(text: string): [string, string | null] {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "(") depth++;
    else if (ch === ")") depth = Math.max(0, depth - 1);
    else if (depth === 0 && /[-–—]/.test(ch ?? "") && text[i - 1] === " " && text[i + 1] === " ") {
      const aside = text.slice(i + 1).trim();
      return aside === "" ? [text, null] : [text.slice(0, i).trim(), aside];
    }
  }
  return [text, null];
}

const PLACED_SUBJECT =
  /^\s*(?:in|at|within|inside)\s+(?:the|our|this|its|their)\s+[\p{L}-]+(?:\s+[\p{L}-]+)?(?=\s+(?:has|have|holds?|carries|carry)\b)/u;

/** "register with", "sign up with": an intransitive verb and the details it comes with. */
const VERB_WITH = /^\s*([\p{L}-]+)(?:\s+(?:up|in|on))?\s+with\s+/u;

/** "… and has", "… and stores": a second predicate joined to the clause's first. */
const IDENTIFIED_BY =
  /^\s*(?:is|are)\s+(?:uniquely\s+)?identified\s+by\s+(?:a|an|the|their|its)?\s*([^,;.()]{1,40}?)\s*,?\s+and\s+(?=(?:has|have|with|includes?|contains?|carry|carries)\b)/i;

const COMMA_WITH = /^\s*,\s*(?:each\s+)?with\s+/i;

/** "defects against a vehicle": the record before the preposition that leads to `mention`. */
function objectBeforePreposition(
  tokens: readonly Token[],
  mentions: readonly Mention[],
  mention: Mention,
): Mention | null {
  let i = mention.start - 1;
  while (i >= 0 && /^(?:a|an|the|each|every|one|their|its)$/.test(tokens[i]?.lower ?? "")) i--;
  // "logged against a deal or a contact, with notes": back over the records coordinated with it.
  while (/^(?:or|and)$/.test(tokens[i]?.lower ?? "")) {
    const coordinated = mentions.find((m) => m.end === i);
    if (coordinated === undefined) break;
    i = coordinated.start - 1;
    while (i >= 0 && /^(?:a|an|the|each|every|one|their|its)$/.test(tokens[i]?.lower ?? "")) i--;
  }
  if (!/^(?:for|to|at|on|against|in|from|about|of)$/.test(tokens[i]?.lower ?? "")) return null;
  return mentions.filter((m) => m.end <= i && !isPersonKey(m.key)).at(-1) ?? null;
}

/** "… and records": a person who records something about the record just named. */
const RECORDING = /^\s*,?\s*and\s+(?:records?|tracks?|logs?|keeps?|stores?|notes?)\b/i;

const CONJOINED_PREDICATE =
  /^\s*,?\s*and\s+(?=(?:has|have|with|includes?|contains?|stores?|holds?|keeps?|records?|tracks?)\b)/i;

/** The subject a conjoined predicate after `mention` continues: the clause's opening mention. */
function clauseSubject(
  tokens: readonly Token[],
  mentions: readonly Mention[],
  mention: Mention,
): Mention | null {
  const first = mentions[0];
  if (first === undefined || first === mention) return null;
  // "A game master runs each game and records …": an article and one word before the subject.
  const described = first.start === 2 && /^(?:a|an|the|each|every|our)$/.test(tokens[0]?.lower ?? "");
  return first.start <= 1 || described ? first : null;
}

/** A list item that is really a clause: it has a verb of its own. */
const CLAUSE_VERB = /\b(?:has|have|can|must|should|will|are|is|belongs?|gets?|owns?|contains?)\b/i;

const COLLECTION_ITEM =
  /^(?:(?:has|have|with)\s+)?(?:many|multiple|several|one or more|zero or more|any number of|(?:a\s+)?list of|lists of|(?:a\s+)?set of|(?:a\s+)?series of|some)\s+(.+?)(?:\s+in\s+(?:order|sequence))?$/i;

/**
 * Adds list items as fields of `entity`, except items that name records of their own:
 * "many line items with description, quantity and unit price" is a child collection with fields,
 * "environments and flags" are child collections, "a customer" is a parent.
 */
function addItems(
  entity: string,
  items: readonly string[],
  evidence: string,
  structure: BriefStructure,
  note: Note,
): void {
  let owner = entity;
  for (const item of items) {
    // "number of children", "count of visits": a number, not a collection of records.
    if (/^(?:(?:the\s+)?(?:number|no\.?|count|total|amount|quantity)\s+of|how many|#)\s/i.test(item)) {
      structure.fieldItems.push({ entity: owner, text: item, typeHint: null, evidence });
      continue;
    }
    // "record every in/out of an item with quantity": what each record is about, then its fields.
    const every = /^(?:every|each)\s+.+?\s+with\s+(.+)$/i.exec(item);
    if (every !== null) {
      structure.fieldItems.push({ entity: owner, text: every[1] ?? "", typeHint: null, evidence });
      continue;
    }
    // "at least one teacher per 10 students" is a ratio the app checks, not a list of records.
    if (/\bper\s+\d+\s/.test(item)) continue;
    if (HOW_MANY.test(item)) continue;
    // "a waiting list holds people who want one (name, email, date joined)": who is on it, and
    // what is kept of each.
    const people = /^(?:people|persons|those|anyone|everyone)\b[^(]*\(([^()]+,[^()]+)\)\s*$/i.exec(item);
    if (people !== null) {
      for (const field of splitList(people[1] ?? ""))
        structure.fieldItems.push({ entity: owner, text: field, typeHint: null, evidence });
      continue;
    }
    // "min players, max players": counts of records are numbers of this one.
    if (/^(?:min|max|minimum|maximum|number of|no\.? of|total|count of)\s/i.test(item)) {
      structure.fieldItems.push({ entity: owner, text: item, typeHint: null, evidence });
      continue;
    }
    // "with one of the vets": a pick from a collection names a parent, not a child collection.
    const pick = /^(?:with\s+)?(?:one|any|each) of (?:the|their|our|its|his|her)\s+(.+)$/i.exec(item);
    const picked = pick === null ? undefined : findMentions(tokenize(pick[1] ?? "")).at(-1);
    if (picked !== undefined) {
      note(picked, evidence, "structural");
      structure.relations.push({
        parent: picked.key,
        child: entity,
        kind: "one-to-many",
        owned: false,
        required: true,
        label: "one of",
        evidence,
      });
      continue;
    }
    const collection = COLLECTION_ITEM.exec(item);
    // "one or more expenses (date, merchant, amount)": the parentheses hold the child's fields.
    const parenthesised = /^([^(]+)\(([^)]*)\)\s*$/.exec(collection?.[1] ?? item);
    const [head, nested] =
      parenthesised !== null
        ? [parenthesised[1]?.trim() ?? "", parenthesised[2]]
        : (collection?.[1] ?? item).split(/\s*:\s+|\s+(?:with|having|each with|containing|including)\s+/i, 2);
    const mention = findMentions(tokenize(head ?? ""), { allowSingular: collection !== null }).at(-1);
    const isChild =
      mention !== undefined &&
      (!isFieldWord(mention.key) || (collection !== null && ALSO_RECORDS.has(mention.key))) &&
      (collection !== null || (mention.plural && (mention.known || nested !== undefined)));
    if (isChild && mention !== undefined) {
      note(mention, evidence, "structural");
      structure.relations.push({
        parent: entity,
        child: mention.key,
        kind: "one-to-many",
        owned: false,
        required: true,
        label: "has many",
        evidence,
      });
      if (nested !== undefined) {
        // "line items with description, qty" hand the rest of the list to the child; "order items
        // (product, qty)" keep their fields inside the parentheses.
        if (parenthesised === null) owner = mention.key;
        for (const field of splitList(nested).filter((text) => !HOW_MANY.test(text))) {
          structure.fieldItems.push({ entity: mention.key, text: field, typeHint: null, evidence });
        }
      }
      continue;
    }
    structure.fieldItems.push({ entity: owner, text: item, typeHint: null, evidence });
  }
}

/** The field a verb of judging fills: "rates each plot (good, poor)" → `rating`. */
const JUDGED: Readonly<Record<string, string>> = {
  rate: "rating",
  grade: "grade",
  score: "score",
  classify: "classification",
  classifie: "classification",
  rank: "rank",
  assess: "assessment",
  assesse: "assessment",
  triage: "triage level",
};

function judgedField(tokens: readonly Token[], mention: Mention, items: readonly string[]): string | null {
  let i = mention.start - 1;
  while (i >= 0 && /^(?:a|an|the|each|every|their|its)$/.test(tokens[i]?.lower ?? "")) i--;
  const verb = (tokens[i]?.lower ?? "").replace(/(?:ed|s|d)$/, "");
  const field = JUDGED[verb] ?? JUDGED[`${verb}e`];
  if (field === undefined || items.length < 2) return null;
  const grades = items.every((item) => {
    const words = item.trim().toLowerCase().split(/\s+/);
    return words.length <= 3 && !isFieldWord(words.join(" ")) && /^[\p{L}\s-]+$/u.test(item.trim());
  });
  return grades ? field : null;
}

/** "members (up to 5 participants, each with name and email)": how many there are, not a field. */
const HOW_MANY = /^(?:up to|at most|at least|no more than|a maximum of|a minimum of)\s+\d+\s+\p{L}+$/iu;

/** Splits "a, b (x, y), c and d" on top-level commas, "and", "or", semicolons and slashes between words. */
export function splitList(text: string): string[] {
  // A semicolon separates groups more strongly than a comma: "severity: minor, critical; reported
  // at" ends the enum's values at the semicolon.
  return splitTopLevel(text, ";").flatMap((group) => mergeEnumRuns(splitItems(group)));
}

function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(" || ch === "[") depth++;
    if (ch === ")" || ch === "]") depth = Math.max(0, depth - 1);
    if (depth === 0 && ch === separator) {
      parts.push(current);
      current = "";
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts;
}

function splitItems(text: string): string[] {
  const items = splitTopLevel(text, ",");
  // "start and end date" shares its suffix only within one comma item: "unpaid; start date" does not.
  return items.flatMap((item) =>
    splitOnConjunctions(item)
      .map((part) =>
        part
          .replace(/^\s*(?:and|or|plus|also|with|each\s+with|each\s+having|each\s+has)\s+/i, "")
          .replace(/^\s*(?:a|an|the|their|its|his|her|optional(?:ly)?)\s+/i, "")
          .trim(),
      )
      .map((part) => part.replace(/[.!]+$/, "").trim())
      .filter((part) => part !== "" && part.length <= 120)
      .map(distributeSuffix),
  );
}

const ENUM_NAME =
  /^(.*?\b(?:status|state|type|kind|stage|priority|level|interval|tier|role|frequency|mode|category|gender|severity|condition|visibility|outcome|result|channel|method|source|flag|cadence))\s*(?::|-|–|=|\bis\b|\bcan be\b|\bof\b|\beither\b)?\s+([\p{L}\p{N} _/-]{1,30})$/iu;

/**
 * "status: pending, paid, shipped" and "billing interval monthly or yearly" are one enum field,
 * though the list splitter saw several items: a name that takes values followed by short items
 * that are not field words becomes `status (pending, paid, shipped)`.
 */
function mergeEnumRuns(items: readonly string[]): string[] {
  // "paid" and "active" are field words too, but as one-word booleans they read as states here.
  const isValue = (item: string): boolean =>
    item.split(/\s+/).length <= 3 &&
    !/[()]/.test(item) &&
    (!isFieldWord(item.toLowerCase()) || FIELD_WORDS[item.toLowerCase()]?.type === "boolean") &&
    !CLAUSE_VERB.test(item) &&
    !/:/.test(item);
  const out: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i] ?? "";
    const start = /[()]/.test(item) ? null : (ENUM_NAME.exec(item) ?? namedValues(item, items[i + 1]));
    if (start === null || isFieldWord((start[2] ?? "").toLowerCase())) {
      out.push(item);
      continue;
    }
    const values = [start[2] ?? ""];
    while (i + 1 < items.length && isValue(items[i + 1] ?? "")) values.push(items[++i] ?? "");
    out.push(values.length >= 2 ? `${start[1]} (${values.join(", ")})` : item);
  }
  return out;
}

/** Words that give a field's type after a colon ("age: integer"), not one of its values. */
const TYPE_WORDS =
  /^(?:string|text|str|varchar|int|integer|number|numeric|float|double|decimal|money|currency|bool|boolean|date|datetime|timestamp|time|uuid|id|json|url|email|phone|enum|list|array|optional|required|unique)\b/i;

/**
 * "position: goalkeeper, defender, forward": any name followed by a colon takes the short items
 * after it as values, provided the next one is a value too (a single "x: y" is left to the field
 * reader, which knows type hints and examples).
 */
function namedValues(item: string, next: string | undefined): RegExpExecArray | null {
  const named = /^([\p{L}][\p{L}\p{N} ]{0,30}?)\s*:\s+([\p{L}\p{N} _/-]{1,30})$/u.exec(item);
  // "difficulty: easy / medium / hard" already holds all its values.
  if (named === null || TYPE_WORDS.test(named[2] ?? "") || /\//.test(named[2] ?? "") || next === undefined)
    return null;
  const nextIsValue =
    next.split(/\s+/).length <= 3 &&
    !/[():]/.test(next) &&
    !isFieldWord(next.toLowerCase()) &&
    !TYPE_WORDS.test(next);
  return nextIsValue ? named : null;
}

/** "start and end date" → "start date", "end date": a lone word borrows the next item's suffix. */
function distributeSuffix(item: string, index: number, items: readonly string[]): string {
  const next = items[index + 1];
  // "name and email address" keeps its name; "start and end date" shares the date.
  const word = item.trim().toLowerCase();
  if (next === undefined || /\s/.test(word) || (isFieldWord(word) && !/^(?:start|end|finish)$/.test(word)))
    return item;
  // "start and end dates": a plural suffix is shared too, one of it each.
  const suffix = /^\w+\s+(date|time|at|address|name|number|amount|price)(?:s|es)?$/i.exec(next.trim());
  return suffix === null ? item : `${item.trim()} ${suffix[1]}`;
}

/** Splits "code (unique) and credits" on `and`/`or`/`&`/`plus` outside parentheses. */
function splitOnConjunctions(item: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  // "one or more target languages" is one item: the "or" counts, it does not list.
  const conjunction = /(?<!\b(?:one|zero|two|three)\b)\s+(?:and|or|&|plus)\s+(?!(?:more|fewer|less)\b)/giy;
  for (let i = 0; i < item.length; i++) {
    const ch = item[i];
    if (ch === "(" || ch === "[") depth++;
    else if (ch === ")" || ch === "]") depth = Math.max(0, depth - 1);
    else if (depth === 0 && ch === " ") {
      conjunction.lastIndex = i;
      const match = conjunction.exec(item);
      // "5 or 10 classes": a bare number and a counted noun are one item.
      const counts =
        match !== null &&
        /^\s*\d+$/.test(item.slice(start, i)) &&
        /^\d+\s+\p{L}/u.test(item.slice(i + match[0].length));
      if (match !== null && !counts) {
        parts.push(item.slice(start, i));
        start = i + match[0].length;
        i = start - 1;
      }
    }
  }
  parts.push(item.slice(start));
  return parts.map((part) => part.replace(/^\s*(?:and|or)\s+/i, ""));
}

function tokensText(tokens: readonly Token[]): string {
  return tokens
    .map((t) => t.text)
    .join(" ")
    .replace(/\s+([,;:)])/g, "$1")
    .replace(/\(\s+/g, "(");
}

function withoutParentheses(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  let depth = 0;
  for (const token of tokens) {
    if (token.text === "(") depth++;
    else if (token.text === ")") depth = Math.max(0, depth - 1);
    else if (depth === 0) out.push(token);
  }
  return out;
}

const LEADING_AUXILIARY =
  /^(?:can|may|must|should|will|shall|could|would|also|only|then|now|first|usually|often|always|need to|needs to|want to|wants to|have to|has to|are able to|is able to|get to|to)$/;
const DETERMINER =
  /^(?:a|an|the|their|its|his|her|one|new|own|many|multiple|several|some|any|more|or|of|zero|us|me|them|you|in|up)$/;

/** "can submit", "submit one or more", "make" → the authoring verb; null for anything else. */
function authoringPhrase(words: readonly string[], describedAllowed = false): string | null {
  let i = 0;
  while (i < words.length) {
    const two = `${words[i]} ${words[i + 1] ?? ""}`;
    const three = `${two} ${words[i + 2] ?? ""}`;
    if (LEADING_AUXILIARY.test(three)) i += 3;
    else if (LEADING_AUXILIARY.test(two)) i += 2;
    else if (LEADING_AUXILIARY.test(words[i] ?? "")) i += 1;
    else break;
  }
  const verb = authoringVerb(words[i] ?? "");
  if (verb === null) return null;
  // "speakers submit talk proposals": one word before the record may describe it.
  const rest = words.slice(i + 1);
  const describing = rest.at(-1) ?? "";
  const described =
    describedAllowed &&
    rest.length > 0 &&
    /^[a-z]{3,}$/.test(describing) &&
    !DETERMINER.test(describing) &&
    !LINK_END.test(describing) &&
    !isVerbLike(describing) &&
    !/^(?:and|or|but|then|also|only|them|it|to|into|about|over|after|before|when|if)$/.test(describing);
  return (described ? rest.slice(0, -1) : rest).every((word) => DETERMINER.test(word)) ? verb : null;
}

const BECOMES =
  /^(?:(?:then|later|eventually|automatically)\s+)?(?:become|becomes|became|turn into|turns into|(?:is|are|get|gets)\s+(?:turned|converted|promoted)\s+(?:into|to)|convert(?:s|ed)?\s+(?:into|to))(?:\s+(?:a|an|the))?(?:\s+[\p{L}-]+)?$/u;

/** A link that is only a preposition and its determiners: "at a", "with one of the", "by an". */
const PREPOSITIONAL_LINK =
  /^(?:for|with|at|by|in|on|from|against|under|within|inside|via|through|during)(?:\s+(?:a|an|the|one|each|every|their|its|his|her|our|some|any|of))*$/;

/** A link that ends in a preposition: "are carried out at a", "for one of their". */
const ENDS_IN_PREPOSITION =
  /\b(?:for|with|at|by|in|on|from|against|under|within|inside|via|through|during|to|between)(?:\s+(?:a|an|the|one|each|every|their|its|his|her|our|some|any|of))*$/;

/**
 * The words linking two mentions, without the modifier the second one dropped: in "workers belong
 * to a subcontractor company", the link is "belong to a".
 */
function linkWords(between: readonly Token[], b: Mention): string[] {
  // "is for either a desk or a room": "either" only announces the alternatives.
  const words = between.filter((t) => !t.punct && t.lower !== "either").map((t) => t.lower);
  // "at a pickup branch", "between a home team": words after the determiner describe the record.
  // "has one or more units": "one or more" counts the records; it is no determiner of a description.
  const determiner = words.findLastIndex(
    (word, i) => LINK_DETERMINER.test(word) && !(/^(?:one|zero)$/.test(word) && words[i + 1] === "or"),
  );
  if (determiner >= 0 && words.length - determiner - 1 <= 2) return words.slice(0, determiner + 1);
  const lastLinkWord = words.findLastIndex((word) => LINK_END.test(word));
  // "clubs are run by volunteer leaders": a person word before the record describes it too.
  const describedBy =
    lastLinkWord >= 0 &&
    words.length - lastLinkWord - 1 === 1 &&
    PERSON_NOUNS.has(singularize(words.at(-1) ?? ""));
  if (b.modified !== true && !describedBy) return words;
  return lastLinkWord >= 0 ? words.slice(0, lastLinkWord + 1) : words;
}

const LINK_DETERMINER =
  /^(?:a|an|the|one|two|three|four|five|six|seven|eight|nine|ten|each|every|their|its|his|her|our|your|some|any|\d+)$/;

const LINK_END =
  /^(?:a|an|the|one|each|every|their|its|his|her|our|of|for|by|on|under|in|at|from|with|to|per|within|between|against)$/;

/** Classifies what links two consecutive mentions of a clause. */
function relate(
  a: Mention,
  b: Mention,
  tokens: readonly Token[],
  clause: string,
  structure: BriefStructure,
  linkStart: number = a.end,
): RelationPhrase | null {
  let pushed: RelationPhrase | null = null;
  const push = (relation: Omit<RelationPhrase, "evidence">): void => {
    pushed = { ...relation, evidence: clause };
    structure.relations.push(pushed);
  };
  const between = withoutParentheses(tokens.slice(linkStart, b.start));
  if (between.some((t) => t.punct && t.text !== "(" && t.text !== ")")) {
    // "patients, doctors and nurses" is a list, not a relation.
    if (between.every((t) => t.punct || /^(?:and|or)$/.test(t.lower))) return pushed;
  }
  // "mechanics get assigned jobs" is "mechanics are assigned jobs": "get" is no reading here.
  // "a member who has overdue loans": a relative clause of having still says what the member has.
  const linked = ((words: string[]) =>
    /^(?:who|that|which)$/.test(words[0] ?? "") && /^(?:has|have|owns?)$/.test(words[1] ?? "")
      ? words.slice(1)
      : words)(linkWords(between, b));
  const words =
    /^(?:get|gets|got)$/.test(linked[0] ?? "") && /^[a-z]{3,}ed$/.test(linked[1] ?? "")
      ? ["are", ...linked.slice(1)]
      : linked;
  const phrase = words.join(" ");
  if (words.length === 0 || /^(?:and|or|nor|as well as)$/.test(phrase) || words.length > 7) return pushed;
  // "expenses which managers approve": a relative clause states an action, read by the operations reader.
  if (/^(?:which|that|who|whom|whose)\b/.test(phrase)) return pushed;
  // "events are appended as carriers report them": a subordinate clause starts a new subject.
  // "Tagged with as many tags as you like" keeps its `as`; only `as` right before the next subject
  // opens a clause.
  if (
    words.some((word) => /^(?:when|whenever|if|because|once|until|unless|while|since)$/.test(word)) ||
    words.at(-1) === "as"
  )
    return pushed;
  if (a.key === b.key) return pushed;
  // "a coordinator offers it to the next patient": what is given is the pronoun, not the record.
  // "contractors are assigned to requests by the landlord": who acts on a person in a passive is
  // no parent of that person ("inspections are carried out by an inspector" still are theirs).
  if (
    /^by(?:\s+(?:a|an|the|their|its|one))?$/.test(phrase) &&
    isPersonKey(a.key) &&
    isPersonKey(b.key) &&
    /\b(?:be|been|is|are|was|were|get|gets)\s+\p{L}+ed\b/u.test(clause.toLowerCase())
  )
    return pushed;
  // "borrow a game to play at a table": the purpose is an action of its own, not a link.
  // "teams register to play in one division" still links the team that acts.
  if (
    !isPersonKey(a.key) &&
    !isGroupKey(a.key) &&
    /\bto\s+(?!(?:a|an|the|their|its|each|every|one|be|been)\b)[a-z]+\s+(?:at|in|on|with|for|from)\b/.test(
      phrase,
    )
  )
    return pushed;
  // "we create a job and assign it to a translator" still links the job: "it" is the job.
  if (
    isPersonKey(a.key) &&
    /\b(?:it|them|this|these|those)\s+(?:to|for|with|from|into|onto|on)\b/.test(phrase)
  )
    return pushed;
  // "we invoice each practice monthly for its shipped orders": the possessive points back.
  // "Parents order lunches for their kids" is the parents' kids: "their" goes back to a person.
  const possessive = /\b(?:for|of|with|to)\s+(its|their|his|her)$/.exec(phrase)?.[1];
  // "parents give consent for their child": people's own people are theirs too.
  const theirPeople =
    possessive !== undefined && possessive !== "its" && isPersonKey(a.key) && isPersonKey(b.key);
  if (
    possessive !== undefined &&
    (!isPersonKey(b.key) || theirPeople) &&
    (possessive === "its" ? !a.plural && !isPersonKey(a.key) : isPersonKey(a.key))
  ) {
    push({ parent: a.key, child: b.key, kind: "one-to-many", owned: false, required: false, label: phrase });
    return pushed;
  }
  // "accepted quotes become moving jobs", "a request is converted into a purchase order": the
  // record the first turns into keeps a link back to it.
  if (BECOMES.test(phrase)) {
    push({ parent: a.key, child: b.key, kind: "one-to-one", owned: false, required: false, label: phrase });
    return pushed;
  }
  // "employees submit leave requests", "buyers can make offers": the author has many of what it
  // creates. The same verb may also be an action ("submit"); the operations reader sees to that.
  // A role that merely creates records ("admins can create vendors") is a permission; a person who
  // writes, submits or books something ("authors write articles") is its author.
  const authored = authoringPhrase(
    words,
    between.every((t) => !t.punct),
  );
  if (
    authored !== null &&
    // "guests make reservations" still authors: only the bare "create" is the generic permission.
    !(isRoleWord(a.key) && (authored === "create" || isStaffRole(a.key))) &&
    // "instructors publish courses" authors them; "hosts can publish a quiz" is a permission.
    !(authored === "publish" && /^(?:can|may|could|must|should|will|shall)$/.test(words[0] ?? ""))
  ) {
    push({
      parent: a.key,
      child: b.key,
      kind: "one-to-many",
      owned: false,
      required: false,
      label: authored,
    });
    return pushed;
  }
  // "admins can refund orders", "customers can search products": a permission, not a relation.
  const modal =
    /^(?:can|may|should|must|will|shall|are able to|is able to|are allowed to|is allowed to|only)\s+(?:only\s+|also\s+)?(\S+)/.exec(
      phrase,
    );
  if (modal !== null && isPermissionVerb(modal[1] ?? "")) return pushed;
  // "refunds must be approved by a manager": an action and who may take it, not a relation.
  const passive = /\b(?:be|been|is|are|get|gets)\s+(\w+?)(?:e?d)\s+by\b/.exec(phrase);
  if (passive !== null && Object.keys(ACTION_VERBS).some((verb) => verb.startsWith(passive[1] ?? "-")))
    return pushed;
  const owned = OWNERSHIP.test(phrase);
  // The link with every word kept: "is for one or more", which `phrase` cuts at its determiner.
  const fullPhrase = between
    .filter((t) => !t.punct)
    .map((t) => t.lower)
    .join(" ");

  if (
    /many[- ]to[- ]many/.test(clause.toLowerCase()) ||
    // "a tag is shared across recipes"
    /\bshared\s+(?:across|between|among|by)\b/.test(phrase) ||
    // "volunteers sign up for shifts": many people on each shift, many shifts for each.
    /\bsign(?:s|ed)?\s+up\b/.test(phrase) ||
    words.some((w) => MANY_TO_MANY_VERBS.has(w)) ||
    /\bbelongs? to (?:many|multiple|several)\b/.test(phrase) ||
    // "a child can be in several clubs".
    /^(?:can|may)\s+(?:be\s+)?(?:in|on|at|join|attend|belong to)\s+(?:several|many|multiple|more than one|any number of)$/.test(
      fullPhrase,
    ) ||
    // "a walk is for one or more dogs": each walk has many dogs, each dog many walks.
    /^(?:is|are)\s+for\s+(?:one or more|several|multiple|many|any number of)$/.test(fullPhrase)
  ) {
    if (a.plural || b.plural || /many|multiple|several/.test(phrase)) {
      push({
        parent: a.key,
        child: b.key,
        kind: "many-to-many",
        owned: false,
        required: false,
        label: phrase,
      });
      return pushed;
    }
  }
  if (HAS_ONE.test(phrase)) {
    // "a user has one meal plan per week": one at a time, many over time.
    const after = withoutParentheses(tokens.slice(b.end))
      .slice(0, 3)
      .map((t) => t.lower)
      .join(" ");
    if (
      /^(?:per|each|every|a)\s+(?:day|night|week|month|quarter|year|season|term|semester|period|cycle|shift)\b/.test(
        after,
      )
    ) {
      push({
        parent: a.key,
        child: b.key,
        kind: "one-to-many",
        owned,
        required: false,
        label: `${phrase} per`,
      });
      return pushed;
    }
    const oneToOne = ONE_TO_ONE_NOUNS.has(b.key);
    if (oneToOne)
      push({ parent: a.key, child: b.key, kind: "one-to-one", owned: true, required: true, label: phrase });
    else push({ parent: b.key, child: a.key, kind: "one-to-many", owned, required: true, label: phrase });
    return pushed;
  }
  if (PARENT_TO_CHILDREN.test(phrase)) {
    // "staff manage shifts", "admins run reports": what a role may do, not what it owns.
    if (isStaffRole(a.key) && /\b(?:manages?|maintains?|runs?|operates?)\b/.test(phrase)) return pushed;
    push({
      parent: a.key,
      child: b.key,
      kind: "one-to-many",
      owned: owned || /\bown\b/.test(phrase),
      required: true,
      label: phrase,
    });
    return pushed;
  }
  const last = words[words.length - 1] ?? "";
  // "residents apply for a permit", "members sign up for classes": a person who acts towards a
  // record through a preposition is its parent, as with authoring verbs.
  if (
    isPersonKey(a.key) &&
    !isPersonKey(b.key) &&
    !isStaffRole(a.key) &&
    words.length <= 4 &&
    isVerbLike(words[0] ?? "") &&
    !/^(?:is|are|was|were|be|been|get|gets|got)$/.test(words[0] ?? "") &&
    /^(?:for|to|into|in|on)$/.test(
      words.filter((w) => !/^(?:a|an|the|their|one|up|of)$/.test(w)).at(-1) ?? "",
    ) &&
    !OWNERSHIP.test(phrase)
  ) {
    push({ parent: a.key, child: b.key, kind: "one-to-many", owned: false, required: false, label: phrase });
    return pushed;
  }
  // "a report with one or more expenses", "a return for several order lines": has-many, counted.
  if (
    /(?:^|\s)(?:with|for)\s+(?:many|multiple|several|one or more|zero or more|any number of|a number of|a list of)$/.test(
      phrase,
    ) &&
    b.plural &&
    !a.plural
  ) {
    push({ parent: a.key, child: b.key, kind: "one-to-many", owned, required: false, label: phrase });
    return pushed;
  }
  // "a property manager assigns each request to a contractor": one person acts, through a record,
  // on another; the two people are not linked.
  if (
    isPersonKey(a.key) &&
    isPersonKey(b.key) &&
    words.some(
      (word) => ACTION_VERBS[word] !== undefined || ACTION_VERBS[word.replace(/e?s$/, "")] !== undefined,
    )
  )
    return pushed;
  if (CHILD_TO_PARENT.test(phrase) || /^(?:a|an|the|each|their|its)$/.test(last)) {
    if (CHILD_TO_PARENT.test(phrase)) {
      // "patients with appointments": `with` + plural reads as has-many.
      if (
        /(?:^|\s)with(?:\s+(?:their|many|multiple|several|one|some|any))?$/.test(phrase) &&
        b.plural &&
        !a.plural
      ) {
        push({ parent: a.key, child: b.key, kind: "one-to-many", owned, required: false, label: phrase });
        return pushed;
      }
      // "referees are assigned to fixtures", "agents reply with comments": a person linked to a
      // record that is no group or place of people is the record's parent (or, both plural and
      // assigned, its many-to-many partner).
      if (isPersonKey(a.key) && !isPersonKey(b.key) && !isGroupKey(b.key) && !/\bof$/.test(phrase)) {
        const shared = a.plural && b.plural && /\bassigned\b/.test(phrase);
        push({
          parent: a.key,
          child: b.key,
          kind: shared ? "many-to-many" : "one-to-many",
          owned: false,
          required: false,
          label: phrase,
        });
        return pushed;
      }
      const loose =
        /(?:^|\s)(?:for|with|in|at|from|on|to|per|within)(?:\s+\w+)?$/.test(phrase) && words.length === 1;
      // "… to CSV for their accountant": a role named for whom something is done is no record;
      // "tickets assigned to an agent" still makes agents records.
      const weak = loose || /\bfor\s+(?:the|a|an|their|our|his|her|your)$/.test(phrase);
      push({
        parent: b.key,
        child: a.key,
        kind: "one-to-many",
        owned,
        required: !loose,
        label: phrase,
        weak,
      });
      return pushed;
    }
  }
  // Subject, verb, object: "pharmacists fill prescriptions", "customers place orders".
  // "admins approve sellers" is an action on sellers, not a relation.
  // "librarians mark a book as lost" too.
  if (words.some((word) => ACTION_VERBS[word] !== undefined || word === "mark")) return pushed;
  // "underwriters review applications", "clerks view orders": reading or editing is a permission.
  if (
    words.some(
      (word) =>
        CRUD_VERBS[word] !== undefined ||
        CRUD_VERBS[word.replace(/e?s$/, "")] !== undefined ||
        /^(?:export|download|print|email|share|search|filter|sort)(?:s|es|ed)?$/.test(word),
    )
  )
    return pushed;
  // A verb must link them: "refunds before payout" or "patients, then doctors" say nothing, and
  // "borrowers apply online, underwriters review applications" has a new subject after its comma.
  const comma = between.some((t) => t.text === "," || t.text === ";");
  if (words.length <= 4 && !comma && !/\b(?:not|no|never)\b/.test(phrase) && words.some(isVerbLike)) {
    push({ parent: a.key, child: b.key, kind: "one-to-many", owned, required: false, label: phrase });
  }
  return pushed;
}
