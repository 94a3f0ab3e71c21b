import { compileBrief, type IR } from "../../kernel/index.js";
import { loadCatalog } from "../../services/overlay-files.js";
import type { CompileCommandOptions } from "../commands/compile.js";
import { readBrief } from "../read-brief.js";
import { renderIr } from "../render-ir.js";

export async function runCompile(brief: string | undefined, options: CompileCommandOptions): Promise<void> {
  const text = await readBrief({ brief, file: options.file });
  const { catalog } = await loadCatalog(options.repo);
  const ir: IR = compileBrief(text, {
    overlayCatalog: catalog,
    ...(options.overlay === undefined ? {} : { overlays: options.overlay }),
    ...(options.stack === undefined ? {} : { stack: options.stack }),
    ...(options.frontend === undefined ? {} : { frontend: options.frontend }),
    ...(options.db === undefined ? {} : { db: options.db }),
  });
  process.stdout.write(
    options.json === true
      ? `${JSON.stringify(ir, null, 2)}\n`
      : renderIr(ir, { color: process.stdout.isTTY === true }),
  );
}
