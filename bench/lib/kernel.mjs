// Shared by the benchmarks: the kernel bundled once with esbuild (like the CLI build), and the
// shipped overlay catalog. Benchmarks measure the same code users run, without vitest's transform.
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export function loadKernel() {
  return loadBundle("kernel", []);
}

/**
 * The kernel plus `extraExports` (export lines relative to the repository root), bundled once with
 * esbuild like the CLI build, and imported.
 */
export async function loadBundle(name, extraExports) {
  const outDir = path.join(root, "node_modules", ".cache", "qlf-bench");
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, `${name}.mjs`);
  await build({
    stdin: {
      contents: ['export * from "./src/kernel/index.ts";', ...extraExports].join("\n"),
      resolveDir: root,
      loader: "ts",
    },
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node24",
    // esbuild's compatibility table does not credit Node with `\p{…}` in regular expressions, so
    // it would rewrite every such literal as `new RegExp(…)`, rebuilt on each call in a hot loop.
    supported: { "regexp-unicode-property-escapes": true },
    packages: "external",
    logLevel: "warning",
  });
  return import(pathToFileURL(outfile).href);
}

/** The shipped overlays as `{ path, text }` sources, in a stable order. */
export function shippedOverlaySources(dir = path.join(root, "overlays")) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return shippedOverlaySources(full);
      return /\.ya?ml$/.test(entry.name)
        ? [{ path: path.relative(root, full), text: readFileSync(full, "utf8") }]
        : [];
    })
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
