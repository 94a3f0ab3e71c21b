// Bundles the CLI (and later the Action) with esbuild. TypeScript 7 is native and has no
// JavaScript compiler API, so type checking (`tsc --noEmit`) and bundling are separate steps.
import { rmSync } from "node:fs";
import { build } from "esbuild";

// Chunk names carry content hashes: without a clean start, every build would leave the old ones behind.
rmSync("dist", { recursive: true, force: true });

await build({
  entryPoints: { qlf: "src/cli/main.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true, // each command is a lazily imported chunk, so `qlf --help` loads almost nothing
  format: "esm",
  platform: "node",
  target: "node24",
  // esbuild's compatibility table does not credit Node with `\p{…}` in regular expressions, so
  // it would rewrite every such literal as `new RegExp(…)`, rebuilt on each call in a hot loop.
  supported: { "regexp-unicode-property-escapes": true },
  packages: "external",
  sourcemap: true,
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});
