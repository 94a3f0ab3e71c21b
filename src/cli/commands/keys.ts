import type { Command } from "commander";

export interface KeysGenerateOptions {
  type: string;
  out: string;
  force?: boolean;
}

export function registerKeys(program: Command): void {
  const keys = program.command("keys").description("Manage capsule signing keys");
  keys
    .command("generate")
    .description("Make a signing key pair: PREFIX.key (private, mode 0600) and PREFIX.pub")
    .requiredOption("--out <prefix>", "path prefix of the two files, e.g. release")
    .option("--type <type>", "ecdsa (P-256) | rsa (3072-bit, signs with RSA-PSS)", "ecdsa")
    .option("--force", "replace existing files")
    .action(async (options: KeysGenerateOptions) => {
      const { runKeysGenerate } = await import("../run/keys.js");
      await runKeysGenerate(options);
    });
}
