/** The repair loop over an in-memory workspace, with a fake verifier and a fake model behind the router. */
import { describe, expect, it } from "vitest";
import {
  createRouter,
  formatSoc,
  type GeneratedFile,
  Ledger,
  LlmUnavailableError,
  llmRepairProvider,
  parseSocOrThrow,
  type RepairWorkspace,
  repairLoop,
  type VerifyReport,
} from "../../src/kernel/index.js";
import { fenced } from "../fixtures/llm/echo-model.js";
import { helthFinding, staticGateReport } from "./fake-verify.js";
import { answer, fakeEnvironment, fakePort, routed, type Step } from "./fakes.js";

/** The static gate fails once for every line containing "helth". */
function verifyOf(files: Map<string, GeneratedFile>): () => Promise<VerifyReport> {
  return () => {
    const findings = [...files.values()].flatMap((file) =>
      file.content
        .split("\n")
        .flatMap((line, index) => (line.includes("helth") ? [helthFinding(file.path, index + 1)] : [])),
    );
    return Promise.resolve(staticGateReport("app", findings));
  };
}

function workspaceOf(files: Map<string, GeneratedFile>): RepairWorkspace {
  return {
    read: (paths) => Promise.resolve(paths.flatMap((path) => files.get(path) ?? [])),
    write: (changed) => {
      for (const file of changed) files.set(file.path, file);
      return Promise.resolve();
    },
  };
}

const user = (messages: readonly { role: string; content: string }[]) =>
  messages.find((m) => m.role === "user")?.content ?? "";
/** The files of a repair prompt, edited by `fix`. */
const model =
  (fix: (content: string) => string): Step =>
  (call) => {
    const files = parseSocOrThrow(fenced(user(call.messages), "files") ?? "", {
      policy: { allowWorkflows: false },
    });
    return answer(formatSoc(files.map((file) => ({ ...file, content: fix(file.content) }))));
  };

function setup(step: Step) {
  const files = new Map<string, GeneratedFile>([
    [
      "src/a.ts",
      { path: "src/a.ts", content: "export const a = helth;\nexport const b = helth;\n", mode: 0o644 },
    ],
    ["src/ok.ts", { path: "src/ok.ts", content: "export const ok = 1;\n", mode: 0o644 }],
  ]);
  const port = fakePort([step]);
  const router = createRouter({
    providers: [routed(port)],
    ledger: new Ledger(null),
    environment: fakeEnvironment(),
  });
  const provider = llmRepairProvider({
    router,
    stack: { title: "TypeScript + Express 5", conventions: [] },
    policy: { allowWorkflows: false },
    temperature: 0,
    maxTokens: 2000,
  });
  return { files, port, provider, verify: verifyOf(files), workspace: workspaceOf(files) };
}

describe("repair loop", () => {
  it("sends the findings and the failing file, applies the answer, and stops when the gates pass", async () => {
    const { files, port, provider, verify, workspace } = setup(
      model((content) => content.replaceAll("helth", "health")),
    );
    const outcome = await repairLoop({ provider, verify, workspace, maxRounds: 3 });
    expect(outcome.status).toBe("passed");
    expect(outcome.rounds).toEqual([
      { round: 1, errorsBefore: 2, errorsAfter: 0, changed: ["src/a.ts"], kept: true },
    ]);
    expect(files.get("src/a.ts")?.content).toBe("export const a = health;\nexport const b = health;\n");
    const prompt = user(port.calls[0]?.messages ?? []);
    expect(prompt).toContain("[static] error src/a.ts:1: Cannot find name 'helth'.");
    expect(prompt).not.toContain("src/ok.ts");
  });

  it("undoes a round that does not reduce the errors, and stops", async () => {
    const { files, provider, verify, workspace } = setup(model((content) => `// tried\n${content}`));
    const before = files.get("src/a.ts")?.content;
    const outcome = await repairLoop({ provider, verify, workspace, maxRounds: 3 });
    expect(outcome.status).toBe("no-progress");
    expect(outcome.rounds).toEqual([
      { round: 1, errorsBefore: 2, errorsAfter: 2, changed: ["src/a.ts"], kept: false },
    ]);
    expect(files.get("src/a.ts")?.content).toBe(before);
  });

  it("keeps improving rounds up to the limit", async () => {
    const { provider, verify, workspace } = setup(model((content) => content.replace("helth", "health")));
    const outcome = await repairLoop({ provider, verify, workspace, maxRounds: 1 });
    expect(outcome.status).toBe("rounds-exhausted");
    expect(outcome.report.status).toBe("failed");
    expect(outcome.rounds.map((round) => [round.errorsBefore, round.errorsAfter, round.kept])).toEqual([
      [2, 1, true],
    ]);
    const more = await repairLoop({ provider, verify, workspace, maxRounds: 3 });
    expect(more.status).toBe("passed");
  });

  it("a model that writes a file it was not given is rejected; the workspace is untouched", async () => {
    const sneaky: Step = (call) => {
      const files = parseSocOrThrow(fenced(user(call.messages), "files") ?? "", {
        policy: { allowWorkflows: false },
      });
      return answer(
        formatSoc([
          ...files,
          { path: "src/ok.ts", content: "export const ok = 2; // and more\n", mode: 0o644 },
        ]),
      );
    };
    const { files, provider, verify, workspace } = setup(sneaky);
    await expect(repairLoop({ provider, verify, workspace, maxRounds: 2 })).rejects.toBeInstanceOf(
      LlmUnavailableError,
    );
    expect(files.get("src/ok.ts")?.content).toBe("export const ok = 1;\n");
  });
});
