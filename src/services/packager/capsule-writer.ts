/**
 * Writes a capsule in one streaming pass: each file is read once, in chunks, hashed and compressed
 * as it goes, so memory stays flat whatever the tree's size. manifest.json (which needs every
 * digest) and its signature are the last two entries.
 */
import { createHash, randomBytes } from "node:crypto";
import { constants, createWriteStream } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { crc32, createDeflateRaw } from "node:zlib";
import { QlfError, UserInputError } from "../../kernel/index.js";
import { GZIP_HEADER, gzipTrailer } from "./gzip-frame.js";
import { type ManifestFile, modeString } from "./manifest.js";
import { releaseChunksPeriodically } from "./memory.js";
import { compareUtf8, EntryOrder, inLayout, MANIFEST_PATH, pathProblem, SIGNATURE_PATH } from "./paths.js";
import { BLOCK, END_OF_ARCHIVE, encodeEntryHeader, paddingFor } from "./tar-format.js";

export type EntrySource = { kind: "file"; abs: string } | { kind: "bytes"; data: Buffer };

export interface PlannedEntry {
  path: string;
  size: number;
  mode: 0o644 | 0o755;
  source: EntrySource;
}

export interface Seal {
  manifest: Buffer;
  signature?: Buffer;
}

export interface WriteOptions {
  out: string;
  /** Content entries (everything but manifest.json and signature), in any order. */
  entries: readonly PlannedEntry[];
  /** Every entry's modification time, seconds since the epoch. */
  mtime: number;
  /** zlib level 1–9. */
  level: number;
  /** Called once every content entry is written and hashed; returns manifest.json and the signature. */
  seal: (files: ManifestFile[]) => Seal;
}

export interface WrittenCapsule {
  sha256: string;
  bytes: number;
  /** Size of the tar stream inside. */
  uncompressedBytes: number;
  files: ManifestFile[];
}

const READ_CHUNK = 1024 * 1024;
const BATCH_BYTES = 1024 * 1024;
const ZERO_PAD = Buffer.alloc(BLOCK);

/** Sorts and checks the plan against the capsule's path and order rules. */
export function orderEntries(entries: readonly PlannedEntry[]): PlannedEntry[] {
  const sorted = [...entries].sort((a, b) => compareUtf8(a.path, b.path));
  const order = new EntryOrder();
  for (const entry of sorted) {
    const problem =
      pathProblem(entry.path) ?? (inLayout(entry.path) ? undefined : "outside the capsule layout");
    if (problem !== undefined)
      throw new QlfError("package.bad-entry", `cannot package ${entry.path}: ${problem}`);
    if (entry.path === MANIFEST_PATH || entry.path === SIGNATURE_PATH) {
      throw new QlfError("package.bad-entry", `${entry.path} is written by the packager itself`);
    }
    const disorder = order.admit(entry.path);
    if (disorder !== undefined) {
      throw new UserInputError("package.name-clash", `cannot package: ${disorder}`, {
        hint: "rename one of the files (capsules must unpack the same on every file system)",
      });
    }
  }
  return sorted;
}

/**
 * @example await writeCapsule({ out: "app.qlcapsule", entries, mtime: 315532800, level: 6, seal });
 */
export async function writeCapsule(options: WriteOptions): Promise<WrittenCapsule> {
  const entries = orderEntries(options.entries);
  const tmp = join(dirname(options.out), `.${basename(options.out)}.${randomBytes(6).toString("hex")}.tmp`);
  const files: ManifestFile[] = [];
  const totals = { crc: 0, bytes: 0 };
  const release = releaseChunksPeriodically();
  const batch = new Batch((chunk) => {
    totals.crc = crc32(chunk, totals.crc);
    totals.bytes += chunk.length;
    release(chunk.length);
  });

  async function* tar(): AsyncGenerator<Buffer> {
    for (const entry of entries) {
      yield* batch.push(encodeEntryHeader(entry.path, entry.size, entry.mode, options.mtime));
      const hash = createHash("sha256");
      const chunks =
        entry.source.kind === "bytes"
          ? [entry.source.data]
          : readExactly(entry.source.abs, entry.size, entry.path);
      for await (const chunk of chunks) {
        hash.update(chunk);
        yield* batch.push(chunk);
      }
      yield* batch.push(ZERO_PAD.subarray(0, paddingFor(entry.size)));
      files.push({
        path: entry.path,
        size: entry.size,
        sha256: hash.digest("hex"),
        mode: modeString(entry.mode),
      });
    }
    const seal = options.seal(files);
    const tail: Array<[string, Buffer]> = [[MANIFEST_PATH, seal.manifest]];
    if (seal.signature !== undefined) tail.push([SIGNATURE_PATH, seal.signature]);
    for (const [path, data] of tail) {
      yield* batch.push(encodeEntryHeader(path, data.length, 0o644, options.mtime));
      yield* batch.push(data);
      yield* batch.push(ZERO_PAD.subarray(0, paddingFor(data.length)));
    }
    yield* batch.push(END_OF_ARCHIVE);
    yield* batch.flush();
  }

  const fileHash = createHash("sha256");
  let written = 0;
  async function* gzipFrame(deflated: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    const pass = (chunk: Buffer): Buffer => {
      fileHash.update(chunk);
      written += chunk.length;
      return chunk;
    };
    yield pass(GZIP_HEADER);
    for await (const chunk of deflated) yield pass(chunk);
    yield pass(gzipTrailer(totals.crc, totals.bytes));
  }

  try {
    await pipeline(
      Readable.from(tar(), { objectMode: false, highWaterMark: BATCH_BYTES }),
      createDeflateRaw({ level: options.level, chunkSize: 256 * 1024 }),
      gzipFrame,
      createWriteStream(tmp, { flags: "wx", mode: 0o644 }),
    );
    await rename(tmp, options.out);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return { sha256: fileHash.digest("hex"), bytes: written, uncompressedBytes: totals.bytes, files };
}

/** Yields exactly `size` bytes of the file, failing if it is not a regular file of that size any more. */
async function* readExactly(abs: string, size: number, label: string): AsyncGenerator<Buffer> {
  const changed = (): UserInputError =>
    new UserInputError("package.file-changed", `${label} changed while it was being packaged`, {
      hint: "package again once nothing is writing to the directory",
    });
  const handle = await open(abs, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size !== size) throw changed();
    let remaining = size;
    while (remaining > 0) {
      const buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK, remaining));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) throw changed();
      remaining -= bytesRead;
      yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
    }
    const probe = await handle.read(Buffer.alloc(1), 0, 1, null);
    if (probe.bytesRead !== 0) throw changed();
  } finally {
    await handle.close();
  }
}

/** Gathers small buffers into ~1 MiB chunks: each write to the compressor costs a thread-pool hop. */
class Batch {
  #parts: Buffer[] = [];
  #bytes = 0;
  readonly #onEmit: (chunk: Buffer) => void;

  constructor(onEmit: (chunk: Buffer) => void) {
    this.#onEmit = onEmit;
  }

  *push(buffer: Buffer): Generator<Buffer> {
    if (buffer.length === 0) return;
    if (buffer.length >= BATCH_BYTES) {
      yield* this.flush();
      this.#onEmit(buffer);
      yield buffer;
      return;
    }
    this.#parts.push(buffer);
    this.#bytes += buffer.length;
    if (this.#bytes >= BATCH_BYTES) yield* this.flush();
  }

  *flush(): Generator<Buffer> {
    if (this.#bytes === 0) return;
    const chunk =
      this.#parts.length === 1 ? (this.#parts[0] as Buffer) : Buffer.concat(this.#parts, this.#bytes);
    this.#parts = [];
    this.#bytes = 0;
    this.#onEmit(chunk);
    yield chunk;
  }
}
