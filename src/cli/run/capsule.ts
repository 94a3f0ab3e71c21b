import { readFile } from "node:fs/promises";
import { UserInputError } from "../../kernel/index.js";
import {
  type CapsuleLimits,
  type ExtractReport,
  extractCapsule,
  formatBytes,
  type InspectReport,
  inspectCapsule,
  loadPublicKey,
  type PublicKey,
  parseSize,
  type VerifyReport,
  verifyCapsule,
} from "../../services/packager/read.js";
import type { CapsuleReadOptions } from "../commands/capsule.js";

/**
 * Exit codes: 0 when every digest matches (an unsigned capsule, or a signed one checked without
 * --key, passes with a WARNING on stderr); 1 for any problem, an unsigned capsule when --key or
 * --require-signature is given, or a refused (hostile, corrupt, over-limit) capsule.
 */
export async function runCapsuleVerify(file: string, options: CapsuleReadOptions): Promise<void> {
  const report = await verifyCapsule(file, await readOptions(options));
  if (options.json === true)
    process.stdout.write(`${JSON.stringify(withoutManifestFiles(report), null, 2)}\n`);
  else {
    process.stdout.write(renderVerify(report, options.key));
    writeWarnings(report);
  }
  if (!report.ok) process.exitCode = 1;
}

export async function runCapsuleInspect(file: string, options: CapsuleReadOptions): Promise<void> {
  const report = await inspectCapsule(file, await readOptions(options));
  if (options.json === true) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    process.stdout.write(renderInspect(report));
    writeWarnings(report.integrity);
  }
  if (!report.integrity.ok) process.exitCode = 1;
}

export async function runCapsuleExtract(
  file: string,
  dir: string,
  options: CapsuleReadOptions,
): Promise<void> {
  const report = await extractCapsule(file, dir, await readOptions(options));
  if (options.json === true)
    process.stdout.write(`${JSON.stringify(withoutManifestFiles(report), null, 2)}\n`);
  else {
    process.stdout.write(renderExtract(report, options.key));
    writeWarnings(report);
  }
  if (!report.ok) process.exitCode = 1;
}

async function readOptions(
  options: CapsuleReadOptions,
): Promise<{ key?: PublicKey; requireSignature?: boolean; limits: Partial<CapsuleLimits> }> {
  const key =
    options.key === undefined ? undefined : loadPublicKey(await readKeyFile(options.key), options.key);
  return {
    limits: limits(options),
    ...(key === undefined ? {} : { key }),
    ...(options.requireSignature === true ? { requireSignature: true } : {}),
  };
}

async function readKeyFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new UserInputError(
      "capsule.key",
      `cannot read the public key ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
      {
        hint: "pass the .pub file written by `qlf keys generate`",
      },
    );
  }
}

function limits(options: CapsuleReadOptions): Partial<CapsuleLimits> {
  const out: Partial<CapsuleLimits> = {};
  const count = (flag: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0)
      throw new UserInputError("capsule.limit", `${flag} ${text} is not a positive number`);
    return value;
  };
  const size = (flag: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const value = parseSize(text);
    if (value === undefined || value <= 0) {
      throw new UserInputError("capsule.limit", `${flag} ${text} is not a size`, {
        hint: "e.g. 4GiB, 512MiB or a number of bytes",
      });
    }
    return value;
  };
  const entries = count("--max-entries", options.maxEntries);
  const ratio = count("--max-ratio", options.maxRatio);
  const file = size("--max-file-size", options.maxFileSize);
  const total = size("--max-total-size", options.maxTotalSize);
  if (entries !== undefined) out.maxEntries = entries;
  if (ratio !== undefined) out.maxRatio = ratio;
  if (file !== undefined) out.maxEntryBytes = file;
  if (total !== undefined) out.maxTotalBytes = total;
  return out;
}

function withoutManifestFiles(report: VerifyReport): unknown {
  // The full file list is in the capsule; the JSON report stays readable.
  if (report.manifest === undefined) return report;
  const { files, ...rest } = report.manifest;
  return { ...report, manifest: { ...rest, files: files.length } };
}

function signatureLine(report: VerifyReport, keyFile: string | undefined): string {
  const s = report.signature;
  switch (s.status) {
    case "verified":
      return `signature  VERIFIED: ${s.algorithm}, key ${s.keyId.slice(0, 16)}… (${keyFile ?? "given key"})`;
    case "not-checked":
      return `signature  present (${s.algorithm}, key ${s.keyId.slice(0, 16)}…) but NOT CHECKED: no --key given`;
    case "unsigned":
      return "signature  NONE: the capsule is UNSIGNED";
    case "failed":
      return "signature  FAILED";
    default:
      return "signature  unknown (the capsule could not be read)";
  }
}

function renderVerify(report: VerifyReport, keyFile: string | undefined): string {
  const lines: string[] = [];
  const m = report.manifest;
  lines.push(`capsule    ${report.file}${m === undefined ? "" : ` (${m.name} ${m.version})`}`);
  if (report.sha256 !== undefined) lines.push(`sha256     ${report.sha256}`);
  if (m !== undefined)
    lines.push(
      `files      ${m.files.length} listed in manifest.json, ${report.entries} entries read (${formatBytes(report.uncompressedBytes)})`,
    );
  lines.push(signatureLine(report, keyFile));
  if (report.ok) lines.push("OK: every file matches manifest.json");
  else {
    lines.push(`FAILED: ${report.problems.length} problem${report.problems.length === 1 ? "" : "s"}`);
    for (const p of report.problems) lines.push(`  ${p.message}`);
  }
  return `${lines.join("\n")}\n`;
}

function renderInspect(report: InspectReport): string {
  const m = report.manifest;
  const lines: string[] = [];
  if (m === undefined) return renderVerify(report.integrity, undefined);
  lines.push(`${m.name} ${m.version}  (${m.format}, made by ${m.generator.name} ${m.generator.version})`);
  lines.push(`created    ${m.created}`);
  lines.push(
    `from       ${m.createdFrom === null ? "a directory outside Git" : `commit ${m.createdFrom.commit}${m.createdFrom.path === "" ? "" : ` (${m.createdFrom.path}/)`}${m.createdFrom.dirty ? " with UNCOMMITTED changes" : ""}`}`,
  );
  for (const s of report.sections) {
    lines.push(
      `${s.section.padEnd(14)} ${String(s.files).padStart(6)} file${s.files === 1 ? " " : "s"}  ${formatBytes(s.bytes).padStart(10)}`,
    );
  }
  if (report.sbom !== undefined) {
    lines.push(
      `SBOM       ${report.sbom.components ?? "?"} components, CycloneDX ${report.sbom.specVersion} by ${report.sbom.generator}${report.sbom.sources.length === 0 ? "" : ` from ${report.sbom.sources.join(", ")}`}`,
    );
  }
  for (const s of report.scans) {
    lines.push(
      s.status === "scanned"
        ? `scan       ${s.target} (${s.subject}): ${s.tool.name} ${s.tool.version}: ${s.vulnerabilities.critical} critical, ${s.vulnerabilities.high} high, ${s.vulnerabilities.medium} medium, ${s.vulnerabilities.low} low, ${s.vulnerabilities.unknown} unknown; ${s.secrets} secrets`
        : `scan       ${s.target} (${s.subject}): NOT SCANNED (${s.reason})`,
    );
  }
  lines.push(
    m.signing === null ? "signing    UNSIGNED" : `signing    ${m.signing.algorithm}, key ${m.signing.keyId}`,
  );
  lines.push(
    `excluded   ${m.excluded.length} path${m.excluded.length === 1 ? "" : "s"} (${summarizeReasons(m.excluded.map((e) => e.reason))})`,
  );
  const p = m.provenance;
  if (p !== null) {
    lines.push("provenance");
    if (p.generator !== undefined)
      lines.push(
        `  generator  ${p.generator.name} ${p.generator.version}${p.stack === undefined ? "" : `, stack ${p.stack}`}`,
      );
    if (p.brief !== undefined) lines.push(`  brief      sha256 ${p.brief.sha256}`);
    if (p.ir !== undefined) lines.push(`  IR         sha256 ${p.ir.sha256}`);
    if (p.overlays.length > 0)
      lines.push(`  overlays   ${p.overlays.map((o) => `${o.name}@${o.version}`).join(", ")}`);
    for (const a of p.agents) {
      lines.push(
        `  agent      ${a.agent}: ${a.provider}${a.model === null ? "" : ` ${a.model}`}${a.region == null ? "" : ` (${a.region})`}${a.tokens === undefined ? "" : `, ${a.tokens.input}+${a.tokens.output} tokens`}${a.costUsd === undefined ? "" : `, $${a.costUsd}`}${a.files === undefined ? "" : `, ${a.files} file${a.files === 1 ? "" : "s"}`}`,
      );
    }
    for (const g of p.gates)
      lines.push(`  gate       ${g.gate}: ${g.status}${g.detail === undefined ? "" : ` (${g.detail})`}`);
  } else lines.push("provenance none recorded");
  lines.push(
    report.integrity.ok
      ? `verify     OK (${report.integrity.entries} entries, sha256 ${report.integrity.sha256 ?? "?"})`
      : "verify     FAILED",
  );
  for (const problem of report.integrity.problems) lines.push(`  ${problem.message}`);
  return `${lines.join("\n")}\n`;
}

function summarizeReasons(reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).join(", ") || "none";
}

function renderExtract(report: ExtractReport, keyFile: string | undefined): string {
  if (!report.ok) return `${renderVerify(report, keyFile)}REFUSED: nothing was left in ${report.dest}\n`;
  return `${renderVerify(report, keyFile)}extracted  ${report.files} files (${formatBytes(report.bytes)}) into ${report.dest}\n`;
}

function writeWarnings(report: VerifyReport): void {
  for (const warning of report.warnings) process.stderr.write(`WARNING: ${warning}\n`);
}
