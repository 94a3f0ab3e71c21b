import type { Command } from "commander";
import { registerOverlays } from "./overlays.js";
import { registerSchema } from "./schema.js";

/** Every `qlf` sub-command, in the order `qlf --help` lists them. Each registrar only declares. */
const registrars: ReadonlyArray<(program: Command) => void> = [registerSchema, registerOverlays];

export function registerCommands(program: Command): void {
  for (const register of registrars) register(program);
}
