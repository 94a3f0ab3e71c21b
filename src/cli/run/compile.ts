import type { CompileCommandOptions } from "../commands/compile.js";
import { openLlmSession } from "../llm-session.js";
import { renderIr } from "../render-ir.js";

export async function runCompile(brief: string | undefined, options: CompileCommandOptions): Promise<void> {
  // With an LLM provider configured (llm.providers, QLF_PROVIDER), the model completes the IR.
  await using llm = await openLlmSession(options);
  const { ir } = await llm.understand(brief, options);
  process.stderr.write(llm.text());
  process.stdout.write(
    options.json === true
      ? `${JSON.stringify(ir, null, 2)}\n`
      : renderIr(ir, { color: process.stdout.isTTY === true }),
  );
}
