/**
 * `qlf capsule verify` and `inspect`: read a capsule once, recompute every digest, compare them with
 * manifest.json, and check the signature over manifest.json. What is wrong comes back as a list of
 * problems (a value, not a throw), each naming the file it concerns.
 */
import { CapsuleRejected, type EntryVisitor, type ReadResult, readCapsule } from "./capsule-reader.js";
import type { CapsuleLimits } from "./limits.js";
import { CapsuleManifest, type ManifestFile, type SigningAlgorithm } from "./manifest.js";
import { MANIFEST_PATH, SBOM_PATH, SIGNATURE_PATH } from "./paths.js";
import { type PublicKey, verifyBytes } from "./signing.js";

export type ProblemKind =
  | "rejected"
  | "missing"
  | "extra"
  | "changed"
  | "renamed"
  | "mode"
  | "time"
  | "manifest"
  | "signature"
  | "digest";

export interface Problem {
  kind: ProblemKind;
  path?: string;
  message: string;
}

export type SignatureStatus =
  /** Checked with the key the caller gave. */
  | { status: "verified"; algorithm: SigningAlgorithm; keyId: string }
  /** Signed, but no key was given to check it with. */
  | { status: "not-checked"; algorithm: SigningAlgorithm; keyId: string }
  | { status: "unsigned" }
  /** Signed, and the check failed (see the problems). */
  | { status: "failed"; algorithm?: SigningAlgorithm; keyId?: string }
  /** The capsule could not be read far enough to tell. */
  | { status: "unknown" };

export interface VerifyReport {
  ok: boolean;
  file: string;
  /** sha256 of the capsule file (when it could be read to the end). */
  sha256?: string;
  problems: Problem[];
  warnings: string[];
  signature: SignatureStatus;
  manifest?: CapsuleManifest;
  entries: number;
  compressedBytes: number;
  uncompressedBytes: number;
}

export interface VerifyOptions {
  /** The public key the signature must verify with; with it, an unsigned capsule fails. */
  key?: PublicKey;
  /** Fail unless a signature is present and verified (which needs `key`). */
  requireSignature?: boolean;
  limits?: Partial<CapsuleLimits>;
  /** Receives each entry's data as it is read (extract writes files with it). */
  visit?: EntryVisitor;
  /** Keep these entries' bytes (for inspect). */
  keep?: (path: string) => boolean;
}

export interface Examined {
  report: VerifyReport;
  bodies: Map<string, Buffer>;
}

/**
 * @example
 * const report = await verifyCapsule("app-1.0.0.qlcapsule", { key: loadPublicKey(pem, "release.pub") });
 * if (!report.ok) for (const p of report.problems) console.error(p.message);
 */
export async function verifyCapsule(file: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  return (await examineCapsule(file, options)).report;
}

export async function examineCapsule(file: string, options: VerifyOptions = {}): Promise<Examined> {
  let read: ReadResult;
  try {
    read = await readCapsule(file, {
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(options.visit === undefined ? {} : { visit: options.visit }),
      ...(options.keep === undefined ? {} : { keep: options.keep }),
    });
  } catch (error) {
    if (!(error instanceof CapsuleRejected)) throw error;
    return {
      report: {
        ok: false,
        file,
        problems: [{ kind: "rejected", message: error.message }],
        warnings: [],
        signature: { status: "unknown" },
        entries: 0,
        compressedBytes: 0,
        uncompressedBytes: 0,
      },
      bodies: new Map(),
    };
  }

  const problems: Problem[] = [];
  const warnings: string[] = [];
  const base = {
    file,
    sha256: read.sha256,
    entries: read.entries.length,
    compressedBytes: read.compressedBytes,
    uncompressedBytes: read.uncompressedBytes,
  };
  const manifestBytes = read.bodies.get(MANIFEST_PATH);
  if (manifestBytes === undefined) {
    problems.push({
      kind: "missing",
      path: MANIFEST_PATH,
      message: "manifest.json is missing: nothing to verify against",
    });
    return {
      report: { ok: false, ...base, problems, warnings, signature: { status: "unknown" } },
      bodies: read.bodies,
    };
  }
  const manifest = parseManifest(manifestBytes, problems);
  if (manifest === undefined) {
    return {
      report: { ok: false, ...base, problems, warnings, signature: { status: "unknown" } },
      bodies: read.bodies,
    };
  }

  compareFiles(manifest, read, problems);
  checkDigests(manifest, problems);
  const signature = checkSignature(
    manifest,
    manifestBytes,
    read.bodies.get(SIGNATURE_PATH),
    options,
    problems,
    warnings,
  );
  for (const s of manifest.scans) {
    if (s.status === "not-scanned")
      warnings.push(`${s.target} was NOT SCANNED for vulnerabilities: ${s.reason}`);
  }
  return {
    report: { ok: problems.length === 0, ...base, problems, warnings, signature, manifest },
    bodies: read.bodies,
  };
}

function parseManifest(bytes: Buffer, problems: Problem[]): CapsuleManifest | undefined {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    problems.push({
      kind: "manifest",
      path: MANIFEST_PATH,
      message: `manifest.json is not JSON: ${(error as Error).message}`,
    });
    return undefined;
  }
  const parsed = CapsuleManifest.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues.slice(0, 10)) {
      problems.push({
        kind: "manifest",
        path: MANIFEST_PATH,
        message: `manifest.json: ${issue.path.join(".") || "(top)"}: ${issue.message}`,
      });
    }
    return undefined;
  }
  return parsed.data;
}

/** Every listed file present with its size, digest and mode; nothing unlisted; one timestamp. */
function compareFiles(manifest: CapsuleManifest, read: ReadResult, problems: Problem[]): void {
  const expected = new Map<string, ManifestFile>();
  for (const file of manifest.files) {
    if (file.path === MANIFEST_PATH || file.path === SIGNATURE_PATH || expected.has(file.path)) {
      problems.push({
        kind: "manifest",
        path: file.path,
        message: `manifest.json lists ${file.path} twice or wrongly`,
      });
    }
    expected.set(file.path, file);
  }
  const extra: Array<{ path: string; sha256: string; size: number }> = [];
  const created = Date.parse(manifest.created) / 1000;
  let wrongTimes = 0;
  for (const entry of read.entries) {
    if (entry.mtime !== created) wrongTimes += 1;
    if (entry.mtime !== created && wrongTimes <= 3) {
      problems.push({
        kind: "time",
        path: entry.path,
        message: `${entry.path}: timestamp ${new Date(entry.mtime * 1000).toISOString()} differs from the capsule's ${manifest.created}`,
      });
    }
    if (entry.path === MANIFEST_PATH || entry.path === SIGNATURE_PATH) continue;
    const want = expected.get(entry.path);
    if (want === undefined) {
      extra.push(entry);
      continue;
    }
    expected.delete(entry.path);
    if (want.size !== entry.size || want.sha256 !== entry.sha256) {
      problems.push({
        kind: "changed",
        path: entry.path,
        message: `changed: ${entry.path} (sha256 ${entry.sha256.slice(0, 16)}…, ${entry.size} bytes; manifest says ${want.sha256.slice(0, 16)}…, ${want.size} bytes)`,
      });
    }
    const mode = entry.mode === 0o755 ? "0755" : "0644";
    if (want.mode !== mode) {
      problems.push({
        kind: "mode",
        path: entry.path,
        message: `mode changed: ${entry.path} is ${mode}, manifest says ${want.mode}`,
      });
    }
  }
  for (const missing of expected.values()) {
    const renamed = extra.findIndex((e) => e.sha256 === missing.sha256 && e.size === missing.size);
    if (renamed !== -1) {
      const [to] = extra.splice(renamed, 1);
      problems.push({
        kind: "renamed",
        path: missing.path,
        message: `renamed: ${missing.path} → ${to?.path ?? "?"}`,
      });
      continue;
    }
    problems.push({ kind: "missing", path: missing.path, message: `missing: ${missing.path}` });
  }
  for (const e of extra)
    problems.push({ kind: "extra", path: e.path, message: `extra file not in the manifest: ${e.path}` });
}

/** The SBOM and scan report digests the manifest quotes agree with its file list. */
function checkDigests(manifest: CapsuleManifest, problems: Problem[]): void {
  const listed = new Map(manifest.files.map((f) => [f.path, f.sha256]));
  const quoted: Array<[string, string, string]> = [
    [SBOM_PATH, manifest.sbom.sha256, "the SBOM"],
    ...manifest.scans.map((s): [string, string, string] => [
      s.report,
      s.sha256,
      `the ${s.target} scan report`,
    ]),
  ];
  for (const [path, sha256, what] of quoted) {
    if (listed.get(path) !== sha256) {
      problems.push({
        kind: "digest",
        path,
        message: `${what} digest in manifest.json does not match ${path}`,
      });
    }
  }
}

function checkSignature(
  manifest: CapsuleManifest,
  manifestBytes: Buffer,
  signature: Buffer | undefined,
  options: VerifyOptions,
  problems: Problem[],
  warnings: string[],
): SignatureStatus {
  const required = options.key !== undefined || options.requireSignature === true;
  if (manifest.signing === null) {
    if (signature !== undefined) {
      problems.push({
        kind: "signature",
        path: SIGNATURE_PATH,
        message: "a signature entry is present but manifest.json declares no signing key",
      });
      return { status: "failed" };
    }
    if (required) {
      problems.push({
        kind: "signature",
        path: SIGNATURE_PATH,
        message: "the capsule is UNSIGNED but a signature was required",
      });
    } else {
      warnings.push(
        "the capsule is UNSIGNED: its files match its own manifest, but nothing proves who made it",
      );
    }
    return { status: "unsigned" };
  }
  const { algorithm, keyId } = manifest.signing;
  if (signature === undefined) {
    problems.push({
      kind: "signature",
      path: SIGNATURE_PATH,
      message: `manifest.json says it is signed (${algorithm}, key ${keyId.slice(0, 16)}…) but the signature entry is missing`,
    });
    return { status: "failed", algorithm, keyId };
  }
  if (options.key === undefined) {
    if (options.requireSignature === true) {
      problems.push({
        kind: "signature",
        message: "a signature was required but no public key was given to check it (--key)",
      });
      return { status: "failed", algorithm, keyId };
    }
    warnings.push(
      `signed with key ${keyId.slice(0, 16)}… (${algorithm}) but the signature was NOT CHECKED: pass --key PUB`,
    );
    return { status: "not-checked", algorithm, keyId };
  }
  if (options.key.keyId !== keyId) {
    problems.push({
      kind: "signature",
      message: `signed by key ${keyId.slice(0, 16)}…, not by the given key ${options.key.keyId.slice(0, 16)}…`,
    });
    return { status: "failed", algorithm, keyId };
  }
  if (options.key.algorithm !== algorithm || !verifyBytes(options.key, manifestBytes, signature)) {
    problems.push({
      kind: "signature",
      path: SIGNATURE_PATH,
      message: "the signature does not verify over manifest.json",
    });
    return { status: "failed", algorithm, keyId };
  }
  return { status: "verified", algorithm, keyId };
}
