// Full generation in-process with the Gin stack, per app: IR + resolved overlays → every file of
// the repository (plan, migrations, OpenAPI, the Go backend and its go tests, k8s, README,
// COMPLIANCE.md), and brief → files ("… in Go" picks the stack). Also the Gin generator alone
// (plan in, Go files out), to show its share. Target: CPU p99 and wall p50 under 300 ms per app.
//
//   node bench/generate-gin.bench.mjs [--iterations 100] [--json]
import { generationBench, generationCases, measureCases, reportGeneration } from "./lib/generation.mjs";

const TARGET_MS = 300;
const bench = await generationBench();
const { iterations, asJson, kernel } = bench;
const gin = kernel.getStack("gin");
if (gin === undefined) throw new Error("the gin stack is not registered by registerBuiltins()");

const briefs = [
  ["pharmacy (brief)", "Pharmacy API in Go: pharmacists fill prescriptions for patients; HIPAA"],
  [
    "payments (brief)",
    "Payments API in Go for merchants: customers pay by card and managers approve refunds",
  ],
  ["shop (brief)", "Online shop in Go for EU customers with products, orders and GDPR consent"],
];
// The backend is what this benchmark is about; the frontend has its own cost in generate.bench.mjs.
const options = { stack: "gin", allowWorkflows: true, generatorVersion: "bench", frontend: "none" };

/** The Gin generator alone, on the context the pipeline would give it. */
function stackOnly(ir, resolved) {
  const rules = kernel.bareRules(resolved.rules);
  const context = {
    ir,
    plan: kernel.planApi(ir, rules),
    rules,
    controls: resolved.controls,
    options: { allowWorkflows: true, generatorVersion: "bench" },
  };
  return () => gin.generate(context);
}

const cases = generationCases(bench, briefs, options, { stackOnly, briefStack: "gin" });

const { results, overall } = measureCases(cases, iterations);
const pass = reportGeneration({
  title: "generateApp --stack gin (stack p50: the Gin generator alone)",
  results,
  overall,
  iterations,
  targetMs: TARGET_MS,
  asJson,
  json: { stack: "gin" },
});
process.exitCode = pass ? 0 : 1;
