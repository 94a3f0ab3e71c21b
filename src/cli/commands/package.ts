import type { Command } from "commander";

export interface PackageOptions {
  name?: string;
  version?: string;
  out?: string;
  signKey?: string;
  provenance?: string;
  artifacts?: string;
  sbom?: string;
  scan?: boolean;
  image?: string;
  created?: string;
  gzipLevel?: string;
  json?: boolean;
}

export function registerPackage(program: Command): void {
  program
    .command("package")
    .description("Package an application directory as a signed, reproducible .qlcapsule")
    .argument("[dir]", "the application directory", ".")
    .option("--name <name>", "application name (default: from package.json or pyproject.toml)")
    .option("--version <version>", "application version (default: from package.json or pyproject.toml)")
    .option("--out <file>", "capsule file to write (default: <name>-<version>.qlcapsule)")
    .option(
      "--sign-key <file>",
      "PEM private key to sign with (ECDSA P-256 or RSA); or set QLF_SIGNING_KEY to the PEM",
    )
    .option(
      "--provenance <file>",
      "generation provenance record (default: <dir>/.qlf/provenance.json when present)",
    )
    .option("--artifacts <dir>", "build outputs to include under artifacts/")
    .option("--sbom <generator>", "SBOM generator: native (from the lockfiles) | syft", "native")
    .option("--no-scan", "do not run trivy (the capsule then says it was not scanned)")
    .option("--image <ref>", "also scan this container image with trivy")
    .option(
      "--created <time>",
      "timestamp of every entry: ISO 8601 or Unix seconds (default: SOURCE_DATE_EPOCH, the commit's time, or 1980-01-01)",
    )
    .option("--gzip-level <n>", "gzip level 1-9", "6")
    .option("--json", "print the result as JSON")
    .action(async (dir: string, options: PackageOptions) => {
      const { runPackage } = await import("../run/package.js");
      await runPackage(dir, options);
    });
}
