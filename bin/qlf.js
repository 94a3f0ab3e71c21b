#!/usr/bin/env node
// The published entry point: the bundled CLI built by `npm run build` (run by `npm install`).
const [major] = process.versions.node.split(".").map(Number);
if (major < 22) {
  process.stderr.write(`qlf needs Node.js 24 (found ${process.version}). Install Node 24 and run again.\n`);
  process.exit(1);
}
try {
  await import("../dist/qlf.js");
} catch (error) {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/qlf.js")) {
    process.stderr.write(
      "qlf is not built yet: run `npm install` (or `npm run build`) in the qlf checkout.\n",
    );
    process.exit(2);
  }
  throw error;
}
