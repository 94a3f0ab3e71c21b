/**
 * Reads what a brief says about the application as a whole: its name and kind, authentication
 * and roles, non-functional requirements, and the stack.
 */

import { GREETING } from "./brief-text.js";
import { kebabCase, singularize, titleCase } from "./inflect.js";
import { BOOKABLE, PERSON_NOUNS } from "./lexicon/nouns.js";
import { actsAsPerson } from "./lexicon/roles.js";
import { ACTION_VERBS, authoringVerb, CRUD_VERBS, RECORDS_OF_VERB } from "./lexicon/verbs.js";
import { isAgentNoun, isFieldWord, isKnownRecordNoun } from "./mentions.js";
import { scoredRecord } from "./read-scoring.js";
import type { AppKind, Auth, AuthKind, NonFunctional, Permission, Role, Stack } from "./schema.js";

const first = (text: string, pattern: RegExp): string | null => pattern.exec(text)?.[0] ?? null;

export function readAuthKind(text: string): { kind: AuthKind; evidence: string[] } | null {
  const checks: Array<[AuthKind, RegExp]> = [
    [
      "none",
      /\b(?:no (?:auth(?:entication)?|login)|without (?:auth(?:entication)?|login)|public api|unauthenticated|open to everyone|anonymous access)\b/i,
    ],
    [
      "oauth",
      /\b(?:oauth\s*2?(?:\.0)?|openid(?: connect)?|oidc|sso|single sign[- ]on|sign in with (?:google|github|microsoft)|log ?in with (?:google|github|microsoft)|azure ad|entra id|okta|auth0|keycloak|saml|(?:company|work|corporate|their|our) (?:google|microsoft|office 365|o365|github) accounts?|google workspace)\b/i,
    ],
    ["api-key", /\b(?:api[- ]?keys?|x-api-key|service keys?|access keys?)\b/i],
    ["jwt", /\b(?:jwts?|json web tokens?|bearer tokens?|access tokens?)\b/i],
    [
      "jwt",
      /\b(?:log ?in|sign ?in|sign ?up|logins?|authenticat\w*|passwords?|accounts? for|user accounts?|only (?:logged[- ]in|authenticated|signed[- ]in))\b/i,
    ],
  ];
  for (const [kind, pattern] of checks) {
    const evidence = first(text, pattern);
    if (evidence !== null) return { kind, evidence: [evidence] };
  }
  return null;
}

/** One-word then two-word subject, a verb, and the rest of the clause. */
const SUBJECT_VERB = [1, 2].map(
  (size) =>
    new RegExp(
      `^\\s*(?:and\\s+|the\\s+|all\\s+|our\\s+|each\\s+|every\\s+|a\\s+|an\\s+)?((?:[\\p{L}-]+\\s+){${size - 1}}[\\p{L}-]+?)s?\\s+(?:only\\s+|also\\s+)?(?:(?:need|needs|have|has|get|gets|are able|is able)\\s+to\\s+|(?:must|will|should|shall|can|may)\\s+(?:only\\s+|also\\s+)?)?([\\p{L}-]+)\\b(.*)$`,
      "iu",
    ),
);

/**
 * "admins approve sellers" → admin may approve sellers; "risk analysts approve refunds" → risk
 * analyst. One-word subjects are tried before two-word ones; the subject must be a person or a
 * role and the verb something a role does.
 */
/** "managers approve stock adjustments" → "managers": the words before the first verb. */
function beforeVerb(part: string): string {
  const words = part.split(/\s+/);
  if (words.length < 3) return part;
  const verbAt = words.findIndex((word, i) => i > 0 && lexiconVerb(word) !== null);
  return verbAt > 0 ? words.slice(0, verbAt).join(" ") : part;
}

/** Who does something and what: "managers approve refunds" → manager, "approve refunds". */
interface RoleReading {
  role: string;
  action: string;
}

function subjectAndVerb(opening: string, parallel = false): RoleReading | null {
  // "At month end the billing clerk generates …": a time before the subject is no part of it.
  const clause = opening.replace(LEADING_TIME, "");
  // Cheap test first: one of the first three words must be a person or a role.
  const lead = clause.trim().toLowerCase().split(/\s+/, 4).slice(0, 3);
  const personLike = lead.some((word) => {
    const head = singularize(word.replace(/[^\p{L}-]/gu, ""));
    return isAgentNoun(head) || isRoleLike(head) || actsAsPerson(head) || (parallel && isUnknownPlural(word));
  });
  if (!personLike && !/\btheir own\b/i.test(clause)) return null;
  for (const pattern of SUBJECT_VERB) {
    const plain = pattern.exec(clause);
    if (plain === null) continue;
    const subject = (plain[1] ?? "").toLowerCase();
    // "walkers should only see …": a modal ends the subject, it is never part of it.
    if (/\b(?:should|shall|must|will|can|may|could|would|only|also)\b/.test(subject)) continue;
    const head = singularize(subject.split(/\s+/).pop() ?? "");
    // "parents pre-order lunches", "clerks re-open tickets".
    const verb = (plain[2] ?? "")
      .toLowerCase()
      .replace(/s$/, "")
      .replace(/^(?:pre|re)-/, "");
    const isPerson =
      // "judges only see and edit their own scores": only people own things.
      /\btheir own\b/i.test(plain[3] ?? "") ||
      isAgentNoun(head) ||
      isRoleLike(subject) ||
      actsAsPerson(head) ||
      (parallel && !isKnownRecordNoun(head) && !isFieldWord(head));
    const isDoing =
      CRUD_VERBS[verb] !== undefined ||
      ACTION_VERBS[verb] !== undefined ||
      /^(?:see|view|manage|book|track|record|mark|apply|request|file|write|enter|sign)$/.test(verb) ||
      scoredRecord(verb) !== null ||
      authoringVerb(verb) !== null;
    const selfService =
      CRUD_VERBS[verb] === "create" && /^(?:customer|user|patient|member|client|buyer|attendee)$/.test(head);
    // "the head brewer approves recipes" is not every brewer: a rank stays in the role's name.
    const ranked = RANK.test(subject) && subject.split(/\s+/).length === 2;
    if (isPerson && isDoing && !selfService)
      return { role: isRoleLike(subject) || ranked ? subject : head, action: `${verb} ${plain[3] ?? ""}` };
  }
  return null;
}

/** "At month end the …", "Every Friday, …", "At the end of each week, …": when, before who. */
const LEADING_TIME =
  /^\s*(?:at|on|by|every|each|once|after|before|in|during)\s+(?:the\s+|a\s+)?(?:end\s+of\s+(?:the\s+|each\s+|every\s+)?)?(?:[\p{L}-]+\s+)?(?:end|start|close|month|week|day|year|quarter|term|morning|evening|night|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekday|shift)s?(?:,\s*|\s+(?=(?:the|a|an|our|all|each|every)\s))/iu;

/** "associates only those they work on": a subject and what it may touch, with no verb. */
const ELLIPSIS =
  /^\s*(?:and\s+|but\s+|while\s+)?((?:[\p{L}-]+\s+)?[\p{L}-]+)\s+(only\s+(?:those|these|them|the ones)\b.*)$/iu;

/** " and either approves": where a second verb in -s of the same person begins. */
const CHAINED_VERB = /\s+and\s+(?:then\s+|either\s+|also\s+)?(?=[a-z]+[^s\s]s\b)/;

/** " and log the battery swaps": a second verb in its base form, with an object of its own. */
const CHAINED_BASE_VERB =
  /\s+and\s+(?:then\s+|also\s+)?([a-z]+)\s+(?=(?:(?:or|and)\s+[a-z]+\s+)?(?:(?:the|a|an|their|its|each|every|all|any|new)\s|them\b|it\b|[a-z]+s\b))/g;

/**
 * The verb phrases of one person's action, each with its own object: "inspects it and either
 * approves a payout", "replace sensors and log the battery swaps". A verb with no object before
 * "and" shares the next one's ("approve and reject refunds").
 */
function chainedActions(action: string, entityOf: (word: string) => string | null): string[] {
  return action.split(CHAINED_VERB).flatMap((part) => {
    const pieces: string[] = [];
    let from = 0;
    for (const and of part.matchAll(CHAINED_BASE_VERB)) {
      const verb = and[1] ?? "";
      const before = part.slice(from, and.index);
      const hasObject = before
        .split(/[^\p{L}-]+/u)
        .slice(1)
        .some((word) => entityOf(word) !== null || /^(?:it|them)$/.test(word));
      if (lexiconVerb(verb) !== verb || !hasObject) continue;
      pieces.push(before);
      from = (and.index ?? 0) + and[0].lastIndexOf(verb);
    }
    pieces.push(part.slice(from));
    return pieces.map((piece) => piece.trim()).filter((piece) => piece !== "");
  });
}

/**
 * "partners see all matters; associates only those …": a plural that names no record or field,
 * set beside a person, is a person too.
 */
function isUnknownPlural(word: string): boolean {
  const lower = word.toLowerCase().replace(/[^\p{L}-]/gu, "");
  const head = singularize(lower);
  return (
    head !== lower &&
    !isKnownRecordNoun(head) &&
    !isFieldWord(head) &&
    !/^(?:they|we|you|users?)$/.test(lower)
  );
}

/** The person who opens a clause ("an adjuster is assigned …" → `adjuster`), or null. */
function personOpening(clause: string): string | null {
  const opening = /^\s*(?:an?|the|each|every)?\s*([\p{L}-]+)\s+(?:is|are|was|were|gets?)\b/iu.exec(clause);
  const head = singularize((opening?.[1] ?? "").toLowerCase());
  return head !== "" && (isAgentNoun(head) || isRoleLike(head) || actsAsPerson(head)) ? head : null;
}

/** "approve", "inspects" → `inspect`, "denies" → `deny`: the lexicon verb of a word, or null. */
function lexiconVerb(word: string): string | null {
  const lower = word.toLowerCase();
  return (
    [lower, lower.replace(/e?s$/, ""), lower.replace(/s$/, ""), lower.replace(/ies$/, "y")].find(
      (stem) =>
        ACTION_VERBS[stem] !== undefined || CRUD_VERBS[stem] !== undefined || authoringVerb(stem) !== null,
    ) ?? null
  );
}

/** The lexicon verb of a third-person form ("inspects" → `inspect`), or null. */
function verbStem(word: string): string | null {
  return /[^s]s$/i.test(word) ? lexiconVerb(word) : null;
}

function isThirdPersonVerb(word: string): boolean {
  return verbStem(word) !== null;
}

/** Verbs whose doer creates the record they name: "vets write treatment records". */
const AUTHORS =
  /^(?:write|author|draft|file|apply|submit|raise|open|report|log|post|lodge|upload|leave|generate|produce|prepare|book|reserve|place|schedule|enrol|enroll)$/;

const JOINED_PERSON =
  /\s(?:and|while|whereas)\s+((?:the|a|an|each|every|our)\s+[\p{L}-]+(?:\s+[\p{L}-]+)?\s+[\p{L}-]+s\b.*)$/u;

/** Verbs of taking something that exists already: the record made is the loan or the order. */
const TAKES =
  /^(?:rent|rents|borrow|borrows|order|orders|buy|buys|purchase|purchases|hire|hires|lease|leases)$/;

const BOOKS = /^(?:book|books|reserve|reserves)$/;

/**
 * Where a word of an action phrase stands as a verb: first, or after "and", "or", "only" …
 * ("converts requests into purchase orders" purchases nothing).
 */
function atVerb(words: readonly string[], i: number): boolean {
  return (
    i === 0 ||
    (words[i - 1] === "" && i === 1) ||
    /^(?:and|or|only|also|then|can|to)$/.test(words[i - 1] ?? "")
  );
}

/** True when an action phrase names something a role may do ("view", "approve"), not "have". */
function grantsSomething(action: string): boolean {
  return action.split(/[^a-z-]+/).some(
    (word, i, words) =>
      (CRUD_VERBS[word] !== undefined && word !== "manage") ||
      ACTION_VERBS[word] !== undefined ||
      // "citizens can report noise complaints": to author a record is to create one.
      (AUTHORS.test(word) && atVerb(words, i)) ||
      /^(?:everything|anything|manage|administer)$/.test(word),
  );
}

/**
 * The words of what an action acts on: "book lessons with a tutor" books lessons, not tutors. A
 * preposition after the first record ends the object ("view patients and appointments" keeps both).
 */
function objectWords(action: string, entityOf: (word: string) => string | null): string[] {
  const words = action.split(/[^\p{L}-]+/u);
  const first = words.findIndex((word) => entityOf(word) !== null);
  if (first < 0) return words;
  const end = words.findIndex(
    (word, i) =>
      i > first &&
      /^(?:with|for|at|from|in|on|by|to|into|against|per|after|before|during|between|among|across)$/.test(
        word,
      ),
  );
  return end < 0 ? words : words.slice(0, end);
}

/** The record a verb with no object makes ("apply" → `Application`), when the brief has one. */
function recordOfVerb(verb: string, entityOf: (word: string) => string | null): string | null {
  const base = verb.toLowerCase().replace(/(?<=[^s])s$/, "");
  for (const noun of RECORDS_OF_VERB[base] ?? []) {
    const entity = entityOf(noun);
    if (entity !== null) return entity;
  }
  return null;
}

/** "technicians", "an agent", "a reviewer": a word for people, known or shaped like one. */
function isPersonWord(word: string): boolean {
  return PERSON_NOUNS.has(word) || isAgentNoun(word) || isRoleLike(word);
}

/** "head brewer", "program chair", "senior nurse": a rank before a person names a role of its own. */
const RANK =
  /^(?:head|chief|senior|junior|lead|principal|deputy|assistant|program|programme|executive|managing)\s/;

/** Two-word role names that stay whole ("finance manager", "support agent"). */
function isRoleLike(phrase: string): boolean {
  return /\b(?:manager|admin|administrator|agent|officer|lead|analyst|clerk|staff|technician|assistant|coordinator|director|supervisor|head|master|member|owner|partner|worker|planner|engineer|chair|chairperson|rep|representative|registrar|bursar)$/.test(
    phrase,
  );
}

/**
 * Sentences as the role readers expect them: "4.2 Associates may …" loses its numbering,
 * "Foremen: can create incidents" and "Safety managers: everything" read as "X can …".
 */
function roleSentence(sentence: string): string {
  const plain = sentence.replace(/^\s*\d+(?:\.\d+)*[.)]?\s+/, "");
  const colon = /^([\p{L}][\p{L} -]{1,40}?):\s+(.+)$/u.exec(plain);
  if (colon === null) return plain;
  const [, who = "", what = ""] = colon;
  if (who.split(/\s+/).length > 3) return plain;
  if (/^(?:can|may|should|must|only)\b/i.test(what)) return `${who} ${what}`;
  if (/^(?:everything|all|full access|anything)\b/i.test(what)) return `${who} can do everything`;
  if (/^read[- ]only\b/i.test(what)) return `${who} get read-only access`;
  if (/^(?:\w+\s+){0,1}(?:see|view|read|approve|create|edit|manage)\b/i.test(what))
    return `${who} can ${what}`;
  return plain;
}

/** "Receptionists can't see treatment records", "paralegals shall not delete documents". */
/**
 * The parts after each top-level comma that could be clauses: three words or more, outside
 * parentheses ("members (name, email, plan)" lists no clauses).
 */
function commaClauses(clause: string): string[] {
  if (!clause.includes(",")) return [];
  const parts: string[] = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i <= clause.length; i++) {
    const ch = clause[i];
    if (ch === "(") depth++;
    else if (ch === ")") depth = Math.max(0, depth - 1);
    else if (ch === undefined || (ch === "," && depth === 0)) {
      if (start >= 0) {
        const part = clause.slice(start, i);
        if (part.trim().split(/\s+/).length >= 3) parts.push(part);
      }
      start = i + 1;
    }
  }
  return parts;
}

const SELF_AS_ROLE =
  /\b(?:i\s*\(\s*as\s+(?:the\s+|a\s+)?([\p{L}][\p{L} -]{1,30}?)\s*\)|as\s+(?:the\s+|a\s+)?([\p{L}][\p{L} -]{1,30}?),\s*i)\s+(?:can|may|will|should be able to|need to|want to)\s+([^.;]+)/giu;

const MAY_DENY = /\b(?:can't|cannot|can not|not|never)\b/i;

const DENIAL =
  /(?:^|[,;:.(]\s*)((?:[\p{L}][\p{L}-]*\s+){0,3}?[\p{L}][\p{L}-]*)\s+(?:can't|cannot|can not|may not|must not|shall not|should not|are not allowed to|aren't allowed to|never)\s+([^.;]+)/giu;

const PERMISSION_WORDS: ReadonlyArray<[RegExp, Permission[]]> = [
  [
    /\b(?:everything|anything|all operations|full access|do anything|manage everything|administer)\b/,
    ["read", "create", "update", "delete", "act"],
  ],
  [/\bmanage\b/, ["read", "create", "update", "delete"]],
  [/\bread[- ]only\b/, ["read"]],
];

/**
 * Roles: "admins can delete patients; clerks can only view them", "roles: admin, editor, viewer".
 * `entityOf` maps a word to an entity name when it names one.
 */
export function readRoles(sentences: readonly string[], entityOf: (word: string) => string | null): Role[] {
  const roles = new Map<string, Role>();
  const ensure = (rawName: string, evidence: string): Role => {
    const name = kebabCase(
      singularize(
        rawName
          .replace(/^(?:(?:only|the|all|any|a|an|our|each|every)\s+)+/i, "")
          // "sponsor monitors shall have read-only access": the modal is not part of the name.
          .replace(/(?:\s+(?:shall|will|should|must|may|can|could|would|also|only))+$/i, ""),
      ),
    );
    let role = roles.get(name);
    if (role === undefined) {
      role = { name, description: "", grants: [], origin: "brief", evidence: [] };
      roles.set(name, role);
    }
    if (!role.evidence.includes(evidence)) role.evidence.push(evidence);
    return role;
  };

  let previous = "";
  // The verb of the last person read, for a person who comes with none: "…; associates only those".
  let lastVerb: string | null = null;
  for (const original of sentences) {
    const sentence = roleSentence(original);
    const earlier = previous;
    previous = sentence;
    // A role denied something still exists: "receptionists can't see treatment records". (The
    // cheap test first: the full pattern is slow to fail on a long sentence.)
    for (const denial of MAY_DENY.test(sentence) ? sentence.matchAll(DENIAL) : []) {
      const subject = (denial[1] ?? "").toLowerCase().replace(/^(?:the|all|our|only|and|but)\s+/, "");
      const last = subject.split(/\s+/).pop() ?? "";
      const head = singularize(last);
      // Whoever is denied something is a person: any plural that names no record or field.
      const plural =
        last !== head &&
        !isKnownRecordNoun(head) &&
        !isFieldWord(head) &&
        !/^(?:they|we|you|users?)$/.test(last);
      if (isAgentNoun(head) || isRoleLike(subject) || plural)
        ensure(isRoleLike(singularize(subject)) ? singularize(subject) : head, denial[0].trim());
    }
    // "Board members get read-only access", "auditors have access to invoices".
    for (const access of !/\baccess\b/i.test(sentence)
      ? []
      : sentence.matchAll(
          /(?:^|[,;:.]\s*)((?:[\p{L}-]+\s+){0,2}?[\p{L}-]+)\s+(?:get|gets|have|has|are given|receive)\s+(read[- ]only|full|admin|write|read)?\s*access(?:\s+to\s+([^.;,]+))?/giu,
        )) {
      const subject = (access[1] ?? "").toLowerCase().replace(/^(?:the|all|our|only)\s+/, "");
      if (subject === "" || /^(?:it|they|we|you|everyone|anyone|nobody|users?)$/.test(subject)) continue;
      const level = (access[2] ?? "read").toLowerCase();
      const action = `${level.startsWith("read") ? "view" : "create view update delete and act on"} ${access[3] ?? ""}`;
      grant(ensure(subject, access[0].trim()), action);
    }
    // "Receptionists book, reschedule and cancel appointments", "Managers approve leave requests":
    // a person or role word followed directly by what it does.
    // "Partners see all matters; associates only those …": a semicolon keeps the verb going.
    if (!/;\s*$/.test(earlier)) lastVerb = null;
    for (const clause of sentence.split(
      /[;:.]|,\s+(?!then\b)(?=[\p{L}]+\s+(?:can|may|must|should|only|[\p{L}]+s)\b)/u,
    )) {
      // "parents pre-order lunches, canteen staff mark orders as collected": each comma part may
      // be a clause of its own.
      const opener = personOpening(clause);
      // "Members pay their rent and the treasurer records each payment": a second person after
      // "and" starts a clause of their own.
      const joined = JOINED_PERSON.exec(clause)?.[1];
      for (const part of [clause, ...commaClauses(clause), ...(joined === undefined ? [] : [joined])]) {
        // "An adjuster is assigned to each claim, inspects it and …": a comma part that opens
        // with a verb in -s goes on with the person who opened the clause.
        // "…, then marks it complete": so does one that opens with "then".
        const goesOn = part.trim().replace(/^then\s+/i, "");
        const shared =
          opener !== null && part !== clause && isThirdPersonVerb(goesOn.split(/\s+/)[0] ?? "")
            ? `${opener} ${goesOn}`
            : part;
        // "Partners see all matters; associates only those they work on": a person with no verb
        // of their own does what the clause before did.
        const elliptic = ELLIPSIS.exec(part);
        const reading: RoleReading | null =
          subjectAndVerb(shared) ??
          (elliptic !== null && lastVerb !== null
            ? subjectAndVerb(`${elliptic[1]} ${lastVerb} ${elliptic[2]}`, true)
            : null);
        if (reading === null) continue;
        lastVerb = reading.action.split(/\s+/)[0] ?? null;
        // "inspects it and either approves a payout or denies it": each verb with its own object,
        // a pronoun meaning the record named before it.
        let context = `${earlier} ${sentence.slice(0, sentence.indexOf(part))}`;
        for (const action of chainedActions(reading.action, entityOf)) {
          const [verb = "", ...rest] = action.trim().split(/\s+/);
          grant(ensure(reading.role, part.trim()), [verbStem(verb) ?? verb, ...rest].join(" "), context);
          // "assigns each request to a contractor and closes it": "it" is the request.
          const object = objectWords(action, entityOf).join(" ");
          context = object.split(/[^\p{L}-]+/u).some((word) => entityOf(word) !== null)
            ? object
            : `${context} ${action}`;
        }
      }
    }
    // "I (as lab manager) can put an order on hold", "as the office manager, I can …".
    for (const self of sentence.matchAll(SELF_AS_ROLE)) {
      const role = (self[1] ?? self[2] ?? "").toLowerCase();
      if (isRoleLike(role) || isAgentNoun(singularize(role.split(/\s+/).pop() ?? "")))
        grant(ensure(role, self[0].trim()), self[3] ?? "");
    }
    const listed = /\broles?\s*(?::|are|include|including|such as|like)\s*([^.;]+)/i.exec(sentence);
    if (listed !== null) {
      for (const name of (listed[1] ?? "").split(/\s*(?:,|\band\b|\bor\b|\/)\s*/)) {
        const clean = name.replace(/\([^)]*\)/g, "").trim();
        if (/^[\p{L}][\p{L} -]{1,30}$/u.test(clean) && clean.split(/\s+/).length <= 2)
          ensure(clean, listed[0].trim());
      }
    }
    const rolePattern =
      /(?:^|[,;:.(]\s*)((?:[\p{L}][\p{L}-]*\s+){0,6}?)(?:can|may|are allowed to|is allowed to|(?:should|shall|will|must) be able to|are able to|have permission to|get to)\s+(only\s+)?([^.;]+)/giu;
    for (const match of sentence.matchAll(rolePattern)) {
      // "Lab technicians and doctors can view results": one grant per coordinated subject.
      const subjects = (match[1] ?? "")
        .toLowerCase()
        .replace(/^(?:only|the|all|any|our|and)\s+/, "")
        // "dentists from the practices should be able to …": the subject ends at its preposition.
        .replace(/\s+(?:from|of|at|in|with|for|on)\s+.*$/, " ")
        .split(/\s*(?:,|\band\b|\bor\b|\/)\s*/)
        // "managers approve stock adjustments and can see …": the subject is before its verb.
        .map((part) => beforeVerb(part.trim()))
        .map((part) => part.trim().split(/\s+/).slice(-2).join(" "))
        .filter(
          (part) =>
            part !== "" &&
            !/^(?:it|they|we|you|i|anyone|everyone|this|that|which|who|system|api|app|the|a|an|also|then|only|people)$/.test(
              part,
            ) &&
            // "project managers see everything and can cancel": the subject is before the verb.
            !/\b(?:everything|anything|nothing|something|all)$/.test(part),
        );
      const heads = subjects.map((part) =>
        isRoleLike(singularize(part)) ? singularize(part) : (part.split(" ").pop() ?? part),
      );
      if (heads.length === 0) continue;
      const action = (match[3] ?? "").toLowerCase();
      for (const head of heads) {
        if (!isRoleLike(head) && !grantsSomething(action)) continue;
        grant(ensure(head, match[0].trim()), action, `${earlier} ${sentence.slice(0, match.index)}`);
      }
    }
  }

  function grant(role: Role, granted: string, context = ""): void {
    // "may read documents but shall not delete them": what follows `but` is withheld. Logging in
    // is no record being logged.
    let action = (granted.split(/\b(?:but|except|however|although)\b/)[0] ?? granted).replace(
      /\b(?:log(?:s|ged)?|sign(?:s|ed)?)\s+(?:in|on|out)\b|\blog-?ins?\b/g,
      " ",
    );
    // "each judge scores each project": to score is to create a score, not to touch the project.
    const scored = scoredRecord(action.trim().split(/\s+/)[0] ?? "");
    const scoreEntity = scored === null ? null : entityOf(scored);
    if (scoreEntity !== null) {
      grantOn(role, scoreEntity, ["create", "read"]);
      return;
    }
    // "members rent a plot", "customers order products": what changes hands is read; the rental
    // or the order is what is made, when the brief keeps one.
    const [taking = "", ...taken] = action.trim().split(/\s+/);
    // "diners reserve a table": the table stays; the reservation is made.
    const books =
      BOOKS.test(taking) &&
      objectWords(taken.join(" "), entityOf).some((word) => BOOKABLE.test(singularize(word.toLowerCase())));
    if (TAKES.test(taking) || books) {
      const made = recordOfVerb(taking, entityOf);
      if (made !== null) grantOn(role, made, ["create", "read"]);
      for (const entity of new Set(objectWords(taken.join(" "), entityOf).map(entityOf)))
        if (entity !== null && entity !== made) grantOn(role, entity, ["read"]);
      return;
    }
    // "citizens can track the status of their complaint": to follow a record is to read it.
    action = action.replace(/\btrack(?:s)?\s+(?:the\s+)?(?:status|progress|whereabouts)\b/g, "view");
    const permissions = new Set<Permission>();
    // "the sales manager sees everything": to see all is to read all, not to do anything; an
    // admin who sees everything ("HR admins can see everything") still administers it.
    const seesAll =
      !/(?:^|-)(?:admin|administrator|superuser)$/.test(role.name) &&
      /\b(?:see|sees|view|views|read|reads|browse|browses)\s+(?:everything|anything|all)\b/.test(action);
    for (const [pattern, grants] of seesAll ? [] : PERMISSION_WORDS)
      if (pattern.test(action)) for (const g of grants) permissions.add(g);
    const words = action.split(/[^a-z-]+/);
    for (const [i, word] of words.entries()) {
      const permission = CRUD_VERBS[word];
      if (permission !== undefined && word !== "manage") permissions.add(permission);
      // "vets write treatment records", "residents apply for permits": to author is to create.
      else if (permission === undefined && AUTHORS.test(word) && atVerb(words, i)) permissions.add("create");
    }
    if (
      action.split(/[^a-z-]+/).some((word) => ACTION_VERBS[word] !== undefined || /^marks?$/.test(word)) &&
      (permissions.size === 0 || /\bmarks?\b/.test(action))
    ) {
      permissions.add("act");
      permissions.add("read");
    }
    if (permissions.size === 0) return;
    // "an editor assigns reviewers to each manuscript": assigning acts on the record something is
    // assigned to, unless that is a person ("assign a ticket to an agent").
    const assignedTo = /^\s*(?:re)?assigns?\b.*?\bto\s+(?:a|an|the|each|every|their)?\s*([\p{L}-]+)/u.exec(
      action,
    );
    const assignee = assignedTo === null ? null : entityOf(assignedTo[1] ?? "");
    const entities =
      assignee !== null && !isPersonWord(singularize((assignedTo?.[1] ?? "").toLowerCase()))
        ? [assignee]
        : [
            ...new Set(
              // "assign them to technicians": what is assigned, not to whom.
              objectWords(
                assignedTo === null ? action : action.slice(0, action.lastIndexOf(" to ")),
                entityOf,
              )
                .map(entityOf)
                .filter((e): e is string => e !== null),
            ),
          ];
    // "the editor makes the final decision": a light verb whose object is no record grants nothing.
    if (entities.length === 0 && /^\s*(?:make|take|do|reach)s?\s+(?:a|an|the)\s/.test(action)) return;
    // "only vets can write or edit them": a pronoun means the records named before it; so does
    // no object after an action ("The team lead approves; …"), though "clerks can only read" reads all.
    if (
      entities.length === 0 &&
      (/\b(?:them|it|those|these)\b/.test(action) ||
        ACTION_VERBS[action.trim().replace(/(?<=[^s])s$/, "")] !== undefined)
    ) {
      const before = context
        .split(/[^\p{L}-]+/u)
        .map(entityOf)
        .filter((e): e is string => e !== null);
      const last = before.at(-1);
      if (last !== undefined) entities.push(last);
    }
    // "Candidates apply with a CV": the record the verb makes, when the brief keeps one.
    if (entities.length === 0) {
      const made = recordOfVerb(action.trim().split(/\s+/)[0] ?? "", entityOf);
      if (made !== null) entities.push(made);
    }
    // "see everything", "view all data"; but "partners see all matters" see the matters.
    const allOf = /\ball\s+(?:of\s+)?(?:the\s+)?([\p{L}-]+)/u.exec(action);
    const all =
      /\b(?:everything|anything)\b/.test(action) ||
      (/\ball\b/.test(action) && (allOf === null || entityOf(allOf[1] ?? "") === null));
    const target = entities.length === 0 || all ? ["*"] : entities;
    for (const entity of target) grantOn(role, entity, [...permissions]);
  }

  function grantOn(role: Role, entity: string, permissions: readonly Permission[]): void {
    const existing = role.grants.find((g) => g.entity === entity);
    if (existing === undefined) role.grants.push({ entity, permissions: [...permissions].sort() });
    else existing.permissions = [...new Set([...existing.permissions, ...permissions])].sort();
  }

  return mergeShortNames([...roles.values()]).filter(
    (role) => role.grants.length > 0 || (role.name.length >= 2 && !/^(?:user|it|they)$/.test(role.name)),
  );
}

/**
 * "Roles: principal investigator, sponsor monitor … Only investigators may close a study": a
 * one-word role that is part of exactly one longer role's name is that role.
 */
function mergeShortNames(roles: readonly Role[]): Role[] {
  const kept: Role[] = [];
  for (const role of roles) {
    const longer = role.name.includes("-")
      ? []
      : roles.filter(
          (other) =>
            other.name.split("-").length > 1 &&
            other.name.split("-").includes(role.name) &&
            // "the head brewer approves, brewers log readings": the head is above the others.
            !/^(?:head|chief|senior|junior|assistant|deputy)-/.test(other.name),
        );
    const into = longer.length === 1 ? longer[0] : undefined;
    if (into === undefined) {
      kept.push(role);
      continue;
    }
    for (const evidence of role.evidence) if (!into.evidence.includes(evidence)) into.evidence.push(evidence);
    for (const grant of role.grants) {
      const existing = into.grants.find((g) => g.entity === grant.entity);
      if (existing === undefined) into.grants.push({ ...grant, permissions: [...grant.permissions] });
      else existing.permissions = [...new Set([...existing.permissions, ...grant.permissions])].sort();
    }
  }
  return kept;
}

export function readAuth(
  text: string,
  sentences: readonly string[],
  entityOf: (word: string) => string | null,
): Auth {
  const roles = readRoles(sentences, entityOf);
  const explicit = readAuthKind(text);
  if (explicit !== null)
    return {
      kind: explicit.kind,
      roles: explicit.kind === "none" ? [] : roles,
      origin: "brief",
      evidence: explicit.evidence,
    };
  if (roles.length > 0)
    return { kind: "jwt", roles, origin: "brief", evidence: roles.flatMap((r) => r.evidence).slice(0, 2) };
  return { kind: "none", roles: [], origin: "convention", evidence: [] };
}

const DURATION_UNITS: Readonly<Record<string, number>> = { day: 1, week: 7, month: 30, year: 365 };
const RATE_UNITS: Readonly<Record<string, number>> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  second: 1,
  sec: 1,
  minute: 60,
  min: 60,
  hour: 3600,
  hr: 3600,
  day: 86400,
};
const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twelve: 12,
};

const numberOf = (text: string): number =>
  NUMBER_WORDS[text.toLowerCase()] ?? Number(text.replace(/[,_]/g, ""));

export function readNonFunctional(text: string): NonFunctional {
  const requirement = (pattern: RegExp): { origin: "brief"; evidence: string[] } | null => {
    const evidence = first(text, pattern);
    return evidence === null ? null : { origin: "brief", evidence: [evidence] };
  };
  const rateText =
    /\b(\d[\d,_]*)\s*(?:requests?|reqs?|calls?|req)\s*(?:\/|per|a|an|every)\s*(second|sec|s|minute|min|m|hour|hr|h|day|d)\b/i.exec(
      text,
    );
  const rateMention = first(text, /\b(?:rate[- ]limit\w*|throttl\w*)\b/i);
  const rateLimit =
    rateText !== null
      ? {
          origin: "brief" as const,
          evidence: [rateText[0]],
          requests: Math.max(1, numberOf(rateText[1] ?? "100")),
          windowSeconds: RATE_UNITS[(rateText[2] ?? "minute").toLowerCase()] ?? 60,
        }
      : rateMention !== null
        ? { origin: "brief" as const, evidence: [rateMention], requests: 100, windowSeconds: 60 }
        : null;
  const retentionText =
    /\b(?:keep|kept|retain|store|hold|held|preserve|archive)\w*\b[^.;]{0,60}?\b(?:for|at least|minimum of|up to)\s+(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(day|week|month|year)s?\b/i.exec(
      text,
    ) ??
    /\bretention(?: period)?\s*(?:of|:|is|=)?\s*(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(day|week|month|year)s?\b/i.exec(
      text,
    ) ??
    /\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)[- ](day|week|month|year)s?\s+retention\b/i.exec(
      text,
    ) ??
    /\b(?:delete|purge|remove|erase|anonymi[sz]e|drop)\w*\b[^.;]{0,50}?\b(?:after|older than|once older than)\s+(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(day|week|month|year)s?\b/i.exec(
      text,
    );
  const retentionMention = first(
    text,
    /\b(?:data retention|retention polic\w*|retention period|purge (?:old|after))\b/i,
  );
  return {
    rateLimit,
    auditLog: requirement(
      /\b(?:audit(?:ed|ing)?(?: logs?| trails?| history| events?)?|who (?:did|changed|accessed) what|access logs?|change history|track(?:s|ing)? every change)\b/i,
    ),
    softDelete: requirement(
      /\b(?:soft[- ]?delet\w*|never (?:hard[- ])?delete\w*|archive instead of delet\w*|recoverable deletes?|restore deleted|trash(?: bin)?|undelete|never (?:actually |really )?delete\w*|just archive|archive (?:it|them) instead)\b/i,
    ),
    encryptionAtRest: requirement(
      /\b(?:encrypt\w*(?: at rest| in the database| sensitive| fields| data)?|encryption at rest|field[- ]level encryption|aes[- ]?256)\b/i,
    ),
    idempotency: requirement(
      /\b(?:idempoten\w*|exactly[- ]once|no double[- ](?:charges?|payments?|submissions?)|duplicate (?:payments?|requests?|submissions?)|retry[- ]safe|safe to retry)\b/i,
    ),
    retention:
      retentionText !== null
        ? {
            origin: "brief",
            evidence: [retentionText[0]],
            days: Math.max(
              1,
              numberOf(retentionText[1] ?? "1") *
                (DURATION_UNITS[(retentionText[2] ?? "year").toLowerCase()] ?? 365),
            ),
          }
        : retentionMention !== null
          ? { origin: "brief", evidence: [retentionMention], days: 365 }
          : null,
  };
}

export interface StackFlags {
  stack?: "express" | "fastapi" | "gin";
  frontend?: "react" | "none";
  db?: "postgres";
}

const FRAMEWORK_LANGUAGE = { express: "typescript", fastapi: "python", gin: "go" } as const;

export function readStack(text: string, flags: StackFlags): Stack {
  const evidence: string[] = [];
  let framework: Stack["framework"] = "express";
  let origin: Stack["origin"] = "convention";
  const python = first(text, /\b(?:python|fastapi|django|flask|pydantic|sqlalchemy)\b/i);
  const go = first(
    text,
    /\b(?:golang|gin|(?:in|using|with|written in|built in|built with)\s+go)\b|\bgo\s+(?:service|backend|api|microservice|server)\b/i,
  );
  const node = first(text, /\b(?:typescript|node(?:\.js|js)?|express(?:\.js|js)?|javascript)\b/i);
  if (python !== null) [framework, origin] = ["fastapi", "brief"];
  else if (go !== null) [framework, origin] = ["gin", "brief"];
  else if (node !== null) origin = "brief";
  const stackEvidence = python ?? go ?? node;
  if (stackEvidence !== null) evidence.push(stackEvidence);
  if (flags.stack !== undefined) [framework, origin] = [flags.stack, "flag"];

  const noUi = first(
    text,
    /\b(?:no (?:ui|frontend|front-end|user interface|web ui)|api[- ]only|headless|backend[- ]only|without (?:a )?(?:ui|frontend|front-end)|(?:just|only|purely) an? (?:rest |json )?api)\b/i,
  );
  const ui = first(
    text,
    /\b(?:react|frontend|front-end|web (?:app|ui|interface|portal|dashboard)|user interface|ui\b|dashboard|admin (?:panel|console|ui)|portal|website|single[- ]page|spa\b|screens?|pages? (?:to|for|where))/i,
  );
  let frontend: Stack["frontend"] = noUi === null && ui !== null ? "react" : "none";
  if (ui !== null && noUi === null) evidence.push(ui);
  if (flags.frontend !== undefined) frontend = flags.frontend;
  return {
    language: FRAMEWORK_LANGUAGE[framework],
    framework,
    database: flags.db ?? "postgres",
    frontend,
    origin,
    evidence,
  };
}

export function readKind(text: string, stack: Stack): AppKind {
  if (stack.frontend === "react") return "fullstack";
  if (
    /\b(?:background (?:worker|jobs?|processing)|queue (?:consumer|worker)|cron job|batch job|etl (?:job|pipeline)|worker service)\b/i.test(
      text,
    )
  )
    return "worker";
  return "api";
}

const APP_WORDS =
  /\b(api|app|application|system|service|platform|portal|backend|tracker|manager|dashboard|tool|registry|hub|marketplace|crm|erp|database|catalog|catalogue|store|shop|planner|scheduler|console|engine|gateway|microservice)\b/i;

/** The app's display name: the first heading, or the phrase that ends in "API", "system", "portal"… */
export function readName(firstLines: readonly string[], entityNames: readonly string[]): string {
  for (const line of firstLines) {
    const heading = /^#\s+(.{2,80})$/.exec(line.trim());
    if (heading !== null) return displayName(heading[1]?.replace(/[*_`]/g, "").trim() ?? "");
  }
  // "Hi team — quick brief for …", "Feature: Event ticketing": a greeting or a label before the name.
  const firstLine = (firstLines[0] ?? "").replace(GREETING, "").replace(LABEL, "");
  const lead = /^\s*([^:.\n]{2,60}?)\s*[:\u2014]/.exec(firstLine);
  if (lead !== null && APP_WORDS.test(lead[1] ?? "") && (lead[1]?.split(/\s+/).length ?? 0) <= 7)
    return displayName(cleanName(lead[1] ?? ""));
  const phrase =
    /^(?:(?:i|we)\s+(?:need|want)\s+|(?:please\s+)?(?:build|create|make|write|design)\s+(?:(?:me|us)\s+)?)?(?:an?\s+|the\s+)?((?:[\p{L}\p{N}-]+\s+){0,4}?)(api|app|application|system|service|platform|portal|backend|tracker|manager|dashboard|tool|registry|hub|marketplace|crm|erp|catalog|store|shop|planner|scheduler|console|microservice|helpdesk|service desk)\b/iu.exec(
      firstLine,
    );
  if (phrase !== null) {
    const name = cleanName(`${phrase[1] ?? ""}${phrase[2] ?? ""}`);
    if (name.split(/\s+/).length >= 2) return displayName(name);
    // "Build me an API for a dog grooming salon": whom the software is for names it.
    const forWhom = /^\s*for\s+(?:a|an|the|our|my)\s+((?:[\p{L}-]+\s+){0,3}[\p{L}-]+)/u.exec(
      firstLine.slice((phrase.index ?? 0) + phrase[0].length),
    );
    // "Helpdesk for our internal IT": a word that says what the software is keeps its place.
    if (forWhom !== null)
      return displayName(
        `${cleanName(forWhom[1] ?? "")}${/^(?:helpdesk|service desk|tracker|planner|scheduler|registry|marketplace|catalog|shop|store|crm|erp)$/i.test(name) ? ` ${name}` : ""}`,
      );
  }
  // "School timetabling: teachers teach …": a short name of an activity before a colon.
  if (lead !== null && ACTIVITY.test(lead[1]?.trim() ?? "") && (lead[1]?.split(/\s+/).length ?? 0) <= 4)
    return displayName(cleanName(lead[1] ?? ""));
  // "quick brief for the greenhouse sensors project."
  const briefFor = BRIEF_FOR.exec(firstLine);
  if (briefFor !== null) return displayName(briefFor[1] ?? "");
  // "Volunteer coordination for a food bank", alone on its line above the brief: a title.
  // "在庫管理API 📦": the words of a title, without its pictures.
  const title = cleanName(
    firstLine
      .replace(/[^\p{L}\p{N}\s'&-]/gu, " ")
      .replace(/\s+/g, " ")
      .trim(),
  );
  if (
    (firstLines.length === 1 || (firstLines[1] ?? "").trim() === "") &&
    firstLines.length > 1 &&
    !/[.!?;,]$/.test(firstLine.trim()) &&
    /^\p{L}/u.test(title) &&
    title.split(/\s+/).length <= 6 &&
    !/\b(?:is|are|can|must|should|will|need|needs|want|wants|has|have)\b/i.test(title)
  )
    return displayName(title);
  const main = entityNames.slice(0, 2).join(" and ");
  return main === "" ? "Application" : `${main} Service`;
}

const LABEL =
  /^\s*(?:feature|epic|project|title|product|brief|spec|app|idea|(?:(?:software|product|system|functional)\s+)?requirements?(?:\s+(?:specification|document|doc))?|specification|overview|proposal)\s*:\s*/i;
const ACTIVITY = /^[\p{L}-]+(?:\s+[\p{L}-]+){0,3}?\s+[\p{L}-]+(?:ing|tion|ment|ance|ence|ship)s?$/iu;
const BRIEF_FOR =
  /\b(?:brief|spec|specification|requirements)\s+for\s+(?:the|our|a|an)\s+((?:[\p{L}-]+\s+){0,3}?[\p{L}-]+?)(?:\s+project)?\s*[.:;,]/iu;

const ACRONYMS: Readonly<Record<string, string>> = {
  api: "API",
  ui: "UI",
  crm: "CRM",
  erp: "ERP",
  iot: "IoT",
  hr: "HR",
  it: "IT",
  saas: "SaaS",
  url: "URL",
};

function displayName(text: string): string {
  return titleCase(text)
    .split(" ")
    .map((word) => ACRONYMS[word.toLowerCase()] ?? word)
    .join(" ");
}

function cleanName(text: string): string {
  return text
    .replace(/^(?:i|we)\s+(?:need|want|would like)\s+(?:a|an|the)?\s*/i, "")
    .replace(/^(?:build|create|make|write|generate|design)\s+(?:me\s+)?(?:a|an|the)?\s*/i, "")
    .replace(/^(?:a|an|the|simple|basic|small|new|our|my)\s+/gi, "")
    .replace(/^(?:a|an|the|simple|basic|small|new|our|my)\s+/gi, "")
    .replace(/\s+(?:for|that|which|where|with|to|under|using|in|on|built|written|compliant)\s+.*$/i, "")
    .trim();
}
