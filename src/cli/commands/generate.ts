import { type Command, Option } from "commander";

export interface GenerateCommandOptions {
  file?: string;
  out: string;
  force?: boolean;
  json?: boolean;
  stack?: "express" | "fastapi" | "gin";
  db?: "postgres";
  frontend?: "react" | "none";
  overlay?: string[];
  repo?: string;
  /** `--no-workflows` sets this to false. */
  workflows: boolean;
  /** LLM generation (see src/cli/llm-session.ts); `--no-cache` sets `cache` to false. */
  provider?: "bedrock" | "azure" | "openai" | "template";
  model?: string;
  budgetUsd?: string;
  cache: boolean;
}

export function registerGenerate(program: Command): void {
  program
    .command("generate")
    .description(
      "Generate a complete application (backend, tests, migrations, OpenAPI, Docker, k8s) from a brief",
    )
    .argument("[brief]", "the brief in quotes, or - to read standard input")
    .option("-f, --file <file>", "read the brief from a file (Markdown or text)")
    .requiredOption("-o, --out <dir>", "directory to write the application to (must be empty or new)")
    .option("--force", "replace the contents of a non-empty --out directory")
    .addOption(new Option("--stack <stack>", "backend stack").choices(["express", "fastapi", "gin"]))
    .addOption(new Option("--db <db>", "database").choices(["postgres"]))
    .addOption(new Option("--frontend <frontend>", "frontend").choices(["react", "none"]))
    .option("--overlay <name...>", "apply these overlays on top of the detected ones")
    .option("--repo <dir>", "also load overlays from DIR/.qlf/overlays")
    .option("--no-workflows", "do not write .github/workflows/qlf.yml")
    .option("--json", "print a JSON summary instead of the file tree")
    .addOption(
      new Option(
        "--provider <provider>",
        "who writes the code (default: the configuration, else template)",
      ).choices(["bedrock", "azure", "openai", "template"]),
    )
    .option("--model <model>", "model id (Bedrock), deployment (Azure) or model name (OpenAI-compatible)")
    .option("--budget-usd <usd>", "stop before an LLM call could take the run's cost over this")
    .option("--no-cache", "ask the model again instead of reusing cached answers")
    .addHelpText(
      "after",
      '\nExamples:\n  qlf generate "Pharmacy API: pharmacists fill prescriptions for patients; HIPAA" --out ./pharmacy\n  qlf generate -f brief.md --overlay gdpr --out ./shop --force',
    )
    .action(async (brief: string | undefined, options: GenerateCommandOptions) => {
      const { runGenerate } = await import("../run/generate.js");
      await runGenerate(brief, options);
    });
}
