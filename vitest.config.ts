import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests spawn real toolchains and databases; give them room but keep unit tests strict.
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
