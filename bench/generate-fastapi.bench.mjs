// Full generation in-process with the FastAPI stack, per app: IR + resolved overlays → every file
// of the repository (plan, migrations, OpenAPI, the Python backend and its pytest suites, k8s,
// README, COMPLIANCE.md), and brief → files. Target: CPU p99 and wall p50 under 300 ms per app.
//
//   node bench/generate-fastapi.bench.mjs [--iterations 100] [--json]
import { generationBench, generationCases, measureCases, reportGeneration } from "./lib/generation.mjs";

const TARGET_MS = 300;
const bench = await generationBench();
const { iterations, asJson } = bench;
const briefs = [
  ["pharmacy (brief)", "Pharmacy API in Python: pharmacists fill prescriptions for patients; HIPAA"],
  [
    "payments (brief)",
    "Payments API in Python for merchants: customers pay by card and managers approve refunds",
  ],
  ["shop (brief)", "Online shop in Python for EU customers with products, orders and GDPR consent"],
];
// The backend is what this benchmark is about; the frontend has its own cost in generate.bench.mjs.
const options = { stack: "fastapi", allowWorkflows: true, generatorVersion: "bench", frontend: "none" };
const cases = generationCases(bench, briefs, options);

const { results, overall } = measureCases(cases, iterations);
const pass = reportGeneration({
  title: "generateApp --stack fastapi",
  results,
  overall,
  iterations,
  targetMs: TARGET_MS,
  asJson,
  json: { stack: "fastapi" },
});
process.exitCode = pass ? 0 : 1;
