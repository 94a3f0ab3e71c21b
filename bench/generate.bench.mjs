// Full generation in-process, per app: IR + resolved overlays → every file of the repository
// (plan, migrations, OpenAPI, stack backend and tests, frontend, k8s, README, COMPLIANCE.md).
// Also brief → files (compile + resolve + generate). Target: p99 under 300 ms per app.
//
//   node bench/generate.bench.mjs [--iterations 100] [--json]
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
  title: `generateApp${hasFrontend ? "" : " [no frontend registered]"}`,
  results,
  overall,
  iterations,
  targetMs: TARGET_MS,
  asJson,
  json: { frontend: hasFrontend },
});
process.exitCode = pass ? 0 : 1;
