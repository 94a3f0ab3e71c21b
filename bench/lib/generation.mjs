// Shared by the generation benchmarks (one per stack): the IR fixtures, the measuring loop and the
// report, so each benchmark only says which cases it runs.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadKernel, percentile, root, shippedOverlaySources } from "./kernel.mjs";

/** The hand-built IR fixtures of test/fixtures/ir with their resolved overlays. */
export function loadIrFixtures(kernel, catalog) {
  const dir = path.join(root, "test", "fixtures", "ir");
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => {
      const ir = kernel.IR.parse(JSON.parse(readFileSync(path.join(dir, name), "utf8")));
      return {
        name: name.replace(/\.json$/, ""),
        ir,
        resolved: kernel.resolveOverlays(ir.overlays, catalog),
      };
    });
}

/** What every generation benchmark starts from: its flags, the kernel with its stacks, the catalog. */
export async function generationBench() {
  const args = process.argv.slice(2);
  const iterations = Number(args[args.indexOf("--iterations") + 1] || 0) || 100;
  const asJson = args.includes("--json");
  const kernel = await loadKernel();
  const { catalog } = kernel.loadOverlayCatalog(shippedOverlaySources(), []);
  kernel.registerBuiltins();
  return { iterations, asJson, kernel, catalog, fixtures: loadIrFixtures(kernel, catalog) };
}

/**
 * One case per IR fixture and one per brief (compiled inside the timed run), generated with
 * `options`. `extra.stackOnly(ir, resolved)` gives a case its stack generator alone, timed beside
 * the whole run; `extra.briefStack` generates the briefs without a stack flag and checks that the
 * brief's own words chose that stack ("… in Go").
 */
export function generationCases({ kernel, catalog, fixtures }, briefs, options, extra = {}) {
  const { stackOnly, briefStack } = extra;
  const briefOptions = briefStack === undefined ? options : { ...options, stack: undefined };
  return [
    ...fixtures.map((f) => ({
      name: f.name,
      run: () => kernel.generateApp({ ir: f.ir, overlays: f.resolved, options }),
      ...(stackOnly === undefined ? {} : { stack: stackOnly(f.ir, f.resolved) }),
    })),
    ...briefs.map(([name, brief]) => {
      const understood =
        stackOnly === undefined ? null : kernel.understandBrief(brief, { overlayCatalog: catalog });
      return {
        name,
        run: () => {
          const { ir, resolved } = kernel.understandBrief(brief, { overlayCatalog: catalog });
          const result = kernel.generateApp({ ir, overlays: resolved, options: briefOptions });
          if (briefStack !== undefined && result.summary.stack !== briefStack)
            throw new Error(`${name}: the brief chose ${result.summary.stack}, not ${briefStack}`);
          return result;
        },
        ...(understood === null ? {} : { stack: stackOnly(understood.ir, understood.resolved) }),
      };
    }),
  ];
}

const summarise = (samples) => {
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
};

/**
 * Runs every case `iterations` times after 5 warm-up runs. Wall time is what a user waits for; CPU
 * time (this process, all threads) is what the work costs. On a shared machine other tenants
 * stretch wall time at random, so the target is checked on CPU p99 and wall p50; both are reported.
 * A case may carry a `stack` function (the stack generator alone), timed beside the whole run.
 */
export function measureCases(cases, iterations) {
  const results = [];
  const allWall = [];
  const allCpu = [];
  for (const item of cases) {
    let files = 0;
    for (let i = 0; i < 5; i++) {
      files = item.run().files.length;
      item.stack?.();
    }
    const wall = [];
    const cpu = [];
    const stack = [];
    for (let i = 0; i < iterations; i++) {
      const startCpu = process.cpuUsage();
      const start = performance.now();
      item.run();
      wall.push(performance.now() - start);
      const used = process.cpuUsage(startCpu);
      cpu.push((used.user + used.system) / 1000);
      if (item.stack !== undefined) {
        const stackStart = performance.now();
        item.stack();
        stack.push(performance.now() - stackStart);
      }
    }
    allWall.push(...wall);
    allCpu.push(...cpu);
    results.push({
      name: item.name,
      files,
      wall: summarise(wall),
      cpu: summarise(cpu),
      ...(stack.length > 0 ? { stack: summarise(stack) } : {}),
    });
  }
  return { results, overall: { wall: summarise(allWall), cpu: summarise(allCpu) } };
}

/** Prints the table (or JSON) and returns whether every case met the target. */
export function reportGeneration({ title, results, overall, iterations, targetMs, asJson, json = {} }) {
  const pass = results.every((result) => result.cpu.p99 < targetMs && result.wall.p50 < targetMs);
  if (asJson) {
    process.stdout.write(
      `${JSON.stringify({ iterations, targetMs, ...json, results, overall, pass }, null, 2)}\n`,
    );
    return pass;
  }
  const withStack = results.some((result) => result.stack !== undefined);
  const fmt = (ms) => `${ms.toFixed(1)} ms`.padStart(10);
  process.stdout.write(
    `${title}, ${iterations} iterations per app (target: CPU p99 and wall p50 < ${targetMs} ms)\n`,
  );
  process.stdout.write(
    `${"app".padEnd(20)}${"files".padStart(6)}${"wall p50".padStart(10)}${"wall p99".padStart(10)}${"cpu p50".padStart(10)}${"cpu p99".padStart(10)}${withStack ? "stack p50".padStart(11) : ""}\n`,
  );
  for (const r of [...results, { name: "all", files: "", ...overall }]) {
    const stack = withStack ? (r.stack === undefined ? "".padStart(11) : ` ${fmt(r.stack.p50)}`) : "";
    process.stdout.write(
      `${r.name.padEnd(20)}${String(r.files).padStart(6)}${fmt(r.wall.p50)}${fmt(r.wall.p99)}${fmt(r.cpu.p50)}${fmt(r.cpu.p99)}${stack}\n`,
    );
  }
  process.stdout.write(`${pass ? "PASS" : "FAIL"}\n`);
  return pass;
}
