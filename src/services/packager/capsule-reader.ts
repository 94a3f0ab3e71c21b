/**
 * Reads a capsule as untrusted input, in one streaming pass, in constant memory (apart from the
 * list of entries and the JSON entries it is asked to keep).
 *
 * Everything that is not exactly what `createCapsule` writes is refused before any of its data is
 * handed on: link entries of every kind, devices, FIFOs, directories, GNU and global pax headers,
 * unsafe or colliding paths, paths outside the layout, headers that differ in any byte from the
 * canonical encoding, non-zero padding, data after the end of the archive or of the gzip member,
 * and archives over the size, count or compression-ratio limits. node-tar's `Header` and `Pax`
 * decode the headers; the framing around them is fixed by the format, so checking it here is what
 * lets any changed byte of the tar stream be noticed.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { crc32, createInflateRaw } from "node:zlib";
import { Header, type HeaderData, Pax } from "tar";
import { UserInputError } from "../../kernel/index.js";
import { GZIP_HEADER_BYTES, GZIP_TRAILER_BYTES, gzipHeaderProblem } from "./gzip-frame.js";
import { type CapsuleLimits, resolveLimits } from "./limits.js";
import { releaseChunksPeriodically } from "./memory.js";
import { EntryOrder, inLayout, MANIFEST_PATH, pathProblem, SIGNATURE_PATH, show } from "./paths.js";
import { BLOCK, encodeEntryHeader, paddingFor } from "./tar-format.js";

/** A capsule that must not be trusted or unpacked: hostile, corrupt, or over a limit. Exit code 1. */
export class CapsuleRejected extends UserInputError {
  constructor(message: string, hint?: string) {
    super("capsule.rejected", message, hint === undefined ? {} : { hint });
  }
}

export interface EntryInfo {
  path: string;
  size: number;
  mode: number;
  /** Seconds since the epoch. */
  mtime: number;
}

export interface CapsuleEntry extends EntryInfo {
  sha256: string;
}

/** Receives each entry's data; whatever it does not read is read (and hashed) after it returns. */
export type EntryVisitor = (entry: EntryInfo, body: AsyncIterable<Buffer>) => Promise<void>;

export interface ReadOptions {
  limits?: Partial<CapsuleLimits>;
  visit?: EntryVisitor;
  /** Entries to keep in memory besides manifest.json and signature (when within the parse limit). */
  keep?: (path: string) => boolean;
}

export interface ReadResult {
  /** Every entry, in archive order. */
  entries: CapsuleEntry[];
  /** The bytes of manifest.json, signature and the entries asked for. */
  bodies: Map<string, Buffer>;
  compressedBytes: number;
  uncompressedBytes: number;
  /** sha256 of the capsule file itself. */
  sha256: string;
}

const MAX_PAX_BYTES = 64 * 1024;
const MAX_SIGNATURE_BYTES = 16 * 1024;
const READ_CHUNK = 256 * 1024;

/**
 * Reads and checks a whole capsule. Throws `CapsuleRejected` with a message naming the entry for
 * anything hostile, corrupt or over a limit; content digests are returned for the caller to compare
 * with the manifest (`verifyCapsule` does).
 *
 * @example const { entries, bodies } = await readCapsule("app-1.0.0.qlcapsule");
 */
export async function readCapsule(file: string, options: ReadOptions = {}): Promise<ReadResult> {
  const limits = resolveLimits(options.limits);
  const fileSize = await capsuleSize(file);
  const fileHash = createHash("sha256").update(await checkGzipHeader(file));

  const inflate = createInflateRaw({ chunkSize: 64 * 1024 });
  const input = createReadStream(file, { start: GZIP_HEADER_BYTES, highWaterMark: READ_CHUNK });
  input.on("data", (chunk) => fileHash.update(chunk));
  const piping = pipeline(input, inflate);
  piping.catch(() => undefined); // its error also surfaces through the iterator below

  const state = { crc: 0, out: 0, current: "the first entry" };
  const release = releaseChunksPeriodically();
  const source = new ByteSource(inflate, (chunk) => {
    state.crc = crc32(chunk, state.crc);
    state.out += chunk.length;
    release(chunk.length);
    if (
      state.out > limits.ratioGraceBytes &&
      state.out / Math.max(1, inflate.bytesWritten) > limits.maxRatio
    ) {
      throw new CapsuleRejected(
        `decompression ratio over ${limits.maxRatio}:1 while reading ${state.current} (a decompression bomb?)`,
        "if this capsule is genuine, raise the limit with --max-ratio",
      );
    }
  });

  try {
    const result = await readEntries(source, limits, options, state);
    await piping;
    await checkGzipTrailer(file, fileSize, inflate.bytesWritten, state.crc, state.out);
    return {
      ...result,
      compressedBytes: fileSize,
      uncompressedBytes: state.out,
      sha256: fileHash.digest("hex"),
    };
  } catch (error) {
    input.destroy();
    inflate.destroy();
    if (error instanceof CapsuleRejected) throw error;
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("Z_")) {
      const what = code === "Z_BUF_ERROR" ? "is truncated" : `has corrupt compressed data (${code})`;
      throw new CapsuleRejected(`the capsule ${what} while reading ${state.current}`);
    }
    throw error;
  }
}

async function capsuleSize(file: string): Promise<number> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new UserInputError("capsule.not-file", `${file} is not a file`);
    return info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new UserInputError("capsule.not-found", `no capsule at ${file}`, { hint: "check the path" });
    }
    throw error;
  }
}

async function checkGzipHeader(file: string): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const header = Buffer.alloc(GZIP_HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, GZIP_HEADER_BYTES, 0);
    const problem = gzipHeaderProblem(header.subarray(0, bytesRead));
    if (problem !== undefined) throw new CapsuleRejected(problem);
    return header;
  } finally {
    await handle.close();
  }
}

async function checkGzipTrailer(
  file: string,
  fileSize: number,
  deflateBytes: number,
  crc: number,
  uncompressed: number,
): Promise<void> {
  const offset = GZIP_HEADER_BYTES + deflateBytes;
  const extra = fileSize - offset - GZIP_TRAILER_BYTES;
  if (extra < 0) throw new CapsuleRejected("the capsule is truncated: the gzip trailer is missing");
  if (extra > 0) throw new CapsuleRejected(`${extra} unexpected bytes after the end of the compressed data`);
  const handle = await open(file, "r");
  try {
    const trailer = Buffer.alloc(GZIP_TRAILER_BYTES);
    await handle.read(trailer, 0, GZIP_TRAILER_BYTES, offset);
    if (trailer.readUInt32LE(0) !== crc >>> 0)
      throw new CapsuleRejected("gzip CRC-32 does not match the data");
    if (trailer.readUInt32LE(4) !== uncompressed % 2 ** 32) {
      throw new CapsuleRejected("gzip length field does not match the data");
    }
  } finally {
    await handle.close();
  }
}

interface Progress {
  current: string;
}

async function readEntries(
  source: ByteSource,
  limits: CapsuleLimits,
  options: ReadOptions,
  progress: Progress,
): Promise<Pick<ReadResult, "entries" | "bodies">> {
  const entries: CapsuleEntry[] = [];
  const bodies = new Map<string, Buffer>();
  const order = new EntryOrder();
  let total = 0;
  let pax: { raw: Buffer; ex: HeaderData } | undefined;

  for (;;) {
    const block = await source.exact(BLOCK, "the end-of-archive marker is missing");
    if (isZero(block)) {
      if (pax !== undefined)
        throw new CapsuleRejected(`a pax header is not followed by an entry (${progress.current})`);
      const second = await source.exact(BLOCK, "the end-of-archive marker is incomplete");
      if (!isZero(second)) throw new CapsuleRejected(`a stray zero block after ${progress.current}`);
      if (!(await source.atEnd())) throw new CapsuleRejected("data after the end of the archive");
      return { entries, bodies };
    }

    let header: Header;
    try {
      header = new Header(block, 0, pax?.ex);
    } catch (error) {
      // node-tar throws on fields it cannot decode at all (e.g. a broken base-256 number)
      throw new CapsuleRejected(
        `unreadable tar header after ${progress.current}: ${(error as Error).message}`,
      );
    }
    if (!header.cksumValid) throw new CapsuleRejected(`header checksum mismatch after ${progress.current}`);
    if (header.typeKey === "x") {
      if (pax !== undefined) throw new CapsuleRejected(`two pax headers in a row after ${progress.current}`);
      const size = header.size ?? -1;
      if (size < 0 || size > MAX_PAX_BYTES) throw new CapsuleRejected(`pax header of ${size} bytes refused`);
      const body = await source.exact(
        size + paddingFor(size),
        "the capsule is truncated inside a pax header",
      );
      pax = { raw: Buffer.concat([block, body]), ex: Pax.parse(body.subarray(0, size).toString("utf8")) };
      continue;
    }

    const path = header.path ?? "";
    refuseEntryType(header, path);
    const unsafe = pathProblem(path);
    if (unsafe !== undefined) throw new CapsuleRejected(`unsafe entry path ${show(path)}: ${unsafe}`);
    if (!inLayout(path)) {
      throw new CapsuleRejected(
        `entry ${show(path)} is outside the capsule layout (manifest.json, signature, sbom.cdx.json, source/, artifacts/, manifests/, docs/)`,
      );
    }
    const size = header.size ?? -1;
    const mode = header.mode ?? -1;
    const mtime = (header.mtime?.getTime() ?? Number.NaN) / 1000;
    if (mode !== 0o644 && mode !== 0o755) {
      throw new CapsuleRejected(
        `entry ${show(path)} has mode ${mode.toString(8)}; capsule files are 0644 or 0755`,
      );
    }
    if (!Number.isSafeInteger(size) || size < 0 || !Number.isInteger(mtime)) {
      throw new CapsuleRejected(`entry ${show(path)} has an invalid size or time`);
    }
    const raw = pax === undefined ? block : Buffer.concat([pax.raw, block]);
    if (!encodeEntryHeader(path, size, mode, mtime).equals(raw)) {
      throw new CapsuleRejected(`the header of ${show(path)} differs from the canonical capsule encoding`);
    }
    pax = undefined;

    if (entries.length + 1 > limits.maxEntries) {
      throw new CapsuleRejected(
        `more than ${limits.maxEntries} entries`,
        "raise the limit with --max-entries",
      );
    }
    if (size > limits.maxEntryBytes) {
      throw new CapsuleRejected(
        `entry ${show(path)} is ${size} bytes, over the ${limits.maxEntryBytes}-byte limit per file`,
        "raise the limit with --max-file-size",
      );
    }
    total += size;
    if (total > limits.maxTotalBytes) {
      throw new CapsuleRejected(
        `entries add up to more than ${limits.maxTotalBytes} bytes`,
        "raise the limit with --max-total-size",
      );
    }
    const disorder = order.admit(path);
    if (disorder !== undefined) throw new CapsuleRejected(disorder);
    if (path === SIGNATURE_PATH && size > MAX_SIGNATURE_BYTES)
      throw new CapsuleRejected("signature is too large");
    if (path === MANIFEST_PATH && size > limits.maxParsedEntryBytes) {
      throw new CapsuleRejected(
        `manifest.json is ${size} bytes, over the ${limits.maxParsedEntryBytes}-byte limit`,
      );
    }

    progress.current = show(path);
    const info: EntryInfo = { path, size, mode, mtime };
    const keep =
      path === MANIFEST_PATH ||
      path === SIGNATURE_PATH ||
      (options.keep?.(path) === true && size <= limits.maxParsedEntryBytes);
    const sha256 = await readBody(source, info, options.visit, keep ? bodies : undefined);
    entries.push({ ...info, sha256 });

    const padding = await source.exact(paddingFor(size), `the capsule is truncated after ${show(path)}`);
    if (!isZero(padding)) throw new CapsuleRejected(`non-zero padding after ${show(path)}`);
  }
}

async function readBody(
  source: ByteSource,
  info: EntryInfo,
  visit: EntryVisitor | undefined,
  bodies: Map<string, Buffer> | undefined,
): Promise<string> {
  const hash = createHash("sha256");
  const kept: Buffer[] = [];
  let remaining = info.size;
  const next = async (): Promise<Buffer | undefined> => {
    if (remaining === 0) return undefined;
    const chunk = await source.upTo(remaining, `the capsule is truncated inside ${show(info.path)}`);
    remaining -= chunk.length;
    hash.update(chunk);
    if (bodies !== undefined) kept.push(chunk);
    return chunk;
  };
  if (visit !== undefined) {
    const body: AsyncIterable<Buffer> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          const chunk = await next();
          return chunk === undefined ? { done: true, value: undefined } : { done: false, value: chunk };
        },
      }),
    };
    await visit(info, body);
  }
  while ((await next()) !== undefined) {
    // drain what the visitor left, so the digest covers every byte
  }
  if (bodies !== undefined) bodies.set(info.path, Buffer.concat(kept));
  return hash.digest("hex");
}

function refuseEntryType(header: Header, path: string): void {
  const type = header.type;
  if (header.typeKey === "0") return;
  const link = header.linkpath === undefined || header.linkpath === "" ? "" : ` → ${show(header.linkpath)}`;
  const reasons: Record<string, string> = {
    SymbolicLink: `symbolic link ${show(path)}${link}: links are refused (a capsule holds regular files only)`,
    Link: `hard link ${show(path)}${link}: links are refused (a capsule holds regular files only)`,
    Directory: `directory entry ${show(path)}: a capsule holds regular files only`,
    CharacterDevice: `character device ${show(path)}: device entries are refused`,
    BlockDevice: `block device ${show(path)}: device entries are refused`,
    FIFO: `FIFO ${show(path)}: special files are refused`,
    GlobalExtendedHeader: "global pax header: refused (it would change how later entries are read)",
    NextFileHasLongPath: "GNU long-name header: refused (capsules use pax for long names)",
    NextFileHasLongLinkpath: "GNU long-link header: refused (links are not allowed)",
  };
  throw new CapsuleRejected(
    reasons[type] ?? `entry ${show(path)} of unsupported type ${JSON.stringify(type)}`,
  );
}

/** A pull-based reader of exact byte counts over a stream of chunks. */
class ByteSource {
  readonly #iterator: AsyncIterator<Buffer>;
  readonly #onChunk: (chunk: Buffer) => void;
  #pending: Buffer = Buffer.alloc(0);
  #ended = false;

  constructor(stream: AsyncIterable<Buffer>, onChunk: (chunk: Buffer) => void) {
    this.#iterator = stream[Symbol.asyncIterator]();
    this.#onChunk = onChunk;
  }

  async #pull(): Promise<boolean> {
    if (this.#ended) return false;
    const next = await this.#iterator.next();
    if (next.done === true) {
      this.#ended = true;
      return false;
    }
    this.#onChunk(next.value);
    this.#pending = this.#pending.length === 0 ? next.value : Buffer.concat([this.#pending, next.value]);
    return true;
  }

  /** Exactly `n` bytes, or a rejection saying `truncated`. */
  async exact(n: number, truncated: string): Promise<Buffer> {
    while (this.#pending.length < n) {
      if (!(await this.#pull())) throw new CapsuleRejected(truncated);
    }
    const out = this.#pending.subarray(0, n);
    this.#pending = this.#pending.subarray(n);
    return out;
  }

  /** Between 1 and `n` bytes. */
  async upTo(n: number, truncated: string): Promise<Buffer> {
    if (this.#pending.length === 0 && !(await this.#pull())) throw new CapsuleRejected(truncated);
    const out = this.#pending.subarray(0, Math.min(n, this.#pending.length));
    this.#pending = this.#pending.subarray(out.length);
    return out;
  }

  async atEnd(): Promise<boolean> {
    if (this.#pending.length > 0) return false;
    while (await this.#pull()) {
      if (this.#pending.length > 0) return false;
    }
    return true;
  }
}

function isZero(buffer: Buffer): boolean {
  for (const byte of buffer) if (byte !== 0) return false;
  return true;
}
