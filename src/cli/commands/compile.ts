import { type Command, Option } from "commander";
import type { BriefCommandOptions } from "../understand.js";

export function registerCompile(program: Command): void {
  program
    .command("compile")
    .description("Understand a brief: print the structured spec (IR) qlf would build from")
    .argument("[brief]", "the brief in quotes, or - to read standard input")
    .option("-f, --file <file>", "read the brief from a file (Markdown or text)")
    .option("--json", "print the IR as JSON (schema: qlf schema ir)")
    .addOption(new Option("--stack <stack>", "backend stack").choices(["express", "fastapi", "gin"]))
    .addOption(new Option("--db <db>", "database").choices(["postgres"]))
    .addOption(new Option("--frontend <frontend>", "frontend").choices(["react", "none"]))
    .option("--overlay <name...>", "apply these overlays on top of the detected ones")
    .option("--repo <dir>", "also load overlays from DIR/.qlf/overlays")
    .addHelpText(
      "after",
      '\nExamples:\n  qlf compile "Clinic API: patients book appointments with doctors; HIPAA"\n  qlf compile -f brief.md --json\n  cat brief.md | qlf compile - --stack fastapi',
    )
    .action(async (brief: string | undefined, options: CompileCommandOptions) => {
      const { runCompile } = await import("../run/compile.js");
      await runCompile(brief, options);
    });
}

export interface CompileCommandOptions extends BriefCommandOptions {
  json?: boolean;
}
