/**
 * Hostile archives, built byte by byte in memory (the way node-tar's own advisories come with
 * regression tests), must be refused by extract before anything lands outside the destination, and
 * whatever was written before the refusal must be gone afterwards.
 */
import { execFileSync } from "node:child_process";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Pax } from "tar";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createCapsule,
  extractCapsule,
  generateSigningKeyPair,
  loadPublicKey,
  loadSigningKey,
} from "../../src/services/packager/index.js";
import { encodeEntryHeader } from "../../src/services/packager/tar-format.js";
import {
  copyFixture,
  DEFAULT_MTIME,
  fileEntry,
  frame,
  parseTar,
  rawHeader,
  rebuildSorted,
  tarOf,
  tempDir,
  unframe,
} from "./helpers.js";

let work: string;
let counter = 0;
const innocent = fileEntry({ path: "artifacts/a.txt", data: Buffer.from("written first\n") });

async function extractBytes(bytes: Buffer, options: Parameters<typeof extractCapsule>[2] = {}) {
  counter += 1;
  const box = join(work, `box${counter}`);
  await mkdir(box);
  const file = join(box, "capsule.qlcapsule");
  await writeFile(file, bytes);
  const dest = join(box, "out");
  const report = await extractCapsule(file, dest, options);
  const left = await readdir(dest).catch(() => [] as string[]);
  const box_ = await readdir(box);
  return { report, left, box: box_, dest };
}

/** A pax extended header (node-tar's encoder) carrying `fields`. */
function pax(fields: ConstructorParameters<typeof Pax>[0]): Buffer {
  return new Pax(fields).encode();
}

beforeAll(async () => {
  work = await tempDir();
});

describe("qlf capsule extract refuses hostile archives", () => {
  const cases: Array<[string, Buffer[], RegExp]> = [
    [
      "a symlink escaping the destination (CVE-2026-23745 shape)",
      [
        innocent,
        rawHeader({ path: "source/link", type: "SymbolicLink", linkpath: "../../../../etc/passwd" }),
      ],
      /symbolic link "source\/link" → "\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd": links are refused/,
    ],
    [
      "a hard link to an absolute path (CVE-2026-23745 shape)",
      [innocent, rawHeader({ path: "source/hard", type: "Link", linkpath: "/etc/passwd" })],
      /hard link "source\/hard" → "\/etc\/passwd"/,
    ],
    [
      "a symlink-then-hardlink escape chain (CVE-2026-26960 shape)",
      [
        rawHeader({ path: "source/a", type: "SymbolicLink", linkpath: ".." }),
        rawHeader({ path: "source/b", type: "Link", linkpath: "source/a/../../outside.txt" }),
      ],
      /symbolic link "source\/a" → "\.\."/,
    ],
    [
      "a drive-relative symlink target (CVE-2026-31802 shape)",
      [rawHeader({ path: "source/c", type: "SymbolicLink", linkpath: "C:../../../target.txt" })],
      /symbolic link "source\/c" → "C:\.\.\/\.\.\/\.\.\/target\.txt"/,
    ],
    [
      "a directory entry before a hard link (CVE-2026-23745 proof of concept)",
      [
        rawHeader({ path: "source/d/", type: "Directory" }),
        rawHeader({ path: "source/d/x", type: "Link", linkpath: "../secret.txt" }),
      ],
      /directory entry "source\/d\/"/,
    ],
    [
      "a `..` path",
      [innocent, fileEntry({ path: "source/../../evil.txt", data: Buffer.from("x") })],
      /`\.\.` segment/,
    ],
    [
      "`..` after normalisation",
      [fileEntry({ path: "source/./../../evil.txt", data: Buffer.from("x") })],
      /`\.` segment/,
    ],
    ["an absolute path", [fileEntry({ path: "/tmp/qlf-evil.txt", data: Buffer.from("x") })], /absolute path/],
    [
      "a drive-letter path",
      [fileEntry({ path: "C:\\evil.txt", data: Buffer.from("x") })],
      /drive-letter path/,
    ],
    [
      "a drive-relative path",
      [fileEntry({ path: "C:evil.txt", data: Buffer.from("x") })],
      /drive-letter path/,
    ],
    [
      "Windows separators",
      [fileEntry({ path: "source\\..\\..\\evil.txt", data: Buffer.from("x") })],
      /backslash/,
    ],
    [
      "a path in NFD (decomposed Unicode)",
      [fileEntry({ path: "source/cafe\u0301.txt", data: Buffer.from("x") })],
      /not in Unicode NFC/,
    ],
    [
      "ß and ss colliding on case-insensitive file systems (CVE-2026-23950 shape)",
      [
        fileEntry({ path: "source/strasse.txt", data: Buffer.from("1") }),
        fileEntry({ path: "source/straße.txt", data: Buffer.from("2") }),
      ],
      /"source\/straße\.txt" and "source\/strasse\.txt" would be the same file/,
    ],
    [
      "names differing only in case",
      [
        fileEntry({ path: "source/A.txt", data: Buffer.from("1") }),
        fileEntry({ path: "source/a.txt", data: Buffer.from("2") }),
      ],
      /would be the same file/,
    ],
    [
      "a trailing dot that Windows drops",
      [
        fileEntry({ path: "source/a", data: Buffer.from("1") }),
        fileEntry({ path: "source/a.", data: Buffer.from("2") }),
      ],
      /would be the same file/,
    ],
    [
      "a file used as a directory",
      [
        fileEntry({ path: "source/x", data: Buffer.from("1") }),
        fileEntry({ path: "source/x/y", data: Buffer.from("2") }),
      ],
      /would be inside the file "source\/x"/,
    ],
    [
      "a duplicate entry (a second copy overwriting the first)",
      [
        fileEntry({ path: "source/x", data: Buffer.from("1") }),
        fileEntry({ path: "source/x", data: Buffer.from("2") }),
      ],
      /duplicate entry/,
    ],
    [
      "a bidirectional-override character in a name",
      [fileEntry({ path: "source/invoice\u202etxt.exe", data: Buffer.from("x") })],
      /control or bidirectional-override/,
    ],
    [
      "a character device",
      [rawHeader({ path: "source/tty", type: "CharacterDevice", devmaj: 4, devmin: 1 })],
      /character device/,
    ],
    [
      "a block device",
      [rawHeader({ path: "source/sda", type: "BlockDevice", devmaj: 8, devmin: 0 })],
      /block device/,
    ],
    ["a FIFO", [rawHeader({ path: "source/fifo", type: "FIFO" })], /FIFO "source\/fifo"/],
    [
      "a GNU long-name header",
      [rawHeader({ path: "././@LongLink", type: "NextFileHasLongPath", size: 0 })],
      /GNU long-name header/,
    ],
    ["a global pax header", [globalPax()], /global pax header/],
    [
      "a pax path override escaping through an innocent-looking header",
      [pax({ path: "../../evil.txt" }), encodeEntryHeader("source/ok.txt", 0, 0o644, DEFAULT_MTIME)],
      /unsafe entry path "\.\.\/\.\.\/evil\.txt"/,
    ],
    [
      "a pax header carrying a link name",
      [
        pax({ path: "source/p.txt", linkpath: "/etc/passwd" }),
        encodeEntryHeader("source/p.txt", 0, 0o644, DEFAULT_MTIME),
      ],
      /differs from the canonical capsule encoding/,
    ],
    [
      "a size field with a broken base-256 number",
      [
        (() => {
          const block = rawHeader({ path: "source/n.bin", size: 0 });
          block[124] = 0x81; // the high bit says base-256, but 0x81 is neither 0x80 (positive) nor 0xff
          return block;
        })(),
      ],
      /unreadable tar header after the first entry: invalid base256 encoding/,
    ],
    [
      "an entry outside the capsule layout",
      [fileEntry({ path: "evil.sh", data: Buffer.from("x") })],
      /outside the capsule layout/,
    ],
    [
      "an owner other than root",
      [rawHeader({ path: "source/u.txt", uid: 1000, size: 0 })],
      /differs from the canonical/,
    ],
    ["a setuid mode", [rawHeader({ path: "source/s", mode: 0o4755, size: 0 })], /mode 4755/],
  ];

  it.each(cases)("%s", async (_name, parts, reason) => {
    const { report, left, box } = await extractBytes(frame(tarOf(parts)));
    expect(report.ok).toBe(false);
    expect(report.problems[0]?.kind).toBe("rejected");
    expect(report.problems[0]?.message).toMatch(reason);
    expect(report.files).toBe(0);
    expect(left).toEqual([]); // the destination was created for this run and is gone again
    expect(box).toEqual(["capsule.qlcapsule"]); // nothing beside it either
  });

  it("refuses a decompression bomb by ratio, and removes what it had started writing", async () => {
    const bomb = frame(
      tarOf([fileEntry({ path: "source/zeros.bin", data: Buffer.alloc(64 * 1024 * 1024) })]),
      9,
    );
    expect(bomb.length).toBeLessThan(200 * 1024);
    const { report, left } = await extractBytes(bomb);
    expect(report.ok).toBe(false);
    expect(report.problems[0]?.message).toMatch(
      /decompression ratio over 200:1 while reading "source\/zeros\.bin"/,
    );
    expect(left).toEqual([]);
  });

  it("refuses entries over the size and count limits before reading their data", async () => {
    const big = frame(tarOf([encodeEntryHeader("source/huge.bin", 100 * 1024 ** 3, 0o644, DEFAULT_MTIME)]));
    const huge = await extractBytes(big);
    expect(huge.report.problems[0]?.message).toMatch(
      /"source\/huge\.bin" is 107374182400 bytes, over the 4294967296-byte limit/,
    );

    const many = frame(
      tarOf(
        Array.from({ length: 11 }, (_, i) =>
          fileEntry({ path: `source/f${String(i).padStart(2, "0")}`, data: Buffer.from("x") }),
        ),
      ),
    );
    const count = await extractBytes(many, { limits: { maxEntries: 10 } });
    expect(count.report.problems[0]?.message).toMatch(/more than 10 entries/);

    const total = await extractBytes(many, { limits: { maxTotalBytes: 5 } });
    expect(total.report.problems[0]?.message).toMatch(/more than 5 bytes/);
    expect(total.left).toEqual([]);
  });

  it("refuses archives made by other tools and archives with trailing data", async () => {
    const src = await tempDir();
    await writeFile(join(src, "a.txt"), "hello");
    const plain = join(src, "plain.tgz");
    execFileSync("tar", ["-czf", plain, "-C", src, "a.txt"]);
    const gnu = await extractBytes(await readFile(plain));
    expect(gnu.report.ok).toBe(false);
    expect(gnu.left).toEqual([]);

    const trailing = await extractBytes(Buffer.concat([frame(tarOf([innocent])), Buffer.from("tail")]));
    expect(trailing.report.problems[0]?.message).toMatch(
      /unexpected bytes after the end of the compressed data/,
    );
    const afterEnd = await extractBytes(frame(Buffer.concat([tarOf([innocent]), innocent])));
    expect(afterEnd.report.problems[0]?.message).toMatch(/data after the end of the archive/);
  });
});

describe("qlf capsule extract", () => {
  let capsule: Buffer;
  let source: string;
  let publicPem: string;

  beforeAll(async () => {
    source = await copyFixture("npm-app");
    const pair = generateSigningKeyPair("ecdsa");
    publicPem = pair.publicPem;
    const out = join(work, "good.qlcapsule");
    await createCapsule({
      dir: source,
      name: "patient-api",
      version: "1.2.0",
      out,
      generatorVersion: "0.0.0-test",
      scan: false,
      signingKey: loadSigningKey(pair.privatePem, "k"),
    });
    capsule = await readFile(out);
  });

  it("unpacks an honest capsule with its files' contents and modes", async () => {
    const { report, dest } = await extractBytes(capsule, { key: loadPublicKey(publicPem, "k.pub") });
    expect(report.ok).toBe(true);
    expect(report.signature.status).toBe("verified");
    expect(await readFile(join(dest, "source", "src", "server.js"))).toEqual(
      await readFile(join(source, "src", "server.js")),
    );
    expect((await stat(join(dest, "source", "bin", "start.sh"))).mode & 0o111).not.toBe(0);
    expect((await stat(join(dest, "source", "src", "server.js"))).mode & 0o111).toBe(0);
    expect((await readdir(dest)).sort()).toEqual([
      "artifacts",
      "docs",
      "manifest.json",
      "manifests",
      "sbom.cdx.json",
      "signature",
      "source",
    ]);
  });

  it("refuses a capsule whose content was changed, and leaves the destination empty", async () => {
    const entries = parseTar(unframe(capsule)).map((e) =>
      e.path === "source/src/server.js" ? { ...e, data: Buffer.concat([e.data, Buffer.from("//")]) } : e,
    );
    const { report, left } = await extractBytes(rebuildSorted(entries));
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: "changed", path: "source/src/server.js" }),
    );
    expect(left).toEqual([]);
  });

  it("only extracts into a new or empty directory", async () => {
    const dest = await tempDir();
    await writeFile(join(dest, "keep.txt"), "mine");
    const file = join(work, "x.qlcapsule");
    await writeFile(file, capsule);
    await expect(extractCapsule(file, dest)).rejects.toThrow(/is not empty/);
    expect(await readdir(dest)).toEqual(["keep.txt"]);
    const empty = await tempDir();
    const report = await extractCapsule(file, empty);
    expect(report.ok).toBe(true);
    // A refused capsule in a directory that existed empties it but keeps the directory.
    const other = await tempDir();
    const bad = join(work, "bad.qlcapsule");
    await writeFile(
      bad,
      frame(tarOf([innocent, rawHeader({ path: "source/l", type: "SymbolicLink", linkpath: "/" })])),
    );
    expect((await extractCapsule(bad, other)).ok).toBe(false);
    expect(await readdir(other)).toEqual([]);
  });
});

function globalPax(): Buffer {
  return new Pax({ path: "../../evil.txt" }, true).encode();
}
