// Full generation in-process, per app: IR + resolved overlays → every file of the repository
// (plan, migrations, OpenAPI, stack backend and tests, frontend, k8s, README, COMPLIANCE.md).
// Also brief → files (compile + resolve + generate). Target: p99 under 300 ms per app.
//
//   node bench/generate.bench.mjs [--iterations 100] [--json]
import { generationBench, generationCases, measureCases, reportGeneration } from "./lib/generation.mjs";

const TARGET_MS = 300;
const bench = await generationBench();
const { iterations, asJson, kernel } = bench;
const briefs = [
  ["pharmacy (brief)", "Pharmacy API: pharmacists fill prescriptions for patients; HIPAA"],
  ["payments (brief)", "Payments API for merchants: customers pay by card and managers approve refunds"],
  ["shop (brief)", "Online shop for EU customers with products, orders and GDPR consent"],
];

// Until a frontend is registered, fullstack fixtures are generated without one (and the report says so).
const hasFrontend = kernel.getFrontend("react") !== undefined;
const options = {
  allowWorkflows: true,
  generatorVersion: "bench",
  ...(hasFrontend ? {} : { frontend: "none" }),
};
const cases = generationCases(bench, briefs, options);

const { results, overall } = measureCases(cases, iterations);
const pass = reportGeneration({
  title: `generateApp${hasFrontend ? "" : " [no frontend registered]"}`,
  results,
  overall,
  iterations,
  targetMs: TARGET_MS,
  asJson,
  json: { frontend: hasFrontend },
});
process.exitCode = pass ? 0 : 1;
