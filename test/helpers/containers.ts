/**
 * The check every generated app's image must pass: it builds, starts with its own configuration,
 * answers /healthz, passes its own HEALTHCHECK and does not run as root.
 */
import { expect } from "vitest";
import { buildAndProbe, type ProbeSuccess } from "../../scripts/containers/harness.js";

export async function probeGeneratedApp(
  app: { dir: string; serverEnv: Record<string, string> },
  tag: string,
): Promise<ProbeSuccess> {
  const result = await buildAndProbe({
    contextDir: app.dir,
    tag,
    // The server needs its configuration to start; /healthz itself never touches the database.
    env: { ...app.serverEnv, DATABASE_URL: "postgres://app@127.0.0.1:1/app" },
    removeImage: true,
  });
  if (!result.ok) throw new Error(`${result.stage}: ${result.message}\n${result.log}`);
  expect(result.status).toBe(200);
  expect(JSON.parse(result.body)).toEqual({ status: "ok" });
  expect(result.healthcheckPassed).toBe(true);
  expect(result.uid).not.toBe(0);
  expect(result.problems).toEqual([]);
  return result;
}
