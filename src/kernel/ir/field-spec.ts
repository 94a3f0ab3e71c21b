/**
 * Turns one field as a person wrote it ("date of birth (required)", "status: pending, approved or
 * rejected", "price in EUR", "email, unique") into a typed field of the IR.
 */
import { camelCase, singularize, snakeCase, words } from "./inflect.js";
import { FIELD_SUFFIX_RULES, FIELD_WORDS, type FieldMeaning, TYPE_WORDS } from "./lexicon/fields.js";
import type { Field, Origin } from "./schema.js";

const CURRENCIES = /\b(USD|EUR|GBP|JPY|CHF|CAD|AUD|INR|CNY|SEK|NOK|DKK|NZD|SGD|HKD|BRL|MXN|ZAR)\b/;
const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = {
  $: "USD",
  "€": "EUR",
  "£": "GBP",
  "¥": "JPY",
  "₹": "INR",
};

const MODIFIER_WORDS = String.raw`\b(?:required|mandatory|optional|unique|not null|nullable|must be unique|primary)\b`;
/** For removing modifiers from a name (global, so never used with `.test`). */
const MODIFIERS = new RegExp(MODIFIER_WORDS, "gi");
/** For asking whether a word is a modifier (not global: `.test` keeps no state). */
const IS_MODIFIER = new RegExp(MODIFIER_WORDS, "i");

/** A value that is only a modifier: "required", "unique". */
const IS_MODIFIER_ONLY = new RegExp(`^${MODIFIER_WORDS}$`, "i");
/** "(required)", "(unique, required)" after a field's values. */
const TRAILING_FLAGS = new RegExp(
  `\\s*\\(\\s*${MODIFIER_WORDS}(?:\\s*,\\s*${MODIFIER_WORDS})*\\s*\\)\\s*$`,
  "i",
);

export interface ParsedField {
  field: Field;
  /** The text named a record type rather than a value ("a doctor"): the caller may make it a relation. */
  phrase: string;
}

const NUMERIC_RANGE =
  /\s*\(?\s*(?:(?:from|between)\s+)?-?\d+(?:\.\d+)?\s*(?:-|–|to|and|\.\.)\s*-?\d+(?:\.\d+)?\s*\)?\s*$/i;

/** "(usually 40-50%)", "(e.g. 3 to 5)": a remark in parentheses, not the field's values. */
const REMARK =
  /\s*\((?:usually|typically|normally|often|around|about|approx\.?|roughly|e\.g\.?|eg|i\.e\.?|like|say|max|min|up to)\b[^()]*\)/gi;

/**
 * Parses one field item. Returns null for items that are not fields at all (verbs, sentences).
 * `personal` tells whether the record is a person (a patient's name is personal data).
 */
export function parseFieldItem(
  raw: string,
  options: { typeHint: string | null; personal: boolean; origin: Origin; evidence: string },
): ParsedField | null {
  // "booked … at a date and time": the preposition and article before a field are no part of it.
  let text = raw.trim().replace(/^(?:at|on|for|in|by)\s+(?:a|an|the)\s+(?=\p{L})/iu, "");
  const lowerRaw = text.toLowerCase();
  let enumValues: string[] | null = null;
  let hint: Partial<FieldMeaning> = {};
  let defaultValue: string | number | boolean | null = null;

  // "when it was shipped" → `shippedAt`; "whether it was delivered" → `delivered`, a flag.
  const clause =
    /^(when|whether)\s+(?:or\s+not\s+)?(?:it|they|he|she|the\s+[\p{L}-]+)(?:\s*['’](?:s|ve)|\s+(?:was|were|is|are|got|gets|has|have|had))?(?:\s+been)?\s+(\p{L}+)(?:\s+or\s+not)?$/iu.exec(
      text,
    );
  if (clause !== null) {
    const state = (clause[2] ?? "").toLowerCase();
    text = clause[1]?.toLowerCase() === "when" ? `${state} at` : state;
    hint = { type: clause[1]?.toLowerCase() === "when" ? "datetime" : "boolean" };
  }
  // "how many hints were used" → `hints used`, a count; "how many guests" → `number of guests`.
  const howMany =
    /^how\s+many\s+([\p{L}-]+)(?:\s+(?:were|was|are|is|got|get|have been)\s+(\p{L}+ed))?\b.*$/iu.exec(text);
  if (clause === null && howMany !== null) {
    const counted = (howMany[1] ?? "").toLowerCase();
    text = howMany[2] === undefined ? `number of ${counted}` : `${counted} ${howMany[2].toLowerCase()}`;
    hint = { type: "integer" };
  }
  // "the date we received it" → `received date`; "the time they arrived" → `arrived time`.
  const dated =
    /^(?:the\s+)?(date|time|day)\s+(?:we|they|you|it|he|she|the\s+[\p{L}-]+)\s+(\p{L}+ed)\b.*$/iu.exec(text);
  if (clause === null && dated !== null)
    text = `${(dated[2] ?? "").toLowerCase()} ${(dated[1] ?? "").toLowerCase()}`;
  // "the language pairs they work in": the relative clause describes the field, it is not its name.
  const described =
    /^((?:the\s+)?[\p{L}-]+(?:\s+[\p{L}-]+)?)\s+(?:they|we|you|it|he|she)\s+[\p{L}']+(?:\s+(?:in|on|for|with|at|to))?$/iu.exec(
      text,
    );
  if (clause === null && dated === null && described !== null) text = described[1] ?? text;
  // "a max of 20 people": a limit, 20 unless changed.
  const limit = /^(?:a\s+)?(max|maximum|min|minimum|limit)\s+of\s+(\d+)\s+([\p{L}][\p{L} -]*)$/iu.exec(text);
  if (limit !== null) {
    const bound = (limit[1] ?? "").toLowerCase().startsWith("min") ? "min" : "max";
    text = `${bound} ${(limit[3] ?? "").toLowerCase()}`;
    hint = { type: "integer" };
    defaultValue = Number(limit[2]);
  }
  // "class passes (5 or 10 classes, valid 3 months)": how many of something, and for how long.
  const sizes = /^\d+(?:\s*(?:,|or|\/)\s*\d+)+\s+([\p{L}-]+s)$/iu.exec(text);
  if (sizes !== null) {
    text = `number of ${(sizes[1] ?? "").toLowerCase()}`;
    hint = { type: "integer" };
  }
  const validity = /^valid\s+(?:for\s+)?(\d+)\s+(day|week|month|year)s?$/iu.exec(text);
  if (validity !== null) {
    text = `validity ${(validity[2] ?? "").toLowerCase()}s`;
    hint = { type: "integer" };
    defaultValue = Number(validity[1]);
  }
  // "one or more target languages", "several tags": the quantity is no part of the name.
  text = text.replace(/^(?:one or more|zero or more|multiple|several|many|a list of|any number of)\s+/i, "");
  // "tax receipt wanted yes/no", "active (y/n)": a boolean.
  const yesNo = /[\s:,-]*\(?\b(?:yes\s*\/\s*no|y\s*\/\s*n|true\s*\/\s*false|on\s*\/\s*off)\b\)?\s*$/i;
  if (yesNo.test(text)) {
    text = text.replace(yesNo, "");
    hint = { type: "boolean" };
  }
  text = text.replace(REMARK, " ").trim();
  // "status (planned, active) (required)": the flags after the values are read from lowerRaw below.
  text = text.replace(TRAILING_FLAGS, "");
  // "rating 1-5", "priority (1-5)", "score 0 to 100", "a difficulty from 1 to 5": a numeric range
  // says the field is a number.
  const range = NUMERIC_RANGE.exec(text);
  if (range !== null && range.index > 0) {
    text = text.slice(0, range.index);
    hint = { type: /\./.test(range[0]) ? "decimal" : "integer" };
  }
  // Enum values: "status (pending, approved, rejected)", "status: one of a, b or c", "role - admin/user".
  const enumMatch =
    /^(.+?)\s*(?:\(|:|-|–|=)\s*(?:one of|either|enum:?|values?:?|can be|options?:?)?\s*([^)]*?(?:,|\/|\bor\b)[^)]*)\)?\s*$/i.exec(
      text,
    ) ?? /^(.+?)\s+(?:which|that)?\s*(?:can be|is one of|one of|is either|either)\s+(.+)$/i.exec(text);
  if (enumMatch !== null) {
    const values = enumMatch[2]
      ?.split(/\s*(?:,|\/|\bor\b|\|)\s*/i)
      .map((v) =>
        v
          .trim()
          .replace(/^(?:and|or)\s+/i, "")
          .replace(/["'`]/g, ""),
      )
      .filter((v) => v !== "" && v.split(/\s+/).length <= 3)
      // "status (required, planned, active)": a flag among the values is a flag.
      .filter((v) => !IS_MODIFIER_ONLY.test(v));
    if (
      values !== undefined &&
      values.length >= 2 &&
      !values.every(
        (v) => TYPE_WORDS[v.toLowerCase()] !== undefined || IS_MODIFIER.test(v) || /^default\b/i.test(v),
      )
    ) {
      enumValues = [...new Set(values.map((v) => snakeCase(v)))];
      text = enumMatch[1] ?? text;
    }
  }

  // "name: string, required", "active: bool, default true": after the colon only type words,
  // modifiers and a default; treat them as hints.
  const declared = /^([^:]{1,60}):\s*(.+)$/.exec(text);
  if (declared !== null) {
    const parts = (declared[2] ?? "").split(/\s*,\s*/);
    const hintLike = (part: string): boolean =>
      TYPE_WORDS[part.toLowerCase()] !== undefined ||
      /^(?:required|optional|unique|nullable|not null|primary key|indexed|default\s+\S+|\d+\s*(?:chars?|characters)|max\s+\d+|[A-Z]{3}|country code|iso\s*\d*)$/i.test(
        part,
      ) ||
      /^(?:decimal|money|string|varchar|int|integer)\s*\(.*\)$/i.test(part);
    if (parts.length > 0 && parts.every(hintLike)) {
      text = `${declared[1] ?? ""} (${parts.join(", ")})`;
    }
  }
  // Parenthesised or trailing hints: "(required)", "(decimal)", ": date", ", unique".
  const hints: string[] = [];
  text = text.replace(/\(([^)]*)\)/g, (_, inner: string) => {
    hints.push(inner);
    return " ";
  });
  const typed = /^(.+?)\s*(?::|-|–|as an|as a|as)\s+([\w/ ]+?)\s*$/i.exec(text);
  if (typed !== null && TYPE_WORDS[(typed[2] ?? "").trim().toLowerCase()] !== undefined) {
    hints.push(typed[2] ?? "");
    text = typed[1] ?? text;
  }
  if (options.typeHint !== null) hints.push(options.typeHint);
  const hintText = `${hints.join(" ")} ${lowerRaw}`.toLowerCase();
  for (const hintWord of hints.flatMap((h) => h.toLowerCase().split(/[\s,]+/))) {
    const typeWord = TYPE_WORDS[hintWord];
    if (typeWord !== undefined) hint = { ...hint, ...typeWord };
    // "prep time (minutes)", "distance (km)": a unit alone says the field is a measure.
    const unit = UNIT_TYPES.find(([pattern]) => pattern.test(hintWord))?.[1];
    if (unit !== undefined && hint.type === undefined && hints.length === 1) hint = { ...hint, type: unit };
    const length = /^(?:varchar|string|max)?\(?(\d{1,5})\)?$/.exec(hintWord);
    if (length !== null && hint.type === "string") hint.maxLength = Number(length[1]);
  }
  const defaultMatch = /\bdefault(?:s)?(?:\s+(?:to|is|=|:))?\s+["']?([\w.-]+)["']?/i.exec(hintText);
  if (defaultMatch !== null) defaultValue = defaultMatch[1] ?? null;

  const required =
    /\b(required|mandatory|not null|must have)\b/.test(hintText) && !/\boptional\b/.test(hintText);
  const optional = /\b(optional|nullable|if any|if known|may be empty)\b/.test(hintText);
  const unique = /\bunique\b/.test(hintText);
  const currency =
    CURRENCIES.exec(raw)?.[1] ??
    Object.entries(CURRENCY_SYMBOLS).find(([symbol]) => raw.includes(symbol))?.[1] ??
    null;

  // The name: drop modifiers, articles, units and type words.
  const nameWords = words(
    text
      .replace(MODIFIERS, " ")
      .replace(/\b(?:in|as|of type|type)\s+(?:USD|EUR|GBP|[A-Z]{3})\b/g, " ")
      .replace(CURRENCIES, " ")
      .replace(/[$€£¥₹]/g, " "),
  ).filter(
    (w) =>
      !/^(?:a|an|the|their|its|his|her|each|field|fields|optional|required|unique|some|any|own)$/.test(w),
  );
  if (nameWords.length === 0 || nameWords.length > 5) return null;
  const trailing = nameWords[nameWords.length - 1] ?? "";
  const pureTypeWord =
    /^(?:string|str|varchar|int|integer|bigint|decimal|numeric|float|double|boolean|bool|uuid|json|jsonb|enum|timestamptz)$/;
  if (
    nameWords.length > 1 &&
    pureTypeWord.test(trailing) &&
    FIELD_WORDS[nameWords.join(" ")] === undefined &&
    hint.type === undefined
  ) {
    hint = { ...hint, ...TYPE_WORDS[trailing] };
    nameWords.pop();
  }
  const phrase = nameWords.join(" ");
  // Lexicon keys keep hyphens ("e-mail address"); `words()` would split them.
  const written = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  const meaning = meaningOf(phrase, written);
  // "duration in secs", "distance in km": the unit after "in" says what the number counts.
  // "size in square metres" measures an area.
  const squared =
    nameWords.length >= 4 &&
    nameWords.at(-3) === "in" &&
    /^(?:square|sq|cubic)$/.test(nameWords.at(-2) ?? "");
  const unitAfterIn =
    (nameWords.length >= 3 && nameWords.at(-2) === "in") || squared
      ? UNIT_TYPES.find(([pattern]) => pattern.test(nameWords.at(-1) ?? ""))?.[1]
      : undefined;
  // "premium (GBP)", "excess in EUR", "deposit (€)": a currency makes an amount of money of a
  // word the lexicon does not know.
  const priced =
    currency !== null &&
    hint.type === undefined &&
    meaning.type === "string" &&
    !/\b(?:currency|code|name|id|number)\b/.test(phrase);
  if (priced) hint = { ...hint, type: "decimal", format: "money" };
  else if (unitAfterIn !== undefined && hint.type === undefined) hint = { ...hint, type: unitAfterIn };
  // "level: beginner / intermediate / advanced": words as values make an enum, whatever the
  // lexicon says the name usually holds (a level is usually a number).
  const wordValues =
    enumValues !== null &&
    hint.type === undefined &&
    enumValues.every((v) => /^[a-z][a-z_]*$/.test(v) && TYPE_WORDS[v] === undefined && !IS_MODIFIER.test(v));
  // "area: indoor / terrace / bar" too, though an area is usually a measure.
  const type =
    wordValues &&
    /^(?:integer|decimal|string|text|date|datetime)$/.test(meaning.type) &&
    meaning.format !== "money"
      ? "enum"
      : (hint.type ?? meaning.type);
  const format =
    hint.format ?? (hint.type !== undefined && hint.type !== meaning.type ? undefined : meaning.format);
  const isMoney = format === "money";
  const finalEnum = type === "enum" ? (enumValues ?? meaning.enumValues ?? null) : null;
  // "finish: matte / gloss" is no time of finishing: values in words keep the name as written.
  const name = camelCase(type === "enum" && /^date/.test(meaning.type) ? phrase : meaning.name);
  const sensitivity = [...(meaning.sensitivity ?? [])];
  if (meaning.personal === true && options.personal && !sensitivity.includes("pii")) sensitivity.push("pii");

  const field: Field = {
    name,
    column: snakeCase(meaning.name),
    type: enumValues !== null && type !== "enum" && (type === "string" || type === "text") ? "enum" : type,
    format: format ?? null,
    required: required || (!optional && (meaning.unique === true || unique || /^(?:name|title)$/.test(name))),
    unique: unique || meaning.unique === true,
    default: typedDefault(defaultValue, type),
    enumValues:
      enumValues !== null && (type === "enum" || type === "string" || type === "text")
        ? enumValues
        : finalEnum,
    maxLength: type === "string" ? (hint.maxLength ?? meaning.maxLength ?? 255) : null,
    precision: type === "decimal" ? (isMoney ? 19 : 12) : null,
    scale: type === "decimal" ? (isMoney ? 4 : 4) : null,
    currency: isMoney ? currency : null,
    sensitivity,
    searchable: meaning.searchable === true || unique,
    description: "",
    origin: options.origin,
    evidence: options.evidence === "" ? [] : [raw.trim()],
  };
  if (field.type === "enum" && field.enumValues === null) field.enumValues = ["active", "inactive"];
  if (field.type !== "enum") field.enumValues = null;
  if (field.type === "enum" && field.default === null) field.default = field.enumValues?.[0] ?? null;
  return { field, phrase };
}

const UNIT_TYPES: ReadonlyArray<readonly [RegExp, "integer" | "decimal"]> = [
  [/^(?:minutes?|mins?|seconds?|secs?|days?|weeks?|months?|years?|pages?|people|persons|seats?)$/, "integer"],
  [
    /^(?:hours?|hrs?|km|kms|kilomet(?:er|re)s?|miles?|kg|kgs|kilograms?|lbs?|pounds|lit(?:er|re)s?|m2|m3|sqm|sq\s?ft|kw|kwh|cm|mm|met(?:er|re)s?|grams?|feet|foot|ft|inch(?:es)?|yards?|acres?|hectares?|ha)$/,
    "decimal",
  ],
];

function meaningOf(phrase: string, written = phrase): FieldMeaning {
  const asWritten = FIELD_WORDS[written];
  if (asWritten !== undefined) return asWritten;
  const direct = FIELD_WORDS[phrase] ?? FIELD_WORDS[singularize(phrase)];
  if (direct !== undefined) return direct;
  // "an active flag", "a verified flag": the flag is the boolean itself.
  const flag = /^(\w+)\s+flag$/.exec(phrase);
  if (flag !== null) return { name: flag[1] ?? phrase, type: "boolean" };
  // "weight in kg", "duration in minutes": the unit names the type's measure, not the field.
  const measured = phrase.replace(
    /\s+(?:in|as)\s+(?:kg|kgs|g|grams?|lbs?|pounds|cm|mm|m|meters?|metres?|km|miles?|minutes?|hours?|days?|seconds?|percent|celsius|fahrenheit)$/,
    "",
  );
  for (const rule of FIELD_SUFFIX_RULES) {
    if (rule.pattern.test(measured)) return { ...rule.meaning(measured), name: phrase };
  }
  return { name: phrase, type: "string", maxLength: 255 };
}

function typedDefault(
  value: string | number | boolean | null,
  type: Field["type"],
): string | number | boolean | null {
  if (value === null) return null;
  const text = String(value);
  if (type === "boolean") return /^(?:true|yes|on|1)$/i.test(text);
  if (type === "integer" && /^-?\d+$/.test(text)) return Number(text);
  if (type === "decimal" && /^-?\d+(?:\.\d+)?$/.test(text)) return Number(text);
  if (type === "enum") return snakeCase(text);
  return text;
}

/** A field built from a lexicon phrase such as `status:pending|paid` or `completed:boolean`. */
export function fieldFromSpec(spec: string, personal: boolean, origin: Origin): Field | null {
  // Lexicon specs repeat across briefs; parse each once and hand out copies (callers mutate fields).
  const key = `${spec}\u0000${personal}\u0000${origin}`;
  let parsed = specCache.get(key);
  if (parsed === undefined) {
    parsed = parseSpec(spec, personal, origin);
    if (specCache.size > 5_000) specCache.clear();
    specCache.set(key, parsed);
  }
  return parsed === null
    ? null
    : {
        ...parsed,
        sensitivity: [...parsed.sensitivity],
        evidence: [...parsed.evidence],
        enumValues: parsed.enumValues === null ? null : [...parsed.enumValues],
      };
}

const specCache = new Map<string, Field | null>();

function parseSpec(spec: string, personal: boolean, origin: Origin): Field | null {
  const [phrase = "", typePart] = spec.split(":");
  const text =
    typePart === undefined
      ? phrase
      : typePart.includes("|")
        ? `${phrase} (${typePart.split("|").join(", ")})`
        : `${phrase} (${typePart})`;
  return parseFieldItem(text, { typeHint: null, personal, origin, evidence: "" })?.field ?? null;
}
