/**
 * The LLM repair provider: the verifier's `RepairProvider` backed by the router. The findings and
 * the files they name go to the model with the repair prompt; the answer must pass the SOC parser
 * and contain exactly those files, so a repair can change nothing else.
 */
import type { TreePolicy } from "../generate/tree.js";
import type { Router } from "../llm/router.js";
import { socValidator } from "../llm/validators.js";
import { composeRepairPrompt } from "../prompts/repair.js";
import type { RepairProvider } from "../verifier/repair.js";

export interface LlmRepairOptions {
  readonly router: Router;
  readonly stack: { readonly title: string; readonly conventions: readonly string[] };
  readonly policy: TreePolicy;
  readonly temperature: number;
  /** Answer limit per call. */
  readonly maxTokens: number;
}

/**
 * @example
 * const provider = llmRepairProvider({ router, stack, policy: { allowWorkflows: false }, temperature: 0, maxTokens: 8192 });
 * await repairLoop({ provider, verify, workspace, maxRounds: 3 });
 */
export function llmRepairProvider(options: LlmRepairOptions): RepairProvider {
  let round = 0;
  return {
    id: options.router.providers.map(({ port }) => `${port.provider}/${port.model}`).join(","),
    async repair(tasks, files) {
      round++;
      const findings = tasks.flatMap((task) => task.findings);
      // Files the findings name and the workspace has; findings without a file still inform the model.
      const wanted = new Set(tasks.flatMap((task) => (task.path === null ? [] : [task.path])));
      const given = files.filter((file) => wanted.has(file.path));
      if (given.length === 0) return [];
      const answer = await options.router.complete(
        {
          agent: "repair",
          messages: composeRepairPrompt({
            findings,
            files: given,
            stack: options.stack,
            policy: options.policy,
            round,
          }),
          maxTokens: options.maxTokens,
          temperature: options.temperature,
          format: { kind: "text" },
        },
        socValidator({ policy: options.policy, expectedPaths: given.map((file) => file.path) }),
      );
      return answer.value;
    },
  };
}
