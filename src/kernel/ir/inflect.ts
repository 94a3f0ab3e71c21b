/**
 * English inflection and identifier casing for names taken from briefs.
 * Small and rule-based on purpose: briefs name business nouns, and the irregular ones that show up
 * there are listed explicitly.
 */

const irregularPlurals: Readonly<Record<string, string>> = {
  person: "people",
  child: "children",
  man: "men",
  woman: "women",
  foot: "feet",
  tooth: "teeth",
  mouse: "mice",
  goose: "geese",
  analysis: "analyses",
  diagnosis: "diagnoses",
  thesis: "theses",
  crisis: "crises",
  criterion: "criteria",
  medium: "media",
  index: "indexes",
  matrix: "matrices",
  appendix: "appendices",
  cactus: "cacti",
  leaf: "leaves",
  life: "lives",
  knife: "knives",
  wife: "wives",
  half: "halves",
  shelf: "shelves",
  quiz: "quizzes",
  bus: "buses",
  status: "statuses",
  campus: "campuses",
  census: "censuses",
  virus: "viruses",
  alias: "aliases",
  canvas: "canvases",
  series: "series",
  species: "species",
  news: "news",
  equipment: "equipment",
  inventory: "inventories",
  staff: "staff",
  sheep: "sheep",
  fish: "fish",
  software: "software",
  feedback: "feedback",
  metadata: "metadata",
  hardware: "hardware",
  information: "information",
  photo: "photos",
  video: "videos",
  radio: "radios",
  memo: "memos",
  logo: "logos",
  hero: "heroes",
  potato: "potatoes",
  tomato: "tomatoes",
  echo: "echoes",
  todo: "todos",
};

const irregularSingulars: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(irregularPlurals).map(([singular, plural]) => [plural, singular]),
);

/** Words ending in -s that are already singular (so we must not strip the s). */
const singularEndingInS = new Set([
  "address",
  "access",
  "process",
  "business",
  "class",
  "glass",
  "pass",
  "boss",
  "loss",
  "kiss",
  "status",
  "bus",
  "campus",
  "census",
  "virus",
  "alias",
  "canvas",
  "analysis",
  "diagnosis",
  "thesis",
  "crisis",
  "basis",
  "axis",
  "prognosis",
  "dialysis",
  "series",
  "species",
  "news",
  "gas",
  "bonus",
  "focus",
  "corpus",
  "apparatus",
  "atlas",
  "iris",
  "lens",
  "plus",
  "sms",
  "kudos",
  "cosmos",
  "chaos",
  "physics",
  "mathematics",
  "economics",
  "analytics",
  "logistics",
  "ethics",
  "politics",
  "always",
  "is",
  "was",
  "has",
  "this",
  "his",
  "its",
  "us",
  "yes",
  "thus",
  "various",
  "previous",
  "famous",
  "serious",
  "less",
  "unless",
  "across",
  "express",
  "wireless",
  "stainless",
  "wellness",
  "fitness",
  "witness",
  "harness",
  "mattress",
  "progress",
  "congress",
  "stress",
  "dress",
  "princess",
  "success",
  "excess",
]);

const lower = (word: string): string => word.toLowerCase();

/**
 * Memoises a pure string function. The compiler asks the same few hundred words again and again
 * (every chunk, every lexicon lookup); the cache is bounded so a long-running App process cannot
 * grow it without limit.
 */
export function memo<T>(fn: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    let result = cache.get(text);
    if (result === undefined) {
      if (cache.size > 20_000) cache.clear();
      result = fn(text);
      cache.set(text, result);
    }
    return result;
  };
}

/** `patients` → `patient`, `categories` → `category`, `people` → `person`; leaves singulars alone. */
export const singularize = memo(singularizeWord);

function singularizeWord(word: string): string {
  const w = lower(word);
  const irregular = irregularSingulars[w];
  if (irregular !== undefined) return irregular;
  if (irregularPlurals[w] !== undefined || singularEndingInS.has(w)) return w;
  if (w.length <= 3) return w;
  // "foremen", "chairmen", "salesmen" (but not "specimen" or "abdomen").
  if (/men$/.test(w) && !/(?:speci|abdo|acu|sta|regi|hy|a|o)men$/.test(w) && w.length > 4)
    return `${w.slice(0, -3)}man`;
  if (w.endsWith("ies") && w.length > 4) return `${w.slice(0, -3)}y`;
  // "quizzes" → "quiz", but "prizes" → "prize" and "sizes" → "size".
  if (/zzes$/.test(w)) return w.slice(0, -3);
  if (/[aeiou]zes$/.test(w)) return w.slice(0, -1);
  if (/(?:ss|x|z|ch|sh)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith("ses") && !w.endsWith("sses")) return w.slice(0, -1); // courses → course, cases → case
  if (w.endsWith("oes")) return w.slice(0, -2);
  if (w.endsWith("us") || w.endsWith("ss") || w.endsWith("is")) return w;
  if (w.endsWith("s")) return w.slice(0, -1);
  return w;
}

/** `patient` → `patients`, `category` → `categories`, `person` → `people`. */
export function pluralize(word: string): string {
  const w = lower(word);
  const irregular = irregularPlurals[w];
  if (irregular !== undefined) return irregular;
  if (/[^aeiou]y$/.test(w)) return `${w.slice(0, -1)}ies`;
  if (/(?:s|x|z|ch|sh)$/.test(w)) return `${w}es`;
  return `${w}s`;
}

/** True when `word` reads as a plural noun (`patients`, `people`), false for `address`, `status`. */
export function isPlural(word: string): boolean {
  const w = lower(word);
  if (irregularSingulars[w] !== undefined) return irregularSingulars[w] !== w;
  if (singularEndingInS.has(w) || w.endsWith("ss") || w.endsWith("us") || w.endsWith("is")) return false;
  return w.endsWith("s") && w.length > 3;
}

/** Splits an identifier or phrase into lower-case words (memoised: treat the result as read-only). */
export const words: (text: string) => readonly string[] = memo(splitWords);

function splitWords(text: string): string[] {
  return (
    text
      // "kW", "kWh", "mL": a unit written in mixed case is one word, not "k W".
      .replace(/\b([a-z]{1,2}[A-Z][A-Za-z]{0,2})\b/g, (unit) => unit.toLowerCase())
      .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
      .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
      .split(/[^\p{L}\p{N}]+/u)
      .filter((part) => part !== "")
      .map((part) => part.toLowerCase())
  );
}

/** Keeps ASCII letters and digits only, so identifiers are valid in every target language. */
function asciiWords(text: string): readonly string[] {
  return words(
    text
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .replace(/[^A-Za-z0-9\s_-]/g, " "),
  );
}

const capitalize = (word: string): string => (word === "" ? word : word[0]?.toUpperCase() + word.slice(1));

export const pascalCase = memo(toPascalCase);

function toPascalCase(text: string): string {
  const result = asciiWords(text).map(capitalize).join("");
  return /^[A-Z]/.test(result) ? result : `X${result}`;
}

export function camelCase(text: string): string {
  const pascal = pascalCase(text);
  return pascal[0]?.toLowerCase() + pascal.slice(1);
}

export function snakeCase(text: string): string {
  const result = asciiWords(text).join("_");
  return /^[a-z]/.test(result) ? result : `x_${result}`;
}

export function kebabCase(text: string): string {
  return snakeCase(text).replace(/_/g, "-");
}

/** "an invoice", "a proof": the noun with its indefinite article. */
export function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? "an" : "a"} ${noun}`;
}

/** Title Case for display names: `dental practice system` → `Dental Practice System`. */
export function titleCase(text: string): string {
  return text
    .split(/\s+/)
    .filter((w) => w !== "")
    .map((w) => (w === w.toUpperCase() && w.length > 1 ? w : capitalize(w.toLowerCase())))
    .join(" ");
}
