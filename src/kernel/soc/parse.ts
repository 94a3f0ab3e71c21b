/**
 * The SOC parser: a model's answer in, checked files out, or a rejection saying where and why.
 * It accepts the grammar in docs/soc.md and nothing else, checks every path with the tree's own
 * `assertSafePath`/`normaliseTree` (one path checker for template and model output alike), and
 * never throws: every failure is a `SocRejection` value (`parseSocOrThrow` wraps it in `SocError`).
 */
import { UnsafePathError } from "../errors.js";
import {
  assertSafePath,
  type FileMode,
  type GeneratedFile,
  normaliseTree,
  type TreePolicy,
} from "../generate/tree.js";
import { SocError, type SocRejection, type SocRejectionCode } from "./errors.js";
import { SOC_CLOSE, SOC_MARKER_PREFIX, SOC_OPEN, SOC_OPEN_END } from "./grammar.js";

export interface SocOptions {
  /** Where files may go (`.github/workflows/` only when allowed). */
  readonly policy: TreePolicy;
  /** Largest file body in UTF-8 bytes (default 256 KiB). */
  readonly maxFileBytes?: number;
  /** Largest answer in UTF-8 bytes (default 4 MiB); checked before anything else. */
  readonly maxAnswerBytes?: number;
  /** Most files in one answer (default 500). */
  readonly maxFiles?: number;
  /**
   * When set, the answer must contain exactly these paths (no more, no fewer). Agents use this so
   * that a model can only write the files it was asked for, whatever the brief says.
   */
  readonly expectedPaths?: readonly string[];
}

export type SocResult =
  | { readonly ok: true; readonly files: GeneratedFile[] }
  | { readonly ok: false; readonly rejection: SocRejection };

export const SOC_DEFAULT_MAX_FILE_BYTES = 256 * 1024;
export const SOC_DEFAULT_MAX_ANSWER_BYTES = 4 * 1024 * 1024;
export const SOC_DEFAULT_MAX_FILES = 500;

const utf8 = new TextEncoder();
const REFUSAL =
  /^(?:i['’]?m sorry|i am sorry|sorry\b|i apologi[sz]e|my apologies|unfortunately\b|i can(?:not|['’]t)\b|i['’]?m (?:not able|unable)|i am (?:not able|unable)|i won['’]?t\b|as an ai\b)/i;

/**
 * Parses an answer.
 *
 * @example
 * parseSoc("<<<qlf:file src/a.ts>>>\nexport {};\n<<<qlf:end>>>\n", { policy: { allowWorkflows: false } });
 * // { ok: true, files: [{ path: "src/a.ts", content: "export {};\n", mode: 0o644 }] }
 * parseSoc("Sure! Here it is:\n<<<qlf:file …", options).ok; // false (soc.prose at 1:1)
 */
export function parseSoc(answer: string, options: SocOptions): SocResult {
  try {
    return { ok: true, files: parseOrThrow(answer, options) };
  } catch (error) {
    // Anything but a SocError is a bug in this parser; the fuzz tests exist to find it.
    if (error instanceof SocError) return { ok: false, rejection: error.rejection };
    throw error;
  }
}

/** Like `parseSoc`, but throws `SocError` (and nothing else) on a rejection. */
export function parseSocOrThrow(answer: string, options: SocOptions): GeneratedFile[] {
  const result = parseSoc(answer, options);
  if (!result.ok) throw new SocError(result.rejection);
  return result.files;
}

interface Block {
  readonly path: string;
  readonly mode: FileMode;
  readonly content: string;
  readonly line: number;
  readonly offset: number;
}

function parseOrThrow(raw: string, options: SocOptions): GeneratedFile[] {
  const maxAnswer = options.maxAnswerBytes ?? SOC_DEFAULT_MAX_ANSWER_BYTES;
  // Cheap bound first: a UTF-16 string has at most 3 UTF-8 bytes per code unit.
  if (raw.length > maxAnswer && utf8.encode(raw).length > maxAnswer) {
    reject("soc.answer-too-large", `the answer is larger than ${maxAnswer} bytes`, 1, 1, 0);
  }
  const text = raw.replaceAll("\r\n", "\n");
  if (text.trim() === "") reject("soc.empty-answer", "the answer is empty", 1, 1, 0);

  const blocks: Block[] = [];
  const maxFiles = options.maxFiles ?? SOC_DEFAULT_MAX_FILES;
  const maxFileBytes = options.maxFileBytes ?? SOC_DEFAULT_MAX_FILE_BYTES;
  let offset = 0;
  let lineNo = 1;
  let open: { path: string; mode: FileMode; line: number; offset: number; bodyStart: number } | undefined;

  while (offset < text.length) {
    const end = text.indexOf("\n", offset);
    const lineEnd = end === -1 ? text.length : end;
    const line = text.slice(offset, lineEnd);
    const next = end === -1 ? text.length : end + 1;

    if (open === undefined) {
      if (line.startsWith(SOC_OPEN)) {
        if (blocks.length >= maxFiles) {
          reject("soc.too-many-files", `the answer has more than ${maxFiles} files`, lineNo, 1, offset);
        }
        open = { ...readOpenLine(line, lineNo, offset), line: lineNo, offset, bodyStart: next };
        if (end === -1)
          reject(
            "soc.unclosed",
            `the block for "${open.path}" has no body and no "${SOC_CLOSE}" line`,
            lineNo,
            line.length + 1,
            lineEnd,
            open.path,
          );
      } else if (line.trim() !== "") {
        outside(line, lineNo, offset, blocks.length);
      }
    } else if (line.startsWith(SOC_MARKER_PREFIX)) {
      if (line === SOC_CLOSE) {
        const content = text.slice(open.bodyStart, offset);
        blocks.push(checkBody(open, content, maxFileBytes));
        open = undefined;
      } else if (line.startsWith(SOC_OPEN)) {
        reject(
          "soc.nested-open",
          `a new file block starts before "${open.path}" (line ${open.line}) was closed with "${SOC_CLOSE}"`,
          lineNo,
          1,
          offset,
          open.path,
        );
      } else {
        reject(
          "soc.bad-open-line",
          `a line inside "${open.path}" starts with the reserved "${SOC_MARKER_PREFIX}" but is not "${SOC_CLOSE}"`,
          lineNo,
          1,
          offset,
          open.path,
        );
      }
    }
    offset = next;
    lineNo++;
  }
  if (open !== undefined) {
    reject(
      "soc.unclosed",
      `the block for "${open.path}" (line ${open.line}) is never closed with "${SOC_CLOSE}"`,
      lineNo,
      1,
      text.length,
      open.path,
    );
  }
  if (blocks.length === 0) reject("soc.empty-answer", "the answer has no file blocks", 1, 1, 0);

  checkPaths(blocks, options);
  return blocks.map(({ path, content, mode }) => ({ path, content, mode }));
}

function readOpenLine(line: string, lineNo: number, offset: number): { path: string; mode: FileMode } {
  if (!line.endsWith(SOC_OPEN_END) || line.length < SOC_OPEN.length + SOC_OPEN_END.length + 1) {
    reject(
      "soc.bad-open-line",
      `the open line must be "${SOC_OPEN}<path>${SOC_OPEN_END}"`,
      lineNo,
      1,
      offset,
    );
  }
  let path = line.slice(SOC_OPEN.length, line.length - SOC_OPEN_END.length);
  let mode: FileMode = 0o644;
  const attribute = / mode=(\d+)$/.exec(path);
  if (attribute !== null) {
    if (attribute[1] === "755") mode = 0o755;
    else if (attribute[1] !== "644") {
      reject(
        "soc.bad-open-line",
        `mode must be 644 or 755, not ${attribute[1]}`,
        lineNo,
        SOC_OPEN.length + attribute.index + 2,
        offset + SOC_OPEN.length + attribute.index + 1,
      );
    }
    path = path.slice(0, attribute.index);
  }
  if (path.length === 0)
    reject(
      "soc.bad-open-line",
      "the file block has no path",
      lineNo,
      SOC_OPEN.length + 1,
      offset + SOC_OPEN.length,
    );
  return { path, mode };
}

function checkBody(
  open: { path: string; mode: FileMode; line: number; offset: number },
  content: string,
  maxFileBytes: number,
): Block {
  if (content.trim() === "") {
    reject(
      "soc.empty-file",
      `"${open.path}" is empty (files must have content)`,
      open.line,
      1,
      open.offset,
      open.path,
    );
  }
  if (content.length > maxFileBytes / 3 && utf8.encode(content).length > maxFileBytes) {
    reject(
      "soc.file-too-large",
      `"${open.path}" is larger than ${maxFileBytes} bytes`,
      open.line,
      1,
      open.offset,
      open.path,
    );
  }
  return { path: open.path, mode: open.mode, content, line: open.line, offset: open.offset };
}

/** A non-blank line outside any block: say what it looks like, so the feedback is specific. */
function outside(line: string, lineNo: number, offset: number, blocksSoFar: number): never {
  const trimmed = line.trimStart();
  const column = line.length - trimmed.length + 1;
  const at = offset + column - 1;
  const quoted = `("${excerpt(trimmed)}")`;
  if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
    reject(
      "soc.markdown",
      `a Markdown code fence ${quoted}; file blocks must not be wrapped in fences`,
      lineNo,
      column,
      at,
    );
  }
  if (REFUSAL.test(trimmed))
    reject("soc.refusal", `a refusal or apology instead of file blocks ${quoted}`, lineNo, column, at);
  if (trimmed === SOC_CLOSE)
    reject("soc.stray-close", `"${SOC_CLOSE}" without an open file block`, lineNo, column, at);
  if (trimmed.startsWith(SOC_MARKER_PREFIX)) {
    reject(
      "soc.bad-open-line",
      `a marker line ${quoted} that is not "${SOC_OPEN}<path>${SOC_OPEN_END}" at the start of the line`,
      lineNo,
      column,
      at,
    );
  }
  if (/^(?:#{1,6}\s|[-*+]\s|>\s|\*\*)/.test(trimmed)) {
    reject("soc.markdown", `Markdown ${quoted} outside file blocks`, lineNo, column, at);
  }
  const where = blocksSoFar === 0 ? "before the first file block" : "between or after file blocks";
  return reject("soc.prose", `text ${where} ${quoted}`, lineNo, column, at);
}

function checkPaths(blocks: readonly Block[], options: SocOptions): void {
  const seen = new Map<string, Block>();
  for (const block of blocks) {
    try {
      assertSafePath(block.path, options.policy);
    } catch (error) {
      if (!(error instanceof UnsafePathError)) throw error;
      reject(
        "soc.unsafe-path",
        error.message,
        block.line,
        SOC_OPEN.length + 1,
        block.offset + SOC_OPEN.length,
        block.path,
      );
    }
    // Case-insensitive, like normaliseTree: the tree must be the same on every file system.
    const key = block.path.toLowerCase();
    const previous = seen.get(key);
    if (previous !== undefined) {
      reject(
        "soc.duplicate-path",
        `"${block.path}" is written twice (first at line ${previous.line})`,
        block.line,
        SOC_OPEN.length + 1,
        block.offset + SOC_OPEN.length,
        block.path,
      );
    }
    seen.set(key, block);
  }
  try {
    // Checks what per-path rules cannot: a file that another file needs to be a directory.
    normaliseTree(
      blocks.map((block) => ({
        path: block.path,
        content: block.content,
        mode: block.mode,
        producer: `line ${block.line}`,
      })),
      options.policy,
    );
  } catch (error) {
    if (!(error instanceof UnsafePathError)) throw error;
    reject("soc.unsafe-path", error.message, 1, 1, 0);
  }
  if (options.expectedPaths !== undefined) {
    const expected = new Set(options.expectedPaths);
    for (const block of blocks) {
      if (!expected.has(block.path)) {
        reject(
          "soc.unexpected-path",
          `"${block.path}" was not asked for (write only the requested files)`,
          block.line,
          SOC_OPEN.length + 1,
          block.offset + SOC_OPEN.length,
          block.path,
        );
      }
    }
    const written = new Set(blocks.map((block) => block.path));
    const missing = options.expectedPaths.filter((path) => !written.has(path));
    if (missing.length > 0) {
      const last = blocks[blocks.length - 1];
      const list = missing
        .slice(0, 10)
        .map((path) => `"${path}"`)
        .join(", ");
      reject(
        "soc.missing-path",
        `missing requested file${missing.length === 1 ? "" : "s"} ${list}${missing.length > 10 ? ` and ${missing.length - 10} more` : ""}`,
        last?.line ?? 1,
        1,
        last?.offset ?? 0,
        missing[0],
      );
    }
  }
}

function reject(
  code: SocRejectionCode,
  reason: string,
  line: number,
  column: number,
  offset: number,
  path?: string,
): never {
  throw new SocError(
    path === undefined
      ? { code, reason, line, column, offset }
      : { code, reason, line, column, offset, path },
  );
}

function excerpt(text: string): string {
  const chars = [...text];
  const cut = chars.slice(0, 40).join("");
  // JSON-escape control characters so the feedback stays one readable line.
  return JSON.stringify(chars.length > 40 ? `${cut}…` : cut).slice(1, -1);
}
