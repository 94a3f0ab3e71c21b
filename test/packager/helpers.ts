/**
 * Shared by the packager tests: fixture copies in temp directories, and tar/gzip builders that make
 * capsules (honest or hostile) in memory, byte by byte.
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, deflateRawSync, inflateRawSync } from "node:zlib";
import { Header, type HeaderData } from "tar";
import { afterAll } from "vitest";
import { GZIP_HEADER, gzipTrailer } from "../../src/services/packager/gzip-frame.js";
import { BLOCK, encodeEntryHeader, paddingFor } from "../../src/services/packager/tar-format.js";
import { REPO_ROOT } from "../helpers/cli.js";

export const FIXTURES = join(REPO_ROOT, "test", "fixtures", "capsule");
export const DEFAULT_MTIME = Date.UTC(1980, 0, 1) / 1000;

const made: string[] = [];
afterAll(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A new empty directory, removed after the test file. */
export async function tempDir(prefix = "qlf-packager-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A copy of test/fixtures/capsule/NAME in a new temp directory (outside any Git work tree). */
export async function copyFixture(name: string): Promise<string> {
  const dest = join(await tempDir(), name);
  await cp(join(FIXTURES, name), dest, { recursive: true });
  return dest;
}

export interface TarEntry {
  path: string;
  data: Buffer;
  mode?: number;
  mtime?: number;
}

/** One regular-file entry in canonical form. */
export function fileEntry(entry: TarEntry): Buffer {
  const header = encodeEntryHeader(
    entry.path,
    entry.data.length,
    entry.mode ?? 0o644,
    entry.mtime ?? DEFAULT_MTIME,
  );
  return Buffer.concat([header, entry.data, Buffer.alloc(paddingFor(entry.data.length))]);
}

/** A raw header block with whatever fields a test wants (node-tar encodes it, checksum included). */
export function rawHeader(fields: HeaderData): Buffer {
  const block = Buffer.alloc(BLOCK);
  new Header({
    uid: 0,
    gid: 0,
    mode: 0o644,
    size: 0,
    mtime: new Date(DEFAULT_MTIME * 1000),
    uname: "",
    gname: "",
    ...fields,
  }).encode(block);
  return block;
}

/** A whole tar stream: the given parts, then the end-of-archive marker. */
export function tarOf(parts: Buffer[]): Buffer {
  return Buffer.concat([...parts, Buffer.alloc(BLOCK * 2)]);
}

/** Wraps a tar stream in a capsule's gzip frame (fixed header, raw deflate, CRC-32 and length). */
export function frame(tar: Buffer, level = 6): Buffer {
  return Buffer.concat([GZIP_HEADER, deflateRawSync(tar, { level }), gzipTrailer(crc32(tar), tar.length)]);
}

/** The tar stream inside a capsule. */
export function unframe(capsule: Buffer): Buffer {
  return inflateRawSync(capsule.subarray(10, capsule.length - 8));
}

export interface ParsedEntry {
  path: string;
  mode: number;
  mtime: number;
  data: Buffer;
}

/** Splits a canonical tar stream into its entries (pax path headers folded in). */
export function parseTar(tar: Buffer): ParsedEntry[] {
  const out: ParsedEntry[] = [];
  let offset = 0;
  let paxPath: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const block = tar.subarray(offset, offset + BLOCK);
    if (block.every((b) => b === 0)) break;
    const header = new Header(block, 0, paxPath === undefined ? undefined : { path: paxPath });
    const size = header.size ?? 0;
    const data = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    offset += BLOCK + size + paddingFor(size);
    if (header.typeKey === "x") {
      paxPath = /\d+ path=(.*)\n/.exec(data.toString("utf8"))?.[1];
      continue;
    }
    paxPath = undefined;
    out.push({
      path: header.path ?? "",
      mode: header.mode ?? 0,
      mtime: (header.mtime?.getTime() ?? 0) / 1000,
      data: Buffer.from(data),
    });
  }
  return out;
}

/** Rebuilds a capsule from entries (in the order given). */
export function buildCapsule(entries: ParsedEntry[]): Buffer {
  return frame(tarOf(entries.map((e) => fileEntry(e))));
}

/** Rebuilds a capsule in canonical order: content sorted by UTF-8 bytes, then manifest.json, then signature. */
export function rebuildSorted(entries: ParsedEntry[]): Buffer {
  const rank = (p: string): number => (p === "manifest.json" ? 1 : p === "signature" ? 2 : 0);
  const sorted = [...entries].sort(
    (a, b) => rank(a.path) - rank(b.path) || Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)),
  );
  return buildCapsule(sorted);
}
