/**
 * Detached signatures over `manifest.json`: ECDSA P-256 or RSA-PSS, both with SHA-256, in the
 * encodings `openssl dgst -sha256 -verify pub.pem -signature signature manifest.json` accepts
 * (DER for ECDSA; for RSA-PSS a 32-byte salt, checked with `-sigopt rsa_padding_mode:pss
 * -sigopt rsa_pss_saltlen:32` — node's default maximum salt would fail that check).
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  constants as cryptoConstants,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { UserInputError } from "../../kernel/index.js";
import type { SigningAlgorithm } from "./manifest.js";

export interface SigningKey {
  algorithm: SigningAlgorithm;
  /** sha256 of the public key's DER SubjectPublicKeyInfo, hex. */
  keyId: string;
  privateKey: KeyObject;
}

export interface PublicKey {
  algorithm: SigningAlgorithm;
  keyId: string;
  publicKey: KeyObject;
}

const PSS_SALT_BYTES = 32;
const MIN_RSA_BITS = 2048;

/**
 * Reads a PEM private key. `source` names where it came from, for messages; the key's text never
 * appears in one.
 *
 * @example const key = loadSigningKey(await readFile("release.key"), "release.key");
 */
export function loadSigningKey(pem: string | Buffer, source: string): SigningKey {
  const text = pem.toString();
  if (text.includes("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.includes("Proc-Type: 4,ENCRYPTED")) {
    throw new UserInputError("signing.encrypted-key", `the signing key from ${source} is encrypted`, {
      hint: "decrypt it first (openssl pkey -in KEY -out KEY.plain), and keep the plain copy out of the repository",
    });
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: "pem" });
  } catch {
    throw new UserInputError("signing.bad-key", `${source} does not hold a PEM private key`, {
      hint: "make a pair with `qlf keys generate --out release` and pass --sign-key release.key",
    });
  }
  const publicKey = createPublicKey(privateKey);
  return { algorithm: algorithmOf(publicKey, source), keyId: keyIdOf(publicKey), privateKey };
}

/** Reads a PEM public key (or a private key, whose public half is used). */
export function loadPublicKey(pem: string | Buffer, source: string): PublicKey {
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: pem, format: "pem" });
  } catch {
    throw new UserInputError("signing.bad-public-key", `${source} does not hold a PEM public key`, {
      hint: "pass the .pub file written by `qlf keys generate`",
    });
  }
  return { algorithm: algorithmOf(publicKey, source), keyId: keyIdOf(publicKey), publicKey };
}

export function signBytes(key: SigningKey, data: Buffer): Buffer {
  if (key.algorithm === "ECDSA-P256-SHA256")
    return sign("sha256", data, { key: key.privateKey, dsaEncoding: "der" });
  return sign("sha256", data, {
    key: key.privateKey,
    padding: cryptoConstants.RSA_PKCS1_PSS_PADDING,
    saltLength: PSS_SALT_BYTES,
  });
}

export function verifyBytes(key: PublicKey, data: Buffer, signature: Buffer): boolean {
  try {
    if (key.algorithm === "ECDSA-P256-SHA256") {
      return verify("sha256", data, { key: key.publicKey, dsaEncoding: "der" }, signature);
    }
    return verify(
      "sha256",
      data,
      { key: key.publicKey, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: PSS_SALT_BYTES },
      signature,
    );
  } catch {
    return false; // a malformed signature is a failed one
  }
}

export interface GeneratedKeyPair {
  algorithm: SigningAlgorithm;
  keyId: string;
  privatePem: string;
  publicPem: string;
}

/** A new key pair: P-256 for `ecdsa`, 3072-bit RSA for `rsa`. PKCS#8 and SPKI PEM. */
export function generateSigningKeyPair(type: "ecdsa" | "rsa"): GeneratedKeyPair {
  const pair =
    type === "ecdsa"
      ? generateKeyPairSync("ec", { namedCurve: "P-256" })
      : generateKeyPairSync("rsa", { modulusLength: 3072 });
  return {
    algorithm: type === "ecdsa" ? "ECDSA-P256-SHA256" : "RSA-PSS-SHA256",
    keyId: keyIdOf(pair.publicKey),
    privatePem: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicPem: pair.publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

function algorithmOf(key: KeyObject, source: string): SigningAlgorithm {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === "ec" && details.namedCurve === "prime256v1") return "ECDSA-P256-SHA256";
  if (key.asymmetricKeyType === "rsa" || key.asymmetricKeyType === "rsa-pss") {
    if ((details.modulusLength ?? 0) < MIN_RSA_BITS) {
      throw new UserInputError(
        "signing.weak-key",
        `the RSA key from ${source} is shorter than ${MIN_RSA_BITS} bits`,
        {
          hint: "generate a new pair with `qlf keys generate --type rsa`",
        },
      );
    }
    return "RSA-PSS-SHA256";
  }
  const kind =
    key.asymmetricKeyType === "ec" ? `EC ${String(details.namedCurve)}` : String(key.asymmetricKeyType);
  throw new UserInputError(
    "signing.unsupported-key",
    `the key from ${source} is ${kind}; capsules are signed with ECDSA P-256 or RSA`,
    {
      hint: "generate a pair with `qlf keys generate` (ECDSA P-256) or `qlf keys generate --type rsa`",
    },
  );
}

function keyIdOf(publicKey: KeyObject): string {
  return createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("hex");
}
