/**
 * A scratch PostgreSQL database for one test file: created before its tests, dropped after them
 * (with any connection a failed test left open), through the app harness's `createDatabase`.
 */
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { createDatabase, type TestDatabase } from "../../scripts/app-harness/harness.js";

/** Registers the hooks; call the returned function inside a test for the connected client. */
export function useScratchDatabase(prefix = "qlf_test"): () => pg.Client {
  let database: TestDatabase | undefined;
  let client: pg.Client | undefined;
  beforeAll(async () => {
    database = await createDatabase(prefix);
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });
  return () => {
    if (client === undefined) throw new Error("the scratch database is not ready: use it inside a test");
    return client;
  };
}
