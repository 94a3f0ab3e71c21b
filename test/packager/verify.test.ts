import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createCapsule,
  generateSigningKeyPair,
  loadPublicKey,
  loadSigningKey,
  type PublicKey,
  verifyCapsule,
} from "../../src/services/packager/index.js";
import {
  copyFixture,
  frame,
  type ParsedEntry,
  parseTar,
  rebuildSorted,
  tempDir,
  unframe,
} from "./helpers.js";

let work: string;
let capsule: Buffer;
let unsigned: Buffer;
let tar: Buffer;
let entries: ParsedEntry[];
let key: PublicKey;
let otherKey: PublicKey;
let counter = 0;

/** Writes bytes to a new file and verifies it. */
async function verifyBytes(bytes: Buffer, options: Parameters<typeof verifyCapsule>[1] = { key }) {
  counter += 1;
  const file = join(work, `t${counter}.qlcapsule`);
  await writeFile(file, bytes);
  return verifyCapsule(file, options);
}

function edit(path: string, change: (data: Buffer) => Buffer): ParsedEntry[] {
  return entries.map((e) => (e.path === path ? { ...e, data: change(Buffer.from(e.data)) } : e));
}

beforeAll(async () => {
  work = await tempDir();
  const dir = await copyFixture("npm-app");
  const pair = generateSigningKeyPair("ecdsa");
  key = loadPublicKey(pair.publicPem, "test.pub");
  otherKey = loadPublicKey(generateSigningKeyPair("ecdsa").publicPem, "other.pub");
  const base = { dir, name: "patient-api", version: "1.2.0", generatorVersion: "0.0.0-test", scan: false };
  const signed = await createCapsule({
    ...base,
    out: join(work, "signed.qlcapsule"),
    signingKey: loadSigningKey(pair.privatePem, "k"),
  });
  await createCapsule({ ...base, out: join(work, "unsigned.qlcapsule") });
  capsule = await readFile(signed.out);
  unsigned = await readFile(join(work, "unsigned.qlcapsule"));
  tar = unframe(capsule);
  entries = parseTar(tar);
});

describe("qlf capsule verify", () => {
  it("accepts an untouched capsule and verifies its signature with the public key", async () => {
    const report = await verifyBytes(capsule);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.signature).toMatchObject({
      status: "verified",
      algorithm: "ECDSA-P256-SHA256",
      keyId: key.keyId,
    });
    // The rebuilt-in-memory capsule is byte-identical to the packager's: the helpers are faithful.
    expect(rebuildSorted(entries)).toEqual(capsule);
  });

  it.each([
    "source/src/server.js",
    "source/package-lock.json",
    "docs/index.html",
    "sbom.cdx.json",
    "manifests/k8s/service.yaml",
    "artifacts/scan-report.json",
  ])("fails when one byte of %s changes, naming the file", async (path) => {
    const report = await verifyBytes(
      rebuildSorted(
        edit(path, (data) => {
          const at = Math.floor(data.length / 2);
          data[at] = (data[at] ?? 0) ^ 0x01;
          return data;
        }),
      ),
    );
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: "changed", path }));
    expect(report.problems.map((p) => p.message).join("\n")).toContain(path);
  });

  it("fails on a missing, an extra and a renamed file, saying which", async () => {
    const missing = await verifyBytes(rebuildSorted(entries.filter((e) => e.path !== "source/README.md")));
    expect(missing.problems).toEqual([
      { kind: "missing", path: "source/README.md", message: "missing: source/README.md" },
    ]);

    const extra = await verifyBytes(
      rebuildSorted([
        ...entries,
        { path: "source/evil.js", mode: 0o644, mtime: entries[0]?.mtime ?? 0, data: Buffer.from("x") },
      ]),
    );
    expect(extra.problems).toEqual([
      { kind: "extra", path: "source/evil.js", message: "extra file not in the manifest: source/evil.js" },
    ]);

    const renamed = await verifyBytes(
      rebuildSorted(
        entries.map((e) => (e.path === "source/README.md" ? { ...e, path: "source/READ_ME.md" } : e)),
      ),
    );
    expect(renamed.problems).toEqual([
      { kind: "renamed", path: "source/README.md", message: "renamed: source/README.md → source/READ_ME.md" },
    ]);

    const mode = await verifyBytes(
      rebuildSorted(entries.map((e) => (e.path === "source/src/server.js" ? { ...e, mode: 0o755 } : e))),
    );
    expect(mode.problems).toContainEqual(
      expect.objectContaining({ kind: "mode", path: "source/src/server.js" }),
    );
  });

  it("fails after any one-byte change anywhere in the tar stream (headers, data, padding, manifest, signature, end marker)", async () => {
    const offsets = new Set<number>();
    for (let i = 0; i < 512; i += 3) offsets.add(i); // the first header
    for (let i = tar.length - 2048; i < tar.length; i += 7) offsets.add(i); // signature, its padding, end marker
    for (let i = 0; i < tar.length; i += 257) offsets.add(i);
    const survivors: number[] = [];
    for (const offset of offsets) {
      const changed = Buffer.from(tar);
      changed[offset] = (changed[offset] ?? 0) ^ 0x5a;
      const report = await verifyBytes(frame(changed));
      if (report.ok) survivors.push(offset);
    }
    expect(survivors).toEqual([]);
    expect(offsets.size).toBeGreaterThan(400);
  }, 180_000);

  it("fails after a one-byte change in the compressed file unless the content decodes identically", async () => {
    const { inflateRawSync } = await import("node:zlib");
    let identical = 0;
    for (let offset = 0; offset < capsule.length; offset += Math.max(1, Math.floor(capsule.length / 250))) {
      const changed = Buffer.from(capsule);
      changed[offset] = (changed[offset] ?? 0) ^ 0x10;
      const report = await verifyBytes(changed);
      if (!report.ok) continue;
      // The only accepted change: a re-encoding of the deflate stream with the very same content.
      expect(offset).toBeGreaterThanOrEqual(10);
      expect(inflateRawSync(changed.subarray(10, changed.length - 8))).toEqual(tar);
      identical += 1;
    }
    expect(identical).toBeLessThan(3);
    // Each byte of the fixed gzip header and of the trailer is checked.
    for (const offset of [
      0,
      1,
      2,
      3,
      4,
      7,
      8,
      9,
      capsule.length - 8,
      capsule.length - 5,
      capsule.length - 1,
    ]) {
      const changed = Buffer.from(capsule);
      changed[offset] = (changed[offset] ?? 0) ^ 0x02;
      expect((await verifyBytes(changed)).ok, `offset ${offset}`).toBe(false);
    }
  }, 180_000);

  it("reports random corruption as a refusal or a difference, never as a crash", async () => {
    let seed = 20260101;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 300; i += 1) {
      const inTar = i % 2 === 0;
      const changed = Buffer.from(inTar ? tar : capsule);
      const at = Math.floor(next() * changed.length);
      changed[at] = Math.floor(next() * 256);
      const report = await verifyBytes(inTar ? frame(changed) : changed);
      if (!report.ok)
        expect(report.problems.length, `${inTar ? "tar" : "file"} byte ${at}`).toBeGreaterThan(0);
    }
  }, 180_000);

  it("fails on bytes appended to the capsule and on a truncated capsule", async () => {
    for (const tail of [
      Buffer.alloc(1),
      Buffer.alloc(512),
      Buffer.from("garbage"),
      capsule.subarray(0, 100),
    ]) {
      const report = await verifyBytes(Buffer.concat([capsule, tail]));
      expect(report.ok).toBe(false);
      expect(report.problems[0]?.kind).toBe("rejected");
    }
    const truncated = await verifyBytes(capsule.subarray(0, capsule.length - 20));
    expect(truncated.ok).toBe(false);
    expect(truncated.problems[0]?.message).toMatch(/truncated|trailer|corrupt/);
  });

  it("treats signatures strictly: removed, wrong key, unsigned-but-required, present-but-unchecked", async () => {
    const stripped = await verifyBytes(rebuildSorted(entries.filter((e) => e.path !== "signature")));
    expect(stripped.ok).toBe(false);
    expect(stripped.problems[0]?.message).toMatch(/signature entry is missing/);

    const wrongKey = await verifyBytes(capsule, { key: otherKey });
    expect(wrongKey.ok).toBe(false);
    expect(wrongKey.signature.status).toBe("failed");
    expect(wrongKey.problems[0]?.message).toMatch(/not by the given key/);

    const forged = await verifyBytes(
      rebuildSorted(
        edit("signature", (data) => {
          data[data.length - 1] = (data[data.length - 1] ?? 0) ^ 0x01;
          return data;
        }),
      ),
    );
    expect(forged.ok).toBe(false);
    expect(forged.problems[0]?.message).toMatch(/does not verify over manifest\.json/);

    const unsignedWithKey = await verifyBytes(unsigned, { key });
    expect(unsignedWithKey.ok).toBe(false);
    expect(unsignedWithKey.problems[0]?.message).toMatch(/UNSIGNED but a signature was required/);

    const unsignedPlain = await verifyBytes(unsigned, {});
    expect(unsignedPlain.ok).toBe(true);
    expect(unsignedPlain.signature.status).toBe("unsigned");
    expect(unsignedPlain.warnings.join("\n")).toMatch(/UNSIGNED/);

    const unchecked = await verifyBytes(capsule, {});
    expect(unchecked.ok).toBe(true);
    expect(unchecked.signature.status).toBe("not-checked");
    expect(unchecked.warnings.join("\n")).toMatch(/NOT CHECKED/);

    const required = await verifyBytes(capsule, { requireSignature: true });
    expect(required.ok).toBe(false);

    // A signature slipped into an unsigned capsule is refused, not ignored.
    const sig = entries.find((e) => e.path === "signature");
    const grafted = await verifyBytes(
      rebuildSorted([...parseTar(unframe(unsigned)), ...(sig === undefined ? [] : [sig])]),
      {},
    );
    expect(grafted.ok).toBe(false);
    expect(grafted.problems[0]?.message).toMatch(/declares no signing key/);
  });

  it("reports scans that did not happen as not scanned", async () => {
    const report = await verifyBytes(unsigned, {});
    expect(report.manifest?.scans).toEqual([
      expect.objectContaining({
        status: "not-scanned",
        target: "source",
        reason: "scanning was turned off (--no-scan)",
      }),
    ]);
    expect(report.warnings.join("\n")).toMatch(/NOT SCANNED/);
  });
});
