/**
 * Turning an untrusted brief into clean text and a list of segments (sentences, list items,
 * headings, table rows) that the extractors read. All limits are documented in the README.
 */
import { BriefError } from "../errors.js";

/** Briefs larger than this are refused: a brief is a page of prose, not a document dump. */
export const MAX_BRIEF_BYTES = 64 * 1024;

export type SegmentKind = "heading" | "item" | "sentence" | "table";

export interface Segment {
  kind: SegmentKind;
  text: string;
  /** For table segments: the header cells and one row's cells. */
  cells?: { header: string[]; row: string[] };
  /** The nearest heading above this segment (lower-case), for context such as "## Patients". */
  heading: string | null;
  /** Heading depth (1 for `#`), list nesting for items. */
  depth: number;
  /** A second or later sentence of the same list item: prose, not the item's own entry. */
  continues?: boolean;
}

/** Checks the brief and returns it normalised (NFC, LF line ends, no control characters). */
export function normaliseBrief(raw: string): string {
  const bytes = new TextEncoder().encode(raw).length;
  if (bytes > MAX_BRIEF_BYTES) {
    throw new BriefError(
      "brief.too-large",
      `the brief is ${bytes} bytes; the limit is ${MAX_BRIEF_BYTES} bytes (64 KiB)`,
      { hint: "describe the application in a page or two; put detailed specs in follow-up issues" },
    );
  }
  if (raw.includes("\u0000") || controlShare(raw) > 0.05 || raw.includes("\uFFFD\uFFFD")) {
    throw new BriefError("brief.binary", "the brief looks like binary data, not text", {
      hint: "pass a UTF-8 text or Markdown file with -f, or the brief itself in quotes",
    });
  }
  const text = raw
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    // Control characters (other than tab and newline) carry no meaning in a brief.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "")
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[\u2013\u2014]/g, " - ")
    .replace(/\u00A0/g, " ")
    .trim();
  if (!/[\p{L}\p{N}]/u.test(text)) {
    throw new BriefError("brief.empty", "the brief is empty", {
      hint: 'describe the application, e.g. qlf compile "Clinic API: patients book appointments with doctors"',
    });
  }
  return text;
}

/**
 * "As a patient, I want to book an appointment with a doctor so that I can be seen" says what a
 * patient may do: it is read as "A patient can book an appointment with a doctor." The purpose
 * after "so that" is the writer's reason, not a requirement of its own.
 */
export function rephraseUserStories(text: string): string {
  if (!/\bas an?\s/i.test(text)) return text;
  return text.replace(USER_STORY, (_whole, role: string, want: string) => {
    const wanted = want
      .replace(/\bmy\b/gi, "their")
      .replace(/\bme\b/gi, "them")
      .replace(/\bI\b/g, "they");
    const who = role.trim();
    return `${/^[aeiou]/i.test(who) ? "An" : "A"} ${who} can ${wanted.trim()}`;
  });
}

const USER_STORY =
  /\bas an?\s+([\p{L}][\p{L} -]{1,40}?)\s*,?\s+I\s+(?:want|need|would like|'d like|wish|can|should be able|must be able|want to be able|need to be able)(?:\s+to)?(?:\s+be\s+able\s+to)?\s+([^.!?\n]*?)(?:,?\s+so\s+(?:that\s+)?(?:I|we|they|it|the)\b[^.!?\n]*)?(?=[.!?\n]|$)/giu;

/**
 * "The system shall allow citizens to report complaints", "the app must let officers close them":
 * a requirement written about the system says what a role may do, read as "citizens can report
 * complaints".
 */
export function rephraseAllowances(text: string): string {
  if (!/\b(?:allow|let|enable|permit)s?\b/i.test(text)) return text;
  return text
    .replace(ALLOW_TO, (_whole, who: string) => `${who} can `)
    .replace(LET_DO, (_whole, who: string) => `${who} can `);
}

const SYSTEM_MUST =
  "\\b(?:the\\s+)?(?:system|app|application|platform|api|service|software|tool|portal|site|it)\\s+(?:shall|must|should|will|needs? to|has to)\\s+(?:also\\s+)?";

const ALLOW_TO = new RegExp(
  `${SYSTEM_MUST}(?:allow|enable|permit)\\s+(?:the\\s+|all\\s+|our\\s+)?([\\p{L}][\\p{L} -]{1,40}?)\\s+to\\s+(?=\\p{L})`,
  "giu",
);

const LET_DO = new RegExp(`${SYSTEM_MUST}let\\s+(?:the\\s+|all\\s+|our\\s+)?(\\p{L}+)\\s+(?=\\p{L})`, "giu");

/**
 * "the patient has 48 hours to accept the offer" gives the patient no field: it is a deadline on
 * what they may do, read as "the patient can accept the offer within 48 hours".
 */
export function rephraseDeadlines(text: string): string {
  if (!/\b(?:has|have|gets?|get)\s/i.test(text)) return text;
  return text.replace(
    DEADLINE,
    (_whole, _verb: string, span: string, action: string) => `can ${action.trim()} within ${span.trim()}`,
  );
}

const DEADLINE =
  /\b(has|have|gets?)\s+((?:up to\s+)?(?:\d+|one|two|three|four|five|six|seven|ten|fourteen|thirty)\s+(?:(?:working|business|calendar)\s+)?(?:minutes?|hours?|days?|weeks?|months?|years?))\s+to\s+([^.!?;\n]+)/giu;

function controlShare(text: string): number {
  if (text.length === 0) return 0;
  let control = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 0xfffd) control++;
  }
  return control / text.length;
}

const tableSeparator = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

function splitCells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((cell) => cell.trim().replace(/`/g, ""));
}

/**
 * Splits Markdown or plain text into segments. Sentences are split on `.`, `!`, `?` and `;`
 * followed by space (not inside numbers like `1.5`); list items and headings stay whole.
 */
/** "Hi team —", "Hello all,", "Hey folks!": a greeting that opens a message. */
export const GREETING = /^\s*(?:hi|hello|hey|dear|hiya)\b[^—–:,.!]{0,30}(?:[—–:,!]|\s-)\s*/i;

const ABOUT_THE_BRIEF =
  /^(?:(?:here(?:'s| is)|this is)\s+)?(?:(?:a|the|my|our|quick|short|rough|first)\s+)*(?:brief|spec|note|summary|write-?up|outline)\s+(?:for|of|on|about)\b[^,;]*[.!]?$/i;

export function segmentBrief(text: string): Segment[] {
  const segments: Segment[] = [];
  const lines = text.split("\n");
  let heading: string | null = null;
  let paragraph: string[] = [];

  const flushParagraph = (): void => {
    if (paragraph.length === 0) return;
    for (const written of splitSentences(paragraph.join(" "))) {
      // "Hi team — quick brief for the greenhouse project.": a greeting, then words about the
      // brief itself, say nothing about the app.
      const sentence = segments.length === 0 ? written.replace(GREETING, "") : written;
      if (segments.length === 0 && (sentence === "" || ABOUT_THE_BRIEF.test(sentence))) continue;
      segments.push({ kind: "sentence", text: sentence, heading, depth: 0 });
    }
    paragraph = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const trimmed = line.trim();
    if (trimmed === "") {
      flushParagraph();
      continue;
    }
    // A line that is only "Product:" or "**Supplier:**" introduces a section, like a heading.
    const labelLine = /^\**([\p{L}][\p{L}\p{N} _-]{0,38}?)\**:\**$/u.exec(trimmed);
    if (labelLine !== null && paragraph.length === 0) {
      const title = labelLine[1] ?? "";
      heading = title.toLowerCase();
      segments.push({ kind: "heading", text: title, heading, depth: 3 });
      continue;
    }
    const headingMatch = /^(#{1,6})\s+(.*?)\s*#*$/.exec(trimmed);
    if (headingMatch) {
      flushParagraph();
      const title = stripInlineMarkdown(headingMatch[2] ?? "");
      heading = title.toLowerCase();
      segments.push({ kind: "heading", text: title, heading, depth: headingMatch[1]?.length ?? 1 });
      continue;
    }
    const next = lines[i + 1] ?? "";
    if (trimmed.includes("|") && tableSeparator.test(next)) {
      flushParagraph();
      const header = splitCells(trimmed);
      i += 2;
      while (i < lines.length && (lines[i] ?? "").includes("|")) {
        const row = splitCells(lines[i] ?? "");
        segments.push({ kind: "table", text: row.join(" "), cells: { header, row }, heading, depth: 0 });
        i++;
      }
      i--;
      continue;
    }
    // "- item", "2. item", "2.1 item", "2.1. item", "a) item".
    const itemMatch =
      /^(\s*)(?:[-*+•]|\d{1,3}[.)]|\d{1,3}(?:\.\d{1,3})+\.?(?=\s+\p{L})|[a-z][)])\s+(.*)$/u.exec(line);
    if (itemMatch) {
      flushParagraph();
      const depth = Math.floor((itemMatch[1]?.length ?? 0) / 2) + 1;
      // "3.2 A trip is made by a rider. It records start time …": each sentence of an item is read
      // on its own, as in a paragraph.
      for (const [index, sentence] of splitSentences(
        stripInlineMarkdown(itemMatch[2] ?? ""),
        false,
      ).entries())
        segments.push({
          kind: "item",
          text: sentence,
          heading,
          depth,
          ...(index > 0 ? { continues: true } : {}),
        });
      continue;
    }
    // "👥 Teams: name, table number" on one line and "🧑‍⚖️ Judges: name, email" on the next are
    // two statements, as bullets would be, though neither ends with a full stop.
    const unbulleted = trimmed.replace(LEADING_SYMBOLS, "");
    if (LABELLED_LINE.test(unbulleted)) flushParagraph();
    paragraph.push(stripInlineMarkdown(unbulleted));
  }
  flushParagraph();
  return segments;
}

const SENTENCE_OR_SEMICOLON_END = /(?<=[^\d\s][.!?;])\s+(?=\S)|(?<=[.!?])\s+(?=[A-Z])/u;
const SENTENCE_END = /(?<=[^\d\s][.!?])\s+(?=\S)|(?<=[.!?])\s+(?=[A-Z])/u;

/** Emoji and arrows that open a line the way a bullet would. */
const LEADING_SYMBOLS = /^(?:(?:\p{Extended_Pictographic}|\u200d|\ufe0f|\u20e3|[→➜▶►✓✔☐☑])\s*)+/u;

/** "Teams: name, table number", "Roles: admin, staff": a short label, a colon, then its content. */
const LABELLED_LINE = /^[\p{L}][\p{L}\p{N} '’/-]{0,40}:\s+\S/u;

function stripInlineMarkdown(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`~]{1,3}([^*_`~]+)[*_`~]{1,3}/g, "$1")
    .replace(/^>\s*/, "")
    .trim();
}

/**
 * Splits at full stops (and at semicolons in a paragraph: a bullet's "invoices belong to a client;
 * invoice number, issue date" is one statement and its list).
 */
function splitSentences(paragraph: string, atSemicolons = true): string[] {
  const pieces = paragraph.split(atSemicolons ? SENTENCE_OR_SEMICOLON_END : SENTENCE_END);
  // "leave requests (type: vacation, sick; start date, end date)": a break inside parentheses
  // does not end the sentence.
  const sentences: string[] = [];
  let open = 0;
  for (const piece of pieces) {
    if (open > 0 && sentences.length > 0) sentences[sentences.length - 1] += ` ${piece}`;
    else sentences.push(piece);
    open = Math.max(0, open + (piece.match(/\(/g)?.length ?? 0) - (piece.match(/\)/g)?.length ?? 0));
  }
  return sentences.map((s) => s.trim()).filter((s) => s !== "");
}
