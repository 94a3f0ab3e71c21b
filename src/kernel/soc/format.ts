/**
 * Files → SOC text: the inverse of `parseSoc`. Prompts use it to show drafts in the very format the
 * model must answer in, and test servers use it to answer like a well-behaved model.
 */
import type { GeneratedFile } from "../generate/tree.js";
import { SocError } from "./errors.js";
import { SOC_CLOSE, SOC_MARKER_PREFIX, SOC_OPEN, SOC_OPEN_END } from "./grammar.js";

/**
 * Serialises files as one SOC answer. A file whose content does not end with a newline gets one
 * (the grammar has no way to say "no final newline").
 *
 * @throws SocError (`soc.unrepresentable`) when a body line starts with the reserved `<<<qlf:`.
 * @example
 * formatSoc([{ path: "a.txt", content: "hi\n", mode: 0o644 }]); // "<<<qlf:file a.txt>>>\nhi\n<<<qlf:end>>>\n"
 */
export function formatSoc(files: readonly GeneratedFile[]): string {
  return files.map(formatBlock).join("");
}

function formatBlock(file: GeneratedFile): string {
  const body = file.content.endsWith("\n") ? file.content : `${file.content}\n`;
  const bad = body.split("\n").findIndex((line) => line.startsWith(SOC_MARKER_PREFIX));
  if (bad !== -1) {
    throw new SocError({
      code: "soc.unrepresentable",
      reason: `line ${bad + 1} of "${file.path}" starts with the reserved "${SOC_MARKER_PREFIX}"`,
      line: bad + 1,
      column: 1,
      offset: 0,
      path: file.path,
    });
  }
  const mode = file.mode === 0o755 ? " mode=755" : "";
  return `${SOC_OPEN}${file.path}${mode}${SOC_OPEN_END}\n${body}${SOC_CLOSE}\n`;
}
