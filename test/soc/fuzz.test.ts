/** Property tests: the parser never throws anything but SocError, and accepts what formatSoc writes. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatSoc,
  type GeneratedFile,
  parseSoc,
  parseSocOrThrow,
  SocError,
} from "../../src/kernel/index.js";

const policy = { allowWorkflows: false };
const segment = fc.stringMatching(/^[a-z0-9_-][a-z0-9_.-]{0,10}[a-z0-9_-]$|^[a-z0-9]$/);
const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join("/"));
const bodyLine = fc
  .string({ unit: "grapheme", maxLength: 40 })
  .map((line) => line.replaceAll(/[\r\n]/g, " "))
  .filter((line) => !line.startsWith("<<<qlf:"));
const content = fc
  .array(bodyLine, { minLength: 1, maxLength: 8 })
  .map((lines) => `${lines.join("\n")}\n`)
  .filter((text) => text.trim() !== "");
const file = fc.record({ path, content, mode: fc.constantFrom(0o644 as const, 0o755 as const) });
const files = fc
  .uniqueArray(file, { minLength: 1, maxLength: 6, selector: (f) => f.path.toLowerCase() })
  // A path may not also be a directory of another path.
  .filter((list) =>
    list.every((a) => list.every((b) => !b.path.toLowerCase().startsWith(`${a.path.toLowerCase()}/`))),
  );

/** Text built from the grammar's own pieces, so the fuzzer reaches deep into the parser. */
const piece = fc.oneof(
  fc.constantFrom(
    "<<<qlf:file ",
    "<<<qlf:end>>>",
    ">>>",
    " mode=755",
    " mode=7",
    "<<<qlf:",
    "\n",
    "\r\n",
    "\r",
    "```",
    "I'm sorry",
    "../",
    ".git/",
    "/",
    "\\",
    "\u0000",
    "é",
    "\uD800",
    " ",
  ),
  fc.string({ maxLength: 12 }),
  path,
);
const soup = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(""));

function onlySocError(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SocError);
  }
}

describe("SOC parser properties", () => {
  it("round-trips any set of valid files", () => {
    fc.assert(
      fc.property(files, (list: GeneratedFile[]) => {
        expect(parseSocOrThrow(formatSoc(list), { policy })).toEqual(list);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws from parseSoc, and parseSocOrThrow throws only SocError, on arbitrary text", () => {
    fc.assert(
      fc.property(
        fc.oneof(soup, fc.string({ unit: "binary", maxLength: 300 })),
        fc.boolean(),
        (text, allow) => {
          const result = parseSoc(text, { policy: { allowWorkflows: allow }, maxFileBytes: 64, maxFiles: 3 });
          if (!result.ok) {
            expect(result.rejection.line).toBeGreaterThanOrEqual(1);
            expect(result.rejection.column).toBeGreaterThanOrEqual(1);
            expect(result.rejection.reason).not.toBe("");
          }
          onlySocError(() => parseSocOrThrow(text, { policy }));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("every accepted file has a safe path and a non-empty body, whatever the input", () => {
    fc.assert(
      fc.property(soup, (text) => {
        const result = parseSoc(text, { policy });
        if (!result.ok) return;
        for (const f of result.files) {
          expect(f.content.trim()).not.toBe("");
          expect(f.path.startsWith("/")).toBe(false);
          expect(f.path.split("/")).not.toContain("..");
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("rejects any valid answer with prose put before, after or between the blocks", () => {
    const prose = fc.stringMatching(/^[A-Za-z][A-Za-z ,.!']{0,30}$/);
    fc.assert(
      fc.property(files, prose, fc.nat(), (list, text, where) => {
        const blocks = list.map((f) => formatSoc([f]));
        blocks.splice(where % (blocks.length + 1), 0, `${text}\n`);
        const result = parseSoc(blocks.join(""), { policy });
        expect(result.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
