import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/kernel/index.js";
import { configEntries, describeSource, resolveConfig } from "../../src/services/llm/config.js";
import { createLlmRuntime, modelInfo } from "../../src/services/llm/runtime.js";
import { REPO_ROOT, runQlf } from "../helpers/cli.js";

const home = "/home/tester";
const user = {
  path: "/home/tester/.config/qlf/config.yaml",
  text: `llm:
  providers: [openai]
  budgetUsd: 10
  openai:
    model: gpt-4o-mini
    apiKey: sk-user-secret
  models:
    gpt-4o-mini: { inputPer1k: 0.00015, outputPer1k: 0.0006 }
`,
};
const project = {
  path: ".qlf.yml",
  text: `llm:
  budgetUsd: 2.5
  models:
    anthropic.claude-3-5-sonnet-20240620-v1:0:
      inputPer1k: 0.003
      outputPer1k: 0.015
      maxOutputTokens: 8192
`,
};

function sourceOf(effective: ReturnType<typeof resolveConfig>, key: string): string {
  const entry = configEntries(effective).find((candidate) => candidate.key === key);
  if (entry === undefined) throw new Error(`no ${key}`);
  return describeSource(entry.source);
}

describe("configuration hierarchy", () => {
  it("defaults < user file < project file < environment < flags, each value with its source", () => {
    const effective = resolveConfig({
      home,
      userFile: user,
      projectFiles: [project],
      env: { QLF_BUDGET_USD: "4", OPENAI_BASE_URL: "http://127.0.0.1:8000/v1", AWS_REGION: "eu-west-1" },
      flags: { budgetUsd: "1.5", cache: false },
    });
    const { llm } = effective.config;
    expect(llm.providers).toEqual(["openai"]);
    expect(llm.budgetUsd).toBe(1.5);
    expect(llm.cache.enabled).toBe(false);
    expect(llm.openai).toMatchObject({ model: "gpt-4o-mini", baseUrl: "http://127.0.0.1:8000/v1" });
    expect(llm.cache.dir).toBe("/home/tester/.cache/qlf/llm");
    expect(sourceOf(effective, "llm.providers")).toBe("/home/tester/.config/qlf/config.yaml:2");
    expect(sourceOf(effective, "llm.openai.model")).toBe("/home/tester/.config/qlf/config.yaml:5");
    expect(sourceOf(effective, 'llm.models["anthropic.claude-3-5-sonnet-20240620-v1:0"].outputPer1k')).toBe(
      ".qlf.yml:6",
    );
    expect(sourceOf(effective, "llm.openai.baseUrl")).toBe("env OPENAI_BASE_URL");
    expect(sourceOf(effective, "llm.bedrock.region")).toBe("env AWS_REGION");
    expect(sourceOf(effective, "llm.budgetUsd")).toBe("flag --budget-usd");
    expect(sourceOf(effective, "llm.cache.enabled")).toBe("flag --no-cache");
    expect(sourceOf(effective, "llm.temperature")).toBe("default");
  });

  it("without a budget flag the environment wins over the files", () => {
    const effective = resolveConfig({
      home,
      userFile: user,
      projectFiles: [project],
      env: { QLF_BUDGET_USD: "4" },
    });
    expect(effective.config.llm.budgetUsd).toBe(4);
    expect(sourceOf(effective, "llm.budgetUsd")).toBe("env QLF_BUDGET_USD");
  });

  it("--model names the first LLM provider's model (the deployment for Azure)", () => {
    const openai = resolveConfig({ home, flags: { provider: "openai", model: "llama3.1" } });
    expect(openai.config.llm.openai.model).toBe("llama3.1");
    const azure = resolveConfig({
      home,
      flags: { provider: "azure,bedrock,template", model: "gpt-4o-prod" },
    });
    expect(azure.config.llm.azure.deployment).toBe("gpt-4o-prod");
    expect(azure.config.llm.providers).toEqual(["azure", "bedrock", "template"]);
    const env = resolveConfig({ home, env: { QLF_PROVIDER: "bedrock", QLF_MODEL: "amazon.nova-pro-v1:0" } });
    expect(env.config.llm.bedrock.model).toBe("amazon.nova-pro-v1:0");
    expect(() => resolveConfig({ home, flags: { model: "x" } })).toThrow(/--model needs an LLM provider/);
  });

  it("reports an invalid value where it was set", () => {
    const bad = { path: ".qlf.yml", text: "llm:\n  temperature: 0\n  concurrency: 99\n" };
    const error = (() => {
      try {
        resolveConfig({ home, projectFiles: [bad] });
      } catch (caught) {
        return caught as ConfigError;
      }
      throw new Error("no error");
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.location).toBe(".qlf.yml:3:1");
    expect(error.message).toContain("llm.concurrency");
    expect(() => resolveConfig({ home, flags: { provider: "gemini" } })).toThrow(
      /llm\.providers\[0\].*flag --provider/,
    );
    expect(() => resolveConfig({ home, flags: { provider: "template,openai" } })).toThrow(
      /template may only be the last/,
    );
    expect(() => resolveConfig({ home, env: { QLF_BUDGET_USD: "lots" } })).toThrow(
      /budgetUsd.*env QLF_BUDGET_USD/,
    );
    expect(() =>
      resolveConfig({ home, projectFiles: [{ path: ".qlf.yml", text: "llm:\n  provders: [openai]\n" }] }),
    ).toThrow(/unknown key "provders"/);
    expect(() => resolveConfig({ home, projectFiles: [{ path: ".qlf.yml", text: "llm: [\n" }] })).toThrow(
      /invalid YAML/,
    );
  });

  it("refuses secrets in a project file (it is committed) and masks them everywhere", () => {
    const leaky = { path: ".qlf.yml", text: "llm:\n  openai:\n    apiKey: sk-live-123\n" };
    expect(() => resolveConfig({ home, projectFiles: [leaky] })).toThrow(
      /secret and must not be in a project file/,
    );
    const effective = resolveConfig({
      home,
      userFile: user,
      env: { AZURE_OPENAI_API_KEY: "az-secret", REDIS_URL: "redis://:hunter2@127.0.0.1:6379/0" },
    });
    const shown = JSON.stringify(configEntries(effective));
    for (const secret of ["sk-user-secret", "az-secret", "hunter2"]) expect(shown).not.toContain(secret);
    expect(shown).toContain("redis://:****@127.0.0.1:6379/0");
    expect(effective.config.llm.openai.apiKey).toBe("sk-user-secret");
  });

  it("the README's example configuration is valid", () => {
    const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### LLM providers"));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toBeDefined();
    const { llm } = resolveConfig({ home, projectFiles: [{ path: "README.md", text: yaml ?? "" }] }).config;
    expect(llm.providers).toEqual(["bedrock", "azure", "template"]);
    expect(modelInfo(llm, "gpt-4o")).toEqual({
      inputPer1k: 0.0025,
      outputPer1k: 0.01,
      maxOutputTokens: 16384,
    });
  });

  it("prices and limits come from configuration", () => {
    const { llm } = resolveConfig({ home, userFile: user, projectFiles: [project] }).config;
    expect(modelInfo(llm, "gpt-4o-mini")).toEqual({
      inputPer1k: 0.00015,
      outputPer1k: 0.0006,
      maxOutputTokens: 8192,
    });
    expect(modelInfo(llm, "unknown")).toEqual({ inputPer1k: null, outputPer1k: null, maxOutputTokens: 8192 });
  });

  it("builds no router for template only, and says what a provider is missing", async () => {
    const template = await createLlmRuntime(resolveConfig({ home }).config.llm);
    expect(template.router).toBeUndefined();
    await expect(
      createLlmRuntime(resolveConfig({ home, flags: { provider: "azure" } }).config.llm),
    ).rejects.toThrow(/provider azure needs llm\.azure\.endpoint/);
    await expect(
      createLlmRuntime(
        resolveConfig({ home, flags: { provider: "openai", model: "m", budgetUsd: 1 } }).config.llm,
      ),
    ).rejects.toThrow(/needs llm\.openai\.apiKey/);
    const local = resolveConfig({
      home,
      env: { OPENAI_BASE_URL: "http://127.0.0.1:9/v1" },
      flags: { provider: "openai", model: "m", budgetUsd: 1 },
    }).config.llm;
    await expect(createLlmRuntime(local)).rejects.toThrow(/has no price/);
  });
});

describe("qlf config show", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "qlf-config-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints every value with its source, secrets masked", async () => {
    const userDir = path.join(dir, "home", ".config", "qlf");
    mkdirSync(userDir, { recursive: true });
    writeFileSync(path.join(userDir, "config.yaml"), user.text);
    const repo = path.join(dir, "repo");
    mkdirSync(repo);
    writeFileSync(path.join(repo, ".qlf.yml"), project.text);
    const env = {
      HOME: path.join(dir, "home"),
      XDG_CONFIG_HOME: undefined,
      OPENAI_API_KEY: "sk-env-secret",
      QLF_PROVIDER: undefined,
    };
    const { code, stdout, stderr } = await runQlf(["config", "show"], { cwd: repo, env });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/llm\.openai\.apiKey\s+\*\*\*\*\s+env OPENAI_API_KEY/);
    expect(stdout).toMatch(/llm\.budgetUsd\s+2\.5\s+\.qlf\.yml:2/);
    expect(stdout).toMatch(/llm\.providers\s+\["openai"\]\s+.*config\.yaml:2/);
    expect(stdout).not.toContain("sk-env-secret");
    const json = await runQlf(["config", "show", "--json"], { cwd: repo, env });
    const parsed = JSON.parse(json.stdout) as { values: Record<string, { value: unknown; source: string }> };
    expect(parsed.values["llm.openai.apiKey"]).toEqual({ value: "****", source: "env OPENAI_API_KEY" });
  });

  it("exits 1 with the file and line of an invalid value", async () => {
    const repo = path.join(dir, "bad");
    mkdirSync(repo);
    writeFileSync(path.join(repo, ".qlf.yml"), "llm:\n  mode: creative\n");
    const { code, stderr } = await runQlf(["config", "show"], {
      cwd: repo,
      env: { HOME: path.join(dir, "none") },
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^qlf: error: \.qlf\.yml:2:1: llm\.mode: /);
  });
});
