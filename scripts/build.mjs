// Bundles the CLI (and later the Action) with esbuild. TypeScript 7 is native and has no
// JavaScript compiler API, so type checking (`tsc --noEmit`) and bundling are separate steps.
import { build } from "esbuild";

await build({
  entryPoints: { qlf: "src/cli/main.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true, // each command is a lazily imported chunk, so `qlf --help` loads almost nothing
  format: "esm",
  platform: "node",
  target: "node24",
  packages: "external",
  sourcemap: true,
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});
