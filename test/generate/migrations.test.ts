/**
 * The database agent's migrations against the real PostgreSQL on this machine: every fixture's up
 * migration applies, its constraints behave, and the down migration leaves an empty database.
 */
import { describe, expect, it } from "vitest";
import { databaseAgent } from "../../src/kernel/agents/database/index.js";
import { type GenerationContext, IR, planApi } from "../../src/kernel/index.js";
import { useScratchDatabase } from "../helpers/database.js";
import { contextFor, fixture, fixtures, GENERATOR_VERSION } from "./helpers.js";

const db = useScratchDatabase();

function migrations(context: GenerationContext): { up: string; down: string } {
  const files = databaseAgent(context);
  const up = files.find((file) => file.path.endsWith(".up.sql"))?.content ?? "";
  const down = files.find((file) => file.path.endsWith(".down.sql"))?.content ?? "";
  return { up, down };
}

async function objects(): Promise<string[]> {
  const { rows } = await db().query<{ name: string }>(
    `SELECT 'table ' || tablename AS name FROM pg_tables WHERE schemaname = 'public'
     UNION ALL SELECT 'function ' || proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
     ORDER BY 1`,
  );
  return rows.map((row) => row.name);
}

async function rejects(sql: string, params: unknown[], code: string): Promise<void> {
  await db().query("SAVEPOINT probe");
  let error: { code?: string } | undefined;
  try {
    await db().query(sql, params);
  } catch (caught) {
    error = caught as { code?: string };
  }
  await db().query("ROLLBACK TO SAVEPOINT probe");
  expect(error?.code, sql).toBe(code);
}

describe.each(fixtures.map((f) => [f.name, f] as const))("migrations for %s", (_name, f) => {
  it("apply, create every planned table and index, and roll back to an empty database", async () => {
    const context = contextFor(f);
    const { up, down } = migrations(context);
    expect(await objects()).toEqual([]);
    await db().query(up);
    const tables = (await objects()).filter((name) => name.startsWith("table ")).map((name) => name.slice(6));
    expect(tables.sort()).toEqual(context.plan.tables.map((table) => table.name).sort());
    for (const table of context.plan.tables) {
      const { rows } = await db().query<{ column_name: string; is_nullable: string }>(
        "SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position",
        [table.name],
      );
      expect(rows.map((row) => row.column_name)).toEqual(table.columns.map((column) => column.name));
      expect(rows.map((row) => row.is_nullable === "YES")).toEqual(
        table.columns.map((column) => column.nullable),
      );
      const { rows: indexes } = await db().query<{ indexname: string }>(
        "SELECT indexname FROM pg_indexes WHERE tablename = $1",
        [table.name],
      );
      for (const index of table.indexes) expect(indexes.map((row) => row.indexname)).toContain(index.name);
    }
    await db().query(down);
    expect(await objects()).toEqual([]);
    // Up again after down: the pair is repeatable.
    await db().query(up);
    await db().query(down);
    expect(await objects()).toEqual([]);
  });
});

describe("migration behaviour", () => {
  it("pharmacy (HIPAA): encrypted PHI columns are text, audit_log is append-only, owned children cascade", async () => {
    const context = contextFor(fixture("pharmacy-hipaa"));
    const { up, down } = migrations(context);
    await db().query(up);
    try {
      await db().query("BEGIN");
      const { rows: types } = await db().query<{ column_name: string; data_type: string }>(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'patients'",
      );
      const typeOf = (column: string) => types.find((row) => row.column_name === column)?.data_type;
      expect(typeOf("date_of_birth")).toBe("text");
      expect(typeOf("medical_record_number")).toBe("text");
      expect(typeOf("first_name")).toBe("character varying");
      expect(typeOf("deleted_at")).toBe("timestamp with time zone");

      const patient = await db().query<{ id: string }>(
        "INSERT INTO patients (first_name, last_name, date_of_birth, medical_record_number) VALUES ('A', 'B', 'v1:x', 'v1:y') RETURNING id",
      );
      const patientId = patient.rows[0]?.id;
      expect(patientId).toMatch(/^[0-9a-f-]{36}$/);
      await db().query(
        "INSERT INTO prescriptions (medication, dosage, quantity, status, prescribed_at, patient_id) VALUES ('v1:m', 'v1:d', 30, 'pending', now(), $1)",
        [patientId],
      );
      await rejects(
        "INSERT INTO prescriptions (medication, dosage, quantity, status, prescribed_at, patient_id) VALUES ('m', 'd', 1, 'lost', now(), $1)",
        [patientId],
        "23514", // check_violation: status not in the enum
      );
      await rejects(
        "INSERT INTO prescriptions (medication, dosage, quantity, status, prescribed_at, patient_id) VALUES ('m', 'd', 1, 'pending', now(), gen_random_uuid())",
        [],
        "23503", // foreign_key_violation
      );
      await db().query(
        "INSERT INTO audit_log (actor, action, entity, entity_id, fields) VALUES ('tester', 'read', 'Patient', $1, ARRAY['dateOfBirth'])",
        [patientId],
      );
      await rejects("UPDATE audit_log SET actor = 'someone else'", [], "42501");
      await rejects("DELETE FROM audit_log", [], "42501");
      // Owned prescriptions go with their patient.
      await db().query("DELETE FROM patients WHERE id = $1", [patientId]);
      const left = await db().query("SELECT count(*)::int AS n FROM prescriptions");
      expect(left.rows[0]).toEqual({ n: 0 });
      await db().query("ROLLBACK");
      // The retention purge may delete old audit rows (and only through the function).
      await db().query("BEGIN");
      await db().query(
        "INSERT INTO audit_log (actor, action, entity, occurred_at) VALUES ('t', 'list', 'Patient', now() - interval '3000 days')",
      );
      await db().query("SELECT qlf_purge_expired()");
      const audit = await db().query("SELECT count(*)::int AS n FROM audit_log");
      expect(audit.rows[0]).toEqual({ n: 0 });
      await db().query("ROLLBACK");
    } finally {
      await db()
        .query("ROLLBACK")
        .catch(() => undefined);
      await db().query(down);
    }
    expect(await objects()).toEqual([]);
  });

  it("payments (PCI): no card number column, token + last four, money numeric(19,4) with a currency", async () => {
    const context = contextFor(fixture("payments-fintech"));
    const { up, down } = migrations(context);
    expect(up).not.toMatch(/card_number/);
    expect(up).not.toMatch(/\bcvv\b/);
    await db().query(up);
    try {
      const { rows } = await db().query<{
        column_name: string;
        data_type: string;
        numeric_precision: number | null;
        numeric_scale: number | null;
        character_maximum_length: number | null;
      }>(
        "SELECT column_name, data_type, numeric_precision, numeric_scale, character_maximum_length FROM information_schema.columns WHERE table_name = 'payments'",
      );
      const column = (name: string) => rows.find((row) => row.column_name === name);
      expect(column("card_token")?.data_type).toBe("text");
      expect(column("card_last4")?.data_type).toBe("character");
      expect(column("amount")).toMatchObject({
        data_type: "numeric",
        numeric_precision: 19,
        numeric_scale: 4,
      });
      expect(column("currency")).toMatchObject({ data_type: "character", character_maximum_length: 3 });
      expect(column("cardholder_name")?.data_type).toBe("text"); // encrypted cardholder data
      expect(rows.map((row) => row.column_name)).not.toContain("card_number");
      const keys = await db().query(
        "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'idempotency_keys'",
      );
      expect(keys.rows[0]).toEqual({ n: 1 });
      await db().query("BEGIN");
      const customer = await db().query<{ id: string }>(
        "INSERT INTO customers (full_name, email) VALUES ('C', 'c@example.com') RETURNING id",
      );
      await rejects(
        "INSERT INTO payments (amount, currency, card_token, card_last4, status, customer_id) VALUES (1, 'eur', 't', '4242', 'pending', $1)",
        [customer.rows[0]?.id],
        "23514",
      );
      // A customer with payments cannot be deleted (restrict).
      await db().query(
        "INSERT INTO payments (amount, card_token, card_last4, status, customer_id) VALUES (12.3456, 't', '4242', 'pending', $1)",
        [customer.rows[0]?.id],
      );
      await rejects("DELETE FROM customers WHERE id = $1", [customer.rows[0]?.id], "23503");
      await db().query("ROLLBACK");
    } finally {
      await db()
        .query("ROLLBACK")
        .catch(() => undefined);
      await db().query(down);
    }
  });

  it("closes a foreign-key cycle with ALTER TABLE and undoes it", async () => {
    const base = fixture("todo").ir;
    const project = {
      ...base.entities[0],
      name: "Project",
      plural: "Projects",
      table: "projects",
      route: "projects",
      fields: [base.entities[0]?.fields[0]],
    };
    const relation = (from: string, to: string, foreignKey: string) => ({
      kind: "one-to-many" as const,
      from,
      to,
      foreignKey,
      joinTable: null,
      required: false,
      owned: false,
      label: "has",
      origin: "brief" as const,
      evidence: [],
    });
    const ir = IR.parse({
      ...base,
      entities: [...base.entities, project],
      relations: [relation("Project", "Todo", "projectId"), relation("Todo", "Project", "pinnedTodoId")],
    });
    const plan = planApi(ir, []);
    expect(plan.deferredForeignKeys).toHaveLength(1);
    const context: GenerationContext = {
      ir,
      plan,
      rules: [],
      controls: [],
      options: { allowWorkflows: false, generatorVersion: GENERATOR_VERSION },
    };
    const { up, down } = migrations(context);
    expect(up).toContain("ALTER TABLE");
    await db().query(up);
    await db().query(down);
    expect(await objects()).toEqual([]);
  });
});
