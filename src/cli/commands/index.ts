import type { Command } from "commander";
import { registerCapsule } from "./capsule.js";
import { registerCompile } from "./compile.js";
import { registerConfig } from "./config.js";
import { registerGenerate } from "./generate.js";
import { registerKeys } from "./keys.js";
import { registerOverlays } from "./overlays.js";
import { registerPackage } from "./package.js";
import { registerSchema } from "./schema.js";
import { registerVerify } from "./verify.js";

/** Every `qlf` sub-command, in the order `qlf --help` lists them. Each registrar only declares. */
const registrars: ReadonlyArray<(program: Command) => void> = [
  registerCompile,
  registerGenerate,
  registerVerify,
  registerSchema,
  registerOverlays,
  registerPackage,
  registerCapsule,
  registerKeys,
  registerConfig,
];

export function registerCommands(program: Command): void {
  for (const register of registrars) register(program);
}
