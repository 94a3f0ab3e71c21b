import type { Command } from "commander";

export interface CapsuleReadOptions {
  key?: string;
  requireSignature?: boolean;
  json?: boolean;
  maxEntries?: string;
  maxFileSize?: string;
  maxTotalSize?: string;
  maxRatio?: string;
}

function withLimits(command: Command): Command {
  return command
    .option("--max-entries <n>", "refuse capsules with more entries (default 200000)")
    .option("--max-file-size <size>", "refuse any file larger than this, e.g. 4GiB (default 4GiB)")
    .option("--max-total-size <size>", "refuse capsules that unpack to more than this (default 16GiB)")
    .option("--max-ratio <n>", "refuse a compression ratio above n:1 past the first 16 MiB (default 200)");
}

export function registerCapsule(program: Command): void {
  const capsule = program.command("capsule").description("Verify, inspect and extract .qlcapsule packages");
  withLimits(
    capsule
      .command("verify")
      .description("Recompute every digest and check the signature; exit 1 on any difference")
      .argument("<file>", "the .qlcapsule")
      .option("--key <pub>", "PEM public key the signature must verify with (an unsigned capsule then fails)")
      .option(
        "--require-signature",
        "fail unless the capsule is signed and the signature verifies (needs --key)",
      )
      .option("--json", "print the report as JSON")
      .addHelpText(
        "after",
        "\nExit codes: 0 every file matches manifest.json (an unsigned capsule, or a signed one checked\n" +
          "without --key, passes with a WARNING on stderr); 1 any difference, a refused archive, or no\n" +
          "valid signature when --key or --require-signature is given.\n",
      ),
  ).action(async (file: string, options: CapsuleReadOptions) => {
    const { runCapsuleVerify } = await import("../run/capsule.js");
    await runCapsuleVerify(file, options);
  });
  withLimits(
    capsule
      .command("inspect")
      .description("Show a capsule's manifest summary, SBOM component count and scan summary")
      .argument("<file>", "the .qlcapsule")
      .option("--key <pub>", "also check the signature with this PEM public key")
      .option("--json", "print the report as JSON"),
  ).action(async (file: string, options: CapsuleReadOptions) => {
    const { runCapsuleInspect } = await import("../run/capsule.js");
    await runCapsuleInspect(file, options);
  });
  withLimits(
    capsule
      .command("extract")
      .description("Unpack a capsule into a new or empty directory, refusing hostile archives")
      .argument("<file>", "the .qlcapsule")
      .argument("<dir>", "destination (created if missing; must be empty)")
      .option("--key <pub>", "PEM public key the signature must verify with")
      .option(
        "--require-signature",
        "refuse unless the capsule is signed and the signature verifies (needs --key)",
      )
      .option("--json", "print the report as JSON"),
  ).action(async (file: string, dir: string, options: CapsuleReadOptions) => {
    const { runCapsuleExtract } = await import("../run/capsule.js");
    await runCapsuleExtract(file, dir, options);
  });
}
