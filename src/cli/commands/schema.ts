import type { Command } from "commander";

export function registerSchema(program: Command): void {
  program
    .command("schema")
    .description("Print the JSON Schema of a qlf data structure")
    .argument("<name>", "which schema: ir | overlay")
    .action(async (name: string) => {
      const { runSchema } = await import("../run/schema.js");
      runSchema(name);
    });
}
