/** Vitest global setup: build the CLI bundle once per test run, so CLI tests run the current code. */
import { ensureBuilt } from "./cli.js";

export default function setup(): void {
  ensureBuilt();
}
