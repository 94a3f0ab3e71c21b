/**
 * The strict output contract (SOC): the one format in which a model may answer a generation
 * request. An answer is a sequence of file blocks and nothing else:
 *
 * ```
 * <<<qlf:file src/app.ts>>>
 * export const app = 1;
 * <<<qlf:end>>>
 * ```
 *
 * The full grammar, as ABNF, is in docs/soc.md; `SOC_GRAMMAR` below is the same text, embedded in
 * every generation prompt so that the model is told exactly what the parser accepts.
 */

/** Every marker line starts with this; a body line may not (so a body can never close a block early). */
export const SOC_MARKER_PREFIX = "<<<qlf:";
export const SOC_OPEN = "<<<qlf:file ";
export const SOC_OPEN_END = ">>>";
export const SOC_CLOSE = "<<<qlf:end>>>";

/** The grammar as ABNF (RFC 5234), exactly as in docs/soc.md. */
export const SOC_GRAMMAR = `answer      = *blank-line file-block *( *blank-line file-block ) *blank-line
file-block  = open-line body close-line
open-line   = "<<<qlf:file " path [ " mode=" mode ] ">>>" LF
close-line  = "<<<qlf:end>>>" [ LF ]          ; the LF may be omitted only at the very end
body        = 1*body-line                     ; at least one line, not all blank
body-line   = [ first-char *line-char ] LF    ; must not start with "<<<qlf:"
first-char  = %x09 / %x20-10FFFF
line-char   = %x09 / %x0D / %x20-10FFFF
path        = segment *( "/" segment )        ; relative POSIX path, see the path rules
segment     = 1*120path-char
path-char   = %x20-2E / %x30-5B / %x5D-10FFFF ; no "/", no "\\", no control characters
mode        = "644" / "755"
blank-line  = *( SP / HTAB ) LF`;
