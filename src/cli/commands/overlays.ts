import type { Command } from "commander";

export interface OverlaysOptions {
  json?: boolean;
  repo?: string;
}

export function registerOverlays(program: Command): void {
  const overlays = program
    .command("overlays")
    .description("List and describe the domain and compliance overlays (shipped, and a repository's own)");
  overlays
    .command("list")
    .description("List every overlay: name, kind, version, priority, dependencies, rules and controls")
    .option("--json", "print the overlays as JSON")
    .option("--repo <dir>", "also load the repository's .qlf/overlays/*.yaml (they add or override overlays)")
    .action(async (options: OverlaysOptions) => {
      const { runOverlaysList } = await import("../run/overlays.js");
      await runOverlaysList(options);
    });
  overlays
    .command("describe")
    .description("Show one overlay: detection, dependencies, generation rules, controls and prompts")
    .argument("<name>", "overlay name, e.g. hipaa")
    .option("--json", "print the overlay as JSON")
    .option("--repo <dir>", "also load the repository's .qlf/overlays/*.yaml (they add or override overlays)")
    .action(async (name: string, options: OverlaysOptions) => {
      const { runOverlaysDescribe } = await import("../run/overlays.js");
      await runOverlaysDescribe(name, options);
    });
}
