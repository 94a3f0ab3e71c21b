// Overlay detection and resolution, and the guards that keep untrusted overlay files cheap.
// Targets: detection of a paragraph < 0.2 ms and of a 64 KiB brief < 100 ms; two 64 KiB adversarial
// briefs < 200 ms; resolving all six shipped overlays < 0.2 ms; refusing a catastrophic pattern and
// a billion-laughs alias bomb in well under a second.
//
//   node bench/overlays.bench.mjs
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadKernel, root, shippedOverlaySources } from "./lib/kernel.mjs";

const kernel = await loadKernel();
const { catalog } = kernel.loadOverlayCatalog(shippedOverlaySources(), []);
const detect = kernel.compileDetector(catalog);

/** The best of several batches, in ms per call: other processes only ever make a batch slower. */
function best(run, { batches = 15, perBatch = 200 } = {}) {
  for (let i = 0; i < perBatch; i++) run();
  let fastest = Number.POSITIVE_INFINITY;
  for (let batch = 0; batch < batches; batch++) {
    const started = performance.now();
    for (let i = 0; i < perBatch; i++) run();
    fastest = Math.min(fastest, (performance.now() - started) / perBatch);
  }
  return fastest;
}

function once(run) {
  const started = performance.now();
  run();
  return performance.now() - started;
}

const paragraph =
  "We run a chain of dental clinics and need a patient portal. Patients book appointments with dentists, " +
  "see their treatment plans and invoices, and pay outstanding balances by credit card. Staff record " +
  "diagnoses, prescriptions and x-ray notes. We operate in the EU and the US, so the system must be HIPAA " +
  "and GDPR compliant: patients can export their data and ask for erasure. Payments go through Stripe.";
const perParagraph = best(() => detect(paragraph));
const large = paragraph.repeat(Math.floor((64 * 1024) / paragraph.length));
const perLarge = best(() => detect(large), { batches: 5, perBatch: 3 });
const adversarial = once(() => {
  detect(`${"a".repeat(64 * 1024)}!`);
  detect("患者".repeat(32 * 1024));
});

// Every shipped overlay requested at once: the most a brief can ask of the resolver.
const all = catalog.map(kernel.requestedSelection);
const perResolve = best(() => kernel.resolveOverlays(all, catalog), { batches: 10, perBatch: 100 });

/** Time to refuse an evil overlay fixture (the unit tests assert that it is refused, and how). */
function refuse(name) {
  const file = path.join(root, "test", "overlays", "fixtures", name);
  const text = readFileSync(file, "utf8");
  return once(() => {
    try {
      kernel.parseOverlay({ path: file, text });
    } catch {
      // Refused; only the time matters here.
    }
  });
}
const refuseCatastrophic = refuse("evil-regex.yaml");
// What the guard prevents: 2^22 backtracking steps for a 23-character input.
const backtracking = once(() => /(a+)+b/.test(`${"a".repeat(22)}!`));
const refuseAliasBomb = refuse("evil-aliases.yaml");

console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, node ${process.version}`);
console.log(`detect: ${(perParagraph * 1000).toFixed(1)} µs per ${paragraph.length}-char paragraph`);
console.log(
  `detect: ${perLarge.toFixed(1)} ms per 64 KiB brief, ${adversarial.toFixed(1)} ms for two 64 KiB adversarial briefs`,
);
console.log(`resolve: ${(perResolve * 1000).toFixed(1)} µs for all ${catalog.length} shipped overlays`);
console.log(
  `guards: catastrophic pattern refused in ${refuseCatastrophic.toFixed(2)} ms (running it would take ${backtracking.toFixed(1)} ms on 23 characters), alias bomb refused in ${refuseAliasBomb.toFixed(1)} ms`,
);
const misses = [
  perParagraph >= 0.2 && "paragraph detection ≥ 0.2 ms",
  perLarge >= 100 && "64 KiB detection ≥ 100 ms",
  adversarial >= 200 && "adversarial detection ≥ 200 ms",
  perResolve >= 0.2 && "resolve ≥ 0.2 ms",
  refuseCatastrophic >= 50 && "pattern refusal ≥ 50 ms",
  refuseAliasBomb >= 1000 && "alias bomb refusal ≥ 1 s",
].filter(Boolean);
if (misses.length > 0) {
  console.log(`MISSED: ${misses.join(", ")}`);
  process.exitCode = 1;
}
