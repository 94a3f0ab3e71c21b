import { describe, expect, it } from "vitest";
import {
  formatSoc,
  parseSoc,
  parseSocOrThrow,
  SocError,
  type SocOptions,
  socFeedback,
} from "../../src/kernel/index.js";

const options: SocOptions = { policy: { allowWorkflows: false } };
const block = (path: string, body = "x = 1\n", mode = "") =>
  `<<<qlf:file ${path}${mode}>>>\n${body}<<<qlf:end>>>\n`;

function rejection(answer: string, extra: Partial<SocOptions> = {}) {
  const result = parseSoc(answer, { ...options, ...extra });
  if (result.ok) throw new Error(`expected a rejection, got ${result.files.length} files`);
  return result.rejection;
}

describe("parseSoc accepts the grammar", () => {
  it("reads blocks with their bodies byte for byte", () => {
    const answer = `${block("src/a.ts", "export const a = 1;\n\n  indented\t\n")}\n\n${block("b.sh", "#!/bin/sh\necho hi\n", " mode=755")}`;
    const result = parseSoc(answer, options);
    expect(result).toEqual({
      ok: true,
      files: [
        { path: "src/a.ts", content: "export const a = 1;\n\n  indented\t\n", mode: 0o644 },
        { path: "b.sh", content: "#!/bin/sh\necho hi\n", mode: 0o755 },
      ],
    });
  });

  it("accepts blank lines around blocks, CR LF line ends and a last close line without LF", () => {
    const answer = "\n  \n<<<qlf:file a.txt>>>\r\nline\r\n<<<qlf:end>>>";
    expect(parseSocOrThrow(answer, options)).toEqual([{ path: "a.txt", content: "line\n", mode: 0o644 }]);
  });

  it("keeps lines that merely contain the markers", () => {
    const body = 'const s = "<<<qlf:end>>>";\n  <<<qlf:file x>>>\n';
    expect(parseSocOrThrow(block("a.ts", body), options)[0]?.content).toBe(body);
  });

  it("round-trips formatSoc", () => {
    const files = [
      { path: "a/b.ts", content: "1\n", mode: 0o644 as const },
      { path: "run.sh", content: "echo\n", mode: 0o755 as const },
    ];
    expect(parseSocOrThrow(formatSoc(files), options)).toEqual(files);
  });
});

describe("parseSoc rejects anything else, with position and reason", () => {
  it.each([
    ["prose before", `Sure! Here are the files:\n${block("a.ts")}`, "soc.prose", 1, 1],
    ["prose after", `${block("a.ts")}Let me know if you need more.\n`, "soc.prose", 4, 1],
    ["prose between", `${block("a.ts")}and now:\n${block("b.ts")}`, "soc.prose", 4, 1],
    ["a refusal", "I'm sorry, but I can't help with that.", "soc.refusal", 1, 1],
    ["an apology", "  Apologies aside, as an AI I cannot", "soc.prose", 1, 3],
    ["as an AI", "As an AI language model, I cannot write files.", "soc.refusal", 1, 1],
    ["a Markdown fence", `\`\`\`\n${block("a.ts")}\`\`\`\n`, "soc.markdown", 1, 1],
    ["a Markdown heading", `## Files\n${block("a.ts")}`, "soc.markdown", 1, 1],
    ["an empty answer", " \n\n", "soc.empty-answer", 1, 1],
    ["an unclosed block", "<<<qlf:file a.ts>>>\nx\n", "soc.unclosed", 3, 1],
    ["an open line without body", "<<<qlf:file a.ts>>>", "soc.unclosed", 1, 20],
    [
      "a nested open",
      "<<<qlf:file a.ts>>>\nx\n<<<qlf:file b.ts>>>\ny\n<<<qlf:end>>>\n",
      "soc.nested-open",
      3,
      1,
    ],
    ["a stray close", `${block("a.ts")}<<<qlf:end>>>\n`, "soc.stray-close", 4, 1],
    [
      "a bad marker in a body",
      "<<<qlf:file a.ts>>>\n<<<qlf:fin>>>\n<<<qlf:end>>>\n",
      "soc.bad-open-line",
      2,
      1,
    ],
    ["an open line without >>>", "<<<qlf:file a.ts\nx\n<<<qlf:end>>>\n", "soc.bad-open-line", 1, 1],
    ["a bad mode", "<<<qlf:file a.sh mode=777>>>\nx\n<<<qlf:end>>>\n", "soc.bad-open-line", 1, 18],
    ["an empty path", "<<<qlf:file >>>\nx\n<<<qlf:end>>>\n", "soc.bad-open-line", 1, 1],
    ["an empty file", "<<<qlf:file a.ts>>>\n<<<qlf:end>>>\n", "soc.empty-file", 1, 1],
    ["a blank file", "<<<qlf:file a.ts>>>\n  \n\n<<<qlf:end>>>\n", "soc.empty-file", 1, 1],
  ])("%s", (_name, answer, code, line, column) => {
    const found = rejection(answer);
    expect(found.code).toBe(code);
    expect([found.line, found.column]).toEqual([line, column]);
    expect(found.reason.length).toBeGreaterThan(10);
  });

  it.each([
    ["/etc/passwd", "absolute"],
    ["../outside.ts", '".." segment'],
    ["src/../../x", '".." segment'],
    [".git/hooks/pre-commit", ".git/"],
    ["src/.GIT/config", ".git/"],
    [".github/workflows/leak.yml", ".github/workflows/"],
    ["C:/windows/x", "drive letter"],
    ["a\\b.ts", "backslash"],
    ["a//b.ts", "empty segment"],
    ["~/x", "~"],
  ])("an unsafe path %s", (path, why) => {
    const found = rejection(block(path));
    expect(found.code).toBe("soc.unsafe-path");
    expect(found.path).toBe(path);
    expect(found.reason).toContain(why);
    expect(found.line).toBe(1);
  });

  it("allows .github/workflows/ only when the policy does", () => {
    const answer = block(".github/workflows/ci.yml", "on: push\n");
    expect(parseSoc(answer, { policy: { allowWorkflows: true } }).ok).toBe(true);
    expect(rejection(answer).code).toBe("soc.unsafe-path");
  });

  it("rejects duplicate paths, also differing only in case, naming the first line", () => {
    const found = rejection(`${block("src/A.ts")}${block("src/a.ts")}`);
    expect(found).toMatchObject({ code: "soc.duplicate-path", line: 4, path: "src/a.ts" });
    expect(found.reason).toContain("first at line 1");
  });

  it("rejects a file that another file needs to be a directory", () => {
    expect(rejection(`${block("src")}${block("src/a.ts")}`).code).toBe("soc.unsafe-path");
  });

  it("rejects oversized files, answers and file counts", () => {
    expect(rejection(block("a.ts", `${"x".repeat(100)}\n`), { maxFileBytes: 100 }).code).toBe(
      "soc.file-too-large",
    );
    expect(parseSoc(block("a.ts", `${"x".repeat(99)}\n`), { ...options, maxFileBytes: 100 }).ok).toBe(true);
    // Multi-byte characters count in UTF-8 bytes.
    expect(rejection(block("a.ts", `${"é".repeat(50)}\n`), { maxFileBytes: 100 }).code).toBe(
      "soc.file-too-large",
    );
    expect(rejection(block("a.ts"), { maxAnswerBytes: 10 }).code).toBe("soc.answer-too-large");
    expect(rejection(`${block("a")}${block("b")}${block("c")}`, { maxFiles: 2 })).toMatchObject({
      code: "soc.too-many-files",
      line: 7,
    });
  });

  it("holds the answer to the requested paths", () => {
    const expectedPaths = ["a.ts", "b.ts"];
    expect(parseSoc(`${block("b.ts")}${block("a.ts")}`, { ...options, expectedPaths }).ok).toBe(true);
    expect(rejection(`${block("a.ts")}${block("b.ts")}${block("c.ts")}`, { expectedPaths })).toMatchObject({
      code: "soc.unexpected-path",
      path: "c.ts",
      line: 7,
    });
    const missing = rejection(block("a.ts"), { expectedPaths });
    expect(missing).toMatchObject({ code: "soc.missing-path", path: "b.ts" });
    expect(missing.reason).toContain('"b.ts"');
  });

  it("parseSocOrThrow throws SocError carrying the rejection", () => {
    let caught: unknown;
    try {
      parseSocOrThrow("nope", options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SocError);
    expect((caught as SocError).rejection.code).toBe("soc.prose");
    expect((caught as SocError).message).toContain("line 1, column 1");
  });

  it("feedback names the position and the reason", () => {
    const found = rejection(`Here you go\n${block("a.ts")}`);
    const feedback = socFeedback(found);
    expect(feedback).toContain("line 1, column 1");
    expect(feedback).toContain('"Here you go"');
  });
});

describe("formatSoc", () => {
  it("adds the final newline and refuses bodies with marker lines", () => {
    expect(formatSoc([{ path: "a", content: "x", mode: 0o644 }])).toBe(
      "<<<qlf:file a>>>\nx\n<<<qlf:end>>>\n",
    );
    expect(() => formatSoc([{ path: "a", content: "ok\n<<<qlf:end>>>\n", mode: 0o644 }])).toThrow(SocError);
  });
});
