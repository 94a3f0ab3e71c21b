// Full generation in-process with the FastAPI stack, per app: IR + resolved overlays → every file
// of the repository (plan, migrations, OpenAPI, the Python backend and its pytest suites, k8s,
// README, COMPLIANCE.md), and brief → files. Target: CPU p99 and wall p50 under 300 ms per app.
//
//   node bench/generate-fastapi.bench.mjs [--iterations 100] [--json]
import { loadIrFixtures, measureCases, reportGeneration } from "./lib/generation.mjs";
import { loadKernel, shippedOverlaySources } from "./lib/kernel.mjs";

const TARGET_MS = 300;
const args = process.argv.slice(2);
const iterations = Number(args[args.indexOf("--iterations") + 1] || 0) || 100;
const asJson = args.includes("--json");
const kernel = await loadKernel();
const { catalog } = kernel.loadOverlayCatalog(shippedOverlaySources(), []);
kernel.registerBuiltins();

const fixtures = loadIrFixtures(kernel, catalog);
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
const cases = [
  ...fixtures.map((f) => ({
    name: f.name,
    run: () => kernel.generateApp({ ir: f.ir, overlays: f.resolved, options }),
  })),
  ...briefs.map(([name, brief]) => ({
    name,
    run: () => {
      const { ir, resolved } = kernel.understandBrief(brief, { overlayCatalog: catalog });
      return kernel.generateApp({ ir, overlays: resolved, options });
    },
  })),
];

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
