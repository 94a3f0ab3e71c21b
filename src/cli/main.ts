/**
 * The `qlf` command. This file only declares the commands; each command's implementation is a
 * separate module imported when that command runs, so `qlf --help` stays fast.
 */
import { Command, CommanderError } from "commander";
import { registerCommands } from "./commands/index.js";
import { VERSION } from "./version.js";

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command()
    .name("qlf")
    .description(
      "QuantumLayer Factory: turn a natural-language brief into a verified, deployable application.",
    )
    .version(VERSION, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    // Options after a sub-command belong to it: `qlf package --version 1.2.0` is the app's version.
    .enablePositionalOptions()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  registerCommands(program);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit through here with code 0; usage errors are user errors.
      return error.exitCode === 0 ? 0 : 1;
    }
    // Loaded only on failure: it needs the kernel's error classes, and importing the kernel up front
    // would make every `qlf --help` load all of it.
    const { exitCodeFor, renderError } = await import("./render-error.js");
    process.stderr.write(renderError(error));
    return exitCodeFor(error);
  }
}

process.exitCode = await main(process.argv.slice(2));
