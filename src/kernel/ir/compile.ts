/**
 * The heuristic brief → IR compiler: the offline default and the fallback of the LLM compiler.
 * Pure and deterministic: the same brief and options give the same IR, byte for byte.
 */
import { createHash } from "node:crypto";
import { editDistance } from "../edit-distance.js";
import { BriefError } from "../errors.js";
import { compileDetector, type OverlayDetector } from "../overlays/detect.js";
import { fieldMarker } from "../overlays/field-marks.js";
import { requestedSelection, resolveOverlays } from "../overlays/resolve.js";
import type { ResolvedOverlays } from "../overlays/resolved.js";
import type { GenerationRule, Overlay } from "../overlays/schema.js";
import {
  normaliseBrief,
  rephraseAllowances,
  rephraseDeadlines,
  rephraseUserStories,
  segmentBrief,
} from "./brief-text.js";
import { fieldFromSpec, parseFieldItem } from "./field-spec.js";
import {
  camelCase,
  isPlural,
  kebabCase,
  pascalCase,
  pluralize,
  singularize,
  snakeCase,
  withArticle,
  words,
} from "./inflect.js";
import { translateStructure } from "./lexicon/foreign.js";
import {
  APP_NOUNS,
  DEFAULT_FIELDS,
  ONE_TO_ONE_NOUNS,
  PERSON_NOUNS,
  RECORDS_WHEN_DESCRIBED,
  SENSES,
  WORK_DONE_FIELDS,
} from "./lexicon/nouns.js";
import { isRoleWord } from "./lexicon/roles.js";
import { RECORDS_OF_VERB } from "./lexicon/verbs.js";
import { findMentions, isFieldWord, phraseKey, tokenize } from "./mentions.js";
import {
  actionContext,
  actionOperation,
  crudOperations,
  defaultListOptions,
  exportOperation,
  fieldNameFor,
  readActions,
  searchOperation,
  transitionFor,
} from "./read-operations.js";
import {
  readAuth,
  readKind,
  readName,
  readNonFunctional,
  readStack,
  type StackFlags,
} from "./read-requirements.js";
import type { StateList } from "./read-states.js";
import { type BriefStructure, type Candidate, type RelationPhrase, readStructure } from "./read-structure.js";
import {
  type Entity,
  type Field,
  IR,
  IR_VERSION,
  OPERATION_PERMISSION,
  type Operation,
  type OverlaySelection,
  type Question,
  type Relation,
  type Role,
} from "./schema.js";

export interface CompileOptions extends StackFlags {
  /** Every overlay that may apply: shipped ones plus the repository's (see `loadCatalog`). */
  overlayCatalog: readonly Overlay[];
  /** Overlays asked for by name (`--overlay hipaa`), on top of the detected ones. */
  overlays?: readonly string[];
}

export interface Understanding {
  ir: IR;
  /** The overlays in force with their merged rules and controls, for the generators. */
  resolved: ResolvedOverlays;
}

/**
 * Compiles a brief into the IR.
 *
 * @throws BriefError for an empty, binary, oversized or unbuildable brief.
 * @example
 * const ir = compileBrief("Clinic API: patients book appointments with doctors", { overlayCatalog });
 * ir.entities.map((e) => e.name); // ["Patient", "Appointment", "Doctor"]
 */
export function compileBrief(brief: string, options: CompileOptions): IR {
  return understandBrief(brief, options).ir;
}

/** Like `compileBrief`, also returning the resolved overlays the generators need. */
export function understandBrief(brief: string, options: CompileOptions): Understanding {
  const original = normaliseBrief(brief);
  // French, German, Spanish, Portuguese and Italian briefs: structural words read in English.
  // "As a patient, I want to book …": a user story says what the role can do.
  // "The system shall allow citizens to report …": what the system allows, a role can do.
  const text = rephraseDeadlines(rephraseUserStories(rephraseAllowances(translateStructure(original))));
  const segments = segmentBrief(text);
  const sentences = segments.map((s) => s.text);
  const structure = readStructure(segments);

  const relationKeys = new Set(
    structure.relations.flatMap((r) =>
      [r.parent, r.child].filter((key) => r.weak !== true || !isRoleWord(key)),
    ),
  );
  const fieldSubjects = new Set(structure.fieldItems.map((item) => item.entity));
  const owners = new Set(structure.relations.filter((r) => r.owned).map((r) => r.parent));
  const choices = choiceFieldNames(structure);
  const candidates = [...structure.candidates.values()].sort((a, b) => a.order - b.order);
  const decided = expandAppNouns(
    structure,
    candidates
      .filter((c) => !(choices.has(c.key) && !fieldSubjects.has(c.key)))
      .filter((c) => isEntity(c, relationKeys, fieldSubjects, owners))
      .map((c) => c.key),
  );
  const aliases = headAliases(candidates, decided, fieldSubjects);
  const entityKeys = [...new Set(decided.map((key) => aliases.get(key) ?? key))];
  resolveAliases(structure, aliases);
  if (entityKeys.length === 0) {
    throw new BriefError(
      "brief.nothing-buildable",
      "found nothing to build in the brief: it names no records to manage",
      {
        hint: 'name the things the application keeps, e.g. "patients book appointments with doctors; invoices have an amount and a due date"',
      },
    );
  }

  const personal = (key: string): boolean =>
    PERSON_NOUNS.has(key) || PERSON_NOUNS.has(key.split(" ").pop() ?? "");
  const makeField = (key: string) => (spec: string) => fieldFromSpec(spec, personal(key), "domain");
  const entities = new Map<string, Entity>();
  for (const key of entityKeys) {
    const candidate = structure.candidates.get(key);
    const name = pascalCase(key);
    const pluralWords = [...key.split(" ").slice(0, -1), pluralize(key.split(" ").pop() ?? key)];
    entities.set(key, {
      name,
      plural: pascalCase(pluralWords.join(" ")) === name ? `${name}s` : pascalCase(pluralWords.join(" ")),
      table: snakeCase(pluralWords.join(" ")),
      route: kebabCase(pluralWords.join(" ")),
      description: "",
      fields: [],
      origin: candidate === undefined ? "domain" : "brief",
      evidence: candidate?.evidence.slice(0, 2) ?? [],
    });
  }
  const entityOfKey = (key: string): Entity | undefined =>
    entities.get(aliases.get(key) ?? key) ?? entities.get(singularize(key));
  // Asked about every word of every sentence by the operation and role readers: answer each once.
  const entityOfWordCache = new Map<string, string | null>();
  const entityOfWord = (word: string): string | null => {
    let known = entityOfWordCache.get(word);
    if (known === undefined) {
      known = lookUpEntityOfWord(word);
      entityOfWordCache.set(word, known);
    }
    return known;
  };
  // "marks the PO as received": an upper-case abbreviation in the brief names the one compound
  // entity with those initials (PO → purchase order).
  const initialsOf = new Map<string, string | null>();
  for (const key of entityKeys) {
    const parts = key.split(" ");
    if (parts.length < 2) continue;
    const initials = parts.map((part) => part[0]).join("");
    initialsOf.set(initials, initialsOf.has(initials) ? null : key);
  }
  const abbreviations = new Set(
    [...text.matchAll(/\b([A-Z]{2,4})s?\b/g)].map((m) => (m[1] ?? "").toLowerCase()),
  );
  const lookUpEntityOfWord = (word: string): string | null => {
    const w = word.trim().toLowerCase();
    if (w === "") return null;
    const entity = entityOfKey(w) ?? entityOfKey(singularize(w));
    if (entity !== undefined) return entity.name;
    const abbreviated = abbreviations.has(w) ? initialsOf.get(w) : undefined;
    if (abbreviated !== undefined && abbreviated !== null) return entities.get(abbreviated)?.name ?? null;
    // "the application" for a LoanApplication: the head of exactly one compound entity.
    const head = singularize(w);
    const compounds = entityKeys.filter((key) => key.endsWith(` ${head}`));
    return compounds.length === 1 ? (entities.get(compounds[0] ?? "")?.name ?? null) : null;
  };

  // Fields, and list items that turn out to name other entities (relations).
  const relationPhrases: RelationPhrase[] = [...structure.relations];
  const questions: Question[] = [];
  for (const listed of structure.fieldItems) {
    const entity = entityOfKey(listed.entity);
    if (entity === undefined) continue;
    // "events at venues (venue has a capacity)": the record named again before its field.
    const item = { ...listed, text: withoutOwnerPrefix(listed.text, listed.entity) };
    // "an owner (an employee)": a field whose value is another record is a link to it.
    const role = /^([\p{L}][\p{L} -]{0,40}?)\s*\((?:a|an|the|one)\s+([\p{L} -]{2,40})\)\s*$/u.exec(item.text);
    const roleOf =
      role === null ? undefined : findMentions(tokenize(role[2] ?? ""), { allowSingular: true }).at(-1);
    if (roleOf !== undefined && entityKeys.includes(roleOf.key) && roleOf.key !== item.entity) {
      relationPhrases.push({
        parent: roleOf.key,
        child: item.entity,
        kind: "one-to-many",
        owned: false,
        required: false,
        label: (role?.[1] ?? "").trim().toLowerCase(),
        evidence: item.evidence,
      });
      continue;
    }
    // "borrower (each borrower can have many applications)" names a record at its head;
    // "status: submitted, under review" lists values, whatever words they are.
    // "appointments with a doctor for a time slot": the record before a preposition is the head.
    // "cost per student" is a cost, not a link to students.
    const itemHead = item.text.split(/\s*[:(]|\s+(?:for|at|in|on|from|to|with|per|each)\s+/)[0] ?? item.text;
    const headTokens = tokenize(itemHead);
    // ... and only as its last word: "issue date" is a date, not a link to an Issue.
    const itemMention = findMentions(headTokens, { allowSingular: true })
      .filter((m) => m.end === headTokens.length)
      .at(-1);
    // A noun-verb on its own ("flags", "reviews") is no mention, but may still name an entity.
    const headWords = itemHead.toLowerCase().trim().split(/\s+/);
    // So may a word that is no mention anywhere else ("the tool" of a tool library's loan).
    const wholeKey = headWords.length <= 3 ? phraseKey(headWords) : null;
    // "min players", "number of guests": a count of records is a number, not a link to them.
    const counts = /^(?:min|max|minimum|maximum|number of|no\.? of|total|count of|expected)\s/i.test(
      itemHead.trim(),
    );
    const itemKey = counts
      ? null
      : itemMention === undefined
        ? (entityKeys.find((k) => k === wholeKey) ?? null)
        : (entityKeys.find((k) => k === itemMention.key) ?? null);
    const itemPlural = itemMention?.plural ?? isPlural(headWords.at(-1) ?? "");
    // "flags" is a field word, but "each project has environments and flags" lists the Flag
    // records when the brief gives flags fields of their own.
    const recordNotField =
      itemKey !== null && (!isFieldWord(itemKey) || (itemPlural && fieldSubjects.has(itemKey)));
    if (itemKey !== null && itemKey !== item.entity && recordNotField) {
      const plural = itemPlural;
      relationPhrases.push(
        plural
          ? {
              parent: item.entity,
              child: itemKey,
              kind: "one-to-many",
              owned: false,
              required: true,
              label: "has",
              evidence: item.evidence,
            }
          : ONE_TO_ONE_NOUNS.has(itemKey) ||
              /\b(?:one each|one per|its own|their own|exactly one)\b/i.test(item.text)
            ? {
                parent: item.entity,
                child: itemKey,
                kind: "one-to-one",
                owned: true,
                required: true,
                label: "has one",
                evidence: item.evidence,
              }
            : {
                parent: itemKey,
                child: item.entity,
                kind: "one-to-many",
                owned: false,
                required: true,
                label: "has a",
                evidence: item.evidence,
              },
      );
      continue;
    }
    const parsed = parseFieldItem(item.text, {
      typeHint: item.typeHint,
      personal: personal(item.entity),
      origin: "brief",
      evidence: item.evidence,
    });
    if (parsed === null) continue;
    if (/^(?:id|createdAt|updatedAt|deletedAt)$/.test(parsed.field.name)) continue;
    const fkTarget = /^(.+?)\s+id$/.exec(parsed.phrase);
    if (fkTarget !== null && entityOfKey(fkTarget[1] ?? "") !== undefined) {
      relationPhrases.push({
        parent: fkTarget[1] ?? "",
        child: item.entity,
        kind: "one-to-many",
        owned: false,
        required: true,
        label: "references",
        evidence: item.evidence,
      });
      continue;
    }
    if (!entity.fields.some((f) => f.name === parsed.field.name)) entity.fields.push(parsed.field);
  }
  for (const [key, entity] of entities) {
    if (entity.fields.length > 0) continue;
    const head = key.split(" ").pop() ?? "";
    // "members borrow tools … overdue loans": the sense of the word in this brief comes first.
    const sense = (SENSES[key] ?? SENSES[head])?.find((s) => s.when.test(text) && !s.unless.test(text));
    const known =
      sense?.fields ??
      DEFAULT_FIELDS[key] ??
      DEFAULT_FIELDS[head] ??
      (key.includes(" ") ? WORK_DONE_FIELDS[head] : undefined);
    // "students book lessons with a tutor": what is booked happens at a time, whatever the
    // lexicon's lesson (a course's page) would have.
    const booked =
      relationPhrases.some((r) => r.child === key && /^(?:book|reserve|schedule)/.test(r.label)) &&
      !(known ?? []).some((spec) => /\b(?:at|date|time|starts)\b/.test(spec));
    const defaults = booked ? DEFAULT_FIELDS.appointment : known;
    const specs = defaults ?? ["name"];
    for (const spec of specs) {
      const field = fieldFromSpec(spec, personal(key), defaults === undefined ? "convention" : "domain");
      if (field !== null && !entity.fields.some((f) => f.name === field.name)) entity.fields.push(field);
    }
    questions.push({
      id: `entity.${entity.name}.fields`,
      question: `Which fields does ${withArticle(words(entity.name).join(" "))} have?`,
      assumption: `Assumed ${entity.fields.map((f) => f.name).join(", ")}.`,
    });
  }

  applyLifecycles(structure.states, entities, sentences, makeField);

  const relations = buildRelations(reify(relationPhrases, entities, text), entities);
  for (const relation of relations) {
    if (relation.foreignKey === null) continue;
    const child = [...entities.values()].find((e) => e.name === relation.to);
    if (child !== undefined)
      child.fields = child.fields.filter(
        (f) => f.name !== relation.foreignKey && f.name !== camelCase(relation.from),
      );
  }

  // Overlays: requested by name plus detected from the words of the brief.
  const requested: OverlaySelection[] = (options.overlays ?? []).map((name) =>
    requestedSelection({
      name,
      kind: options.overlayCatalog.find((o) => o.name === name)?.kind ?? "compliance",
    }),
  );
  const resolved = resolveOverlays(
    [...requested, ...detectorFor(options.overlayCatalog)(text)],
    options.overlayCatalog,
  );
  const rules = resolved.rules.map(({ rule }) => rule);

  const nonFunctional = readNonFunctional(text);
  const entityList = [...entities.values()];
  const auth = readAuth(text, sentences, entityOfWord);
  const stack = readStack(text, options);
  applyOverlayRules(resolved, rules, entityList, nonFunctional, auth, questions);

  const operations = buildOperations({
    entityList,
    entities,
    relations,
    structure,
    sentences,
    text,
    rules,
    entityOfWord,
    makeField,
    auth,
  });
  const missingCurrency = entityList
    .flatMap((e) => e.fields)
    .filter((f) => f.format === "money" && f.currency === null);
  const briefCurrency = currencyOf(text);
  for (const field of missingCurrency) field.currency = briefCurrency ?? "USD";
  if (missingCurrency.length > 0 && briefCurrency === null) {
    questions.push({
      id: "money.currency",
      question: "Which currency are amounts in?",
      assumption: "US dollars (USD); each money field stores its currency code.",
    });
  }
  if (auth.kind === "none" && auth.origin === "convention") {
    questions.push({
      id: "auth.kind",
      question: "Who may call the API?",
      assumption: "Anyone: no authentication. Add 'JWT', 'API keys' or 'SSO' to the brief to change it.",
    });
  }
  if (entityList.length > 1 && relations.length === 0) {
    questions.push({
      id: "relations",
      question: "How are the records related?",
      assumption: "They are independent of each other.",
    });
  }
  for (const selection of resolved.selections) {
    if (selection.reason === "detected" && selection.confidence < 1) {
      questions.push({
        id: `overlay.${selection.name}`,
        question: `Does ${selection.name} apply?`,
        assumption: `Yes, from the words: ${selection.evidence.join(", ")}.`,
      });
    }
  }

  const firstLines = text.split("\n").slice(0, 5);
  const name = readName(
    firstLines,
    entityList.map((e) => e.name),
  );
  const stackWithKind = stack;
  const explicitFields =
    entityList.filter((e) => e.fields.some((f) => f.origin === "brief")).length / entityList.length;
  const relationCoverage =
    entityList.length <= 1 ? 1 : Math.min(1, relations.length / (entityList.length - 1));
  const confidence = Math.max(
    0.05,
    Math.min(
      1,
      0.3 +
        0.35 * explicitFields +
        0.25 * relationCoverage +
        (auth.origin === "brief" ? 0.1 : 0) -
        0.02 * questions.length,
    ),
  );

  const ir: IR = {
    irVersion: IR_VERSION,
    app: {
      name,
      slug: slugOf(name, entityList),
      summary: summaryOf(sentences),
      kind: readKind(text, stackWithKind),
    },
    entities: entityList,
    relations,
    operations,
    auth,
    nonFunctional,
    stack: stackWithKind,
    overlays: resolved.selections,
    confidence: Math.round(confidence * 100) / 100,
    questions,
    briefSha256: createHash("sha256").update(original).digest("hex"),
  };
  return { ir: IR.parse(ir), resolved };
}

/**
 * Gives each lifecycle the brief spells out to its record. The brief's values replace the values
 * a domain default or a field list guessed; a second list for the same field adds to the first.
 */
function applyLifecycles(
  lifecycles: readonly StateList[],
  entities: ReadonlyMap<string, Entity>,
  sentences: readonly string[],
  makeField: (key: string) => (spec: string) => Field | null,
): void {
  const listed = new Set<Field>();
  for (const lifecycle of lifecycles) {
    const key = lifecycleOwner(lifecycle, entities, sentences);
    const entity = key === null ? undefined : entities.get(key);
    if (key === null || entity === undefined) continue;
    const values = lifecycle.values.map((v) => snakeCase(v));
    const named = (f: Field): boolean =>
      lifecycle.field === "status" ? /^(?:status|state|stage)$/.test(f.name) : f.name === lifecycle.field;
    let field = entity.fields.find(named);
    if (field === undefined) {
      const made = makeField(key)(`${lifecycle.field}:${values.join("|")}`);
      if (made === null) continue;
      entity.fields.push(made);
      field = made;
    }
    field.type = "enum";
    field.origin = "brief";
    field.required = true;
    field.evidence = [lifecycle.evidence];
    field.enumValues = listed.has(field) ? [...new Set([...(field.enumValues ?? []), ...values])] : values;
    field.default = field.enumValues[0] ?? null;
    listed.add(field);
  }
}

/**
 * The record a lifecycle belongs to: the one the sentence names (allowing one typo, "episods"),
 * else the record the brief's other sentences put beside those states ("the kitchen marks an
 * order ready"), else the first record that is not a person.
 */
function lifecycleOwner(
  lifecycle: StateList,
  entities: ReadonlyMap<string, Entity>,
  sentences: readonly string[],
): string | null {
  const keys = [...entities.keys()];
  if (lifecycle.entity !== null) {
    const named = lifecycle.entity;
    const exact = keys.find((k) => k === named || k === singularize(named) || k.endsWith(` ${named}`));
    if (exact !== undefined) return exact;
    const close = keys.filter((k) => k.length >= 5 && editDistance(k, named) <= 1);
    return close.length === 1 ? (close[0] ?? null) : null;
  }
  const valueWords = new RegExp(
    `\\b(?:${lifecycle.values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})\\b`,
    "i",
  );
  const votes = new Map<string, number>();
  for (const sentence of sentences) {
    if (sentence === lifecycle.evidence || !valueWords.test(sentence)) continue;
    for (const mention of findMentions(tokenize(sentence), { allowSingular: true })) {
      const key = keys.find((k) => k === mention.key);
      if (key !== undefined) votes.set(key, (votes.get(key) ?? 0) + 1);
    }
  }
  const byVotes = [...votes.entries()]
    .filter(([key]) => !isPersonName(entities.get(key)?.name ?? "") && !isRoleWord(key))
    .sort((a, b) => b[1] - a[1]);
  return (
    byVotes[0]?.[0] ?? keys.find((k) => !isPersonName(entities.get(k)?.name ?? "") && !isRoleWord(k)) ?? null
  );
}

/**
 * "Tracking events (status, location) … carriers push events": a bare head noun named after a
 * compound record with that head ("tracking event") means the compound, not a record of its own.
 */
function headAliases(
  candidates: readonly Candidate[],
  entityKeys: readonly string[],
  fieldSubjects: ReadonlySet<string>,
): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const candidate of candidates) {
    if (candidate.key.includes(" ")) continue;
    // "Travel claims app. A traveller submits a claim": a compound named earlier, even only in the
    // title, is the full name of the record the head noun stands for.
    const compounds = candidates.filter(
      (other) =>
        other.key.endsWith(` ${candidate.key}`) &&
        (entityKeys.includes(other.key) || !entityKeys.some((key) => key.endsWith(` ${candidate.key}`))),
    );
    const compound = compounds[0];
    if (compounds.length !== 1 || compound === undefined) continue;
    // "review the application … ### Loan application": named first, the head noun still means the
    // compound when the brief gives the head no fields of its own.
    if (compound.order > candidate.order && fieldSubjects.has(candidate.key)) continue;
    if (!entityKeys.includes(compound.key) && !entityKeys.includes(candidate.key)) continue;
    aliases.set(candidate.key, compound.key);
  }
  return aliases;
}

function resolveAliases(structure: BriefStructure, aliases: ReadonlyMap<string, string>): void {
  if (aliases.size === 0) return;
  const resolve = (key: string): string => aliases.get(key) ?? key;
  structure.relations = structure.relations.map((r) => ({
    ...r,
    parent: resolve(r.parent),
    child: resolve(r.child),
  }));
  structure.fieldItems = structure.fieldItems.map((item) => ({ ...item, entity: resolve(item.entity) }));
  for (const phrase of structure.byPhrases)
    if (phrase.entity !== null) phrase.entity = resolve(phrase.entity);
}

function withoutOwnerPrefix(text: string, entityKey: string): string {
  // Cheap test first: most items do not start with their record's name.
  const lead = text.trimStart().toLowerCase();
  // Lower-casing can change a length outside ASCII ("İ"); the cut below needs the same offsets.
  if (lead.length !== text.trimStart().length) return text;
  const bare = lead.replace(/^(?:each|every|the|a|an)\s+/, "");
  if (!bare.startsWith(entityKey)) return text;
  const rest = bare
    .slice(entityKey.length)
    .replace(/^s?\s+(?:has|have|with|gets|holds)\s+(?:(?:a|an|the|its|their|one)\s+)?/, "");
  return rest === bare.slice(entityKey.length) || rest === "" ? text : text.slice(text.length - rest.length);
}

/**
 * "stage (sourced, screened, hired)": a field the brief gives its choices is a value of the record
 * that has it, so "move applications between stages" names no Stage record.
 */
function choiceFieldNames(structure: BriefStructure): Set<string> {
  const names = new Set<string>();
  for (const item of structure.fieldItems) {
    const choice = /^\s*([\p{L}][\p{L} -]{0,40}?)\s*(?:\(([^()]*)\)|:\s*(.+))\s*$/u.exec(item.text);
    if (choice === null) continue;
    const values = (choice[2] ?? choice[3] ?? "").split(/\s*(?:,|\/|\||\bor\b)\s*/).filter((v) => v !== "");
    if (values.length < 2 || values.some((v) => v.split(/\s+/).length > 3)) continue;
    names.add(singularize((choice[1] ?? "").toLowerCase().trim()));
  }
  return names;
}

function isEntity(
  candidate: Candidate,
  relationKeys: ReadonlySet<string>,
  fieldSubjects: ReadonlySet<string>,
  owners: ReadonlySet<string>,
): boolean {
  if (fieldSubjects.has(candidate.key)) return true;
  if (RECORDS_WHEN_DESCRIBED.has(candidate.key)) return false;
  // "users can only edit their own patterns": a role that owns records is a record itself.
  const roleOnly =
    isRoleWord(candidate.key) &&
    candidate.roleSubjectCount > 0 &&
    candidate.structuralCount === 0 &&
    !owners.has(candidate.key);
  if (roleOnly) return false;
  // A word the lexicon does not know is a record only when it is given fields or related to one.
  if (!candidate.known)
    return (
      ((relationKeys.has(candidate.key) && candidate.structuralCount > 0) || candidate.actedOn === true) &&
      looksLikeNoun(candidate)
    );
  if (relationKeys.has(candidate.key)) return true;
  // "managers approve expenses": a role word is a record only when related to one or given fields.
  if (isRoleWord(candidate.key)) return false;
  // "our frontend team will build one later", "an identity provider": a known noun only ever
  // named under a modifier that is not the app's, with nothing attached, is not a record here.
  if (candidate.structuralCount === 0 && candidate.plainCount === 0) return false;
  return candidate.known || candidate.structuralCount > 0;
}

const NOT_NOUNS =
  /^(?:already|ever|now|later|still|soon|maybe|also|always|never|often|today|tomorrow|yesterday|again|instead|anyway|afterwards?|towards?|backwards?|forwards?|upwards?|downwards?|everything|nothing|something|anything|somebody|nobody|etc|v\d.*|\w*ly|\w*ness|\w*ing)$/;

function looksLikeNoun(candidate: Candidate): boolean {
  const head = candidate.key.split(" ").pop() ?? candidate.key;
  // "Landlords own buildings": a word in -ing written as a plural is a noun, never a verb form.
  const pluralIng = /ing$/.test(head) && candidate.surfaces.some((surface) => /ings$/i.test(surface));
  return (pluralIng || !NOT_NOUNS.test(head)) && !/\d/.test(candidate.key) && head.length >= 3;
}

/** "a blog" means posts and comments; "inventory" means inventory items. */
function expandAppNouns(structure: BriefStructure, keys: readonly string[]): string[] {
  const out: string[] = [];
  for (const key of keys) {
    // "a chain of bike repair shops", "revenue per shop": in the plural, or counted, the shop is a
    // place the brief keeps records about, not the kind of software.
    const candidate = structure.candidates.get(key);
    const counted =
      candidate !== undefined &&
      (candidate.surfaces.some((surface) => isPlural(surface.toLowerCase().split(/\s+/).pop() ?? "")) ||
        candidate.evidence.some((sentence) =>
          new RegExp(`\\b(?:per|each|every)\\s+${key}\\b`, "i").test(sentence),
        ));
    // "our exercise library", "a library of board games": the collection the brief is about, whose
    // records it names itself, neither books nor the library.
    const collection =
      APP_NOUNS[key] !== undefined &&
      !APP_NOUNS[key]?.includes(key) &&
      candidate !== undefined &&
      !counted &&
      (candidate.plainCount === 0 ||
        candidate.evidence.some((sentence) =>
          new RegExp(`\\b${key}\\s+of\\s+(?!the\\b)`, "i").test(sentence),
        ));
    if (collection) continue;
    const implied = DEFAULT_FIELDS[key] === undefined && !counted ? APP_NOUNS[key] : undefined;
    // "a simple CRM: companies, contacts, deals, activities": a brief that names three records of
    // its own says what the kind of app keeps; only the ones it names themselves remain.
    const ownRecords = keys.filter((k) => k !== key && structure.candidates.get(k)?.structuralCount).length;
    const kept = implied !== undefined && ownRecords >= 3 ? implied.filter((k) => keys.includes(k)) : implied;
    for (const k of kept ?? [key]) if (!out.includes(k)) out.push(k);
  }
  return out;
}

const detectors = new WeakMap<readonly Overlay[], OverlayDetector>();
function detectorFor(catalog: readonly Overlay[]): OverlayDetector {
  let detector = detectors.get(catalog);
  if (detector === undefined) {
    detector = compileDetector(catalog);
    detectors.set(catalog, detector);
  }
  return detector;
}

/**
 * "customers subscribe to plans" is many-to-many only when nothing records the link; when the
 * brief also names subscriptions, each side has many of them instead.
 */
function reify(
  phrases: readonly RelationPhrase[],
  entities: ReadonlyMap<string, Entity>,
  text: string,
): RelationPhrase[] {
  return phrases.flatMap((phrase) => {
    if (phrase.kind !== "many-to-many" && !/^(?:\w+s|\w+)$/.test(phrase.label)) return [phrase];
    const verb = phrase.label
      .split(/\s+/)
      .map((word) => word.replace(/(?:es|s)$/, ""))
      .find((word) => RECORDS_OF_VERB[word] !== undefined);
    const nominal = verb === undefined ? undefined : RECORDS_OF_VERB[verb]?.[0];
    if (
      nominal === undefined ||
      !entities.has(nominal) ||
      nominal === phrase.parent ||
      nominal === phrase.child
    )
      return [phrase];
    // Only a record the brief really describes (fields of its own, or other links) takes the
    // link over; "admin staff manage enrollment" alone leaves students and courses many-to-many.
    const described =
      (entities.get(nominal)?.fields.some((f) => f.origin === "brief") ?? false) ||
      phrases.some((other) => other !== phrase && (other.parent === nominal || other.child === nominal)) ||
      new RegExp(`\\b${nominal}s?\\s+(?:can|must|may|will|is|are|has|have|gets?)\\b`, "i").test(text) ||
      // "members can cancel a booking": the brief handles bookings as things of their own.
      new RegExp(`\\b(?:a|an|the|each|every|their|his|her|its|own|any)\\s+${nominal}s?\\b`, "i").test(text);
    if (!described) return [phrase];
    return [
      {
        ...phrase,
        kind: "one-to-many",
        child: nominal,
        required: true,
        label: `${phrase.label} (${nominal})`,
      },
      {
        ...phrase,
        kind: "one-to-many",
        parent: phrase.child,
        child: nominal,
        required: true,
        label: `${phrase.label} (${nominal})`,
      },
    ];
  });
}

function buildRelations(
  stated: readonly RelationPhrase[],
  entities: ReadonlyMap<string, Entity>,
): Relation[] {
  const relations: Relation[] = [];
  const seen = new Set<string>();
  // Explicit many-to-many phrasing wins over a one-to-many reading of the same pair, except
  // ownership: "users edit their own recipes" and "users favourite recipes" keep the author link.
  let phrases = stated;
  // "a book can have several authors and an author writes many books": one-to-many both ways is
  // many-to-many.
  const many = (p: RelationPhrase): boolean =>
    /\b(?:many|several|multiple|more|number of|lots of)\b/.test(p.label);
  const twoWay = (p: RelationPhrase): boolean =>
    p.kind === "one-to-many" &&
    !p.owned &&
    phrases.some(
      (q) =>
        q.kind === "one-to-many" &&
        !q.owned &&
        q.parent === p.child &&
        q.child === p.parent &&
        (many(p) || many(q)),
    );
  phrases = phrases.map((p) => (twoWay(p) ? { ...p, kind: "many-to-many" as const } : p));
  const rank = (p: RelationPhrase): number =>
    p.owned && p.kind === "one-to-many" ? 0 : p.kind === "many-to-many" ? 1 : 2;
  const indexOf = new Map(phrases.map((p, i) => [p, i]));
  const ordered = [...phrases].sort(
    (a, b) => rank(a) - rank(b) || (indexOf.get(a) ?? 0) - (indexOf.get(b) ?? 0),
  );
  for (const phrase of ordered) {
    const parent = entities.get(phrase.parent);
    const child = entities.get(phrase.child);
    if (parent === undefined || child === undefined || parent === child) continue;
    const pair = [parent.name, child.name].sort().join("|");
    if (seen.has(pair)) continue;
    seen.add(pair);
    const manyToMany = phrase.kind === "many-to-many";
    const [first, second] = [parent.table, child.table].sort();
    relations.push({
      kind: phrase.kind,
      from: parent.name,
      to: child.name,
      foreignKey: manyToMany ? null : `${camelCase(parent.name)}Id`,
      joinTable: manyToMany ? `${first}_${second}` : null,
      required: manyToMany ? false : phrase.required || phrase.owned,
      owned: phrase.owned,
      label: phrase.label,
      origin: "brief",
      evidence: [phrase.evidence.slice(0, 200)],
    });
  }
  return relations;
}

function overlayRequirement(from: readonly string[]): { origin: "overlay"; evidence: string[] } {
  return {
    origin: "overlay",
    evidence: [`required by the ${from.join(", ")} overlay${from.length > 1 ? "s" : ""}`],
  };
}

/** Rules that change the IR itself: sensitivity marks, requirements, consent fields, money precision. */
function applyOverlayRules(
  resolved: ResolvedOverlays,
  rules: readonly GenerationRule[],
  entities: readonly Entity[],
  nonFunctional: ReturnType<typeof readNonFunctional>,
  auth: ReturnType<typeof readAuth>,
  questions: Question[],
): void {
  const marks = fieldMarker(rules);
  for (const entity of entities) {
    for (const field of entity.fields) {
      for (const mark of marks(field.name))
        if (!field.sensitivity.includes(mark)) field.sensitivity.push(mark);
    }
  }
  for (const { rule, from } of resolved.rules) {
    switch (rule.kind) {
      case "audit-log":
        nonFunctional.auditLog ??= overlayRequirement(from);
        break;
      case "encrypt-fields":
        nonFunctional.encryptionAtRest ??= overlayRequirement(from);
        break;
      case "idempotency-keys":
        nonFunctional.idempotency ??= overlayRequirement(from);
        break;
      case "soft-delete":
        nonFunctional.softDelete ??= overlayRequirement(from);
        break;
      case "retention":
        // A period the brief states wins (regimes differ: HIPAA keeps documentation at least six
        // years, GDPR keeps personal data no longer than needed); the overlay's period is noted.
        if (nonFunctional.retention === null) {
          nonFunctional.retention = { ...overlayRequirement(from), days: rule.days };
        } else if (nonFunctional.retention.origin === "brief" && nonFunctional.retention.days !== rule.days) {
          questions.push({
            id: "retention.days",
            question: `The brief keeps records ${nonFunctional.retention.days} days; ${from.join(", ")} suggests ${rule.days} days. Which applies?`,
            assumption: `The brief's ${nonFunctional.retention.days} days.`,
          });
        }
        break;
      case "rate-limit":
        nonFunctional.rateLimit ??= {
          ...overlayRequirement(from),
          requests: rule.requests,
          windowSeconds: rule.windowSeconds,
        };
        break;
      case "require-auth":
        if (auth.kind === "none")
          Object.assign(auth, {
            kind: rule.scheme,
            origin: "overlay",
            evidence: overlayRequirement(from).evidence,
          });
        break;
      case "decimal-money":
        for (const field of entities.flatMap((e) => e.fields)) {
          if (field.format === "money")
            Object.assign(field, { precision: rule.precision, scale: rule.scale });
        }
        break;
      case "consent-fields":
        for (const entity of dataSubjects(entities)) {
          for (const purpose of rule.purposes) {
            const name = camelCase(`consent ${purpose}`);
            if (entity.fields.some((f) => f.name === name)) continue;
            entity.fields.push(overlayField(name, "boolean", from, false));
          }
          if (!entity.fields.some((f) => f.name === "consentUpdatedAt"))
            entity.fields.push(overlayField("consentUpdatedAt", "datetime", from, null));
        }
        break;
      default:
        break;
    }
  }
}

function overlayField(
  name: string,
  type: "boolean" | "datetime",
  from: readonly string[],
  defaultValue: boolean | null,
): Field {
  return {
    name,
    column: snakeCase(name),
    type,
    format: null,
    required: false,
    unique: false,
    default: defaultValue,
    enumValues: null,
    maxLength: null,
    precision: null,
    scale: null,
    currency: null,
    sensitivity: [],
    searchable: false,
    description: `Required by the ${from.join(", ")} overlay`,
    origin: "overlay",
    evidence: [],
  };
}

/** Entities that describe people whose personal data is held: export, erasure and consent apply to them. */
export function dataSubjects(entities: readonly Entity[]): Entity[] {
  const holdsPersonalData = (e: Entity): boolean =>
    e.fields.some((f) => f.sensitivity.includes("pii") || f.sensitivity.includes("phi"));
  const people = entities.filter((e) => holdsPersonalData(e) && isPersonName(e.name));
  return people.length > 0 ? people : entities.filter(holdsPersonalData);
}

function isPersonName(entityName: string): boolean {
  const key = words(entityName).join(" ");
  return PERSON_NOUNS.has(key) || PERSON_NOUNS.has(key.split(" ").pop() ?? "");
}

function buildOperations(input: {
  entityList: Entity[];
  entities: ReadonlyMap<string, Entity>;
  relations: readonly Relation[];
  structure: ReturnType<typeof readStructure>;
  sentences: readonly string[];
  text: string;
  rules: readonly GenerationRule[];
  entityOfWord: (word: string) => string | null;
  makeField: (key: string) => (spec: string) => Field | null;
  auth: ReturnType<typeof readAuth>;
}): Operation[] {
  const { entityList, relations, structure, sentences, text, rules, entityOfWord, auth } = input;
  const byName = new Map(entityList.map((e) => [e.name, e]));
  const keyOf = new Map([...input.entities].map(([key, e]) => [e.name, key]));
  const makeFieldFor = (entity: Entity) => input.makeField(keyOf.get(entity.name) ?? "");
  const operations: Operation[] = [];
  const extras: Operation[] = [];

  for (const request of readActions(sentences, actionContext(entityList, relations, entityOfWord))) {
    const entity = byName.get(request.entity);
    if (entity === undefined || extras.some((op) => op.entity === entity.name && op.verb === request.verb))
      continue;
    extras.push(actionOperation(entity, request, transitionFor(entity, request.verb, makeFieldFor(entity))));
    for (const role of request.roles) {
      if (!auth.roles.some((r) => r.name === role)) {
        auth.roles.push({
          name: kebabCase(role),
          description: "",
          grants: [{ entity: entity.name, permissions: ["act", "read"] }],
          origin: "brief",
          evidence: [request.evidence],
        });
        if (auth.kind === "none")
          Object.assign(auth, { kind: "jwt", origin: "brief", evidence: [request.evidence] });
      }
    }
  }

  const listExtras = new Map<string, { filterBy: string[]; sortBy: string[] }>();
  const fallbackEntity = entityList[0];
  for (const phrase of structure.byPhrases) {
    const entity =
      (phrase.entity === null ? undefined : byName.get(entityOfWord(phrase.entity) ?? "")) ?? fallbackEntity;
    if (entity === undefined) continue;
    const fields = phrase.fields
      .map((f) => fieldNameFor(entity, f, makeFieldFor(entity)))
      .filter((f): f is string => f !== null);
    if (/^(?:search|find|lookup)/.test(phrase.verb)) {
      const existing = extras.find((op) => op.kind === "search" && op.entity === entity.name);
      if (existing === undefined) extras.push(searchOperation(entity, fields, phrase.evidence));
      else existing.searchBy = [...new Set([...existing.searchBy, ...fields])];
      continue;
    }
    const extra = listExtras.get(entity.name) ?? { filterBy: [], sortBy: [] };
    if (/^(?:sort|order)/.test(phrase.verb)) extra.sortBy.push(...fields);
    else extra.filterBy.push(...fields);
    listExtras.set(entity.name, extra);
  }
  for (const match of text.matchAll(
    /\b(?:search(?:es|ing)?|find|look\s*up)\s+(?:for\s+)?(?:the\s+|all\s+)?([\p{L}-]+(?:\s+[\p{L}-]+)?)\b/giu,
  )) {
    const words2 = (match[1] ?? "").split(/\s+/);
    const entityName =
      entityOfWord(words2.join(" ")) ?? entityOfWord(words2[0] ?? "") ?? entityOfWord(words2[1] ?? "");
    const entity = entityName === null ? undefined : byName.get(entityName);
    if (entity === undefined || extras.some((op) => op.kind === "search" && op.entity === entity.name))
      continue;
    const searchBy = entity.fields
      .filter((f) => f.searchable || f.type === "string")
      .map((f) => f.name)
      .slice(0, 3);
    extras.push(searchOperation(entity, searchBy, match[0]));
  }

  const exportWanted =
    /\bexport\w*\b[^.;]{0,40}\b(?:my|their|his|her|personal|own|all (?:my|their))?\s*(?:data|information|records|account)\b|\bdata portability\b/i.exec(
      text,
    );
  const subjects = dataSubjects(entityList);
  if (exportWanted !== null || rules.some((r) => r.kind === "data-export")) {
    const targets = subjects.length > 0 ? subjects : entityList.slice(0, 1);
    for (const entity of targets) {
      extras.push(
        exportOperation(entity, exportWanted === null ? "overlay" : "brief", [
          exportWanted?.[0] ?? "data-export rule",
        ]),
      );
    }
  }
  // Two passes, so "… and export invoices to CSV" is not swallowed by "and export" as a noun.
  const exportPhrases = !/export/i.test(text)
    ? []
    : [
        ...text.matchAll(
          /\bexport\w*\s+(?:the\s+|all\s+)?(?:[\p{L}-]+\s+){0,2}?([\p{L}-]+)\s+(?:as|to|in|into)\s+(?:csv|json|excel|xlsx|pdf|a\s+(?:csv|spreadsheet|file))\b/giu,
        ),
        ...text.matchAll(
          /\bexport\w*\s+(?!(?:my|their|his|her|personal|own)\b)((?:[\p{L}-]+\s+){0,4}?)([\p{L}-]+)\s+(?:as|to|in|into)\s+(?:an?\s+)?(?:csv|json|excel|xlsx|pdf|spreadsheet)\b/giu,
        ),
        ...text.matchAll(/\b([\p{L}-]+)\s+exports?\b(?!\s+(?:my|their|his|her|personal|own)\b)/giu),
      ];
  for (const match of exportPhrases) {
    // "export the guest list to CSV", "export orders per month to csv": the first record named
    // between the verb and the format is what is exported.
    const named = `${match[1] ?? ""} ${match[2] ?? ""}`
      .split(/\s+/)
      .map((word) => entityOfWord(word))
      .find((name) => name !== null);
    const entity = byName.get(named ?? "");
    if (entity !== undefined && !extras.some((op) => op.kind === "export" && op.entity === entity.name)) {
      extras.push(exportOperation(entity, "brief", [match[0]]));
    }
  }

  for (const entity of entityList) {
    const foreignKeys = relations
      .filter((r) => r.to === entity.name && r.foreignKey !== null)
      .map((r) => r.foreignKey as string);
    const defaults = defaultListOptions(entity, foreignKeys);
    const extra = listExtras.get(entity.name);
    const listOptions = {
      filterBy: [...new Set([...defaults.filterBy, ...(extra?.filterBy ?? [])])],
      sortBy: [...new Set([...defaults.sortBy, ...(extra?.sortBy ?? [])])],
    };
    operations.push(
      ...crudOperations(entity, listOptions),
      ...extras.filter((op) => op.entity === entity.name),
    );
  }

  // Roles with explicit grants restrict the operations they name.
  const granted = auth.roles.filter((r) => r.grants.length > 0);
  if (granted.length > 0) {
    for (const op of operations) {
      const permission = OPERATION_PERMISSION[op.kind];
      const allowed = granted
        .filter((r) =>
          r.grants.some(
            (g) => (g.entity === "*" || g.entity === op.entity) && g.permissions.includes(permission),
          ),
        )
        .map((r) => r.name);
      const mentionsEntity = granted.some((r) =>
        r.grants.some((g) => g.entity === "*" || g.entity === op.entity),
      );
      if (mentionsEntity && allowed.length > 0)
        op.roles = [...new Set([...op.roles, ...doersOf(op, allowed, granted)])].sort();
    }
  }
  return operations;
}

/**
 * Of the roles allowed to act on a record, those the brief says do this action: "authors withdraw
 * manuscripts, an editor assigns reviewers" lets the editor assign and the authors withdraw, not
 * both do both. A role granted everything keeps it; when no role's sentence names the verb, every
 * role allowed to act keeps it.
 */
function doersOf(op: Operation, allowed: readonly string[], roles: readonly Role[]): string[] {
  if (op.kind !== "action") return [...allowed];
  const verb = op.verb.split("-")[0] ?? op.verb;
  if (!/^[a-z]+$/.test(verb)) return [...allowed];
  const stem = verb.replace(/y$/, "i");
  // "approve", "approves", "denies", "can approve"; not "is assigned", which is done to someone.
  const does = new RegExp(`\\b(?:${verb}|${verb}s|${verb}es|${stem}es)\\b`, "i");
  const roleNamed = (name: string): Role | undefined => roles.find((r) => r.name === name);
  const doers = allowed.filter((name) => roleNamed(name)?.evidence.some((e) => does.test(e)) === true);
  if (doers.length === 0) return [...allowed];
  const everything = allowed.filter((name) => roleNamed(name)?.grants.some((g) => g.entity === "*") === true);
  return [...new Set([...doers, ...everything])];
}

/** "Amounts are in EUR", "prices in €": the currency the brief states once for all amounts. */
function currencyOf(text: string): string | null {
  const code =
    /\b(?:in|currency(?: is)?:?|amounts? (?:are )?(?:in|stored in)|denominated in)\s+(USD|EUR|GBP|JPY|CHF|CAD|AUD|INR|CNY|SEK|NOK|DKK|NZD|SGD|HKD|BRL|MXN|ZAR)\b/i.exec(
      text,
    );
  if (code !== null) return (code[1] ?? "").toUpperCase();
  const symbols: ReadonlyArray<[RegExp, string]> = [
    [/€|\beuros?\b/i, "EUR"],
    [/£|\bpounds? sterling\b/i, "GBP"],
    [/¥|\byen\b/i, "JPY"],
    [/₹|\brupees?\b/i, "INR"],
  ];
  return symbols.find(([pattern]) => pattern.test(text))?.[1] ?? null;
}

function slugOf(name: string, entities: readonly Entity[]): string {
  // "在庫管理API" keeps its name, but a slug must be ASCII: the records name it instead.
  const spelled = /[^\p{Script=Latin}\p{N}\s\p{P}\p{S}]/u.test(name)
    ? `${entities
        .slice(0, 2)
        .map((e) => e.name)
        .join(" and ")} service`
    : name;
  const slug = kebabCase(spelled).slice(0, 50).replace(/-+$/, "");
  return /^[a-z]/.test(slug) ? slug : `app-${slug}`;
}

function summaryOf(sentences: readonly string[]): string {
  const firstSentence = sentences.find((s) => s.split(/\s+/).length >= 2) ?? sentences[0] ?? "";
  return firstSentence.length > 240 ? `${firstSentence.slice(0, 237)}...` : firstSentence;
}
