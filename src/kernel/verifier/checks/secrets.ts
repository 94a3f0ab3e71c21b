/**
 * Secret detection (pure): known credential formats (cloud, VCS and payment keys, private keys,
 * signed tokens, URLs with passwords) and high-entropy values assigned to secret-sounding names.
 * Placeholders (`change-me`, `example`, `${VAR}`, repeated characters…) are not secrets.
 */
import { type Finding, finding } from "../report.js";

interface KnownFormat {
  readonly name: string;
  readonly pattern: RegExp;
}

const KNOWN: readonly KnownFormat[] = [
  { name: "AWS access key id", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { name: "GitHub token", pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g },
  { name: "GitHub fine-grained token", pattern: /\bgithub_pat_[A-Za-z0-9_]{22,}\b/g },
  { name: "Slack token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g },
  {
    name: "Slack webhook URL",
    pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{12,}/g,
  },
  { name: "Stripe live key", pattern: /\b(?:sk|rk)_live_[A-Za-z0-9]{16,}\b/g },
  { name: "Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { name: "Anthropic API key", pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/g },
  {
    name: "OpenAI API key",
    pattern: /\bsk-(?:proj-)?(?=[A-Za-z0-9_-]*[0-9])(?=[A-Za-z0-9_-]*[A-Z])[A-Za-z0-9_-]{32,}\b/g,
  },
  {
    name: "private key",
    pattern: /-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|PGP|ENCRYPTED) )?PRIVATE KEY(?: BLOCK)?-----/g,
  },
  {
    name: "signed JSON Web Token",
    pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}/g,
  },
];

const SECRET_NAME =
  /(?:secret|passw(?:or)?d|passwd|pwd|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|signing[_-]?key|encryption[_-]?key|credentials?)/i;
/** `name = "value"`, `name: 'value'`, `"name": "value"`, `NAME=value` (env files). */
const ASSIGNMENT =
  /([A-Za-z_][\w.-]*)["']?\s*(?::=|=|:)\s*(?:["'`]([^"'`\n]{8,})["'`]|([^\s"'`#,;)]{16,})(?=\s*(?:$|#)))/gm;
const URL_PASSWORD =
  /\b(?:postgres(?:ql)?|mysql|mongodb(?:\+srv)?|redis|rediss|amqps?):\/\/[^:\s/@]+:([^@\s/]+)@/g;
const PLACEHOLDER =
  /(change[-_]?me|example|placeholder|dummy|sample|fake|your[-_]|xxx|redacted|not[-_]?a[-_]?secret|secret[-_]?here|<[^>]*>|\$\{|\{\{|\$\(|^\$|%\(|test|local|dev|unused|insecure|\*\*\*)/i;

/** Shannon entropy in bits per character. */
export function entropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Looks random enough to be a credential: long, varied, not a word-ish phrase. */
export function looksRandom(value: string): boolean {
  if (value.length < 16 || PLACEHOLDER.test(value)) return false;
  if (/^[a-z]+(?:[-_ .][a-z]+)*$/i.test(value)) return false; // words and separators
  if (/^(.)\1+=*$/.test(value)) return false;
  if (/^[0-9a-f]+$/i.test(value)) return value.length >= 24 && entropy(value) >= 3.3;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(value)).length;
  return classes >= 2 && entropy(value) >= 3.7;
}

/**
 * Findings for the secrets in one file.
 *
 * @example
 * scanSecrets("src/config.ts", 'const apiKey = "sk_live_51H8x…";'); // one error at line 1
 */
export function scanSecrets(path: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const lineStarts = lineIndex(text);
  const seenLines = new Set<number>();
  const add = (index: number, message: string, severity: "error" | "warning" = "error") => {
    const { line, column } = position(lineStarts, index);
    if (seenLines.has(line)) return;
    seenLines.add(line);
    findings.push(
      finding({ gate: "security", rule: "security/secret", severity, message, path, line, column }),
    );
  };
  for (const format of KNOWN) {
    for (const match of text.matchAll(format.pattern)) {
      if (PLACEHOLDER.test(match[0]) && format.name !== "private key") continue;
      if (
        format.name === "private key" &&
        /placeholder|example/i.test(text.slice(match.index, match.index + 200))
      )
        continue;
      add(match.index, `hard-coded ${format.name}; load it from the environment or a secret store`);
    }
  }
  for (const match of text.matchAll(URL_PASSWORD)) {
    const password = match[1] ?? "";
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
    if (password.length >= 8 && !PLACEHOLDER.test(password) && classes >= 2 && entropy(password) >= 3) {
      add(match.index, "connection URL with a hard-coded password; take the URL from the environment");
    }
  }
  for (const match of text.matchAll(ASSIGNMENT)) {
    const name = match[1] ?? "";
    const value = match[2] ?? match[3] ?? "";
    if (!SECRET_NAME.test(name) || /^(process\.env|os\.environ|os\.getenv|env\.|config\.)/.test(value))
      continue;
    if (/^(?:[A-Z_]+|[a-z]+(?:[A-Z][a-z]+)*)$/.test(value) && value.length < 40) continue; // an identifier
    if (looksRandom(value)) {
      add(match.index, `"${name}" holds a hard-coded secret-looking value; load it from the environment`);
    }
  }
  return findings;
}

function lineIndex(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of a character offset. */
export function position(lineStarts: readonly number[], index: number): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= index) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: index - (lineStarts[low] ?? 0) + 1 };
}

/** Line starts of a text, for `position`. */
export { lineIndex };
