// Capsule packaging and verification on a generated source tree, side by side with `tar -czf` and
// `sha256sum` on the same tree in the same run, with the peak RSS of each qlf process.
// Targets (issue 7): RSS < 150 MB while packaging; packaging and verification at ≥ 80 % of the speed
// of the tools doing the same work (see BENCHMARKS.md for what is compared with what).
//
//   node bench/capsule.bench.mjs [--size-mb 200] [--runs 3] [--level 6] [--keep]
//
// The tree (deterministic, in $TMPDIR/qlf-capsule-bench-<size>) is kept between runs unless it is
// incomplete; every measurement reads it from the page cache (a warm-up read comes first).

import { spawnSync } from "node:child_process";
import { createCipheriv } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : args[at + 1];
};
const sizeMb = Number(option("--size-mb", "200"));
const runs = Number(option("--runs", "3"));
const level = option("--level", "6");
const keep = args.includes("--keep");
const RSS_TARGET_MB = 150;
const SPEED_TARGET = 0.8;

// ---- the tree: many small source-like files, some medium, a few large; ~70 % text, ~30 % binary ----

function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeTree(dir, totalBytes) {
  const random = prng(7);
  const words = (
    "const let function return import export from async await if else for while class new this " +
    "patient appointment prescription order invoice customer request response handler router " +
    "database query insert update delete select where join table column index schema migration " +
    "test expect describe it should render component props state effect memo callback error"
  ).split(" ");
  // 8 MiB of source-like text to cut files from (compresses roughly like real code, about 4:1).
  const lines = [];
  let textBytes = 0;
  while (textBytes < 8 * 1024 * 1024) {
    const indent = " ".repeat(2 * Math.floor(random() * 4));
    const n = 3 + Math.floor(random() * 9);
    let line = indent;
    for (let i = 0; i < n; i++)
      line += `${words[Math.floor(random() * words.length)]}${random() < 0.2 ? "(" : " "}`;
    line += random() < 0.5 ? ";" : ` // ${Math.floor(random() * 1e6).toString(36)}`;
    lines.push(line);
    textBytes += line.length + 1;
  }
  const text = Buffer.from(lines.join("\n"));
  const binary = createCipheriv("aes-128-ctr", Buffer.alloc(16, 1), Buffer.alloc(16, 2));

  mkdirSync(dir, { recursive: true });
  let written = 0;
  let index = 0;
  while (written < totalBytes) {
    const r = random();
    const size =
      r < 0.85
        ? 512 + Math.floor(random() * 48 * 1024)
        : r < 0.985
          ? 64 * 1024 + Math.floor(random() * 2 * 1024 * 1024)
          : 8 * 1024 * 1024 + Math.floor(random() * 24 * 1024 * 1024);
    const isBinary = random() < (size > 4 * 1024 * 1024 ? 0.3 : 0.15);
    let data;
    if (isBinary) data = binary.update(Buffer.alloc(size));
    else {
      const parts = [];
      for (let left = size; left > 0; ) {
        const take = Math.min(left, 4096 + Math.floor(random() * 60000));
        const at = Math.floor(random() * (text.length - take));
        parts.push(text.subarray(at, at + take));
        left -= take;
      }
      data = Buffer.concat(parts);
    }
    const sub = path.join(dir, `pkg${index % 23}`, `mod${index % 7}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, `f${index}${isBinary ? ".bin" : ".ts"}`), data);
    written += size;
    index++;
  }
  writeFileSync(path.join(dir, ".complete"), String(written));
  return { files: index, bytes: written };
}

function treeStats(dir) {
  let files = 0;
  let bytes = 0;
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name !== ".complete") {
        files++;
        bytes += statSync(p).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

// ---- measuring ----

/**
 * Runs a shell command under GNU time: wall seconds, CPU seconds (user + system of every process
 * it ran, e.g. tar and gzip), and the peak RSS (MiB) of the largest of them.
 */
function timed(command) {
  const result = spawnSync("/usr/bin/time", ["-f", "%e %U %S %M", "sh", "-c", command], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = result.stderr.trim().split("\n").at(-1) ?? "";
  const [seconds, user, system, kb] = last.split(" ").map(Number);
  if (result.status !== 0)
    throw new Error(`${command} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  return { seconds, cpu: user + system, rssMb: kb / 1024 };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(name, command, bytes) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(timed(command));
  const seconds = median(samples.map((s) => s.seconds));
  const cpu = median(samples.map((s) => s.cpu));
  const rssMb = Math.max(...samples.map((s) => s.rssMb));
  const mbps = bytes / 1024 / 1024 / seconds;
  console.log(
    `${name.padEnd(44)} ${seconds.toFixed(2).padStart(7)} s wall ${mbps.toFixed(0).padStart(5)} MiB/s ${cpu.toFixed(2).padStart(7)} s CPU  peak RSS ${rssMb.toFixed(0).padStart(4)} MiB`,
  );
  return { name, seconds, cpu, mbps, rssMb };
}

const tmp = os.tmpdir();
const tree = path.join(tmp, `qlf-capsule-bench-${sizeMb}`);
if (!existsSync(path.join(tree, ".complete"))) {
  rmSync(tree, { recursive: true, force: true });
  const t0 = performance.now();
  const made = makeTree(tree, sizeMb * 1024 * 1024);
  console.log(
    `made ${made.files} files, ${(made.bytes / 1024 / 1024).toFixed(0)} MiB in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${tree}`,
  );
}
const stats = treeStats(tree);
const work = path.join(tmp, `qlf-capsule-bench-out-${process.pid}`);
mkdirSync(work, { recursive: true });
const q = (p) => `'${p.replaceAll("'", "'\\''")}'`;
const node = q(process.execPath);
const qlf = q(path.join(root, "bin", "qlf.js"));
const capsule = path.join(work, "bench.qlcapsule");
const tgz = path.join(work, "bench.tgz");

console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, node ${process.version}, load ${os.loadavg()[0].toFixed(1)}`,
);
console.log(
  `tree: ${stats.files} files, ${(stats.bytes / 1024 / 1024).toFixed(0)} MiB; median of ${runs} runs; gzip level ${level}`,
);
timed(`tar -cf /dev/null -C ${q(tree)} .`); // warm the page cache

const results = {
  tar: measure("tar -czf (gzip -6)", `tar -czf ${q(tgz)} -C ${q(tree)} .`, stats.bytes),
  sha: measure(
    "sha256sum of every file",
    `cd ${q(tree)} && find . -type f -print0 | xargs -0 sha256sum > /dev/null`,
    stats.bytes,
  ),
  tarSha: measure(
    "tar -czf, then sha256sum (a shell capsule)",
    `tar -czf ${q(tgz)} -C ${q(tree)} . && cd ${q(tree)} && find . -type f -print0 | xargs -0 sha256sum > /dev/null`,
    stats.bytes,
  ),
  pack: measure(
    `qlf package (level ${level})`,
    `${node} ${qlf} package ${q(tree)} --name bench --version 1.0.0 --out ${q(capsule)} --no-scan --created 2026-01-01T00:00:00Z --gzip-level ${level}`,
    stats.bytes,
  ),
  gunzipSha: measure(
    "gzip -dc capsule | sha256sum",
    `gzip -dc ${q(capsule)} | sha256sum > /dev/null`,
    stats.bytes,
  ),
  verify: measure(
    "qlf capsule verify",
    `${node} ${qlf} capsule verify ${q(capsule)} 2>/dev/null`,
    stats.bytes,
  ),
};
const capsuleBytes = statSync(capsule).size;
const tgzBytes = statSync(tgz).size;
console.log(
  `sizes: capsule ${(capsuleBytes / 1024 / 1024).toFixed(1)} MiB, tar.gz ${(tgzBytes / 1024 / 1024).toFixed(1)} MiB (ratio ${(stats.bytes / capsuleBytes).toFixed(2)} vs ${(stats.bytes / tgzBytes).toFixed(2)})`,
);

// Speed relative to a baseline, by CPU time (the work done: user + system of every process, which
// other tenants of a shared machine do not stretch) — the gate — and by wall time (what a user
// waits for), reported beside it. On an idle machine the two agree: both sides use about one core.
const ratio = (a, b) => results[b].cpu / results[a].cpu;
const pct = (a, b) =>
  `wall ${((100 * results[b].seconds) / results[a].seconds).toFixed(0)} %, CPU ${((100 * results[b].cpu) / results[a].cpu).toFixed(0)} %`;
const checks = [
  ["packaging RSS < 150 MiB", results.pack.rssMb < RSS_TARGET_MB, `${results.pack.rssMb.toFixed(0)} MiB`],
  ["verify RSS < 150 MiB", results.verify.rssMb < RSS_TARGET_MB, `${results.verify.rssMb.toFixed(0)} MiB`],
  ["package speed ≥ 80 % of tar -czf", ratio("pack", "tar") >= SPEED_TARGET, pct("pack", "tar")],
  [
    "package speed ≥ 80 % of tar -czf + sha256sum",
    ratio("pack", "tarSha") >= SPEED_TARGET,
    pct("pack", "tarSha"),
  ],
  [
    "verify speed ≥ 80 % of gzip -dc | sha256sum",
    ratio("verify", "gunzipSha") >= SPEED_TARGET,
    pct("verify", "gunzipSha"),
  ],
  ["verify speed vs sha256sum of the tree (reported)", true, pct("verify", "sha")],
];
let missed = 0;
for (const [label, ok, value] of checks) {
  console.log(`${ok ? "ok  " : "MISS"} ${label.padEnd(50)} ${value}`);
  if (!ok) missed++;
}
if (!keep) rmSync(work, { recursive: true, force: true });
process.exitCode = missed === 0 ? 0 : 1;
