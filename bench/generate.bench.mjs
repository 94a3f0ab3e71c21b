// Full generation in-process, per app: IR + resolved overlays → every file of the repository
// (plan, migrations, OpenAPI, stack backend and tests, frontend, k8s, README, COMPLIANCE.md).
// Also brief → files (compile + resolve + generate). Target: p99 under 300 ms per app.
//
//   node bench/generate.bench.mjs [--iterations 40] [--json]
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const TARGET_MS = 300;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const iterations = Number(args[args.indexOf("--iterations") + 1] || 0) || 40;
const asJson = args.includes("--json");

// The kernel is TypeScript: bundle it once (esbuild, like the CLI build) and import the result.
const outDir = path.join(root, "node_modules", ".cache", "qlf-bench");
mkdirSync(outDir, { recursive: true });
const outfile = path.join(outDir, "kernel.mjs");
await build({
  entryPoints: [path.join(root, "src", "kernel", "index.ts")],
  outfile,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node24",
  packages: "external",
  logLevel: "warning",
});
const kernel = await import(pathToFileURL(outfile).href);

function overlaySources(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return overlaySources(full, base);
      return /\.ya?ml$/.test(entry.name)
        ? [{ path: path.relative(root, full), text: readFileSync(full, "utf8") }]
        : [];
    })
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}
const { catalog } = kernel.loadOverlayCatalog(overlaySources(path.join(root, "overlays")), []);
kernel.registerBuiltins();

const fixtureDir = path.join(root, "test", "fixtures", "ir");
const fixtures = readdirSync(fixtureDir)
  .filter((name) => name.endsWith(".json"))
  .sort()
  .map((name) => {
    const ir = kernel.IR.parse(JSON.parse(readFileSync(path.join(fixtureDir, name), "utf8")));
    return { name: name.replace(/\.json$/, ""), ir, resolved: kernel.resolveOverlays(ir.overlays, catalog) };
  });
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

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const results = [];
const all = [];
for (const item of cases) {
  let files = 0;
  for (let i = 0; i < 5; i++) files = item.run().files.length; // warm up the JIT
  const times = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    item.run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  all.push(...times);
  results.push({
    name: item.name,
    files,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    max: times.at(-1),
  });
}
all.sort((a, b) => a - b);
const overall = { p50: percentile(all, 50), p99: percentile(all, 99) };
const pass = results.every((result) => result.p99 < TARGET_MS);

if (asJson) {
  process.stdout.write(
    `${JSON.stringify({ iterations, targetMs: TARGET_MS, results, overall, pass }, null, 2)}\n`,
  );
} else {
  const fmt = (ms) => `${ms.toFixed(1)} ms`.padStart(10);
  process.stdout.write(
    `generateApp, ${iterations} iterations per app (target p99 < ${TARGET_MS} ms)${hasFrontend ? "" : " [no frontend registered]"}\n`,
  );
  process.stdout.write(
    `${"app".padEnd(22)}${"files".padStart(6)}${"p50".padStart(10)}${"p99".padStart(10)}${"max".padStart(10)}\n`,
  );
  for (const r of results) {
    process.stdout.write(
      `${r.name.padEnd(22)}${String(r.files).padStart(6)}${fmt(r.p50)}${fmt(r.p99)}${fmt(r.max)}\n`,
    );
  }
  process.stdout.write(
    `${"all".padEnd(28)}${fmt(overall.p50)}${fmt(overall.p99)}\n${pass ? "PASS" : "FAIL"}\n`,
  );
}
process.exitCode = pass ? 0 : 1;
