/**
 * The canonical tar encoding of a capsule entry. node-tar's `Header` and `Pax` do the encoding (octal
 * and base-256 numbers, the ustar prefix split, pax records, checksums); this module fixes every
 * field a tar header could vary in, so one (path, size, mode, mtime) has exactly one encoding.
 *
 * Writing and reading both go through `encodeEntryHeader`: the reader re-encodes every header it
 * decodes and compares the bytes, so any header byte that differs from the canonical form (an owner,
 * a stray link name, a device number, non-zero padding) is detected, not just the file contents.
 */
import { Header, Pax } from "tar";

export const BLOCK = 512;
/** The end of a capsule's tar stream: two zero blocks and nothing after them. */
export const END_OF_ARCHIVE = Buffer.alloc(BLOCK * 2);

/**
 * The header bytes of a regular-file entry: one ustar block, preceded by a pax extended header
 * holding only the path when the path does not fit ustar (too long to split, or not ASCII).
 * Owner is uid/gid 0 with empty names, no link name, no device numbers, no atime/ctime.
 *
 * @example encodeEntryHeader("source/index.js", 120, 0o644, 315532800).length // → 512
 */
export function encodeEntryHeader(path: string, size: number, mode: number, mtimeSeconds: number): Buffer {
  const fields = {
    mode,
    uid: 0,
    gid: 0,
    size,
    mtime: new Date(mtimeSeconds * 1000),
    type: "File" as const,
    uname: "",
    gname: "",
    devmaj: 0,
    devmin: 0,
  };
  const block = Buffer.alloc(BLOCK);
  if (!new Header({ ...fields, path }).encode(block)) return block;
  // The pax record carries the real path. The ustar name gets a short ASCII stand-in with no
  // prefix field: node-tar's decoder prepends a ustar prefix even to a pax path, and readers that
  // ignore pax should not see a mangled split of the real one.
  const standIn = path.replace(/[^\x20-\x7e]/g, "_").slice(-99);
  const plain = Buffer.alloc(BLOCK);
  new Header({ ...fields, path: standIn }).encode(plain);
  return Buffer.concat([new Pax({ path }).encode(), plain]);
}

/** Zero bytes that bring `size` up to a whole number of blocks. */
export function paddingFor(size: number): number {
  const rest = size % BLOCK;
  return rest === 0 ? 0 : BLOCK - rest;
}
