import { readFile, stat } from "node:fs/promises";
import { MAX_BRIEF_BYTES, UserInputError } from "../kernel/index.js";

export interface BriefInput {
  /** The brief as an argument; `-` reads standard input. */
  brief?: string | undefined;
  /** `-f FILE`: read the brief from a file (`-` for standard input). */
  file?: string | undefined;
}

/**
 * Reads the brief from exactly one source. Size is checked before reading a file, so a huge file
 * is refused without being loaded; the kernel checks content (empty, binary) itself.
 */
export async function readBrief(
  input: BriefInput,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<string> {
  if (input.brief !== undefined && input.file !== undefined) {
    throw new UserInputError(
      "brief.two-sources",
      "give the brief either as an argument or with -f FILE, not both",
    );
  }
  const source = input.file ?? input.brief;
  if (source === undefined) {
    throw new UserInputError("brief.missing", "no brief given", {
      hint: 'pass it in quotes (qlf compile "Clinic API: patients book appointments"), with -f FILE, or - for stdin',
    });
  }
  if (source === "-") return readStream(stdin);
  if (input.file === undefined) return source;
  try {
    const info = await stat(input.file);
    if (!info.isFile()) throw new UserInputError("brief.not-a-file", `${input.file} is not a file`);
    if (info.size > MAX_BRIEF_BYTES) {
      throw new UserInputError(
        "brief.too-large",
        `${input.file} is ${info.size} bytes; the limit is ${MAX_BRIEF_BYTES} bytes (64 KiB)`,
      );
    }
    return await readFile(input.file, "utf8");
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserInputError(
      "brief.unreadable",
      `cannot read ${input.file}: ${code === "ENOENT" ? "no such file" : (code ?? String(error))}`,
    );
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_BRIEF_BYTES) {
      throw new UserInputError(
        "brief.too-large",
        `the brief on standard input exceeds ${MAX_BRIEF_BYTES} bytes (64 KiB)`,
      );
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
