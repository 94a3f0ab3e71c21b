import type { Command } from "commander";

export interface VerifyCommandOptions {
  gates?: string;
  optional?: string;
  format?: string;
  output?: string;
  repair?: boolean;
  provider?: string;
  parallel?: boolean;
  timeout?: string;
  install?: boolean;
  databaseUrl?: string;
  workflows?: boolean;
}

export function registerVerify(program: Command): void {
  program
    .command("verify")
    .description("Run the verification gates (static, unit, contract, migration, security) on an application")
    .argument("[dir]", "the application directory", ".")
    .option(
      "--gates <list>",
      "comma-separated gates to run: static,unit,contract,migration,security (default: all)",
    )
    .option("--optional <list>", "gates whose failure or skip does not fail the run")
    .option("--format <format>", "output: text | json | markdown | sarif", "text")
    .option("--output <file>", "write the report to this file instead of standard output")
    .option("--repair", "feed failing findings to the repair loop (needs --provider)")
    .option("--provider <name>", "LLM provider for --repair: bedrock | azure | openai")
    .option("--no-parallel", "run the gates one after another")
    .option("--timeout <seconds>", "time limit per gate (default: each gate's own)")
    .option("--no-install", "do not install missing dependencies (gates that need them are skipped)")
    .option(
      "--database-url <url>",
      "PostgreSQL server for scratch databases (default: QLF_VERIFY_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres)",
    )
    .option(
      "--no-workflows",
      "report files under .github/workflows/ as not allowed (what the App does unless the repository config allows them)",
    )
    .addHelpText(
      "after",
      "\nExit codes: 0 every required gate passed; 1 a required gate failed or was skipped, or the input was wrong; 2 qlf itself failed.",
    )
    .action(async (dir: string, options: VerifyCommandOptions) => {
      const { runVerify } = await import("../run/verify.js");
      await runVerify(dir, options);
    });
}
