import type { Command } from "commander";

export interface ConfigShowOptions {
  json?: boolean;
  repo?: string;
}

export function registerConfig(program: Command): void {
  const config = program.command("config").description("Show the effective qlf configuration");
  config
    .command("show")
    .description(
      "Print every configuration value with where it came from (default, ~/.config/qlf/config.yaml, .qlf.yml, environment, flag); secrets masked",
    )
    .option(
      "--repo <dir>",
      "read the project files (.qlf.yml, .github/qlf.yml) of DIR instead of the current directory",
    )
    .option("--json", "print JSON")
    .action(async (options: ConfigShowOptions) => {
      const { runConfigShow } = await import("../run/config.js");
      await runConfigShow(options);
    });
}
