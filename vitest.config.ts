import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests spawn real toolchains and databases; give them room but keep unit tests strict.
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Builds dist/ once per run (only when stale) so CLI tests spawn the current `node bin/qlf.js`.
    globalSetup: ["test/helpers/global-setup.ts"],
  },
});
