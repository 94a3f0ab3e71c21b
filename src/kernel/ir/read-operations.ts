/**
 * Operations: CRUD for every entity, plus the custom actions, searches and exports the brief's
 * verbs ask for ("approve a refund", "search products by name", "export my data").
 */
import { camelCase, isPlural, singularize, withArticle, words } from "./inflect.js";
import { FIELD_WORDS } from "./lexicon/fields.js";
import { BOOKABLE, PERSON_NOUNS } from "./lexicon/nouns.js";
import { isRoleWord } from "./lexicon/roles.js";
import {
  ACTION_VERBS,
  AUTHORING_VERBS,
  CRUD_VERBS,
  MANY_TO_MANY_VERBS,
  PHRASAL_VERBS,
} from "./lexicon/verbs.js";
import { isAgentNoun } from "./mentions.js";
import { type Entity, type Field, type Operation, operationOf, type Relation } from "./schema.js";

/** Past participle → base verb, for passive phrasing ("refunds must be approved by a manager"). */
/** Participles the spelling rule misses: irregular verbs and British doubled consonants. */
const IRREGULAR_PARTICIPLES: ReadonlyArray<readonly [string, string]> = [
  ["paid", "pay"],
  ["sent", "send"],
  ["held", "hold"],
  ["cancelled", "cancel"],
  ["signed off", "signoff"],
  ["withdrawn", "withdraw"],
  ["frozen", "freeze"],
  ["rolled back", "rollback"],
  ["topped up", "topup"],
  ["dispatched", "dispatch"],
  ["refunded", "refund"],
];

const BASE_OF_PARTICIPLE: ReadonlyMap<string, string> = new Map([
  ...Object.keys(ACTION_VERBS).map((verb) => [participle(verb), verb] as const),
  ...IRREGULAR_PARTICIPLES,
]);

function participle(verb: string): string {
  if (verb.endsWith("e")) return `${verb}d`;
  if (/[^aeiou][aeiou][pgtbn]$/.test(verb) && !/(?:en|on|ish|it)$/.test(verb))
    return `${verb}${verb.at(-1)}ed`;
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ied`;
  return `${verb}ed`;
}

const INITIAL_STATE_FOR: ReadonlyArray<[RegExp, string]> = [
  [/^(?:publish|unpublish)$/, "draft"],
  [/^(?:close|resolve|assign|escalate|reopen|triage)$/, "open"],
  [/^(?:activate|deactivate|suspend|reinstate|block|unblock|ban|freeze|unfreeze)$/, "active"],
];

/** Actions that can happen from any non-final state. */
const FROM_ANY =
  /^(?:cancel|archive|close|void|suspend|block|freeze|flag|hold|withdraw|escalate|deactivate)$/;

export interface ActionRequest {
  entity: string;
  verb: string;
  roles: string[];
  evidence: string;
}

/**
 * What the action reader may ask of the records already read, for actions whose object is not a
 * record's name.
 */
export interface ActionContext {
  entityOf: (word: string) => string | null;
  /** "adjust points" → the record holding a points field (Customer.pointsBalance), or null. */
  recordOfNoun: (noun: string) => string | null;
  /**
   * "staff do check in", "users can top up": with no object at all, the record the verb names a
   * field of (Stay.checkInDate), else the one record the subject holds (a user's Wallet), or null.
   */
  implicitObject: (verb: string, subject: string | null) => string | null;
}

/** The `ActionContext` of a brief whose records and relations have been read. */
export function actionContext(
  entities: readonly Entity[],
  relations: readonly Relation[],
  entityOf: (word: string) => string | null,
): ActionContext {
  const things = entities.filter((e) => !isPersonName(e.name));
  const recordOfNoun = (noun: string): string | null => {
    // "shopping-list": the compound's head stands for it when no field is named by the whole.
    const head = noun.split("-").pop() ?? noun;
    // "lock scoring": the -ing of a verb stands for the record it makes ("score").
    const stem = /^(\p{L}{3,}?)(\p{L})?\2?ing$/u.exec(head);
    const gerund = stem === null ? [] : [`${stem[1]}${stem[2] ?? ""}`, `${stem[1]}${stem[2] ?? ""}e`];
    const forms = new Set([head, singularize(head), ...gerund]);
    const camel = camelCase(singularize(noun.replace(/-/g, " ")));
    const holds = (e: Entity, exact: boolean) =>
      e.fields.some((f) => (exact ? f.name === camel : words(f.name).some((w) => forms.has(w))));
    return (
      (
        entities.find((e) => holds(e, true)) ??
        entities.find((e) => holds(e, false)) ??
        things.find((e) => words(e.name).some((w) => forms.has(w)))
      )?.name ?? null
    );
  };
  const implicitObject = (verb: string, subject: string | null): string | null => {
    // "a stay has a check in date … staff do check in": the verb names one of the record's fields.
    const named =
      verb.length < 4
        ? undefined
        : entities.find((e) =>
            e.fields.some((f) => f.name !== verb && f.name.toLowerCase().startsWith(verb)),
          );
    if (named !== undefined) return named.name;
    const holder = subject === null ? null : (entityOf(subject) ?? null);
    if (holder === null) return null;
    // "users have a wallet (one each) … users can top up": the one record the subject holds.
    const single = relations.find((r) => r.kind === "one-to-one" && r.from === holder);
    if (single !== undefined) return single.to;
    const owned = relations.filter((r) => r.kind === "one-to-many" && r.owned && r.from === holder);
    if (owned.length === 1) return owned[0]?.to ?? null;
    // "customers can skip a week": the only kind of record the subject has.
    const children = relations.filter(
      (r) => r.kind === "one-to-many" && r.from === holder && !isPersonName(r.to),
    );
    return owned.length === 0 && children.length === 1 ? (children[0]?.to ?? null) : null;
  };
  return { entityOf, recordOfNoun, implicitObject };
}

/** Finds "<verb> (a|the|my) <entity>" and "<entity> … be <verb>ed by <role>" in each sentence. */
export function readActions(sentences: readonly string[], context: ActionContext): ActionRequest[] {
  const { entityOf } = context;
  const found: ActionRequest[] = [];
  // "The manager marks it as paid": a pronoun object means the last thing the brief named.
  let lastThing: string | null = null;
  let lastSingularThing: string | null = null;
  // "The team lead approves; anything over 5000 EUR …": a semicolon ends a clause as a full stop does.
  for (const sentence of sentences.flatMap((s) => s.split(/;\s+/))) {
    // Where the last action verb of this sentence ended, and what it acted on.
    let lastVerbAt = -10;
    let lastObject: string | null = null;
    const thingBefore = lastThing;
    const singularBefore = lastSingularThing;
    const objectOrPronoun = (tokens: readonly string[], from: number, chained = false): string | null =>
      objectAfter(tokens, from, entityOf) ??
      // "suspend a member … and reinstate them": in a chain of verbs the pronoun is the last object.
      (chained && PRONOUN_OBJECT.test(tokens[from] ?? "") ? lastObject : null) ??
      (PRONOUN_OBJECT.test(tokens[from] ?? "")
        ? // "gets an invoice summarising their bookings; … marks it as paid": "it" is a singular thing.
          /^(?:it|this)$/.test(tokens[from] ?? "")
          ? (subjectBefore(tokens, from, entityOf, true) ?? singularBefore)
          : (subjectBefore(tokens, from, entityOf) ?? thingBefore)
        : null);
    // "check in / check out": a slash between words is "or".
    // "trips (start, end, destination)": a list in parentheses names fields, not actions.
    const unlisted = sentence.replace(LISTED_IN_PARENTHESES, " ");
    let lower = ` ${unlisted.toLowerCase().replace(/(\p{L})\s*\/\s*(?=\p{L})/gu, "$1 or ")} `.replace(
      PHRASAL,
      (_, phrase: string) => ` ${PHRASAL_VERBS[phrase]}`,
    );
    // Split phrasal verbs: "check a patient in" → "checkin a patient".
    lower = lower.replace(
      /\bcheck(?:s|ed)?\s+((?:a|an|the|their|his|her)\s+)?(\w+)\s+(in|out)\b/g,
      "check$3 $1$2",
    );
    // Third-person verbs read as their base ("approves" → "approve"); entity lookups singularise anyway.
    const tokens = lower
      .split(/[^\p{L}\p{N}-]+/u)
      .filter((t) => t !== "")
      .map(baseVerb);
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] ?? "";
      // "issue date", "return window", "close time": a verb before a field noun names the field.
      // "a start and end time" too; and after an article a verb is a noun: "each route has a grade".
      const namesField =
        FIELD_NOUN_AFTER_VERB.test(tokens[i + 1] ?? "") ||
        (/^(?:and|or)$/.test(tokens[i + 1] ?? "") && FIELD_NOUN_AFTER_VERB.test(tokens[i + 3] ?? "")) ||
        // "the member's pack": after a possessive, too.
        /^(?:a|an|the|each|every|its|their|his|her|our|my|your|per|no|s)$/.test(tokens[i - 1] ?? "") ||
        // "sold in packs of 10": between a preposition and "of", a verb is a noun.
        (/^(?:in|into|by|with)$/.test(tokens[i - 1] ?? "") && tokens[i + 1] === "of") ||
        // "On return the employee enters …", "damage found upon return": a noun after "on".
        (/^(?:on|upon)$/.test(tokens[i - 1] ?? "") && token !== "hold") ||
        // "a repayment schedule", "by bank transfer": the head of a record's name is no verb.
        (i > 0 && entityOf(`${tokens[i - 1]} ${token}`) !== null) ||
        // "at month end", "by year close": a time of the calendar, not an action.
        (/^(?:end|start|close|open)$/.test(token) &&
          /^(?:month|year|week|day|quarter|term|semester|season|shift|period)$/.test(tokens[i - 1] ?? ""));
      // "accounts hold a balance" has; "put an order on hold" and "orders are held" act.
      // "status (open, on hold, filled)" lists a value, not the action.
      const holding = token === "hold" && !ON_HOLD.test(sentence.replace(/\([^()]*\)/g, " "));
      const known = ACTION_VERBS[token] !== undefined && !namesField && !holding;
      // "riders can report a damaged bike", "action: generate the shopping list": after a modal,
      // a word that is not CRUD, linking or being is the brief's own action, in or out of the lexicon.
      // "approves the proof or requests changes": a verb after "or" shares the clause of the last.
      // "rate a session after it ends": what happens of itself after a subordinating word is no action.
      // "publish the winners once scoring closes", "after the event ends": so is what a thing does.
      const subordinate = /^(?:after|before|when|once|until|while|if|unless|as)$/;
      if (
        (/^(?:it|they|this|that)$/.test(tokens[i - 1] ?? "") && subordinate.test(tokens[i - 2] ?? "")) ||
        (/^(?:end|close|open|start|finish|expire|pass|run|lapse)$/.test(token) &&
          !/^(?:a|an|the|their|its|his|her|our|each|every|all)$/.test(tokens[i + 1] ?? "") &&
          (subordinate.test(tokens[i - 2] ?? "") ||
            (/^(?:the|its|their)$/.test(tokens[i - 2] ?? "") && subordinate.test(tokens[i - 3] ?? ""))))
      )
        continue;
      const chained = /^(?:or|and)$/.test(tokens[i - 1] ?? "") && lastVerbAt >= i - 10;
      // "the odometer reading and fuel level": a word that names a field with the next is no verb.
      // "marks it complete": marking is read below, by the state it gives.
      const custom =
        known || namesField || /^mark(?:s|ed)?$/.test(token)
          ? null
          : customActionAt(tokens, i, chained, entityOf);
      const active = known ? token : custom;
      if (active !== null) {
        // "approve or reject refunds", "do check in / check out": a chain of verbs shares its object.
        const verbs = [active];
        let k = i + 1;
        // "approve or bounce the application": the brief's own verb may close the chain.
        while (k + 1 < tokens.length && /^(?:or|and)$/.test(tokens[k] ?? "")) {
          const next = tokens[k + 1] ?? "";
          const verb =
            ACTION_VERBS[next] !== undefined
              ? next
              : objectAfter(tokens, k + 2, entityOf) !== null
                ? customActionAt(tokens, k + 1, true, entityOf)
                : null;
          if (verb === null) break;
          verbs.push(verb);
          k += 2;
        }
        // "The team lead approves.": a verb that ends its clause after a person acts on the last
        // thing the brief named.
        const bare =
          known && k >= tokens.length && subjectOf(tokens, i, entityOf) !== null ? thingBefore : null;
        const named =
          objectOrPronoun(tokens, k, chained) ??
          (known ? (subjectBefore(tokens, i, entityOf) ?? bare) : null);
        // To author a record is to create it: "customers request a quote" is CRUD, not an action.
        if (!known && named !== null && AUTHORING_VERBS.has(active) && active !== "report") continue;
        // "Every sensor sends a reading": a thing that sends records makes them; no one acts.
        const sender = entityOf(tokens[i - 1] ?? "");
        if (
          named !== null &&
          sender !== null &&
          sender !== named &&
          !isPersonName(sender) &&
          !isAgentNoun(words(sender).at(-1) ?? "") &&
          /^(?:send|transmit|emit|report|push|upload|post|stream|broadcast)$/.test(active)
        )
          continue;
        // "diners reserve a table": the reservation is made (created); the table keeps no state.
        if (
          named !== null &&
          /^(?:book|reserve)$/.test(active) &&
          BOOKABLE.test(words(named).join(" ").toLowerCase()) &&
          (entityOf("reservation") ?? entityOf("booking")) !== null
        )
          continue;
        lastVerbAt = k - 1;
        // "assign a car to a reservation", "assign a technician to a work order": assigning acts on
        // the record something is assigned to, unless that is a person ("assign a ticket to an agent").
        const object = /^(?:re)?assign$/.test(active)
          ? (recordAfter(tokens, k, entityOf, ASSIGNED_TO) ?? named)
          : named;
        const evidence = tokens.slice(i, k + 2).join(" ");
        if (object !== null) {
          for (const verb of verbs) found.push({ entity: object, verb, roles: [], evidence });
          lastObject = object;
        } else if (known ? isVerbPosition(tokens, i) || chained : true) {
          // "approve discounts", "request changes", "adjust stock": the object is not a record, so
          // the record is the one after a preposition ("redeem points for rewards"), the one holding
          // that noun, the last verb's object, or the one the verb or its subject implies.
          const noun = nounAfter(tokens, k, entityOf);
          const subject = subjectOf(tokens, i, entityOf);
          for (const verb of verbs) {
            const target: string | null =
              (noun === null
                ? null
                : (recordAfter(tokens, noun.at + 1, entityOf, AFTER_NOUN) ??
                  context.recordOfNoun(noun.word))) ??
              (chained ? lastObject : null) ??
              context.implicitObject(verb, subject);
            // A lexicon verb keeps its state ("approve"); the brief's own verb is named with its noun.
            const name = noun === null || ACTION_VERBS[verb] !== undefined ? verb : `${verb}-${noun.word}`;
            if (target !== null) {
              found.push({ entity: target, verb: name, roles: [], evidence });
              // "lock scoring and publish the results": the next verb in the chain acts on it too.
              lastObject = target;
            }
          }
        }
        i = k - 1;
        continue;
      }
      const marked = /^mark(?:s|ed)?$/.test(token) ? markedStates(tokens, i) : [];
      if (marked.length > 0) {
        // "mark an invoice as paid", "the waiter marks it served", "mark a deal as won or lost".
        const entity = objectOrPronoun(tokens, i + 1) ?? subjectBefore(tokens, i, entityOf);
        for (const state of entity === null ? [] : marked) {
          // "marks it complete": the lexicon's own action ("complete") is read at its word.
          if (ACTION_VERBS[state] !== undefined && tokens.indexOf(state, i) > i) continue;
          found.push({
            entity: entity ?? "",
            verb: state.startsWith("=") ? state.slice(1) : `mark-${state.replace(/_/g, "-")}`,
            roles: [],
            evidence: tokens.slice(i, i + 6).join(" "),
          });
        }
        continue;
      }
      if (/^(?:which|that)$/.test(token)) {
        // "expenses which managers approve or reject": actions on the antecedent, by the role.
        const entity = entityOf(tokens[i - 1] ?? "");
        // "proposals which the program committee accepts": the role may have an article and two words.
        let from = i + 1;
        while (/^(?:the|a|an|our|their|your)$/.test(tokens[from] ?? "")) from++;
        const twoWords =
          ACTION_VERBS[tokens[from + 1] ?? ""] === undefined &&
          ACTION_VERBS[tokens[from + 2] ?? ""] !== undefined;
        const role = twoWords ? `${tokens[from]} ${tokens[from + 1]}` : (tokens[from] ?? "");
        if (
          entity !== null &&
          entityOf(role) === null &&
          !/^(?:is|are|was|were|has|have|can|will)$/.test(role)
        ) {
          for (let j = from + (twoWords ? 2 : 1); j < Math.min(tokens.length, i + 9); j++) {
            const verb = tokens[j] ?? "";
            if (ACTION_VERBS[verb] !== undefined)
              found.push({
                entity,
                verb,
                roles: [singularize(role).replace(/\s+/g, "-")],
                evidence: tokens.slice(i - 1, j + 1).join(" "),
              });
            else if (!/^(?:or|and|can|may|must|will|should|then|either)$/.test(verb)) break;
          }
        }
        continue;
      }
      const base = token === "held" && !ON_HOLD.test(sentence) ? undefined : BASE_OF_PARTICIPLE.get(token);
      if (base !== undefined && /^(?:be|been|is|are|get|gets|being)$/.test(tokens[i - 1] ?? "")) {
        // Passive: "<entity> (must|can) be approved (by a manager)".
        for (let j = i - 2; j >= Math.max(0, i - 10); j--) {
          const entity = entityOf(tokens[j] ?? "");
          if (entity === null) continue;
          // "approved or rejected by a manager": every participle of the chain.
          const chain = [base];
          let k = i + 1;
          // "upgraded, downgraded, paused or cancelled" (commas are gone from the tokens).
          while (true) {
            // "renewed every year and revoked by a supervisor": a short time phrase between two
            // participles of the chain.
            const skip = /^(?:every|each|once|twice|later|annually|yearly|monthly|weekly|daily)$/.test(
              tokens[k] ?? "",
            )
              ? [1, 2, 3].find(
                  (n) =>
                    /^(?:or|and)$/.test(tokens[k + n] ?? "") &&
                    BASE_OF_PARTICIPLE.get(tokens[k + n + 1] ?? "") !== undefined,
                )
              : undefined;
            if (skip !== undefined) k += skip;
            const conjunction = /^(?:or|and)$/.test(tokens[k] ?? "") ? 1 : 0;
            const next = BASE_OF_PARTICIPLE.get(tokens[k + conjunction] ?? "");
            if (next === undefined) break;
            chain.push(next);
            k += conjunction + 1;
          }
          const by = tokens[k] === "by" ? roleAfter(tokens.slice(k + 1, k + 5)) : null;
          // "a technician gets assigned to each work order": the work order is what changes; so
          // do the jobs in "mechanics get assigned jobs", the record right after the participle.
          let after = k;
          while (/^(?:a|an|the|their|new|some|any)$/.test(tokens[after] ?? "")) after++;
          const given = after > i + 1 || tokens[after] !== "by" ? entityOf(tokens[after] ?? "") : null;
          const target =
            given ??
            (base === "assign" ? (recordAfter(tokens, i + 1, entityOf, ASSIGNED_TO) ?? entity) : entity);
          for (const verb of chain) {
            found.push({
              entity: target,
              verb,
              roles: by === null || entityOf(by) !== null ? [] : [by],
              evidence: tokens.slice(j, k + 3).join(" "),
            });
          }
          break;
        }
      }
    }
    lastThing = subjectBefore(tokens, tokens.length, entityOf) ?? lastThing;
    lastSingularThing = subjectBefore(tokens, tokens.length, entityOf, true) ?? lastSingularThing;
  }
  return found;
}

const LISTED_IN_PARENTHESES = /\((?:[^(),]{1,30},)+[^(),]{1,30}\)/g;

/** Every phrasal verb at once, longest first, after a space and before a non-word: " check in." → " checkin.". */
const PHRASAL = new RegExp(
  ` (${Object.keys(PHRASAL_VERBS)
    .sort((a, b) => b.length - a.length)
    .map((phrase) => phrase.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&"))
    .join("|")})(?=[^a-z0-9-])`,
  "g",
);

const PRONOUN_OBJECT = /^(?:it|them|this|these|those)$/;

// "classes are held in a studio" is where they take place, not a hold.
const ON_HOLD =
  /\bon\s+hold\b|\bheld\b(?!\s+(?:in|at|on|every|each|weekly|monthly|daily|once|twice|online)\b)/i;

/** Words that may stand between a modal and its verb: "can also approve", "may then manually close". */
const ADVERB =
  /^(?:also|only|then|just|manually|directly|always|easily|quickly|later|first|still|both|either|optionally|instantly|immediately|never|not|now|each|themselves|bulk)$/;

/** Words after which the next word is a verb: a modal, "able to", "do", or an "action:" label. */
const BEFORE_VERB = /^(?:can|could|may|might|must|should|shall|will|would|cannot|do|does|action|actions)$/;
const BEFORE_TO =
  /^(?:able|want|wants|need|needs|allowed|permitted|like|have|has|ability|option|way|going|option)$/;

/** True when the word at `at` stands where English puts a verb: "can approve", "able to approve". */
function isVerbPosition(tokens: readonly string[], at: number): boolean {
  let j = at - 1;
  while (j >= 0 && ADVERB.test(tokens[j] ?? "")) j--;
  const before = tokens[j] ?? "";
  // "…, also withdraw to bank", "then approve it": a clause that continues the last one's subject.
  if (j < at - 1 && /^(?:also|then)$/.test(tokens[at - 1] ?? "") && !/^(?:a|an|the)$/.test(before))
    return true;
  return BEFORE_VERB.test(before) || (before === "to" && BEFORE_TO.test(tokens[j - 1] ?? ""));
}

/**
 * Verbs that, where a verb stands, are not custom actions: CRUD, linking records, and verbs of
 * having, wanting, seeing and talking, which name no change to a record.
 */
const NOT_AN_ACTION = new Set(
  (
    "be have do see use get go come take give need want like find search filter sort export import " +
    "login logout signup signin sign log choose select set configure show display work run help try " +
    "keep store save contain include belong own know tell ask say let allow upload download attach " +
    "contact message email call text chat notify remind comment reply rate vote calculate compute " +
    "happen exist become stay live cost last vary depend differ matter involve support link connect " +
    "sync integrate hook pull push plug put mark watch follow subscribe pick choose book order buy " +
    "purchase rent borrow hire apply place open write pay earn spend share invite leave join visit"
  ).split(" "),
);

/**
 * The brief's own action at `at`, in base form, or null: a word where a verb stands that is not
 * CRUD, linking or being ("can report a bike", "or requests changes" → `request`).
 */
function customActionAt(
  tokens: readonly string[],
  at: number,
  chained: boolean,
  entityOf: (word: string) => string | null,
): string | null {
  const word = tokens[at] ?? "";
  if (!/^[a-z]{3,}$/.test(word) || word.endsWith("ly") || (!chained && !isVerbPosition(tokens, at)))
    return null;
  // After "or" the verb agrees with its subject: "requests" is "request".
  const base = chained && /[^s]s$/.test(word) ? word.slice(0, -1) : word;
  // "approve a draft or request changes": a base form after "or" is a verb when an object follows.
  const objectFollows = /^[a-z]{3,}$/.test(tokens[at + 1] ?? "") && !NOT_A_NOUN.test(tokens[at + 1] ?? "");
  if (chained && base === word && !isVerbPosition(tokens, at) && !objectFollows) return null;
  // "and can drop a shift", "either reject … or", "then the order is printed": function words stand
  // where a verb may, but are none.
  if (FUNCTION_WORD.test(base) || ADVERB.test(base) || BEFORE_VERB.test(base) || NOT_A_NOUN.test(base))
    return null;
  if (CRUD_VERBS[base] !== undefined || NOT_AN_ACTION.has(base) || MANY_TO_MANY_VERBS.has(base)) return null;
  if (entityOf(base) !== null || FIELD_WORDS[base] !== undefined) return null;
  // "reserve items and staff check them out": after "and", a person starts a clause of their own.
  if (PERSON_NOUNS.has(singularize(base)) || isRoleWord(singularize(base))) return null;
  return base;
}

/** Determiners and pronouns: never a verb, whatever stands before them. */
const FUNCTION_WORD =
  /^(?:the|a|an|their|his|her|its|our|your|my|some|any|no|not|one|two|three|four|five|six|seven|eight|nine|ten|twelve|several|many|few|more|most|please|who|whom|whose|which|what|where|they|she|you|we)$/;

/** Function words that cannot be an action's object. */
const NOT_A_NOUN =
  /^(?:from|to|by|with|for|on|in|at|of|and|or|when|if|because|while|as|before|after|once|via|into|onto|over|under|up|out|back|off|through|online|them|it|this|that|these|those|there|here|then|also|only|again|later|now|yet|so|but|any|all|every|each|other|same|own)$/;

/** The noun after a verb that names no record ("approve discounts" → `discounts`), with its index. */
function nounAfter(
  tokens: readonly string[],
  from: number,
  entityOf: (word: string) => string | null,
): { word: string; at: number } | null {
  let j = from;
  while (/^(?:the|a|an|their|his|her|its|our|your|my|some)$/.test(tokens[j] ?? "")) j++;
  const isNoun = (word: string): boolean =>
    /^[a-z]{3,}$/.test(word) &&
    !NOT_A_NOUN.test(word) &&
    !word.endsWith("ly") &&
    ACTION_VERBS[word] === undefined;
  const word = tokens[j] ?? "";
  if (!isNoun(word) || entityOf(word) !== null) return null;
  // "generate the shopping list": a compound noun keeps both words.
  const second = tokens[j + 1] ?? "";
  if (isNoun(second)) return { word: `${word}-${second}`, at: j + 1 };
  return { word, at: j };
}

/** Which prepositions `recordAfter` looks for, and within how many words. */
interface Reach {
  prepositions: RegExp;
  span: number;
}

/** "redeem credit for prizes": a preposition right after the noun. */
const AFTER_NOUN: Reach = { prepositions: /^(?:for|on|of|in|against|from|to)$/, span: 3 };

/** "assign a car to a reservation": what is assigned to, a little further on. */
const ASSIGNED_TO: Reach = { prepositions: /^to$/, span: 5 };

/**
 * The record after the first of `prepositions` within `span` words of `from`, or null when there is
 * none or it is a person: "redeem credit for prizes" → Prize, "assign a car to a reservation" →
 * Reservation ("assign a case to a lawyer" names who, not what).
 */
function recordAfter(
  tokens: readonly string[],
  from: number,
  entityOf: (word: string) => string | null,
  { prepositions, span }: Reach,
): string | null {
  for (let j = from; j < from + span && j < tokens.length; j++) {
    if (!prepositions.test(tokens[j] ?? "")) continue;
    const record = objectAfter(tokens, j + 1, entityOf);
    let k = j + 1;
    while (/^(?:a|an|the|their|its|one)$/.test(tokens[k] ?? "")) k++;
    const word = singularize(tokens[k] ?? "");
    const person = PERSON_NOUNS.has(word) || isRoleWord(word);
    return record === null || person || isPersonName(record) ? null : record;
  }
  return null;
}

/** The person or role who acts at `at`: "users can top up" → `users`' record or role word. */
function subjectOf(
  tokens: readonly string[],
  at: number,
  entityOf: (word: string) => string | null,
): string | null {
  for (let j = at - 1; j >= Math.max(0, at - 14); j--) {
    const word = singularize(tokens[j] ?? "");
    const entity = entityOf(tokens[j] ?? "");
    if (PERSON_NOUNS.has(word) || isRoleWord(word) || (entity !== null && isPersonName(entity)))
      return entity ?? word;
  }
  return null;
}

function isPersonName(entityName: string): boolean {
  const key = words(entityName).join(" ");
  return PERSON_NOUNS.has(key) || PERSON_NOUNS.has(key.split(" ").pop() ?? "") || isRoleWord(key);
}

const FIELD_NOUN_AFTER_VERB =
  /^(?:date|dates|time|times|number|amount|count|type|code|id|fee|price|level|window|reason|deadline|period|limit)$/;

/** "approves" → "approve", "reimburses" → "reimburse", "escalates" → "escalate". */
function baseVerb(word: string): string {
  if (ACTION_VERBS[word] !== undefined || !word.endsWith("s")) return word;
  // "parts" is no form of "pay": the -ies and -es stems only for words that end so.
  const candidates = [word.slice(0, -1)];
  if (word.endsWith("es")) candidates.push(word.slice(0, -2));
  if (word.endsWith("ies")) candidates.push(`${word.slice(0, -3)}y`);
  return candidates.find((stem) => ACTION_VERBS[stem] !== undefined) ?? word;
}

/** The entity named within four words after position `from` ("approve a refund", "cancel their pending orders"). */
function objectAfter(
  tokens: readonly string[],
  from: number,
  entityOf: (word: string) => string | null,
): string | null {
  for (let j = from; j <= from + 3 && j < tokens.length; j++) {
    const entity = entityOf(`${tokens[j]} ${tokens[j + 1] ?? ""}`) ?? entityOf(tokens[j] ?? "");
    // "approve plot applications": of two records side by side, the second is the head noun.
    const head = entityOf(tokens[j + 1] ?? "");
    if (
      entity !== null &&
      head !== null &&
      head !== entity &&
      isPlural(tokens[j + 1] ?? "") &&
      !isPlural(tokens[j] ?? "")
    )
      return head;
    if (entity !== null) return entity;
    // "top up from a card": what comes after "from" is the source, not the object.
    if (/^(?:and|or|by|to|for|with|when|if|because|while|as|from)$/.test(tokens[j] ?? "")) break;
  }
  return null;
}

/**
 * With no object ("each wallet can top up, send and withdraw"), the last thing named earlier in the
 * sentence that is not a person: people act, things are acted on.
 */
function subjectBefore(
  tokens: readonly string[],
  before: number,
  entityOf: (word: string) => string | null,
  singularOnly = false,
): string | null {
  for (let j = before - 1; j >= 0; j--) {
    const entity = entityOf(tokens[j] ?? "");
    const word = singularize(tokens[j] ?? "");
    if (entity === null || PERSON_NOUNS.has(word) || isRoleWord(word)) continue;
    if (singularOnly && isPlural(tokens[j] ?? "")) continue;
    // "warehouse managers can adjust stock": the first word of a person's title is no object.
    const next = singularize(tokens[j + 1] ?? "");
    if (PERSON_NOUNS.has(next) || isRoleWord(next)) continue;
    // "top up from a card and withdraw": a record after a preposition belongs to the verb before it.
    let k = j - 1;
    // "create work orders for customer sites": a person's name for whose they are may stand between.
    const preposition = /^(?:from|to|by|with|for|on|in|at|into|via)$/;
    const determiner = /^(?:a|an|the|their|his|her|its|our|my|your)$/;
    const owner = entityOf(tokens[k] ?? "");
    const ownerWord = singularize(tokens[k] ?? "");
    if (
      ((owner !== null && isPersonName(owner)) || PERSON_NOUNS.has(ownerWord) || isRoleWord(ownerWord)) &&
      preposition.test(tokens[k - 1] ?? "")
    )
      k--;

    while (determiner.test(tokens[k] ?? "")) k--;
    if (!preposition.test(tokens[k] ?? "")) return entity;
  }
  return null;
}

/** "mark … as paid" → `paid`, within four words. */
const MARKABLE_STATE =
  /^(?:paid|ready|served|lost|won|done|complete|completed|read|unread|shipped|delivered|resolved|spam|inactive|active|closed|open|returned|cancelled|canceled|received|sold|available|unavailable|urgent|duplicate)$/;

/**
 * "mark … as won or lost" → [`won`, `lost`], within four words. "mark it as picked up" → `picked_up`;
 * "marks the booking as checked in" → `=checkin`, the phrasal action the state comes from.
 */
function markedStates(tokens: readonly string[], at: number): string[] {
  for (let j = at + 1; j <= at + 4 && j < tokens.length; j++) {
    const word = tokens[j] ?? "";
    // "mark volunteers as no-show": a hyphened word after "as" names the state.
    if (word === "as" && /^[a-z]+(?:-[a-z]+)+$/.test(tokens[j + 1] ?? "")) return [tokens[j + 1] ?? ""];
    // "mark it as a remake", "mark the lead as a duplicate": the noun names the state.
    if (word === "as" && /^(?:a|an)$/.test(tokens[j + 1] ?? "") && /^[a-z]{3,}$/.test(tokens[j + 2] ?? ""))
      return [tokens[j + 2] ?? ""];
    if (!MARKABLE_STATE.test(word)) {
      // "mark it accepted or declined", "mark an order printed": a participle after the object.
      const participleState =
        /^[a-z]{3,}ed$/.test(word) && (tokens[j - 1] === "as" || j > at + 1) ? word : null;
      if (participleState === null) continue;
      const particle = /^(?:in|out|up|off|back)$/.test(tokens[j + 1] ?? "") ? (tokens[j + 1] ?? "") : "";
      const base = BASE_OF_PARTICIPLE.get(word) ?? word.replace(/ed$/, "");
      const phrasal = particle === "" ? undefined : PHRASAL_VERBS[`${base} ${particle}`];
      if (phrasal !== undefined) return [`=${phrasal}`];
      if (particle !== "") return [`${word}_${particle}`];
    }
    const states = [word];
    for (let k = j + 1; k + 1 < tokens.length && /^(?:or|and)$/.test(tokens[k] ?? ""); k += 2) {
      if (!MARKABLE_STATE.test(tokens[k + 1] ?? "") && !/^[a-z]{3,}ed$/.test(tokens[k + 1] ?? "")) break;
      states.push(tokens[k + 1] ?? "");
    }
    return states;
  }
  return [];
}

/** "a finance manager before payout" → `finance manager`: up to two words after the article. */
function roleAfter(tokens: readonly string[]): string | null {
  const wordsOfRole: string[] = [];
  for (const token of tokens) {
    if (/^(?:a|an|the|their|its|one)$/.test(token) && wordsOfRole.length === 0) continue;
    if (/^(?:before|after|and|or|when|if|to|for|with|within|in|on|at|once|then|so)$/.test(token)) break;
    wordsOfRole.push(token);
    if (wordsOfRole.length === 2) break;
  }
  return wordsOfRole.length === 0 ? null : singularize(wordsOfRole.join(" "));
}

export function crudOperations(
  entity: Entity,
  listOptions: { filterBy: string[]; sortBy: string[] },
): Operation[] {
  const base = {
    entity: entity.name,
    roles: [],
    origin: "convention" as const,
    evidence: [],
    transition: null,
    searchBy: [],
  };
  const none = { pagination: false, filterBy: [], sortBy: [] };
  return [
    {
      ...base,
      ...listOptions,
      id: `list${entity.plural}`,
      kind: "list",
      verb: "list",
      summary: `List ${words(entity.plural).join(" ")}`,
      pagination: true,
    },
    {
      ...base,
      ...none,
      id: `get${entity.name}`,
      kind: "get",
      verb: "get",
      summary: `Get a ${words(entity.name).join(" ")}`,
    },
    {
      ...base,
      ...none,
      id: `create${entity.name}`,
      kind: "create",
      verb: "create",
      summary: `Create a ${words(entity.name).join(" ")}`,
    },
    {
      ...base,
      ...none,
      id: `update${entity.name}`,
      kind: "update",
      verb: "update",
      summary: `Update a ${words(entity.name).join(" ")}`,
    },
    {
      ...base,
      ...none,
      id: `delete${entity.name}`,
      kind: "delete",
      verb: "delete",
      summary: `Delete a ${words(entity.name).join(" ")}`,
    },
  ];
}

/** Default list filters and sorts "the domain implies": enums, foreign keys, dates, money and names. */
export function defaultListOptions(
  entity: Entity,
  foreignKeys: readonly string[],
): { filterBy: string[]; sortBy: string[] } {
  const filterBy = [
    ...entity.fields
      .filter((f) => f.type === "enum" || f.type === "boolean" || (f.unique && f.type === "string"))
      .map((f) => f.name),
    ...foreignKeys,
  ];
  const sortBy = [
    "createdAt",
    ...entity.fields
      .filter(
        (f) =>
          ["date", "datetime", "integer", "decimal"].includes(f.type) ||
          /^(?:name|title|lastName)$/.test(f.name),
      )
      .map((f) => f.name),
  ];
  return { filterBy: [...new Set(filterBy)], sortBy: [...new Set(sortBy)] };
}

/** Adds (or extends) the `status` enum so an action has a state to move to, and returns the transition. */
export function transitionFor(
  entity: Entity,
  verb: string,
  makeField: (spec: string) => Field | null,
): Operation["transition"] {
  const target =
    ACTION_VERBS[verb] ?? (verb.startsWith("mark-") ? verb.slice(5).replace(/-/g, "_") : undefined);
  if (target === undefined) return null;
  let status = entity.fields.find((f) => f.type === "enum" && /^(?:status|state|stage)$/.test(f.name));
  if (status === undefined) {
    const initial = INITIAL_STATE_FOR.find(([pattern]) => pattern.test(verb))?.[1] ?? "pending";
    const field = makeField(`status:${initial}|${target}`);
    if (field === null) return null;
    field.origin = "brief";
    field.required = true;
    entity.fields.push(field);
    status = field;
  }
  const values = status.enumValues ?? [];
  if (!values.includes(target)) values.push(target);
  status.enumValues = values;
  const initial = values[0] ?? target;
  const from = FROM_ANY.test(verb)
    ? values.filter(
        (v) =>
          v !== target &&
          !/^(?:cancelled|closed|void|archived|completed|delivered|refunded|rejected)$/.test(v),
      )
    : [initial === target ? (values[1] ?? initial) : initial];
  return { field: status.name, to: target, from: [...new Set(from)] };
}

export function actionOperation(
  entity: Entity,
  request: ActionRequest,
  transition: Operation["transition"],
): Operation {
  return operationOf(
    {
      id: camelCase(`${request.verb} ${entity.name}`),
      kind: "action",
      entity: entity.name,
      verb: request.verb,
      summary: actionSummary(request.verb, words(entity.name).join(" ")),
      origin: "brief",
      evidence: [request.evidence],
    },
    { transition, roles: request.roles },
  );
}

/** "Approve a proof", "Mark an invoice as paid", "Request changes on a proof". */
function actionSummary(verb: string, noun: string): string {
  const [head = verb, ...rest] = verb.split("-");
  const Head = `${head[0]?.toUpperCase()}${head.slice(1)}`;
  if (rest.length === 0) return `${Head} ${withArticle(noun)}`;
  if (head === "mark") return `Mark ${withArticle(noun)} as ${rest.join(" ")}`;
  return `${Head} ${rest.join(" ")} on ${withArticle(noun)}`;
}

/** Maps a field phrase from "search products by name" to a field of the entity, adding it if new. */
export function fieldNameFor(
  entity: Entity,
  phrase: string,
  makeField: (spec: string) => Field | null,
): string | null {
  const clean = phrase
    .toLowerCase()
    .replace(/\b(?:their|its|the|a|an)\b/g, "")
    .trim();
  const canonical = FIELD_WORDS[clean]?.name ?? clean;
  const name = camelCase(canonical);
  if (name === "" || name.length > 40) return null;
  if (/^(?:createdAt|updatedAt|date|created)$/.test(name)) return "createdAt";
  const existing = entity.fields.find(
    (f) => f.name === name || f.name.toLowerCase().includes(name.toLowerCase()),
  );
  if (existing !== undefined) return existing.name;
  const field = makeField(canonical);
  if (field === null) return null;
  field.origin = "brief";
  field.searchable = true;
  entity.fields.push(field);
  return field.name;
}

export function searchOperation(entity: Entity, searchBy: string[], evidence: string): Operation {
  return operationOf(
    {
      id: `search${entity.plural}`,
      kind: "search",
      entity: entity.name,
      verb: "search",
      summary: `Search ${words(entity.plural).join(" ")}`,
      origin: "brief",
      evidence: [evidence],
    },
    { pagination: true, searchBy },
  );
}

export function exportOperation(entity: Entity, origin: Operation["origin"], evidence: string[]): Operation {
  return operationOf({
    id: `export${entity.name}`,
    kind: "export",
    entity: entity.name,
    verb: "export",
    summary: `Export a ${words(entity.name).join(" ")} with its related records`,
    origin,
    evidence,
  });
}
