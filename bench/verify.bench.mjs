// `qlf verify` on a generated Express app: wall time of each gate and of the whole run, with the
// gates side by side (the default) and one after another (--no-parallel), alternating so that both
// see the same machine load. The app is generated once (the HR brief of the corpus: JWT roles,
// relations, actions; every operation is callable) and its dependencies installed by the app
// harness. Exit code 1 when a run does not produce a report or a gate does not pass.
//
//   node bench/verify.bench.mjs [--runs 3] [--brief test/corpus/dev/15-hr-leave.md]
//
// Needs PostgreSQL (QLF_VERIFY_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres).

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { installDependencies } from "../scripts/app-harness/harness.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : args[at + 1];
};
const runs = Number(option("--runs", "3"));
const briefFile = option("--brief", "test/corpus/dev/15-hr-leave.md");
const GATES = ["static", "unit", "contract", "migration", "security"];

const qlf = (argv) =>
  spawnSync(process.execPath, [path.join(root, "bin", "qlf.js"), ...argv], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });

const work = mkdtempSync(path.join(os.tmpdir(), "qlf-verify-bench-"));
const app = path.join(work, "app");
const generated = qlf(["generate", readFileSync(path.join(root, briefFile), "utf8"), "--out", app]);
if (generated.status !== 0) {
  process.stderr.write(generated.stderr);
  process.exit(1);
}
const install = await installDependencies(app);
process.stdout.write(
  `app: ${briefFile} (Express), dependencies ${install.reused ? "reused" : `installed in ${install.ms} ms`}\n`,
);

let failed = false;
function verify(parallel) {
  const started = performance.now();
  const result = qlf(["verify", app, "--format", "json", ...(parallel ? [] : ["--no-parallel"])]);
  const wall = performance.now() - started;
  let report;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    process.stderr.write(`no report (exit ${result.status}):\n${result.stderr}\n`);
    failed = true;
    return undefined;
  }
  for (const gate of report.gates) {
    if (gate.status !== "passed") {
      process.stderr.write(`${gate.gate} ${gate.status}: ${gate.reason ?? gate.summary}\n`);
      failed = true;
    }
  }
  return {
    wall,
    total: report.durationMs,
    gates: Object.fromEntries(report.gates.map((g) => [g.gate, g.durationMs])),
  };
}

// One warm-up run: compiler caches, the page cache, PostgreSQL's template database.
verify(true);
const samples = { parallel: [], sequential: [] };
for (let i = 0; i < runs; i++) {
  for (const mode of i % 2 === 0 ? ["parallel", "sequential"] : ["sequential", "parallel"]) {
    const sample = verify(mode === "parallel");
    if (sample !== undefined) samples[mode].push(sample);
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0
    ? Number.NaN
    : sorted.length % 2 === 1
      ? sorted[mid]
      : (sorted[mid - 1] + sorted[mid]) / 2;
};
const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
const row = (cells) => `| ${cells.join(" | ")} |\n`;

process.stdout.write(
  `\n${runs} run(s) each after one warm-up; Node ${process.versions.node}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}\n\n`,
);
process.stdout.write(row(["gate", "parallel p50", "sequential p50"]));
process.stdout.write(row(["---", "---:", "---:"]));
for (const gate of GATES) {
  process.stdout.write(
    row([
      gate,
      s(median(samples.parallel.map((x) => x.gates[gate]))),
      s(median(samples.sequential.map((x) => x.gates[gate]))),
    ]),
  );
}
const parallelTotal = median(samples.parallel.map((x) => x.total));
const sequentialTotal = median(samples.sequential.map((x) => x.total));
process.stdout.write(row(["**total (report)**", `**${s(parallelTotal)}**`, `**${s(sequentialTotal)}**`]));
process.stdout.write(
  row([
    "process wall",
    s(median(samples.parallel.map((x) => x.wall))),
    s(median(samples.sequential.map((x) => x.wall))),
  ]),
);
process.stdout.write(`\nparallel / sequential: ${(parallelTotal / sequentialTotal).toFixed(2)}\n`);

rmSync(work, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
