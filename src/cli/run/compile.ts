import type { CompileCommandOptions } from "../commands/compile.js";
import { renderIr } from "../render-ir.js";
import { understandFromCli } from "../understand.js";

export async function runCompile(brief: string | undefined, options: CompileCommandOptions): Promise<void> {
  const { ir } = await understandFromCli(brief, options);
  process.stdout.write(
    options.json === true
      ? `${JSON.stringify(ir, null, 2)}\n`
      : renderIr(ir, { color: process.stdout.isTTY === true }),
  );
}
