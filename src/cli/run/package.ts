import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { UserInputError } from "../../kernel/index.js";
import {
  type CreateCapsuleResult,
  createCapsule,
  detectIdentity,
  formatBytes,
  loadSigningKey,
  type SigningKey,
} from "../../services/packager/index.js";
import type { PackageOptions } from "../commands/package.js";
import { VERSION } from "../version.js";

const MAX_LISTED_EXCLUSIONS = 25;

export async function runPackage(
  dir: string,
  options: PackageOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const identity = await detectIdentity(resolve(dir));
  const name = options.name ?? identity.name;
  const version = options.version ?? identity.version;
  if (name === undefined || version === undefined) {
    throw new UserInputError(
      "package.identity",
      `the application's ${name === undefined ? "name" : "version"} is not known`,
      {
        hint: "pass --name and --version (or set them in package.json or pyproject.toml)",
      },
    );
  }
  if (options.sbom !== undefined && options.sbom !== "native" && options.sbom !== "syft") {
    throw new UserInputError("package.sbom", `--sbom ${options.sbom} is not a generator qlf knows`, {
      hint: "use native or syft",
    });
  }
  const level = Number(options.gzipLevel ?? "6");
  const created = parseCreated(options.created, env.SOURCE_DATE_EPOCH);
  const signingKey = await readSigningKey(options.signKey, env.QLF_SIGNING_KEY);
  const out = options.out ?? `${fileSafe(name)}-${fileSafe(version)}.qlcapsule`;

  const result = await createCapsule({
    dir,
    name,
    version,
    out,
    generatorVersion: VERSION,
    gzipLevel: level,
    scan: options.scan !== false,
    sbom: options.sbom === "syft" ? "syft" : "native",
    ...(created === undefined ? {} : { created }),
    ...(signingKey === undefined ? {} : { signingKey }),
    ...(options.signKey === undefined ? {} : { signingKeyFile: options.signKey }),
    ...(options.provenance === undefined ? {} : { provenanceFile: options.provenance }),
    ...(options.artifacts === undefined ? {} : { artifactsDir: options.artifacts }),
    ...(options.image === undefined ? {} : { image: options.image }),
  });
  process.stdout.write(
    options.json === true ? `${JSON.stringify(summary(result), null, 2)}\n` : render(result),
  );
}

function summary(result: CreateCapsuleResult): Record<string, unknown> {
  const { manifest } = result;
  return {
    out: result.out,
    sha256: result.sha256,
    bytes: result.bytes,
    name: manifest.name,
    version: manifest.version,
    created: manifest.created,
    createdFrom: manifest.createdFrom,
    sections: result.sections,
    sbom: result.sbom,
    scans: manifest.scans,
    signing: manifest.signing,
    excluded: manifest.excluded,
    notes: result.notes,
  };
}

function render(result: CreateCapsuleResult): string {
  const { manifest } = result;
  const lines = [`Packaged ${manifest.name} ${manifest.version}`];
  const from = manifest.createdFrom;
  lines.push(
    `  from       ${from === null ? "a directory outside Git" : `commit ${from.commit.slice(0, 12)}${from.path === "" ? "" : ` (${from.path}/)`}${from.dirty ? " with UNCOMMITTED changes" : ""}`}`,
  );
  lines.push(`  created    ${manifest.created}`);
  for (const s of result.sections) {
    lines.push(
      `  ${s.section.padEnd(14)} ${String(s.files).padStart(6)} file${s.files === 1 ? " " : "s"}  ${formatBytes(s.bytes).padStart(10)}`,
    );
  }
  lines.push(
    `  SBOM       ${result.sbom.components} components, CycloneDX ${manifest.sbom.specVersion} by ${result.sbom.generator}${result.sbom.sources.length === 0 ? "" : ` from ${result.sbom.sources.join(", ")}`}`,
  );
  for (const s of manifest.scans) {
    lines.push(
      s.status === "scanned"
        ? `  scan       ${s.target}: ${s.tool.name} ${s.tool.version}: ${s.vulnerabilities.critical} critical, ${s.vulnerabilities.high} high, ${s.vulnerabilities.medium} medium, ${s.vulnerabilities.low} low; ${s.secrets} secrets`
        : `  scan       ${s.target}: NOT SCANNED (${s.reason})`,
    );
  }
  lines.push(
    manifest.signing === null
      ? "  signature  UNSIGNED (pass --sign-key FILE or set QLF_SIGNING_KEY to sign)"
      : `  signature  ${manifest.signing.algorithm}, key ${manifest.signing.keyId.slice(0, 16)}…`,
  );
  lines.push(`  excluded   ${manifest.excluded.length} path${manifest.excluded.length === 1 ? "" : "s"}`);
  for (const e of manifest.excluded.slice(0, MAX_LISTED_EXCLUSIONS))
    lines.push(`    ${e.path.padEnd(30)} ${e.reason}: ${e.detail}`);
  if (manifest.excluded.length > MAX_LISTED_EXCLUSIONS) {
    lines.push(
      `    … and ${manifest.excluded.length - MAX_LISTED_EXCLUSIONS} more (all are listed in manifest.json)`,
    );
  }
  for (const note of result.notes) lines.push(`  note: ${note}`);
  lines.push(`  capsule    ${result.out} (${formatBytes(result.bytes)})`);
  lines.push(`  sha256     ${result.sha256}`);
  return `${lines.join("\n")}\n`;
}

async function readSigningKey(
  file: string | undefined,
  fromEnv: string | undefined,
): Promise<SigningKey | undefined> {
  if (file !== undefined) {
    let pem: Buffer;
    try {
      pem = await readFile(file);
    } catch (error) {
      throw new UserInputError(
        "package.sign-key",
        `cannot read the signing key ${file}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
        {
          hint: "check the path given to --sign-key",
        },
      );
    }
    return loadSigningKey(pem, file);
  }
  if (fromEnv === undefined || fromEnv.trim() === "") return undefined;
  if (!fromEnv.includes("-----BEGIN")) {
    // Never echo the variable: it may be a key in some other encoding.
    throw new UserInputError("package.sign-key-env", "QLF_SIGNING_KEY does not hold a PEM key", {
      hint: "set it to the PEM text of the private key (not a path; use --sign-key FILE for a file)",
    });
  }
  return loadSigningKey(fromEnv, "QLF_SIGNING_KEY");
}

/** `--created`, else SOURCE_DATE_EPOCH (the reproducible-builds convention), else undefined. */
export function parseCreated(
  flag: string | undefined,
  sourceDateEpoch: string | undefined,
): Date | undefined {
  if (flag !== undefined) {
    const date = /^\d+$/.test(flag.trim()) ? new Date(Number(flag) * 1000) : new Date(flag);
    if (Number.isNaN(date.getTime())) {
      throw new UserInputError("package.created", `--created ${JSON.stringify(flag)} is not a date`, {
        hint: "give ISO 8601 (2026-01-01T00:00:00Z) or Unix seconds",
      });
    }
    return date;
  }
  if (sourceDateEpoch !== undefined && sourceDateEpoch.trim() !== "") {
    if (!/^\d+$/.test(sourceDateEpoch.trim())) {
      throw new UserInputError(
        "package.source-date-epoch",
        `SOURCE_DATE_EPOCH=${JSON.stringify(sourceDateEpoch)} is not Unix seconds`,
      );
    }
    return new Date(Number(sourceDateEpoch) * 1000);
  }
  return undefined;
}

function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+/, "") || "app";
}
