/**
 * `qlf package`: an application directory in, a signed, reproducible `.qlcapsule` out.
 */
import { readFile, realpath, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { ConfigError, UserInputError } from "../../kernel/index.js";
import { type PlannedEntry, writeCapsule } from "./capsule-writer.js";
import { buildDocs } from "./docs.js";
import { gitOrigin } from "./git.js";
import { DEFAULT_LIMITS } from "./limits.js";
import {
  CAPSULE_FORMAT,
  CapsuleManifest,
  canonicalJson,
  type ExclusionReason,
  GeneratorProvenance,
  PROVENANCE_FILE,
  Provenance,
  provenanceFromGenerator,
  type ScanRecord,
} from "./manifest.js";
import { SBOM_PATH } from "./paths.js";
import { buildSbom, buildSyftSbom, type SbomResult } from "./sbom/index.js";
import { type ScanOutcome, scan } from "./scan.js";
import { type SectionStats, sectionStats } from "./sections.js";
import { type SigningKey, signBytes } from "./signing.js";
import { type SourceFile, walkSource, walkStrict } from "./walk.js";

/** The timestamp of a capsule made outside Git with no `created` given: 1980-01-01T00:00:00Z. */
export const DEFAULT_CREATED = new Date(Date.UTC(1980, 0, 1));

export interface CreateCapsuleOptions {
  /** The application directory. */
  dir: string;
  name: string;
  version: string;
  /** Where to write the capsule (an existing file is replaced atomically). */
  out: string;
  /** qlf's version, recorded as the generator. */
  generatorVersion: string;
  /** Every entry's time. Default: the commit's time in a Git work tree, else DEFAULT_CREATED. */
  created?: Date;
  signingKey?: SigningKey;
  /** The signing key's file, so it is never packaged even if it sits in the directory. */
  signingKeyFile?: string;
  /** A provenance record; default: `.qlf/provenance.json` in the directory when present. */
  provenanceFile?: string;
  /** Build outputs to put under `artifacts/`. */
  artifactsDir?: string;
  sbom?: "native" | "syft";
  /** `false` to skip the vulnerability scan (the capsule then says so). */
  scan?: boolean;
  /** An image reference to scan as well. */
  image?: string;
  /** zlib level 1–9 (default 6). */
  gzipLevel?: number;
}

export interface CreateCapsuleResult {
  out: string;
  sha256: string;
  bytes: number;
  manifest: CapsuleManifest;
  sections: SectionStats[];
  sbom: { components: number; generator: string; sources: string[] };
  /** Things worth a look: lockfiles that could not be read, documents left out, failed scans. */
  notes: string[];
}

const SCAN_REPORTS = {
  source: "artifacts/scan-report.json",
  image: "artifacts/image-scan-report.json",
} as const;
const MANIFEST_DIRS = new Set([
  "k8s",
  "kubernetes",
  "deploy",
  "deployment",
  "deployments",
  "manifests",
  "helm",
  "charts",
  "kustomize",
]);

/**
 * Packages `options.dir`.
 *
 * @example
 * const result = await createCapsule({ dir: "./app", name: "app", version: "1.0.0", out: "app-1.0.0.qlcapsule", generatorVersion: VERSION });
 * console.log(result.sha256);
 */
export async function createCapsule(options: CreateCapsuleOptions): Promise<CreateCapsuleResult> {
  checkLabel("name", options.name);
  checkLabel("version", options.version);
  const level = options.gzipLevel ?? 6;
  if (!Number.isInteger(level) || level < 1 || level > 9) {
    throw new UserInputError("package.bad-level", `gzip level ${level} is not 1–9`);
  }
  const dir = await directory(options.dir, "application directory");
  const out = resolve(options.out);
  await directory(dirname(out), "directory for --out");
  if ((await stat(out).catch(() => undefined))?.isDirectory() === true) {
    throw new UserInputError("package.out-is-dir", `--out ${out} is a directory`, {
      hint: "give a file name, e.g. --out app-1.0.0.qlcapsule",
    });
  }

  const skip: Array<{ dev: number; ino: number; reason: ExclusionReason; detail: string }> = [];
  for (const [file, reason, detail] of [
    [out, "capsule", "the capsule being written"],
    [options.signingKeyFile, "signing-key", "the signing key"],
  ] as const) {
    const info = file === undefined ? undefined : await stat(file).catch(() => undefined);
    if (info !== undefined) skip.push({ dev: info.dev, ino: info.ino, reason, detail });
  }
  const walked = await walkSource(dir, { skip });
  const origin = await gitOrigin(dir);
  const created = wholeSeconds(
    options.created ?? (origin === null ? DEFAULT_CREATED : new Date(origin.commitTime * 1000)),
  );
  const provenance = await loadProvenance(
    options.provenanceFile ?? join(dir, PROVENANCE_FILE),
    options.provenanceFile !== undefined,
  );

  const subject = {
    name: options.name,
    version: options.version,
    generatorVersion: options.generatorVersion,
    created,
  };
  const sbom: SbomResult =
    options.sbom === "syft"
      ? await buildSyftSbom(dir, walked.excluded, subject)
      : await buildSbom(walked.files, subject);
  const scans: ScanOutcome[] = [
    await scan({
      target: "source",
      subject: dir,
      excluded: walked.excluded,
      enabled: options.scan !== false,
    }),
  ];
  if (options.image !== undefined)
    scans.push(await scan({ target: "image", subject: options.image, enabled: options.scan !== false }));

  const entries = await contentEntries(walked.files, options.artifactsDir);
  for (const s of scans) entries.push(bytesEntry(SCAN_REPORTS[s.target], s.report));
  const docs = await buildDocs({
    name: options.name,
    version: options.version,
    created: created.toISOString(),
    commit: origin?.commit ?? null,
    files: walked.files,
    sbom,
    scans,
    excluded: walked.excluded,
    provenance,
  });
  for (const doc of docs.files) entries.push(bytesEntry(doc.path, doc.data));
  entries.push(bytesEntry(SBOM_PATH, Buffer.from(sbom.json)));

  let manifest: CapsuleManifest | undefined;
  const written = await writeCapsule({
    out,
    entries,
    mtime: created.getTime() / 1000,
    level,
    seal: (files) => {
      const digest = (path: string): string => files.find((f) => f.path === path)?.sha256 ?? "";
      manifest = CapsuleManifest.parse({
        format: CAPSULE_FORMAT,
        name: options.name,
        version: options.version,
        created: created.toISOString().replace(/\.000Z$/, "Z"),
        createdFrom:
          origin === null ? null : { commit: origin.commit, path: origin.path, dirty: origin.dirty },
        generator: { name: "qlf", version: options.generatorVersion },
        files,
        sbom: {
          path: SBOM_PATH,
          sha256: digest(SBOM_PATH),
          format: "CycloneDX",
          specVersion: sbom.specVersion,
          generator: sbom.generator,
          components: sbom.components.length,
          sources: sbom.sources,
        },
        scans: scans.map((s) =>
          scanRecord(
            s,
            digest(SCAN_REPORTS[s.target]),
            s.target === "source" ? "source/" : (options.image ?? ""),
          ),
        ),
        excluded: walked.excluded,
        signing:
          options.signingKey === undefined
            ? null
            : { algorithm: options.signingKey.algorithm, keyId: options.signingKey.keyId },
        provenance,
      });
      const bytes = Buffer.from(canonicalJson(manifest));
      return options.signingKey === undefined
        ? { manifest: bytes }
        : { manifest: bytes, signature: signBytes(options.signingKey, bytes) };
    },
  });
  if (manifest === undefined) throw new Error("the capsule was written without a manifest");

  const notes = [...sbom.notes, ...docs.notes];
  const ratio = written.uncompressedBytes / written.bytes;
  if (written.uncompressedBytes > DEFAULT_LIMITS.ratioGraceBytes && ratio > DEFAULT_LIMITS.maxRatio / 2) {
    notes.push(
      `the capsule compresses ${ratio.toFixed(0)}:1; verify and extract refuse more than ${DEFAULT_LIMITS.maxRatio}:1 unless given --max-ratio`,
    );
  }
  for (const s of scans) if (s.status === "not-scanned") notes.push(`${s.target} NOT SCANNED: ${s.reason}`);
  return {
    out,
    sha256: written.sha256,
    bytes: written.bytes,
    manifest,
    sections: sectionStats(manifest),
    sbom: { components: sbom.components.length, generator: sbom.generator, sources: sbom.sources },
    notes,
  };
}

/** source/ (every file), manifests/ (Kubernetes files, copied) and artifacts/ (the user's build outputs). */
async function contentEntries(
  files: readonly SourceFile[],
  artifactsDir: string | undefined,
): Promise<PlannedEntry[]> {
  const entries = files.map((f) => fileEntry(`source/${f.rel}`, f));
  for (const f of files) {
    const dirs = f.rel.split("/").slice(0, -1);
    if (dirs.some((d) => MANIFEST_DIRS.has(d)) && /\.(ya?ml|json)$/i.test(f.rel))
      entries.push(fileEntry(`manifests/${f.rel}`, f));
  }
  if (artifactsDir === undefined) return entries;
  const reports = new Set<string>(Object.values(SCAN_REPORTS));
  for (const f of await walkStrict(await directory(artifactsDir, "artifacts directory"))) {
    if (reports.has(`artifacts/${f.rel}`)) {
      throw new UserInputError(
        "package.artifact-clash",
        `the artifacts directory has ${f.rel}, which qlf writes itself`,
        {
          hint: "rename it",
        },
      );
    }
    entries.push(fileEntry(`artifacts/${f.rel}`, f));
  }
  return entries;
}

function fileEntry(path: string, file: SourceFile): PlannedEntry {
  return {
    path,
    size: file.size,
    mode: file.executable ? 0o755 : 0o644,
    source: { kind: "file", abs: file.abs },
  };
}

function bytesEntry(path: string, data: Buffer): PlannedEntry {
  return { path, size: data.length, mode: 0o644, source: { kind: "bytes", data } };
}

function scanRecord(s: ScanOutcome, sha256: string, subject: string): ScanRecord {
  const report = SCAN_REPORTS[s.target];
  return s.status === "scanned"
    ? {
        status: "scanned",
        target: s.target,
        subject,
        report,
        sha256,
        tool: s.tool,
        vulnerabilities: s.vulnerabilities,
        secrets: s.secrets,
      }
    : { status: "not-scanned", target: s.target, subject, report, sha256, reason: s.reason };
}

async function directory(path: string, what: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw new UserInputError("package.no-dir", `no ${what} at ${path}`);
  if (!info.isDirectory())
    throw new UserInputError("package.not-dir", `${path} is not a directory (${what})`);
  return realpath(path);
}

function checkLabel(field: string, value: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (value.trim() === "" || value.length > 214 || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new UserInputError(
      "package.bad-label",
      `--${field} ${JSON.stringify(value)} is not a usable ${field}`,
      {
        hint: `give a ${field} of 1–214 printable characters`,
      },
    );
  }
}

function wholeSeconds(date: Date): Date {
  const ms = date.getTime();
  if (!Number.isFinite(ms) || ms < 0 || ms >= 8 ** 11 * 1000) {
    throw new UserInputError("package.bad-created", `the creation time ${String(date)} is out of range`, {
      hint: "give a date between 1970 and 4147, e.g. --created 2026-01-01T00:00:00Z",
    });
  }
  return new Date(Math.floor(ms / 1000) * 1000);
}

async function loadProvenance(file: string, required: boolean): Promise<Provenance | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new ConfigError(
      "provenance.unreadable",
      `cannot read the provenance file: ${(error as Error).message}`,
      { file },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError("provenance.json", `not valid JSON: ${(error as Error).message}`, { file });
  }
  if (typeof json === "object" && json !== null && "provider" in json && !("agents" in json)) {
    const generated = GeneratorProvenance.safeParse(json);
    if (generated.success) return provenanceFromGenerator(generated.data);
  }
  const parsed = Provenance.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError("provenance.schema", issue?.message ?? "invalid provenance record", {
      file,
      fieldPath: issue?.path.join(".") ?? "",
      hint: "see the Provenance schema in src/services/packager/manifest.ts",
    });
  }
  return parsed.data;
}
