/**
 * The three stacks take their test data from one decision (`sampleOf`) and only write it in their
 * own language: the same field gets the same value in TypeScript, Python and Go.
 */
import { beforeAll, expect, it } from "vitest";
import { bareRules, compileBrief, type Overlay, planApi } from "../../src/kernel/index.js";
import { sampleValue as tsSample } from "../../src/kernel/stacks/express/tests/values.js";
import { sampleValue as pySample } from "../../src/kernel/stacks/fastapi/tests/values.js";
import { sampleInput as goSample } from "../../src/kernel/stacks/gin/tests/samples.js";
import { sampleOf } from "../../src/kernel/stacks/shared/sample-values.js";
import { loadCatalog } from "../../src/services/overlay-files.js";

let catalog: Overlay[];
beforeAll(async () => {
  catalog = (await loadCatalog()).catalog;
});

const fieldsOf = (brief: string, entity: string) => {
  const ir = compileBrief(brief, { overlayCatalog: catalog });
  const plan = planApi(ir, bareRules([]));
  return new Map(plan.entities.find((e) => e.name === entity)?.fields.map((f) => [f.name, f]) ?? []);
};

it("renders one sample per field in each language", () => {
  const fields = fieldsOf(
    "Club API: members (email, phone, website, active yes/no) attend events (title, date).",
    "Member",
  );
  const email = fields.get("email");
  expect(email && sampleOf(email)).toEqual({
    kind: "sequence-text",
    prefix: "sample-",
    width: 0,
    suffix: "@example.com",
  });
  expect(email && [tsSample(email, "n"), pySample(email, "n"), goSample(email)]).toEqual([
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the expected generated TypeScript source
    "`sample-${n}@example.com`",
    'f"sample-{n}@example.com"',
    'fmt.Sprintf("sample-%d@example.com", n)',
  ]);
  const phone = fields.get("phone");
  expect(phone && [tsSample(phone, "n"), pySample(phone, "n"), goSample(phone)]).toEqual([
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the expected generated TypeScript source
    '`+1555${String(n).padStart(7, "0")}`',
    'f"+1555{n:07d}"',
    'fmt.Sprintf("+1555%07d", n)',
  ]);
  const active = fields.get("active");
  expect(active && [tsSample(active, "n"), pySample(active, "n"), goSample(active)]).toEqual([
    "true",
    "True",
    "true",
  ]);
});
