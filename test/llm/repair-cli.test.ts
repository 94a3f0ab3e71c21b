/** `qlf verify --repair`'s session: the directory workspace and a repair through the fake OpenAI server. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { directoryWorkspace, repairApp } from "../../src/cli/repair-session.js";
import { UnsafePathError, type VerifyReport } from "../../src/kernel/index.js";
import { type FakeOpenAi, startFakeOpenAi } from "../fixtures/llm/fake-openai-server.js";
import { helthFinding, staticGateReport } from "./fake-verify.js";

let dir: string;
let server: FakeOpenAi;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "qlf-repair-"));
  mkdirSync(path.join(dir, "app", "src"), { recursive: true });
  writeFileSync(path.join(dir, "secret.txt"), "outside\n");
  server = await startFakeOpenAi();
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("directory workspace", () => {
  it("reads and writes files inside the directory only", async () => {
    const app = path.join(dir, "app");
    writeFileSync(path.join(app, "src", "a.ts"), "export const a = 1;\n");
    symlinkSync(path.join(dir, "secret.txt"), path.join(app, "src", "link.ts"));
    const workspace = directoryWorkspace(app, { allowWorkflows: false });
    expect(await workspace.read(["src/a.ts", "src/missing.ts", "src/link.ts"])).toEqual([
      { path: "src/a.ts", content: "export const a = 1;\n", mode: 0o644 },
    ]);
    await expect(workspace.read(["../secret.txt"])).rejects.toBeInstanceOf(UnsafePathError);
    await workspace.write([
      { path: "src/a.ts", content: "export const a = 2;\n", mode: 0o644 },
      { path: "src/link.ts", content: "overwritten\n", mode: 0o644 },
      { path: "src/new.ts", content: "created\n", mode: 0o644 },
    ]);
    expect(readFileSync(path.join(app, "src", "a.ts"), "utf8")).toBe("export const a = 2;\n");
    expect(readFileSync(path.join(dir, "secret.txt"), "utf8")).toBe("outside\n");
    expect(() => readFileSync(path.join(app, "src", "new.ts"))).toThrow();
  });
});

describe("repairApp", () => {
  it("repairs the failing file through the configured provider until the gates pass", async () => {
    const app = path.join(dir, "app");
    writeFileSync(path.join(app, "src", "health.ts"), "export const ok = helth;\n");
    const verify = (): Promise<VerifyReport> => {
      const broken = readFileSync(path.join(app, "src", "health.ts"), "utf8").includes("helth");
      return Promise.resolve(staticGateReport(app, broken ? [helthFinding("src/health.ts", 1)] : []));
    };
    const saved = { ...process.env };
    Object.assign(process.env, {
      HOME: dir,
      OPENAI_BASE_URL: server.baseUrl,
      OPENAI_API_KEY: "sk-fake",
      QLF_OPENAI_MODEL: "fake-model",
    });
    delete process.env.REDIS_URL;
    delete process.env.XDG_CONFIG_HOME;
    const lines: string[] = [];
    try {
      const report = await repairApp(app, await verify(), verify, {
        provider: "openai",
        allowWorkflows: false,
        log: (line) => lines.push(line),
      });
      expect(report.status).toBe("passed");
    } finally {
      process.env = saved;
    }
    expect(readFileSync(path.join(app, "src", "health.ts"), "utf8")).toBe("export const ok = health;\n");
    expect(lines[0]).toBe("qlf verify: repair round 1: 1 file(s) changed, errors 1 → 0");
    expect(lines[1]).toMatch(/^qlf verify: repair passed after 1 round\(s\); 1 LLM call\(s\), \d+ tokens/);
    const repairRequest = server.requests.at(-1);
    expect(repairRequest?.body.messages.find((m) => m.role === "user")?.content).toContain(
      "[static] error src/health.ts:1: Cannot find name 'helth'.",
    );
  });
});
