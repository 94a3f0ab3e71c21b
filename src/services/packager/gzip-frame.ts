/**
 * The gzip wrapper of a capsule, written and checked by qlf itself around node's raw deflate.
 *
 * zlib's own gzip header carries an OS byte that differs between platforms (3 on Unix, 10 on
 * Windows) and gzip tools may add a modification time or a file name; a capsule has exactly one
 * member with a fixed 10-byte header (no name, mtime 0, XFL 0, OS 3) and nothing after its 8-byte trailer,
 * so the same entries give the same bytes everywhere and appended bytes are detected on reading.
 */

export const GZIP_HEADER_BYTES = 10;
export const GZIP_TRAILER_BYTES = 8;

/**
 * The one header every capsule has. XFL (byte 8) is 0 whatever the level: it is only a hint, and
 * fixing it means no header byte can change without the reader noticing.
 */
export const GZIP_HEADER: Buffer = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03]);

export function gzipTrailer(crc32: number, uncompressedBytes: number): Buffer {
  const trailer = Buffer.alloc(GZIP_TRAILER_BYTES);
  trailer.writeUInt32LE(crc32 >>> 0, 0);
  trailer.writeUInt32LE(uncompressedBytes % 2 ** 32, 4);
  return trailer;
}

/** Why `header` is not a capsule's gzip header, or `undefined` when it is. */
export function gzipHeaderProblem(header: Buffer): string | undefined {
  if (header.length < GZIP_HEADER_BYTES || header[0] !== 0x1f || header[1] !== 0x8b) {
    return "not a gzip file (a capsule is a gzip-compressed tar)";
  }
  if (header[2] !== 0x08) return "gzip compression method is not deflate";
  if (header[3] !== 0)
    return "gzip header has optional fields (name, comment or extra data); a capsule has none";
  if (header.readUInt32LE(4) !== 0) return "gzip header carries a modification time; a capsule's is 0";
  if (header[8] !== 0) return "gzip header's extra-flags byte is not 0; a capsule's always is";
  if (header[9] !== 0x03) return "gzip header's OS byte is not 3; a capsule's always is";
  return undefined;
}
