import { type Understanding, understandBrief } from "../kernel/index.js";
import { loadCatalog } from "../services/overlay-files.js";
import { readBrief } from "./read-brief.js";

/** The brief-related options `qlf compile` and `qlf generate` share. */
export interface BriefCommandOptions {
  file?: string;
  stack?: "express" | "fastapi" | "gin";
  db?: "postgres";
  frontend?: "react" | "none";
  overlay?: string[];
  repo?: string;
}

/** Reads the brief from where the options say, loads the overlay catalog and compiles. */
export async function understandFromCli(
  brief: string | undefined,
  options: BriefCommandOptions,
): Promise<Understanding> {
  const text = await readBrief({ brief, file: options.file });
  const { catalog } = await loadCatalog(options.repo);
  return understandBrief(text, {
    overlayCatalog: catalog,
    ...(options.overlay === undefined ? {} : { overlays: options.overlay }),
    ...(options.stack === undefined ? {} : { stack: options.stack }),
    ...(options.frontend === undefined ? {} : { frontend: options.frontend }),
    ...(options.db === undefined ? {} : { db: options.db }),
  });
}
