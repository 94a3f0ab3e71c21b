/**
 * Finds the noun phrases of a clause that may name record types ("mentions"). A light chunker:
 * runs of words that are not function words, verbs or adjectives form a chunk, and the chunk's
 * head (its last word, or a known two-word compound) is the candidate name.
 */
import { isPlural, memo, singularize } from "./inflect.js";
import { FIELD_WORDS } from "./lexicon/fields.js";
import {
  APP_NOUNS,
  DEFAULT_FIELDS,
  NON_ENTITY_NOUNS,
  PERSON_NOUNS,
  RECORDS_WHEN_DESCRIBED,
} from "./lexicon/nouns.js";
import { actsAsPerson, isRoleWord } from "./lexicon/roles.js";
import {
  ACTION_VERBS,
  AUTHORING_VERBS,
  AUXILIARIES,
  CRUD_VERBS,
  MANY_TO_MANY_VERBS,
} from "./lexicon/verbs.js";

export interface Token {
  text: string;
  lower: string;
  /** Punctuation tokens are kept: they bound lists and clauses. */
  punct: boolean;
}

export interface Mention {
  /** Singular lower-case phrase, e.g. `lab result`. */
  key: string;
  /** The words as written, e.g. `lab results`. */
  surface: string;
  plural: boolean;
  /** Token range [start, end) within the clause. */
  start: number;
  end: number;
  /** In the lexicon of record types (strong) or only shaped like one (weak). */
  known: boolean;
  /**
   * The head of a longer noun phrase whose modifier was dropped: "frontend team", "identity
   * provider", "company google account". Such a phrase often names something outside the app.
   */
  modified?: boolean;
}

// A dash standing alone ("their pets - species, breed") is punctuation, like a colon.
const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}'’.-]*[\p{L}\p{N}]|[\p{L}\p{N}]|[,;:()/&—–-]/gu;

/** Tokens of a text (memoised: the same clause is read by several readers; treat as read-only). */
export const tokenize: (text: string) => readonly Token[] = memo(tokenizeText);

function tokenizeText(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const raw = match[0].replace(/['’]s$/u, "");
    for (const part of camelParts(raw))
      tokens.push({ text: part, lower: part.toLowerCase(), punct: /^[,;:()/&—–-]$/.test(part) });
  }
  return tokens;
}

/**
 * "TimeEntry", "LineItem" in a schema-like brief are two words. A name is split only when every
 * part is a word of records or fields, so "QuickBooks" and "GitHub" stay whole.
 */
function camelParts(raw: string): readonly string[] {
  if (!/^(?:[A-Z][a-z]+){2,3}$/.test(raw)) return [raw];
  const parts = raw.match(/[A-Z][a-z]+/g) ?? [raw];
  const business = (part: string): boolean => {
    const lower = part.toLowerCase();
    const singular = singularize(lower);
    return (
      knownRecordNouns.has(singular) ||
      FIELD_WORDS[lower] !== undefined ||
      COMPOUND_MODIFIERS.has(lower) ||
      COMPOUNDABLE_HEADS.has(singular) ||
      ALSO_RECORDS.has(singular)
    );
  };
  return parts.every(business) ? parts : [raw];
}

const DETERMINERS = new Set([
  "a",
  "an",
  "the",
  "each",
  "every",
  "all",
  "any",
  "some",
  "their",
  "its",
  "his",
  "her",
  "our",
  "my",
  "your",
  "this",
  "that",
  "these",
  "those",
  "one",
  "two",
  "three",
  "many",
  "multiple",
  "several",
  "various",
  "own",
  "no",
  "more",
  "most",
  "other",
  "another",
  "such",
  "both",
  "either",
  "neither",
  "few",
  "which",
  "whose",
]);

const PREPOSITIONS = new Set([
  "of",
  "for",
  "by",
  "on",
  "in",
  "at",
  "from",
  "with",
  "to",
  "per",
  "into",
  "onto",
  "under",
  "over",
  "about",
  "via",
  "through",
  "within",
  "without",
  "between",
  "across",
  "after",
  "before",
  "during",
  "against",
  "as",
  "like",
  "than",
  "upon",
  "inside",
  "outside",
  "up",
  "down",
  "out",
  "off",
  "including",
  "except",
]);

const CONJUNCTIONS = new Set([
  "and",
  "or",
  "but",
  "nor",
  "so",
  "yet",
  "if",
  "when",
  "where",
  "while",
  "because",
  "although",
  "though",
  "unless",
  "until",
  "whether",
  "then",
  "also",
  "plus",
  "etc",
  "i.e",
  "e.g",
  "vs",
  "versus",
  "who",
  "what",
  "how",
  "why",
  "there",
  "here",
  "it",
  "they",
  "them",
  "we",
  "us",
  "you",
  "he",
  "she",
  "i",
  "me",
  "not",
  "only",
  "just",
  "very",
  "too",
  "please",
  "let",
  "lets",
  "want",
  "wants",
  "like",
  "need",
  "needs",
  "using",
  "use",
  "uses",
  "used",
  "built",
  "build",
  "should",
  "would",
  "could",
  "must",
  "shall",
  "will",
  "can",
  "may",
  "might",
  "is",
  "are",
  "was",
  "were",
  "be",
  "been",
  "being",
  "has",
  "have",
  "had",
  "having",
  "do",
  "does",
  "did",
]);

/** Common verbs that are not in the CRUD/action lists but link records ("patients book appointments"). */
const COMMON_VERBS = new Set([
  // "hosts seat guests".
  "seat",
  "become",
  "becomes",
  "became",
  "push",
  "pushes",
  "pull",
  "pulls",
  "emit",
  "send",
  "sends",
  "receive",
  "trigger",
  "triggers",
  "upload",
  "download",
  "downloads",
  "book",
  "books",
  "place",
  "places",
  "write",
  "writes",
  "perform",
  "performs",
  "receive",
  "receives",
  "send",
  "sends",
  "bill",
  "bills",
  "order",
  "orders",
  "buy",
  "buys",
  "sell",
  "sells",
  "rent",
  "rents",
  "hire",
  "hires",
  "treat",
  "treats",
  "see",
  "sees",
  "visit",
  "visits",
  "serve",
  "serves",
  "teach",
  "teaches",
  "take",
  "takes",
  "borrow",
  "borrows",
  "lend",
  "lends",
  "request",
  "requests",
  "file",
  "files",
  "raise",
  "raises",
  "generate",
  "generates",
  "report",
  "reports",
  "belong",
  "belongs",
  "contain",
  "contains",
  "include",
  "includes",
  "hold",
  "holds",
  "keep",
  "keeps",
  "own",
  "owns",
  "manage",
  "manages",
  "track",
  "tracks",
  "store",
  "stores",
  "record",
  "records",
  "log",
  "logs",
  "create",
  "creates",
  "make",
  "makes",
  "run",
  "runs",
  "operate",
  "operates",
  "drive",
  "drives",
  "deliver",
  "delivers",
  "assign",
  "assigns",
  "schedule",
  "schedules",
  "submit",
  "submits",
  "approve",
  "approves",
  "prescribe",
  "prescribes",
  "dispense",
  "dispenses",
  "fill",
  "fills",
  "attend",
  "attends",
  "join",
  "joins",
  "enroll",
  "enrolls",
  "enrol",
  "enrols",
  "follow",
  "follows",
  "post",
  "posts",
  "publish",
  "publishes",
  "upload",
  "uploads",
  "review",
  "reviews",
  "rate",
  "rates",
  "pay",
  "pays",
  "transfer",
  "transfers",
  "deposit",
  "deposits",
  "withdraw",
  "withdraws",
  "issue",
  "issues",
  "lease",
  "leases",
  "list",
  "lists",
  "emit",
  "emits",
  "produce",
  "produces",
  "collect",
  "collects",
  "monitor",
  "monitors",
  "measure",
  "measures",
  "send",
  "get",
  "gets",
  "go",
  "goes",
  "come",
  "comes",
  "work",
  "works",
  "live",
  "lives",
  "stay",
  "stays",
  "check",
  "checks",
  "sign",
  "signs",
  "handle",
  "handles",
  "process",
  "processes",
  "support",
  "supports",
  "allow",
  "allows",
  "enable",
  "enables",
  "provide",
  "provides",
  "offer",
  "offers",
  "show",
  "shows",
  "display",
  "displays",
  "give",
  "gives",
  "add",
  "adds",
  "update",
  "updates",
  "delete",
  "deletes",
  "remove",
  "removes",
  "view",
  "views",
  "edit",
  "edits",
  "cancel",
  "cancels",
  "refund",
  "refunds",
  "ship",
  "ships",
  "search",
  "searches",
  "find",
  "finds",
  "export",
  "exports",
  "import",
  "imports",
  "sync",
  "syncs",
  "notify",
  "notifies",
  "invite",
  "invites",
  "complete",
  "completes",
  "close",
  "closes",
  "open",
  "opens",
  "approve",
  "reject",
  "rejects",
  "apply",
  "applies",
  "link",
  "links",
  "connect",
  "connects",
  "map",
  "maps",
  "tag",
  "tags",
  "share",
  "shares",
  "subscribe",
  "subscribes",
  "donate",
  "donates",
  "volunteer",
  "volunteers",
  "speak",
  "speaks",
  "host",
  "hosts",
  "organize",
  "organizes",
  "organise",
  "organises",
  "plan",
  "plans",
  "cover",
  "covers",
  "insure",
  "insures",
  "rent",
  "supply",
  "supplies",
  "stock",
  "stocks",
  "ping",
  "pings",
  "report",
  "mark",
  "marks",
  "flag",
  "flags",
  "respond",
  "responds",
  "reply",
  "replies",
  "arrive",
  "arrives",
  "happen",
  "happens",
  "occur",
  "occurs",
]);

/** Irregular past participles, which the `-ed` rule misses: "courses taught by teachers". */
/** Field words that, in the plural, usually name records: "a note can have many tags". */
export const ALSO_RECORDS: ReadonlySet<string> = new Set([
  "tag",
  "comment",
  "note",
  "photo",
  "image",
  "address",
  "attachment",
  "document",
  "message",
  "review",
  "rating",
  "category",
  "location",
  "link",
  "unit",
]);

/** Heads that name no record alone ("requests" of an API) but do after a listed modifier. */
const COMPOUNDABLE_HEADS = new Set(["request", "response", "action", "operation", "record", "log", "entry"]);

/** Field names whose parentheses hold values, not fields: "statuses (open, closed)". */
const CHOICE_NAMES =
  /^(?:status|state|type|kind|stage|priority|level|tier|category|severity|role|mode|channel|method|gender|size|colou?r|unit|frequency|currency|language|tag|label)$/;

/** Records about another record: "exercise plan", "treatment note", "incident report". */
const DOCUMENT_HEADS = new Set(["plan", "note", "report", "schedule", "log", "checklist", "summary"]);

/** Heads that make a record after any noun: "waitlist entry", "journal entry", "ledger entry". */
// "battery swaps", "oil changes", "tyre replacements": an event head named by what it is done to.
const OPEN_COMPOUND_HEADS = new Set([
  "entry",
  "check",
  "swap",
  "change",
  "replacement",
  "inspection",
  "repair",
  "calibration",
  "installation",
  "upgrade",
]);

/** Modifiers that make a distinct record type with the noun they precede. */
const COMPOUND_MODIFIERS = new Set([
  "action",
  "return",
  "refund",
  "support",
  "service",
  "stock",
  "leave",
  "time",
  "work",
  "purchase",
  "sales",
  "credit",
  "debit",
  "gift",
  "loyalty",
  "membership",
  "maintenance",
  "delivery",
  "shipping",
  "billing",
  "payment",
  "insurance",
  "lab",
  "test",
  "bank",
  "savings",
  "line",
  "order",
  "cart",
  "wish",
  "shopping",
  "job",
  "care",
  "treatment",
  "visit",
  "expense",
  "travel",
  "vacation",
  "meal",
  "reward",
  "discount",
  "tax",
  "audit",
  "access",
  "api",
  "feature",
  "release",
  "build",
  "incident",
  "change",
  "risk",
  "asset",
  "inventory",
  "warehouse",
  "fleet",
  "fuel",
  "inspection",
  "safety",
  "training",
  "course",
  "class",
  "exam",
  "grade",
  "attendance",
  "donation",
  "volunteer",
  "event",
  "ticket",
  "seat",
  "room",
  "booking",
  "menu",
  "table",
  "kitchen",
  "recipe",
  "supplier",
  "vendor",
  "contract",
  "policy",
  "claim",
  "premium",
  "loan",
  "mortgage",
  "account",
  "wallet",
  "card",
  "transaction",
  "transfer",
  "device",
  "sensor",
  "firmware",
  "telemetry",
  "alert",
  "notification",
  "message",
  "chat",
  "review",
  "rating",
  "survey",
  "feedback",
  "subscription",
  "plan",
  "usage",
  "invoice",
  "quote",
  "sample",
  "blood",
]);

const IRREGULAR_PARTICIPLES = new Set([
  "taught",
  "written",
  "held",
  "made",
  "paid",
  "sent",
  "built",
  "kept",
  "sold",
  "bought",
  "given",
  "taken",
  "seen",
  "done",
  "known",
  "led",
  "met",
  "brought",
  "found",
  "told",
  "shown",
  "chosen",
  "drawn",
  "driven",
  "grown",
  "worn",
  "spent",
  "lent",
  "owned",
  "run",
  "read",
  "set",
  "put",
  "shut",
  "split",
  "spread",
  "won",
  "begun",
  "broken",
  "eaten",
  "fallen",
  "forgotten",
  "frozen",
  "gotten",
  "hidden",
  "ridden",
  "risen",
  "spoken",
  "stolen",
  "sworn",
  "thrown",
  "woken",
  "bound",
  "fed",
  "fought",
  "heard",
  "hung",
  "laid",
  "left",
  "lost",
  "meant",
  "sought",
  "shot",
  "slept",
  "stood",
  "struck",
  "swept",
  "understood",
  "wound",
  "withdrawn",
]);

const ADJECTIVES = new Set([
  "new",
  "old",
  "simple",
  "basic",
  "small",
  "large",
  "big",
  "internal",
  "external",
  "secure",
  "compliant",
  "public",
  "private",
  "online",
  "offline",
  "mobile",
  "daily",
  "weekly",
  "monthly",
  "yearly",
  "annual",
  "real-time",
  "realtime",
  "multi-tenant",
  "multitenant",
  "single",
  "full",
  "complete",
  "current",
  "active",
  "inactive",
  "pending",
  "open",
  "closed",
  "upcoming",
  "past",
  "future",
  "recent",
  "available",
  "main",
  "primary",
  "secondary",
  "optional",
  "required",
  "mandatory",
  "unique",
  "different",
  "various",
  "modern",
  "lightweight",
  "minimal",
  "quick",
  "fast",
  "scalable",
  "robust",
  "entire",
  "whole",
  "certain",
  "specific",
  "related",
  "associated",
  "corresponding",
  "relevant",
  "important",
  "sensitive",
  "personal",
  "medical",
  "financial",
  "clinical",
  "local",
  "global",
  "remote",
  "digital",
  "physical",
  "total",
  "good",
  "bad",
  "best",
  "first",
  "last",
  "next",
  "previous",
  "same",
  "own",
  "easy",
  "free",
  "paid",
  "premium",
  "standard",
  "custom",
  "general",
  "detailed",
  "overall",
  "like",
  "able",
  "due",
  "late",
  "early",
  "high",
  "low",
  "top",
  "proper",
]);

function canBeVerb(word: string): boolean {
  const stem = word.replace(/e?s$/, "");
  return [word, stem, word.slice(0, -1)].some(
    (w) =>
      COMMON_VERBS.has(w) ||
      AUTHORING_VERBS.has(w) ||
      CRUD_VERBS[w] !== undefined ||
      ACTION_VERBS[w] !== undefined,
  );
}

function isBaseVerb(word: string): boolean {
  return (
    COMMON_VERBS.has(word) ||
    AUTHORING_VERBS.has(word) ||
    CRUD_VERBS[word] !== undefined ||
    ACTION_VERBS[word] !== undefined
  );
}

/** A person or a department who opens a clause: "Procurement", "the clerk", "each volunteer". */
function isPersonSubject(tokens: readonly Token[], at: number): boolean {
  const word = tokens[at]?.lower ?? "";
  if (isPlural(word) || !(PERSON_NOUNS.has(word) || isRoleWord(word) || actsAsPerson(word))) return false;
  const before = tokens[at - 1];
  return (
    before === undefined || before.punct || /^(?:the|a|an|each|every|our|your|their|one)$/.test(before.lower)
  );
}

/**
 * True when the word at `at` ends in -s after a person who opens the clause and before an
 * article, a past participle or a plural noun: "Procurement converts approved requests".
 */
function isVerbOfPerson(tokens: readonly Token[], at: number): boolean {
  const word = tokens[at]?.lower ?? "";
  if (!/^[a-z]{3,}[^s']s$/.test(word) || !isPersonSubject(tokens, at - 1)) return false;
  const next = tokens[at + 1];
  if (next === undefined || next.punct) return false;
  if (/^(?:a|an|the|their|its|his|her|our|all|any|some|them|it)$/.test(next.lower)) return true;
  const after = tokens[at + 2];
  if (/^[a-z]{3,}ed$/.test(next.lower)) return after !== undefined && isPlural(after.lower);
  return isNounish(next) && isPlural(next.lower) && !isThirdPersonVerb(next.lower);
}

function isThirdPersonVerb(word: string): boolean {
  if (!word.endsWith("s")) return false;
  return [word.slice(0, -1), word.replace(/es$/, ""), word.replace(/ies$/, "y")].some(
    (stem) =>
      COMMON_VERBS.has(stem) ||
      CRUD_VERBS[stem] !== undefined ||
      ACTION_VERBS[stem] !== undefined ||
      AUTHORING_VERBS.has(stem),
  );
}

const FIELD_SUFFIX_WORDS = new Set(["date", "time", "number", "amount", "count", "id", "code", "status"]);

/** What may follow the end of a noun phrase: punctuation, a preposition, a conjunction, nothing. */
function endsNounPhrase(token: Token | undefined): boolean {
  return token === undefined || token.punct || PREPOSITIONS.has(token.lower) || CONJUNCTIONS.has(token.lower);
}

/** A word that can be part of a noun chunk. */
function isNounish(token: Token): boolean {
  return !token.punct && isNounishWord(token.lower);
}

const isNounishWord = memo(classifyNounish);

/** "renew a loan once", "try again later": adverbs of time and number end a noun phrase. */
const TIME_ADVERBS =
  /^(?:once|twice|again|later|soon|ago|today|tonight|tomorrow|yesterday|afterwards|meanwhile|instead)$/;

function classifyNounish(w: string): boolean {
  if (DETERMINERS.has(w) || PREPOSITIONS.has(w) || CONJUNCTIONS.has(w) || AUXILIARIES.has(w)) return false;
  if (/^\d/.test(w) || TIME_ADVERBS.test(w)) return false;
  if (isKnownNounWord(w)) return true;
  if (w.endsWith("s") && ALSO_RECORDS.has(singularize(w))) return true;
  if (ADJECTIVES.has(w) || COMMON_VERBS.has(w) || MANY_TO_MANY_VERBS.has(w) || IRREGULAR_PARTICIPLES.has(w))
    return false;
  if (CRUD_VERBS[w] !== undefined || ACTION_VERBS[w] !== undefined) return false;
  if (/(?:ed|ly)$/.test(w) && w.length > 4) return false;
  // "employee submits", "manager approves": third-person forms of action and CRUD verbs.
  if (w.endsWith("s") && w.length > 4) {
    // "denies", "verifies": -ies is the -y verb's.
    const stem =
      w.endsWith("es") && ACTION_VERBS[w.slice(0, -2)] !== undefined
        ? w.slice(0, -2)
        : w.endsWith("ies") && ACTION_VERBS[`${w.slice(0, -3)}y`] !== undefined
          ? `${w.slice(0, -3)}y`
          : w.slice(0, -1);
    if (ACTION_VERBS[stem] !== undefined || (CRUD_VERBS[stem] !== undefined && !isKnownNounWord(stem)))
      return false;
  }
  if (/ing$/.test(w) && w.length > 5) return false;
  return /^\p{L}/u.test(w);
}

const knownRecordNouns = new Set<string>([...Object.keys(DEFAULT_FIELDS), ...PERSON_NOUNS]);

/** Verbs that open an instruction: "Alert the owner", "Remind the patient". */
const INSTRUCTION_VERBS = new Set([
  "alert",
  "notify",
  "remind",
  "email",
  "text",
  "message",
  "ping",
  "warn",
  "flag",
]);

/** Verbs that are no noun in any sense a brief uses: "parts used in a repair come from stock". */
const NEVER_NOUNS = new Set([
  "become",
  "come",
  "go",
  "get",
  "belong",
  "contain",
  "include",
  "allow",
  "enable",
  "provide",
  "receive",
  "send",
  "see",
  "take",
  "give",
  "sell",
  "buy",
  "keep",
  "own",
  "happen",
  "arrive",
  "appear",
  "need",
]);

function isKnownNounWord(word: string): boolean {
  const singular = singularize(word);
  return knownRecordNouns.has(singular) || knownRecordNouns.has(word);
}

export function isKnownRecordNoun(key: string): boolean {
  return knownRecordNouns.has(key);
}

/**
 * Agent nouns name people: "translators", "curators", "anglers", "referees". Record nouns the
 * lexicon knows ("orders", "folders" of documents) and field words are not.
 */
export function isAgentNoun(head: string): boolean {
  if (PERSON_NOUNS.has(head)) return true;
  if (isKnownRecordNoun(head) || isFieldWord(head) || head.length < 5) return false;
  // "stock movements", "payments", "shipments": -ment names a thing, though -ent names a person.
  return /(?:[^aeiou]or|[^e]er|ist|ian|ant|(?<!m)ent|eer|ee|man|men|ess)$/.test(head);
}

export function isFieldWord(key: string): boolean {
  return FIELD_WORDS[key] !== undefined;
}

/** Singular key of a (possibly plural) phrase: `lab results` → `lab result`. */
export function phraseKey(wordsOfPhrase: readonly string[]): string {
  const last = wordsOfPhrase[wordsOfPhrase.length - 1] ?? "";
  return [...wordsOfPhrase.slice(0, -1), singularize(last)].join(" ");
}

/**
 * The mentions of record types in one clause. Known record nouns always count; other nouns count
 * when plural (briefs name collections: "widgets", "sprockets") or when `allowSingular` is set (a
 * structural position such as "each X" or a heading).
 */
export function findMentions(
  tokens: readonly Token[],
  options: { allowSingular?: boolean } = {},
): readonly Mention[] {
  // Token arrays are memoised per text, so the same array comes back for the same clause; the
  // readers ask for its mentions several times.
  const cache = options.allowSingular === true ? singularMentions : pluralMentions;
  let mentions = cache.get(tokens);
  if (mentions === undefined) {
    mentions = scanMentions(tokens, options.allowSingular === true);
    cache.set(tokens, mentions);
  }
  return mentions;
}

const singularMentions = new WeakMap<readonly Token[], readonly Mention[]>();
const pluralMentions = new WeakMap<readonly Token[], readonly Mention[]>();

const QUESTION_WORD = /^(?:what|which|whether|how|when|where|who|if)$/;

function scanMentions(tokens: readonly Token[], allowSingular: boolean): Mention[] {
  const options = { allowSingular };
  const mentions: Mention[] = [];
  let i = 0;
  while (i < tokens.length) {
    // "Alert the owner 30 days before", "Export all scores as CSV": a sentence that opens with a
    // verb before its object gives an instruction; the verb is no record.
    if (
      i === 0 &&
      !isPlural(tokens[i]?.lower ?? "") &&
      (canBeVerb(tokens[i]?.lower ?? "") || INSTRUCTION_VERBS.has(tokens[i]?.lower ?? "")) &&
      /^(?:the|all|every|each|a|an|our|their|any|them|it|him|her|us|me)$/.test(tokens[1]?.lower ?? "")
    ) {
      i++;
      continue;
    }
    const known = knownCompoundAt(tokens, i);
    if (known !== null) {
      mentions.push(known);
      i = known.end;
      continue;
    }
    const token = tokens[i];
    if (token === undefined) break;
    // "a provider that issues them", "a tool which logs visits": after a relative pronoun, a word
    // in -s whose stem is a verb is the verb; so is any noun-verb after "we" ("we store their IBAN").
    if (
      (/^(?:that|which|who)$/.test(tokens[i - 1]?.lower ?? "") && isThirdPersonVerb(token.lower)) ||
      (/^(?:we|they|i|you)$/.test(tokens[i - 1]?.lower ?? "") && canBeVerb(token.lower)) ||
      // "we only store the URL", "we just store the reference".
      (/^(?:we|they|i|you)$/.test(tokens[i - 2]?.lower ?? "") &&
        /^(?:only|just|also|never|always|still|currently|already|then|must|should|will|can|could|would|need|want)$/.test(
          tokens[i - 1]?.lower ?? "",
        ) &&
        canBeVerb(token.lower)) ||
      // "the student leaves a review", "each customer orders a box": after a singular subject and
      // before an article, a word in -s is the verb, not a plural ("leaves", "orders").
      (/^(?:the|a|an|each|every|this|that|our|their|its)$/.test(tokens[i - 2]?.lower ?? "") &&
        tokens[i - 1] !== undefined &&
        isNounish(tokens[i - 1] as Token) &&
        !isPlural(tokens[i - 1]?.lower ?? "") &&
        // "the farmer decides what goes in": any word in -s before a question word is a verb.
        ((/^[a-z]{3,}[^s]s$/.test(token.lower) && QUESTION_WORD.test(tokens[i + 1]?.lower ?? "")) ||
          (isThirdPersonVerb(token.lower) &&
            (/^(?:a|an|the|their|its|his|her|our|each|every|one|some|all|any)$/.test(
              tokens[i + 1]?.lower ?? "",
            ) ||
              // "the director plans services": so before a plural noun.
              (tokens[i + 1] !== undefined &&
                isNounish(tokens[i + 1] as Token) &&
                isPlural(tokens[i + 1]?.lower ?? "") &&
                !isThirdPersonVerb(tokens[i + 1]?.lower ?? "")))))) ||
      // "Procurement converts approved requests", "the clerk reconciles the payments": after a
      // person or a department that opens the clause, a word in -s is its verb, in the lexicon or not.
      isVerbOfPerson(tokens, i) ||
      // "guests can leave reviews": after a modal, a verb in its base form is the verb, though
      // "leave" also makes compounds ("leave requests").
      (/^(?:can|cannot|may|must|should|will|could|would|shall)$/.test(tokens[i - 1]?.lower ?? "") &&
        isBaseVerb(token.lower) &&
        tokens[i + 1] !== undefined &&
        isNounish(tokens[i + 1] as Token)) ||
      // "I want to book an appointment", "patients can book a slot": before an article, too.
      (/^(?:to|can|cannot|may|must|should|will|could|would|shall)$/.test(tokens[i - 1]?.lower ?? "") &&
        isBaseVerb(token.lower) &&
        /^(?:a|an|the|my|our|their|his|her|its|your|some|each|every|one|new)$/.test(
          tokens[i + 1]?.lower ?? "",
        ))
    ) {
      i++;
      continue;
    }
    // "a worker can of course be involved": an idiom, not a course.
    if (token.lower === "course" && tokens[i - 1]?.lower === "of") {
      i++;
      continue;
    }
    // "coaches (name) plan sessions", "groups (name) book a room": after a closing parenthesis, a
    // noun-verb before a noun or an article is the verb.
    if (
      tokens[i - 1]?.text === ")" &&
      canBeVerb(token.lower) &&
      tokens[i + 1] !== undefined &&
      (isNounish(tokens[i + 1] as Token) ||
        /^(?:a|an|the|their|its|each|every|all|some)$/.test(tokens[i + 1]?.lower ?? ""))
    ) {
      i++;
      continue;
    }
    if (!isNounish(token)) {
      // "make offers", "reject the offers": a noun-verb word right after a verb or an article is
      // the object, a noun.
      const previous = tokens[i - 1]?.lower ?? "";
      const next = tokens[i + 1];
      // "Audits are carried out …", "Transfers need approval": a plural noun-verb opening a clause
      // before an auxiliary is its subject.
      const subjectPosition =
        // "Accepted quotes become jobs": a participle adjective may stand before it.
        (i === 0 || (i === 1 && (DETERMINERS.has(previous) || /^[a-z]{3,}ed$/.test(previous)))) &&
        isPlural(token.lower) &&
        (/^(?:are|were|have|can|could|must|should|will|may|might|need|get|belong|go|become)$/.test(
          next?.lower ?? "",
        ) ||
          // "Scores: each judge scores each project": a label before its colon.
          (i === 0 && next?.text === ":"));
      // "each order belongs to": a noun-verb just read as a noun is no verb this word is the object of.
      const afterMention = mentions.at(-1)?.end === i;
      // "either approves a payout or denies it": "either" before a verb in -s pairs verbs.
      const pairsVerbs = /^(?:either|neither|both)$/.test(previous) && isThirdPersonVerb(token.lower);
      const objectPosition =
        (DETERMINERS.has(previous) && !pairsVerbs) ||
        (isVerbLike(previous) && !afterMention) ||
        subjectPosition;
      // "submits a report", "reject the request": after an article, a singular noun-verb is a noun.
      const afterArticle = /^(?:a|an|the|each|every)$/.test(previous);
      // "Mooring: berth code, monthly fee": a word in -ing that labels a list names a record, and so
      // does one after an article: "each wedding", "a meeting", "the building".
      const ingNoun =
        /ing$/.test(token.lower) &&
        ((allowSingular && i === 0 && next?.text === ":") ||
          (/^(?:a|an|the|each|every|per|this|that|our|their|its|my|your)$/.test(previous) &&
            (next === undefined || next.punct || !isNounish(next)) &&
            !/^(?:following|remaining|existing|upcoming|outstanding|pending|missing|during)$/.test(
              token.lower,
            )));
      // "opens a return request", "files a repair request": a verb that is a listed modifier of a
      // compoundable head names the record with it.
      if (
        COMPOUND_MODIFIERS.has(token.lower) &&
        next !== undefined &&
        COMPOUNDABLE_HEADS.has(singularize(next.lower)) &&
        (DETERMINERS.has(previous) || isVerbLike(previous))
      ) {
        const mention = headOfChunk([token, next], i, tokens[i - 1], false);
        if (mention !== null) {
          mentions.push(mention);
          i += 2;
          continue;
        }
      }
      if (ingNoun) {
        const mention = headOfChunk([token], i, undefined, true);
        if (mention !== null) mentions.push(mention);
        i++;
        continue;
      }
      if (
        objectPosition &&
        COMMON_VERBS.has(token.lower) &&
        !NEVER_NOUNS.has(token.lower.replace(/s$/, "")) &&
        (isPlural(token.lower) || afterArticle) &&
        (next === undefined || !isNounish(next))
      ) {
        const mention = headOfChunk([token], i, tokens[i - 1], false);
        if (mention !== null) mentions.push(mention);
      }
      i++;
      continue;
    }
    let end = i;
    let verbAtEnd = false;
    const compoundHeadAt = (at: number): boolean =>
      at > i &&
      ((COMPOUNDABLE_HEADS.has(singularize(tokens[at]?.lower ?? "")) &&
        COMPOUND_MODIFIERS.has(tokens[at - 1]?.lower ?? "")) ||
        // "a daily vehicle check", "safety checks (date, result)": after a singular noun, "check"
        // names the record; "drivers check the van" keeps its verb.
        (OPEN_COMPOUND_HEADS.has(tokens[at]?.lower ?? "") &&
          !isPlural(tokens[at - 1]?.lower ?? "") &&
          (tokens[at + 1] === undefined || !isNounish(tokens[at + 1] as Token))));
    // "treatment records", "maintenance logs": after a compound modifier, a noun-verb head is a noun.
    // "inspection reports (date, result)": a noun-verb that a field list follows is the noun.
    const describedAt = (at: number): boolean =>
      at > i &&
      tokens[at + 1]?.text === "(" &&
      COMMON_VERBS.has(tokens[at]?.lower ?? "") &&
      groupHasComma(tokens, at + 1);
    // "Job opening: title, …", "each dog grooming.": a word in -ing after a singular noun, ending
    // the phrase, is the head of a compound.
    const ingHeadAt = (at: number): boolean =>
      at > i &&
      /^\p{L}{3,}ing$/u.test(tokens[at]?.lower ?? "") &&
      !isPlural(tokens[at - 1]?.lower ?? "") &&
      !/^(?:following|remaining|existing|upcoming|outstanding|pending|missing|during)$/.test(
        tokens[at]?.lower ?? "",
      ) &&
      (tokens[at + 1] === undefined || (tokens[at + 1] as Token).punct);
    // "staff keep incident reports.", "log condition reports for objects": after a verb or "of", a plural
    // noun-verb that follows a singular thing and ends the phrase is its head ("each employee
    // reports to a manager" has an article before its subject, "a patient reports symptoms" a
    // person).
    const objectHeadAt = (at: number): boolean =>
      at === i + 1 &&
      (COMMON_VERBS.has(tokens[at]?.lower ?? "") ||
        OPEN_COMPOUND_HEADS.has(singularize(tokens[at]?.lower ?? ""))) &&
      /[^s]s$/.test(tokens[at]?.lower ?? "") &&
      !isPlural(tokens[i]?.lower ?? "") &&
      !PERSON_NOUNS.has(tokens[i]?.lower ?? "") &&
      // "a history of stage changes per order": after "of", too.
      (isVerbLike(tokens[i - 1]?.lower ?? "") || tokens[i - 1]?.lower === "of") &&
      (tokens[at + 1] === undefined ||
        (tokens[at + 1] as Token).punct ||
        PREPOSITIONS.has(tokens[at + 1]?.lower ?? ""));
    while (
      end < tokens.length &&
      tokens[end] !== undefined &&
      (isNounish(tokens[end] as Token) ||
        compoundHeadAt(end) ||
        describedAt(end) ||
        ingHeadAt(end) ||
        objectHeadAt(end))
    ) {
      // "patients book appointments": a noun-verb word between a plural and another noun is the verb.
      const word = tokens[end]?.lower ?? "";
      const next = tokens[end + 1];
      // "tenants file maintenance requests", "readers leave comments": so is a verb of authoring.
      if (
        end > i &&
        (COMMON_VERBS.has(word) ||
          AUTHORING_VERBS.has(word) ||
          CRUD_VERBS[word] !== undefined ||
          ACTION_VERBS[word] !== undefined) &&
        isPlural(tokens[end - 1]?.lower ?? "") &&
        next !== undefined &&
        (isNounish(next) ||
          /^(?:a|an|the|their|its|each|every|all)$/.test(next.lower) ||
          // "customers book grooming appointments": a word in -ing may describe the object.
          (/^\p{L}{3,}ing$/u.test(next.lower) &&
            tokens[end + 2] !== undefined &&
            isNounish(tokens[end + 2] as Token) &&
            isPlural(tokens[end + 2]?.lower ?? "")) ||
          // "owners book stays": people do things, so after them a noun-verb before a plural is the verb.
          (PERSON_NOUNS.has(singularize(tokens[end - 1]?.lower ?? "")) && isPlural(next.lower)))
      ) {
        verbAtEnd = true;
        break;
      }
      // "Procurement converts approved requests": the chunk ends at the verb of its person.
      if (end > i && isVerbOfPerson(tokens, end)) break;
      // "Each device pushes readings": after a singular subject that follows an article, a word
      // whose stem is a verb and ends in -s is the verb.
      const subjectArticle = /^(?:each|every|a|an|the|one)$/.test(tokens[i - 1]?.lower ?? "");
      if (
        end > i &&
        subjectArticle &&
        !isPlural(tokens[end - 1]?.lower ?? "") &&
        /s$/.test(word) &&
        (COMMON_VERBS.has(word.replace(/e?s$/, "")) ||
          COMMON_VERBS.has(word.slice(0, -1)) ||
          isThirdPersonVerb(word) ||
          // "the farmer decides what goes in": before a question word, any word in -s.
          (/[^s]s$/.test(word) && QUESTION_WORD.test(tokens[end + 1]?.lower ?? "")))
      )
        break;
      end++;
    }
    if (end === i) {
      i++;
      continue;
    }
    // "loans with a repayment schedule": after an article and a noun, a base-form noun-verb that
    // ends the phrase is part of it ("each device pushes readings" has its verb in -s).
    const last = tokens[end];
    if (
      last !== undefined &&
      end - i === 1 &&
      /^(?:a|an|the|each|every)$/.test(tokens[i - 1]?.lower ?? "") &&
      !last.punct &&
      !last.lower.endsWith("s") &&
      !NEVER_NOUNS.has(last.lower) &&
      (COMMON_VERBS.has(last.lower) ||
        ACTION_VERBS[last.lower] !== undefined ||
        CRUD_VERBS[last.lower] !== undefined) &&
      endsNounPhrase(tokens[end + 1]) &&
      headOfChunk(tokens.slice(i, end + 1), i, tokens[i - 1], options.allowSingular) !== null
    )
      end++;
    // "tenants file maintenance requests": a known compound may end in a word that is no noun alone.
    const tail = knownCompoundAt(tokens, end - 1);
    if (tail !== null && tail.end > end) end = tail.end;
    // "todo api", "patient portal": the trailing words describe the software, not the record.
    let chunkEnd = end;
    // ... unless a field list follows: "inspection reports (date, result)" are records.
    const describedHere = tokens[end]?.text === "(" && groupHasComma(tokens, end);
    while (
      !describedHere &&
      chunkEnd - 1 > i &&
      NON_ENTITY_NOUNS.has(tokens[chunkEnd - 1]?.lower ?? "") &&
      !(
        COMPOUNDABLE_HEADS.has(singularize(tokens[chunkEnd - 1]?.lower ?? "")) &&
        (COMPOUND_MODIFIERS.has(tokens[chunkEnd - 2]?.lower ?? "") ||
          OPEN_COMPOUND_HEADS.has(singularize(tokens[chunkEnd - 1]?.lower ?? "")))
      )
    )
      chunkEnd--;
    const chunk = tokens.slice(i, chunkEnd);
    // "a monthly statement (total, due date)": a singular noun that a list follows names a record.
    const listFollows = tokens[chunkEnd]?.text === "(" && groupHasComma(tokens, chunkEnd);
    // "from a start station to an end station": a determiner before an action word used as a
    // modifier still counts.
    // "a daily vehicle check": so does a word of frequency (any adjective would make "a simple
    // thing" a record).
    const article =
      /^(?:a|an|each|every)$/.test(tokens[i - 2]?.lower ?? "") &&
      (ACTION_VERBS[tokens[i - 1]?.lower ?? ""] !== undefined ||
        /^(?:daily|weekly|monthly|yearly|annual|nightly|hourly|quarterly)$/.test(tokens[i - 1]?.lower ?? ""));
    const before = article ? tokens[i - 2] : tokens[i - 1];
    const after = tokens[chunkEnd];
    const endsPhrase =
      after === undefined || after.punct || PREPOSITIONS.has(after.lower) || CONJUNCTIONS.has(after.lower);
    const mention = headOfChunk(
      chunk,
      i,
      before,
      (options.allowSingular ?? false) || listFollows,
      listFollows,
      endsPhrase,
    );
    // "issue date", "order number": a noun before a field word names the field, not a record.
    const fieldAfter = FIELD_SUFFIX_WORDS.has(tokens[chunkEnd]?.lower ?? "");
    if (mention !== null && !fieldAfter) mentions.push(mention);
    // The verb that ended the chunk starts no noun phrase of its own: "readers leave comments".
    i = verbAtEnd ? end + 1 : end;
  }
  return mentions;
}

/** Known multi-word record types at position i, checked before chunking splits them. */
function knownCompoundAt(tokens: readonly Token[], i: number): Mention | null {
  for (let size = 3; size >= 2; size--) {
    const window = tokens.slice(i, i + size);
    if (window.length < size || window.some((t) => t.punct)) continue;
    const lowers = window.map((t) => t.lower);
    // Any known compound, whatever its first word is: "medical records", "leave requests", "line items".
    if (DETERMINERS.has(lowers[0] ?? "") || PREPOSITIONS.has(lowers[0] ?? "")) continue;
    const key = phraseKey(lowers);
    if (knownRecordNouns.has(key)) {
      const surface = window.map((t) => t.text).join(" ");
      return { key, surface, plural: isPlural(lowers[size - 1] ?? ""), start: i, end: i + size, known: true };
    }
  }
  return null;
}

/**
 * "cash, card or transfer", "0%, 7% or 19%", "public or internal": short items whose last two are
 * joined by the only "or" name alternatives. "billing interval monthly or yearly, price" is a field list.
 */
export function isAlternatives(group: readonly Token[]): boolean {
  const ors = group.filter((t) => t.lower === "or").length;
  // "(quantity, size, finish: matte or gloss)": a colon gives one field its values in a field list.
  if (ors === 0 || group.some((t) => t.lower === "and" || t.text === "(" || t.text === ":")) return false;
  const lastComma = group.findLastIndex((t) => t.text === ",");
  const or = group.findLastIndex((t) => t.lower === "or");
  if (or < lastComma) return false;
  const items: Token[][] = [[]];
  for (const t of group) {
    if (t.text === "," || t.lower === "or") items.push([]);
    else if (!t.punct) items.at(-1)?.push(t);
  }
  return items.every((item) => item.length >= 1 && item.length <= 2);
}

/**
 * Whether the parenthesised group opening at `open` holds a comma (a list, not an aside) and is
 * no list of alternatives ("cash, card or transfer" are a field's values).
 */
function groupHasComma(tokens: readonly Token[], open: number): boolean {
  let close = open + 1;
  while (close < tokens.length && tokens[close]?.text !== ")") close++;
  const group = tokens.slice(open + 1, close);
  return group.some((t) => t.text === ",") && !isAlternatives(group) && !remarks(group);
}

/** "(computed on the fly, not stored)": a remark in parentheses, not a list of fields. */
function remarks(group: readonly Token[]): boolean {
  const firsts = [group[0], ...group.filter((_, i) => group[i - 1]?.text === ",")];
  return firsts.some(
    (t) =>
      t !== undefined &&
      /^(?:not|no|never|only|always|computed|calculated|derived|e\.g|i\.e|etc)$/.test(t.lower),
  );
}

function headOfChunk(
  chunk: readonly Token[],
  offset: number,
  before: Token | undefined,
  allowSingular: boolean,
  listFollows = false,
  endsPhrase = true,
): Mention | null {
  const lowers = chunk.map((t) => t.lower);
  // Prefer the longest known compound ending at the head: "purchase order", "lab result".
  for (let size = Math.min(3, lowers.length); size >= 1; size--) {
    const wordsOfPhrase = lowers.slice(lowers.length - size);
    const key = phraseKey(wordsOfPhrase);
    const start = offset + chunk.length - size;
    const surface = chunk
      .slice(chunk.length - size)
      .map((t) => t.text)
      .join(" ");
    const plural = isPlural(wordsOfPhrase[wordsOfPhrase.length - 1] ?? "");
    if (knownRecordNouns.has(key) || APP_NOUNS[key] !== undefined) {
      let modified = false;
      if (size === 1 && lowers.length >= 2) {
        const compound = compoundOf(lowers, chunk);
        if (compound !== null)
          return { ...compound, start: offset + chunk.length - 2, end: offset + chunk.length };
        const modifier = lowers[lowers.length - 2] ?? "";
        modified = !PERSON_NOUNS.has(singularize(modifier)) && !ADJECTIVES.has(modifier);
      }
      return { key, surface, plural, start, end: offset + chunk.length, known: true, modified };
    }
  }
  const head = lowers[lowers.length - 1] ?? "";
  const key = singularize(head);
  // "curators record objects (accession number, title, maker)": a vague word is read as a noun;
  // it is a record only if the brief gives it fields (see the compiler's isEntity).
  if ((NON_ENTITY_NOUNS.has(head) || NON_ENTITY_NOUNS.has(key)) && !RECORDS_WHEN_DESCRIBED.has(key)) {
    // "maintenance requests" are records though "requests" alone are not.
    const compound = chunk.length >= 2 ? compoundOf(lowers, chunk, listFollows) : null;
    if (compound === null) return null;
    return { ...compound, start: offset + chunk.length - 2, end: offset + chunk.length, known: false };
  }
  // Field words name values ("email", "price"), except a few that are often records of their own
  // when plural ("tags", "photos", "comments"); those stay weak candidates.
  // "judges record scores (value, comment)": a plural with fields of its own is a record, though
  // "statuses (open, closed)" lists values.
  const describedPlural = listFollows && isPlural(head) && !CHOICE_NAMES.test(key);
  if (
    (isFieldWord(key) || isFieldWord(head)) &&
    !(ALSO_RECORDS.has(key) && isPlural(head)) &&
    !describedPlural
  )
    return null;
  if (head.length < 3) return null;
  const plural = isPlural(head);
  // "thresholds they set per greenhouse": what a thing is counted per is a record, unless it is
  // a stretch of time or a unit of measure ("per day", "per person", "per kilo").
  const afterDeterminer =
    before !== undefined &&
    (/^(?:each|every|a|an)$/.test(before.lower) ||
      (before.lower === "per" &&
        endsPhrase &&
        !/^(?:second|minute|hour|day|night|week|fortnight|month|quarter|year|season|term|semester|shift|person|head|unit|item|use|visit|kilo|kg|gram|pound|litre|liter|mile|km|kilometre|page|word|seat|guest|adult|child|cent)$/.test(
          head,
        )));
  if (!plural && !allowSingular && !afterDeterminer) return null;
  if (chunk.length >= 2) {
    const compound = compoundOf(lowers, chunk);
    if (compound !== null)
      return { ...compound, start: offset + chunk.length - 2, end: offset + chunk.length, known: false };
  }
  return {
    key,
    surface: chunk[chunk.length - 1]?.text ?? head,
    plural,
    start: offset + chunk.length - 1,
    end: offset + chunk.length,
    known: false,
  };
}

/** "customer orders" are orders and "urgent tickets" tickets: a person or an adjective makes no compound. */
function onlyDescribes(modifier: string): boolean {
  return PERSON_NOUNS.has(singularize(modifier)) || ADJECTIVES.has(modifier);
}

/**
 * Two-word compounds such as "support tickets" or "expense reports" keep their modifier, unless
 * the modifier is a person ("customer orders" are orders), an adjective, or an acronym. With
 * `listFollows`, "inspection reports (date, result)": a compound that a field list follows is a
 * record whatever its modifier, unless that is a person or an adjective.
 */
function compoundOf(
  lowers: readonly string[],
  chunk: readonly Token[],
  listFollows = false,
): Omit<Mention, "start" | "end"> | null {
  const modifier = lowers[lowers.length - 2] ?? "";
  const head = lowers[lowers.length - 1] ?? "";
  const named = namesCompound(modifier, head, chunk[chunk.length - 2]?.text ?? "");
  return named || (listFollows && describesCompound(modifier, head)) ? lastTwoWords(lowers, chunk) : null;
}

function namesCompound(modifier: string, head: string, modifierText: string): boolean {
  if (modifier.length < 3 || /^[A-Z0-9]{2,5}$/.test(modifierText)) return false;
  if (onlyDescribes(modifier)) return false;
  // A modifier listed as one ("audit finding", "action plan", "maintenance request") makes a
  // compound even when the word alone is a verb or names no record.
  const listed =
    COMPOUND_MODIFIERS.has(modifier) ||
    (OPEN_COMPOUND_HEADS.has(singularize(head)) && !ADJECTIVES.has(modifier));
  if (!listed && (NON_ENTITY_NOUNS.has(modifier) || NON_ENTITY_NOUNS.has(singularize(modifier))))
    return false;
  if (NON_ENTITY_NOUNS.has(head) && !(listed && COMPOUNDABLE_HEADS.has(singularize(head)))) return false;
  // "customer orders" are orders, but an exercise plan or a treatment note is a record of its own.
  if (
    isKnownRecordNoun(singularize(modifier)) &&
    isKnownRecordNoun(singularize(head)) &&
    (PERSON_NOUNS.has(singularize(modifier)) || !DOCUMENT_HEADS.has(singularize(head)))
  )
    return false;
  // Only a modifier that is itself a business word makes a compound ("expense report", "stock
  // movement", "payment method"); "spreadsheet-driven loans" and "become loans" are loans.
  // "condition report", "progress note": a document about something is named by what it is about.
  const documentOf =
    DOCUMENT_HEADS.has(singularize(head)) && !/ly$/.test(modifier) && isNounishWord(modifier);
  const businessModifier =
    isKnownRecordNoun(singularize(modifier)) || isFieldWord(modifier) || listed || documentOf;
  return businessModifier && !modifier.includes("-") && !(isVerbLike(modifier) && !listed);
}

function describesCompound(modifier: string, head: string): boolean {
  if (!/^\p{L}{3,}$/u.test(modifier) || onlyDescribes(modifier)) return false;
  // "accession number (unique, printed on the label)" is a field with notes.
  return !(
    FIELD_SUFFIX_WORDS.has(head) ||
    isFieldWord(singularize(head)) ||
    isFieldWord(`${modifier} ${singularize(head)}`)
  );
}

/** The chunk's last two words as one record phrase: "support tickets" → `support ticket`. */
function lastTwoWords(lowers: readonly string[], chunk: readonly Token[]): Omit<Mention, "start" | "end"> {
  const modifier = lowers[lowers.length - 2] ?? "";
  const head = lowers[lowers.length - 1] ?? "";
  const key = `${modifier} ${singularize(head)}`;
  return {
    key,
    surface: `${chunk[chunk.length - 2]?.text ?? modifier} ${chunk[chunk.length - 1]?.text ?? head}`,
    plural: isPlural(head),
    known: isKnownRecordNoun(key),
  };
}

/** "taught", "held", "written": a participle that does not end in -ed. */
export function isIrregularParticiple(word: string): boolean {
  return IRREGULAR_PARTICIPLES.has(word);
}

export function isVerbLike(word: string): boolean {
  return (
    COMMON_VERBS.has(word) ||
    MANY_TO_MANY_VERBS.has(word) ||
    CRUD_VERBS[word] !== undefined ||
    ACTION_VERBS[word] !== undefined ||
    (/ed$/.test(word) && word.length > 4)
  );
}
