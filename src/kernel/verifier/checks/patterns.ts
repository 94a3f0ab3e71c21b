/**
 * Dangerous code patterns (pure, per language): SQL built from strings with values spliced in,
 * `eval`/`exec`-style dynamic code and shell commands, and TLS certificate checks turned off.
 *
 * SQL is judged by what is spliced in, not by whether there is a template at all: generated code
 * builds SQL from constant identifiers and `$n` placeholders, which is safe. A splice inside a SQL
 * string literal (`'${name}'`, `'%s'`, `'{name}'`) or of request data (`req.query…`) is not.
 */
import { type Finding, finding } from "../report.js";
import { lineIndex, position } from "./secrets.js";

type Language = "js" | "python" | "go" | "other";

interface PatternRule {
  readonly rule: string;
  readonly languages: readonly Language[];
  readonly pattern: RegExp;
  readonly message: string;
  readonly severity: "error" | "warning";
  /** Only in files whose text matches this too (e.g. imports child_process). */
  readonly when?: RegExp;
}

const RULES: readonly PatternRule[] = [
  {
    rule: "security/eval",
    languages: ["js"],
    pattern: /(?<![.\w$])eval\s*\(/g,
    message: "eval() runs text as code",
    severity: "error",
  },
  {
    rule: "security/eval",
    languages: ["js"],
    pattern: /\bnew\s+Function\s*\(/g,
    message: "new Function() runs text as code",
    severity: "error",
  },
  {
    rule: "security/exec",
    languages: ["js"],
    pattern: /(?<![.\w$])exec(?:Sync)?\s*\(/g,
    when: /["'](?:node:)?child_process["']/,
    message: "child_process exec() runs a shell command line; use execFile/spawn with an argument list",
    severity: "error",
  },
  {
    rule: "security/exec",
    languages: ["js"],
    pattern: /\bshell\s*:\s*true\b/g,
    message: "spawning with shell: true runs a shell command line",
    severity: "warning",
  },
  {
    rule: "security/eval",
    languages: ["python"],
    pattern: /(?<![.\w])(?:eval|exec)\s*\(/g,
    message: "eval()/exec() runs text as code",
    severity: "error",
  },
  {
    rule: "security/exec",
    languages: ["python"],
    pattern: /\bos\.(?:system|popen)\s*\(/g,
    message: "os.system()/os.popen() runs a shell command line",
    severity: "error",
  },
  {
    rule: "security/exec",
    languages: ["python"],
    pattern: /\bshell\s*=\s*True\b/g,
    message: "subprocess with shell=True runs a shell command line",
    severity: "error",
  },
  {
    rule: "security/deserialize",
    languages: ["python"],
    pattern: /\bpickle\.loads?\s*\(/g,
    message: "pickle can run code from the data it loads",
    severity: "warning",
  },
  {
    rule: "security/exec",
    languages: ["go"],
    pattern:
      /\bexec\.Command(?:Context)?\s*\((?:[^,()]+,\s*)?"(?:sh|bash|\/bin\/sh|\/bin\/bash)"\s*,\s*"-c"/g,
    message: "exec.Command runs a shell command line",
    severity: "error",
  },
  {
    rule: "security/tls-disabled",
    languages: ["js", "other"],
    pattern: /\brejectUnauthorized\s*:\s*false\b/g,
    message: "TLS certificate checks are turned off (rejectUnauthorized: false)",
    severity: "error",
  },
  {
    rule: "security/tls-disabled",
    languages: ["js", "python", "go", "other"],
    pattern: /NODE_TLS_REJECT_UNAUTHORIZED["']?\s*[:=]\s*["']?0\b/g,
    message: "TLS certificate checks are turned off (NODE_TLS_REJECT_UNAUTHORIZED=0)",
    severity: "error",
  },
  {
    rule: "security/tls-disabled",
    languages: ["python"],
    pattern: /\bverify\s*=\s*False\b/g,
    message: "TLS certificate checks are turned off (verify=False)",
    severity: "error",
  },
  {
    rule: "security/tls-disabled",
    languages: ["python"],
    pattern: /\b(?:_create_unverified_context|CERT_NONE)\b/g,
    message: "TLS certificate checks are turned off",
    severity: "error",
  },
  {
    rule: "security/tls-disabled",
    languages: ["go"],
    pattern: /\bInsecureSkipVerify\s*:\s*true\b/g,
    message: "TLS certificate checks are turned off (InsecureSkipVerify: true)",
    severity: "error",
  },
];

const SQL = /\b(?:SELECT\s[\s\S]*?\bFROM|INSERT\s+INTO|UPDATE\s+[\w."]+\s+SET|DELETE\s+FROM|WHERE\s)/i;
const REQUEST_DATA =
  /\b(?:req|request|ctx\.request|c)\s*\.\s*(?:query|params|body|param|Query|Param|PostForm|args|form|json|path_params|query_params)\b|\b(?:userInput|user_input)\b/;

/** Language of a file, by extension. */
export function languageOf(path: string): Language {
  if (/\.(?:[cm]?[jt]sx?)$/.test(path)) return "js";
  if (path.endsWith(".py")) return "python";
  if (path.endsWith(".go")) return "go";
  return "other";
}

/**
 * @example
 * scanPatterns("src/a.ts", "db.query(`SELECT * FROM t WHERE name = '${req.query.name}'`)"); // security/sql-injection
 */
export function scanPatterns(path: string, text: string): Finding[] {
  const language = languageOf(path);
  const starts = lineIndex(text);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const add = (rule: string, severity: "error" | "warning", index: number, message: string) => {
    const { line, column } = position(starts, index);
    const key = `${rule}:${line}`;
    if (seen.has(key) || isCommentLine(text, starts, line, language)) return;
    seen.add(key);
    findings.push(finding({ gate: "security", rule, severity, message, path, line, column }));
  };
  for (const rule of RULES) {
    if (!rule.languages.includes(language)) continue;
    if (rule.when !== undefined && !rule.when.test(text)) continue;
    for (const match of text.matchAll(rule.pattern)) add(rule.rule, rule.severity, match.index, rule.message);
  }
  for (const splice of sqlSplices(text, language))
    add("security/sql-injection", "error", splice.index, splice.message);
  return findings;
}

interface Splice {
  readonly index: number;
  readonly message: string;
}

/** Places where a value is spliced into SQL text. */
function sqlSplices(text: string, language: Language): Splice[] {
  const out: Splice[] = [];
  const quoted = "a value is spliced into a SQL string literal; pass it as a query parameter";
  const request = "request data is spliced into SQL; pass it as a query parameter";
  if (language === "js") {
    for (const match of text.matchAll(/`((?:[^`\\]|\\.)*)`/g)) {
      const body = match[1] ?? "";
      if (!SQL.test(body) || !body.includes("${")) continue;
      for (const expr of body.matchAll(/\$\{([^}]*)\}/g)) {
        const before = body.slice(0, expr.index);
        const inQuotes = /'[^']*$/.test(before) && (before.match(/'/g)?.length ?? 0) % 2 === 1;
        if (inQuotes) out.push({ index: match.index + 1 + expr.index, message: quoted });
        else if (REQUEST_DATA.test(expr[1] ?? ""))
          out.push({ index: match.index + 1 + expr.index, message: request });
      }
    }
  }
  if (language === "js" || language === "python" || language === "go") {
    // "… WHERE name = '" + name + "'"  and  "… WHERE id = " + req.params.id
    for (const match of text.matchAll(/(["'])((?:(?!\1)[^\\\n]|\\.)*)\1\s*\+\s*([\w$.[\]()"']+)/g)) {
      const literal = match[2] ?? "";
      if (!SQL.test(literal)) continue;
      const operand = match[3] ?? "";
      if (/'\s*$/.test(literal) || /(?:=|<|>|\bLIKE|\bIN\s*\()\s*$/i.test(literal)) {
        if (/^[A-Z_][A-Z0-9_]*$/.test(operand)) continue; // a constant
        out.push({ index: match.index, message: REQUEST_DATA.test(operand) ? request : quoted });
      }
    }
  }
  if (language === "python") {
    for (const match of text.matchAll(/\bf("""|'''|"|')((?:(?!\1)[\s\S])*?)\1/g)) {
      const body = match[2] ?? "";
      if (!SQL.test(body)) continue;
      for (const expr of body.matchAll(/\{([^{}]*)\}/g)) {
        const before = body.slice(0, expr.index);
        const inQuotes = (before.match(/'/g)?.length ?? 0) % 2 === 1;
        if (inQuotes || REQUEST_DATA.test(expr[1] ?? "")) {
          out.push({ index: match.index, message: inQuotes ? quoted : request });
          break;
        }
      }
    }
    for (const match of text.matchAll(/(["'])((?:(?!\1)[^\\\n]|\\.)*)\1\s*(?:%\s*[(\w]|\.format\s*\()/g)) {
      const literal = match[2] ?? "";
      if (SQL.test(literal) && /'%[sd]'|'\{\w*\}'|=\s*%[sd]|=\s*\{\w*\}/.test(literal))
        out.push({ index: match.index, message: quoted });
    }
  }
  if (language === "go") {
    for (const match of text.matchAll(/fmt\.Sprintf\(\s*(`[^`]*`|"(?:[^"\\\n]|\\.)*")/g)) {
      const literal = match[1] ?? "";
      if (SQL.test(literal) && /'%[sv]'|(?:=|LIKE)\s*%[svd]/i.test(literal))
        out.push({ index: match.index, message: quoted });
    }
  }
  return out;
}

function isCommentLine(text: string, starts: readonly number[], line: number, language: Language): boolean {
  const start = starts[line - 1] ?? 0;
  const end = starts[line] ?? text.length;
  const content = text.slice(start, end).trim();
  if (language === "python") return content.startsWith("#");
  return content.startsWith("//") || content.startsWith("*") || content.startsWith("/*");
}
