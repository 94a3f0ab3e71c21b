import { execFileSync, spawnSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createCapsule,
  extractCapsule,
  generateSigningKeyPair,
  loadPublicKey,
  loadSigningKey,
  verifyCapsule,
} from "../../src/services/packager/index.js";
import { copyFixture, tempDir } from "./helpers.js";

let app: string;
let work: string;

beforeAll(async () => {
  app = await copyFixture("npm-app");
  work = await tempDir();
});

function openssl(args: string[]): { code: number; out: string } {
  const run = spawnSync("openssl", args, { encoding: "utf8" });
  return { code: run.status ?? -1, out: `${run.stdout}${run.stderr}` };
}

/** Packages the fixture with `privatePem`, unpacks it, and returns the paths of manifest.json and signature. */
async function signedCapsule(
  name: string,
  privatePem: string,
): Promise<{ capsule: string; manifest: string; signature: string }> {
  const capsule = join(work, `${name}.qlcapsule`);
  const key = loadSigningKey(privatePem, `${name}.key`);
  await createCapsule({
    dir: app,
    name: "patient-api",
    version: "1.2.0",
    out: capsule,
    generatorVersion: "0.0.0-test",
    scan: false,
    signingKey: key,
  });
  const dest = join(work, `${name}-x`);
  expect((await extractCapsule(capsule, dest)).ok).toBe(true);
  return { capsule, manifest: join(dest, "manifest.json"), signature: join(dest, "signature") };
}

describe("capsule signatures verify with plain OpenSSL", () => {
  it("ECDSA P-256: openssl dgst -sha256 -verify accepts the signature, and rejects it over a changed manifest", async () => {
    const pair = generateSigningKeyPair("ecdsa");
    const pub = join(work, "ec.pub");
    await writeFile(pub, pair.publicPem);
    const { manifest, signature } = await signedCapsule("ec", pair.privatePem);
    const ok = openssl(["dgst", "-sha256", "-verify", pub, "-signature", signature, manifest]);
    expect(ok).toEqual({ code: 0, out: "Verified OK\n" });

    const tampered = join(work, "ec-manifest.json");
    const text = await readFile(manifest, "utf8");
    await writeFile(tampered, text.replace('"version": "1.2.0"', '"version": "1.2.1"'));
    const bad = openssl(["dgst", "-sha256", "-verify", pub, "-signature", signature, tampered]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain("Verification failure");
  });

  it("RSA-PSS: openssl verifies with a 32-byte salt (the sigopts the issue names)", async () => {
    const pair = generateSigningKeyPair("rsa");
    const pub = join(work, "rsa.pub");
    await writeFile(pub, pair.publicPem);
    const { manifest, signature, capsule } = await signedCapsule("rsa", pair.privatePem);
    const pss = ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"];
    expect(openssl(["dgst", "-sha256", ...pss, "-verify", pub, "-signature", signature, manifest])).toEqual({
      code: 0,
      out: "Verified OK\n",
    });
    // Plain PKCS#1 v1.5 verification must not accept a PSS signature.
    expect(openssl(["dgst", "-sha256", "-verify", pub, "-signature", signature, manifest]).code).toBe(1);
    const report = await verifyCapsule(capsule, { key: loadPublicKey(pair.publicPem, "rsa.pub") });
    expect(report.signature).toMatchObject({ status: "verified", algorithm: "RSA-PSS-SHA256" });
  });

  it("signs with keys OpenSSL made (SEC1 EC, PKCS#1 RSA) and qlf verifies with OpenSSL's public keys", async () => {
    const dir = join(work, "openssl-keys");
    await mkdir(dir);
    const ecKey = join(dir, "ec.pem");
    execFileSync("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", ecKey]);
    const ecPub = execFileSync("openssl", ["ec", "-in", ecKey, "-pubout"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    const rsaKey = join(dir, "rsa.pem");
    execFileSync("openssl", ["genrsa", "-traditional", "-out", rsaKey, "2048"], { stdio: "ignore" });
    const rsaPub = execFileSync("openssl", ["rsa", "-in", rsaKey, "-pubout"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    for (const [name, key, pub] of [
      ["ossl-ec", ecKey, ecPub],
      ["ossl-rsa", rsaKey, rsaPub],
    ] as const) {
      const { capsule } = await signedCapsule(name, await readFile(key, "utf8"));
      const report = await verifyCapsule(capsule, { key: loadPublicKey(pub, `${name}.pub`) });
      expect(report.ok, name).toBe(true);
      expect(report.signature.status).toBe("verified");
    }
  });

  it("refuses keys it cannot sign with, with a message that says what to do and never the key", async () => {
    const encrypted = execFileSync(
      "openssl",
      [
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-aes-128-cbc",
        "-pass",
        "pass:secret",
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
    );
    expect(() => loadSigningKey(encrypted, "enc.key")).toThrow(/the signing key from enc\.key is encrypted/);
    const ed = execFileSync("openssl", ["genpkey", "-algorithm", "ED25519"], { encoding: "utf8" });
    expect(() => loadSigningKey(ed, "ed.key")).toThrow(
      /ed25519; capsules are signed with ECDSA P-256 or RSA/,
    );
    const p384 = execFileSync(
      "openssl",
      ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
      { encoding: "utf8" },
    );
    expect(() => loadSigningKey(p384, "p384.key")).toThrow(/EC secp384r1/);
    const weak = execFileSync(
      "openssl",
      ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
      { encoding: "utf8" },
    );
    expect(() => loadSigningKey(weak, "weak.key")).toThrow(/shorter than 2048 bits/);
    const garbage = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXZhbHVlLTEyMzQ=\n-----END PRIVATE KEY-----\n";
    try {
      loadSigningKey(garbage, "QLF_SIGNING_KEY");
      expect.unreachable();
    } catch (error) {
      expect(String(error)).toMatch(/QLF_SIGNING_KEY does not hold a PEM private key/);
      expect(String(error)).not.toContain("c2VjcmV0");
    }
  });
});
