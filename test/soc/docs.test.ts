import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { SOC_GRAMMAR } from "../../src/kernel/index.js";
import { REPO_ROOT } from "../helpers/cli.js";

it("docs/soc.md carries the grammar the prompts embed, word for word", () => {
  const doc = readFileSync(path.join(REPO_ROOT, "docs", "soc.md"), "utf8");
  const abnf = /```abnf\n([\s\S]*?)\n```/.exec(doc)?.[1];
  expect(abnf).toBe(SOC_GRAMMAR);
});
